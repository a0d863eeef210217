"""Every file under tests/examples/ is a test: valid ones pass --strict, invalid ones fire rules.

An invalid example states every finding it produces, in its first lines as comments::

    # expect: KS201 at 8:13

or, for files that cannot carry a comment (binary, UTF-16), in a sidecar ``<file>.expect``
with lines ``KS101 at 1:1``. The example is copied into a fresh registry as
``agreements/<stem>.yaml`` and validated through the real CLI, and the findings must be
exactly the declared ones, in the order ``validate`` reports them (by line, then column), as
yamllint's tests compare their problem lists: a finding that is not declared fails the test
as surely as a declared one that is missing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kerjasama_cli.rules import RULES
from tests.conftest import EXAMPLES, Run

Expected = tuple[str, int, int]

_EXPECT = re.compile(r"(KS\d{3}) at (\d+):(\d+)")

# Examples whose findings differ from what is declared because of a bug in the product, with
# the reason; each is expected to fail (strictly: fixing the bug makes the test say so).
KNOWN_BUGS: dict[str, str] = {}


def _examples(kind: str) -> list[Path]:
    return sorted(p for p in (EXAMPLES / kind).iterdir() if p.is_file() and p.suffix != ".expect")


def expectations(path: Path) -> list[Expected]:
    """The (rule, line, column) triples an invalid example declares, in the order written.

    A declaration that does not read ``KSnnn at line:col`` is an error, not ignored.
    """
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        lines = [line for line in sidecar.read_text(encoding="utf-8").splitlines() if line]
    else:
        head = path.read_bytes()[:2000].decode("utf-8", errors="replace")
        lines = [
            line.removeprefix("# expect:").strip()
            for line in head.splitlines()
            if line.startswith("# expect:")
        ]
    declared: list[Expected] = []
    for line in lines:
        match = _EXPECT.fullmatch(line.strip())
        assert match, f"{path.name}: cannot read the declaration {line!r}"
        rule, row, col = match.groups()
        declared.append((rule, int(row), int(col)))
    return declared


def _install(example: Path, registry: Path) -> Path:
    target = registry / "agreements" / f"{example.stem}.yaml"
    shutil.copyfile(example, target)
    return target


def _invalid_params() -> list[object]:
    return [
        pytest.param(
            path,
            id=path.name,
            marks=(
                [pytest.mark.xfail(reason=KNOWN_BUGS[path.name], strict=True)]
                if path.name in KNOWN_BUGS
                else []
            ),
        )
        for path in _examples("invalid")
    ]


@pytest.mark.parametrize("example", _examples("valid"), ids=lambda p: p.name)
def test_valid_example_passes_strict(example: Path, registry: Path, run: Run) -> None:
    _install(example, registry)
    result = run("validate", "--strict", "--format", "json")
    assert result.json()["findings"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("example", _invalid_params())
def test_invalid_example_gives_exactly_its_findings(
    example: Path, registry: Path, run: Run
) -> None:
    expected = expectations(example)
    assert expected, f"{example.name} declares no '# expect: KSnnn at line:col'"
    assert set(RULES) >= {rule for rule, _, _ in expected}, "a declared rule does not exist"
    _install(example, registry)
    only_warnings = all(RULES[rule][0] == "warning" for rule, _, _ in expected)
    result = run("validate", "--format", "json", *(["--strict"] if only_warnings else []))
    found = [(f["rule"], f["line"], f["column"]) for f in result.json()["findings"]]
    assert found == sorted(expected, key=lambda f: (f[1], f[2], f[0]))
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr


def rules_fired_by_examples() -> set[str]:
    """The rules that the invalid examples declare and that their test checks as they pass."""
    return {
        rule
        for example in _examples("invalid")
        if example.name not in KNOWN_BUGS
        for rule, _, _ in expectations(example)
    }
