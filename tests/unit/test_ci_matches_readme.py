"""The README's set-up commands are exactly what .ci/run runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", setup, re.DOTALL)]


def test_ci_runs_the_readme_setup_commands() -> None:
    commands = _setup_commands()
    assert commands[0] == "pip install -e '.[test]' && kerjasama summarise"
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci_lines, f"README set-up command not in .ci/run: {command}"
