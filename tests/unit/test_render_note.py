"""A note on stderr: wrapped between words in a terminal, one line as given elsewhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kerjasama_cli import render
from tests.conftest import ANSI

MESSAGE = (
    "another kerjasama command is writing the index of this data folder: waiting for it to "
    "finish (at most 20 s)"
)


@pytest.fixture
def noted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., str]:
    """What ``render.note(MESSAGE)`` writes on stderr 40 columns wide, in a terminal or not."""

    def _noted(*, terminal: bool) -> str:
        monkeypatch.setenv("COLUMNS", "40")
        if terminal:
            monkeypatch.setenv("TTY_COMPATIBLE", "1")
        render.stderr.cache_clear()
        try:
            render.note(MESSAGE)
        finally:
            render.stderr.cache_clear()
        return ANSI.sub("", capsys.readouterr().err)

    return _noted


def test_a_note_is_one_line_when_piped(noted: Callable[..., str]) -> None:
    assert noted(terminal=False) == MESSAGE + "\n"


def test_a_note_wraps_between_words_in_a_terminal(noted: Callable[..., str]) -> None:
    lines = noted(terminal=True).splitlines()
    assert len(lines) > 2
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == MESSAGE  # broken between words only
