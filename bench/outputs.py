"""Run a battery of read commands on a registry and store what each printed, to compare.

    python bench/outputs.py OUT [--corpus bench/corpus/10000] [--no-cache]

Each command runs in its own process (``python -m kerjasama_cli``, from whatever ``PYTHONPATH``
or environment selects), with stdout piped; ``OUT/<nn>-<name>.out`` gets its stdout and
``OUT/<nn>-<name>.code`` its exit code. Two runs are then compared with ``diff -r``: with and
without ``--no-cache`` (the index must not change an answer), or before and after a change
(check the older code out elsewhere, e.g. ``git archive REV | tar -x -C /tmp/before``, and run
this script with ``PYTHONPATH=/tmp/before``). With the index, every command runs twice and the
second (warm) answer is stored; both must be the same, and the script says so when not.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

AS_OF = ("2019-06-30", "2025-06-01")

LIST_FILTERS: tuple[tuple[str, ...], ...] = (
    (),
    ("--region", "Muara Enim"),
    ("--within", "Jawa Barat"),
    ("--document", "pks"),
    ("--category", "ksdpk"),
    ("--status", "aktif,akan_berakhir"),
    ("--status", "draf"),
    ("--sector", "kesehatan"),
    ("--party-kind", "ptn"),
    ("--year", "2020", "--year", "2022"),
    ("--signed-from", "2018-01-01", "--signed-to", "2019-12-31"),
    ("--expiring-within", "365"),
    ("--search", "jalan"),
    ("--search", "BANDUNG", "--search", "universitas"),
    ("--region", "Kota Bandung", "--document", "kb", "--status", "aktif"),
)
SORTS: tuple[tuple[str, ...], ...] = (
    ("--sort", "title"),
    ("--sort", "status", "--reverse"),
    ("--sort", "ends_on", "--limit", "50"),
    ("--sort", "category"),
)
BY = (
    "year",
    "document",
    "category",
    "status",
    "sector",
    "region",
    "province",
    "party_kind",
    "province,year",
    "year,category",
    "status,sector",
)


def battery() -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = [("validate-json", ["validate", "--format", "json"])]
    for as_of in AS_OF:
        date = ["--as-of", as_of]
        for i, filters in enumerate(LIST_FILTERS):
            for fmt in ("json", "csv", "ids", "table") if i == 0 else ("json",):
                commands.append(
                    (f"list-{as_of}-f{i}-{fmt}", ["list", *filters, *date, "--format", fmt])
                )
        for i, sort in enumerate(SORTS):
            commands.append((f"list-{as_of}-s{i}", ["list", *sort, *date, "--format", "csv"]))
        for fmt in ("table", "json", "csv", "markdown", "html"):
            commands.append((f"summarise-{as_of}-{fmt}", ["summarise", *date, "--format", fmt]))
        for region in ("Muara Enim", "Jawa Barat"):
            name = re.sub(r"\W+", "-", region).lower()
            commands.append(
                (
                    f"summarise-{as_of}-{name}",
                    ["summarise", "--region", region, *date, "--format", "json"],
                )
            )
        for by in BY:
            for fmt in ("json", "table") if by == "province,year" else ("json",):
                commands.append(
                    (
                        f"summarise-{as_of}-by-{by}-{fmt}",
                        ["summarise", "--by", by, *date, "--format", fmt],
                    )
                )
        commands.append(
            (
                f"summarise-{as_of}-by-year-pks",
                ["summarise", "--by", "year", "--document", "pks", *date],
            )
        )
        for fmt in ("csv", "json"):
            commands.append((f"export-{as_of}-{fmt}", ["export", "--format", fmt, *date]))
        commands.append((f"export-{as_of}-csv-region", ["export", "--region", "Muara Enim", *date]))
    return commands


def run(command: list[str], corpus: Path, no_cache: bool) -> tuple[int, bytes]:
    args = [sys.executable, "-m", "kerjasama_cli", *command, "--data-dir", str(corpus)]
    if no_cache:
        args.append("--no-cache")
    done = subprocess.run(args, capture_output=True, check=False)
    return done.returncode, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus" / "10000")
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("COLUMNS", "120")
    differing = 0
    commands = battery()
    for n, (name, command) in enumerate(commands):
        code, out = run(command, args.corpus, args.no_cache)
        if not args.no_cache:
            again = run(command, args.corpus, False)
            if again != (code, out):
                differing += 1
                print(f"{name}: the warm run differs from the first", file=sys.stderr)
            code, out = again
        (args.out / f"{n:03d}-{name}.out").write_bytes(out)
        (args.out / f"{n:03d}-{name}.code").write_text(f"{code}\n", encoding="utf-8")
    print(f"{len(commands)} commands, outputs in {args.out}", file=sys.stderr)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
