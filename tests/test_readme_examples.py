"""The README's console examples are run on the bundled registry and must print what it shows."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, Run

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str]]:
    """(command, expected stdout) for every ``$ kerjasama ...`` line of a ```console block."""
    examples: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


EXAMPLES = console_examples()


def test_the_readme_has_console_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(
    command: str, expected: str, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as a user would from a clone: cwd at the repository, the registry in ./data."""
    clone = tmp_path / "clone"
    shutil.copytree(BUNDLED, clone / "data")
    monkeypatch.chdir(clone)
    argv = shlex.split(command)
    assert argv[0] == "kerjasama"
    result = run(*argv[1:], data_dir=Path("data"))
    assert result.exit_code in (0, 1)
    assert result.stdout.rstrip("\n") == expected.rstrip("\n")
