"""Every file under tests/examples/ is a test: valid ones pass --strict, invalid ones fire rules.

An invalid example states what it must produce, in its first lines as comments::

    # expect: KS201 at 8:13

or, for files that cannot carry a comment (binary, UTF-16), in a sidecar ``<file>.expect``
with lines ``KS101 at 1:1``. The example is copied into a fresh registry as
``agreements/<stem>.yaml`` and validated through the real CLI.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kerjasama_cli.rules import RULES
from tests.conftest import EXAMPLES, Run

_EXPECT = re.compile(r"(KS\d{3}) at (\d+):(\d+)")


def _examples(kind: str) -> list[Path]:
    return sorted(p for p in (EXAMPLES / kind).iterdir() if p.is_file() and p.suffix != ".expect")


def expectations(path: Path) -> set[tuple[str, int, int]]:
    """The (rule, line, column) triples an invalid example declares."""
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        text = sidecar.read_text(encoding="utf-8")
    else:
        head = path.read_bytes()[:2000].decode("utf-8", errors="replace")
        text = "\n".join(line for line in head.splitlines() if line.startswith("# expect:"))
    return {(rule, int(line), int(col)) for rule, line, col in _EXPECT.findall(text)}


def _install(example: Path, registry: Path) -> Path:
    target = registry / "agreements" / f"{example.stem}.yaml"
    shutil.copyfile(example, target)
    return target


@pytest.mark.parametrize("example", _examples("valid"), ids=lambda p: p.name)
def test_valid_example_passes_strict(example: Path, registry: Path, run: Run) -> None:
    _install(example, registry)
    result = run("validate", "--strict", "--format", "json")
    assert result.json()["findings"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("example", _examples("invalid"), ids=lambda p: p.name)
def test_invalid_example_fires_its_rules(example: Path, registry: Path, run: Run) -> None:
    expected = expectations(example)
    assert expected, f"{example.name} declares no '# expect: KSnnn at line:col'"
    _install(example, registry)
    only_warnings = all(RULES[rule][0] == "warning" for rule, _, _ in expected)
    result = run("validate", "--format", "json", *(["--strict"] if only_warnings else []))
    found = {(f["rule"], f["line"], f["column"]) for f in result.json()["findings"]}
    assert expected <= found, f"missing {expected - found}; found {found}"
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
