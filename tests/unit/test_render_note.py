"""A note on stderr: wrapped between words in a terminal, one line as given elsewhere."""

from __future__ import annotations

import pytest

from kerjasama_cli import render
from tests.conftest import ANSI

MESSAGE = (
    "another kerjasama command is writing the index of this data folder: waiting for it to "
    "finish (at most 20 s)"
)


def test_a_note_is_one_line_when_piped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    render.stderr.cache_clear()
    try:
        render.note(MESSAGE)
    finally:
        render.stderr.cache_clear()
    assert capsys.readouterr().err == MESSAGE + "\n"


def test_a_note_wraps_between_words_in_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    render.stderr.cache_clear()
    try:
        render.note(MESSAGE)
    finally:
        render.stderr.cache_clear()
    lines = ANSI.sub("", capsys.readouterr().err).splitlines()
    assert len(lines) > 2
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == MESSAGE  # broken between words only
