"""Every command's help says what to give in words: no Python type after an argument
("ID <str>", "PATH <list[Path]>") and a number's bounds as words ("[at least 0]"), not
"[x>=0]"; in each language."""

from __future__ import annotations

import re

import pytest

from kerjasama_cli.cli.app import COMMANDS
from tests.conftest import Run

_PYTHON_WORDS = re.compile(r"<(str|int|list\[[^\]]*\]|Path)>|\bx\s*[<>]=")


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_python_types_in_the_help(
    run: Run, monkeypatch: pytest.MonkeyPatch, command: str, lang: str
) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    result = run(command, "--help")
    assert result.exit_code == 0
    assert _PYTHON_WORDS.search(result.stdout) is None, result.stdout


@pytest.mark.parametrize(("lang", "words"), [("en", "[at least 0]"), ("id", "[paling sedikit 0]")])
def test_a_bound_is_said_in_words(
    run: Run, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    shown = " ".join(run("list", "--help").stdout.split())
    limit = shown.split("--limit N", 1)[1].split("--", 1)[0]
    assert words in limit


def test_validate_and_fmt_name_their_paths_alike(run: Run) -> None:
    assert "kerjasama validate [OPTIONS] [PATH]..." in run("validate", "--help").stdout
    assert "kerjasama fmt [OPTIONS] [PATH]..." in run("fmt", "--help").stdout


def test_an_options_choices_are_shown_alike_everywhere(run: Run) -> None:
    """`--format <table|json|csv|ids>` beside `--format text|json`: one style, no brackets."""
    assert "--format table|json|csv|ids " in run("list", "--help").stdout
    assert "--format text|json " in run("import", "--help").stdout
    assert "<table" not in run("summarise", "--help").stdout
