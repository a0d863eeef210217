"""Keep the translation catalogs in step with the code (Babel's extract, update and compile).

    pip install -e '.[test]'             # brings Babel
    python scripts/translations.py       # extract the messages, update every .po, compile .mo
    python scripts/translations.py --check   # exit 1 when a catalog is stale or incomplete

After a change to a message in the code: run it, translate what is new or marked fuzzy in
``kerjasama_cli/locale/id/LC_MESSAGES/kerjasama.po`` (any PO editor, or a text editor: remove
the ``#, fuzzy`` line once the translation is right), and run it again to compile the ``.mo``
that ships in the wheel. The test suite fails while a message has no translation.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "kerjasama_cli" / "locale"
TEMPLATE = LOCALE / "kerjasama.pot"


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; change nothing")
    args = parser.parse_args()
    if args.check:
        return subprocess.call(
            [sys.executable, "-m", "pytest", "-q", "tests/unit/test_translations.py"], cwd=ROOT
        )
    pybabel(
        "extract",
        "--mapping-file=babel.cfg",
        "--project=kerjasama",
        "--copyright-holder=kerjasama contributors",
        "--no-location",
        "--sort-output",
        "--no-wrap",
        f"--output-file={TEMPLATE.relative_to(ROOT)}",
        ".",
    )
    pybabel(
        "update",
        "--domain=kerjasama",
        "--locale=id",
        "--init-missing",
        f"--input-file={TEMPLATE.relative_to(ROOT)}",
        f"--output-dir={LOCALE.relative_to(ROOT)}",
        "--no-wrap",
        "--ignore-obsolete",
        "--ignore-pot-creation-date",
    )
    pybabel(
        "compile",
        "--domain=kerjasama",
        f"--directory={LOCALE.relative_to(ROOT)}",
        "--statistics",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
