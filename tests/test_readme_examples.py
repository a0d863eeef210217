"""The README's console examples are run on the bundled registry and must print what it shows.

Each command line ends with the exit code it must give, as a shell comment a reader can copy
along: ``$ kerjasama regions Mura  # exit 1: "Mura" is ambiguous``.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, Run

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str]]:
    """(command line, expected stdout) for every ``$ kerjasama ...`` line of a ```console block."""
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


_EXIT = re.compile(r"  # exit (\d+)(?:: .+)?")


def declared_exit(command: str) -> tuple[str, int]:
    """The command without its ``  # exit N`` comment, and N; a line without one is an error."""
    command_part, sep, comment = command.partition("  # ")
    match = _EXIT.fullmatch(sep + comment)
    assert match, f"README example does not end with '  # exit N': {command}"
    return command_part, int(match.group(1))


EXAMPLES = console_examples()


def test_the_readme_has_console_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(
    command: str, expected: str, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as a user would from a clone: cwd at the repository, the registry in ./data."""
    command, exit_code = declared_exit(command)
    clone = tmp_path / "clone"
    shutil.copytree(BUNDLED, clone / "data")
    monkeypatch.chdir(clone)
    argv = shlex.split(command)
    assert argv[0] == "kerjasama"
    result = run(*argv[1:], data_dir=Path("data"))
    assert result.stdout.rstrip("\n") == expected.rstrip("\n")
    assert result.exit_code == exit_code
