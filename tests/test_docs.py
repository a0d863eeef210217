"""Docs cannot drift: every command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from kerjasama_cli.cli.app import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = {
    name: command
    for name, command in typer.main.get_command(app).commands.items()  # type: ignore[attr-defined]
    if not command.hidden
}


def test_the_app_has_the_contract_commands() -> None:
    assert set(COMMANDS) >= {
        "validate",
        "list",
        "show",
        "add",
        "fmt",
        "summarise",
        "regions",
        "schema",
    }


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_text(name: str) -> None:
    assert (COMMANDS[name].help or "").strip(), f"{name} has no docstring"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_documented_in_the_readme(name: str) -> None:
    assert f"kerjasama {name}" in README
    assert f"### {name}" in README or f"`kerjasama {name}" in README
