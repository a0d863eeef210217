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
    """What ``render.note(MESSAGE)`` (or ``say(MESSAGE)``) writes on stderr 40 columns wide,
    in a terminal or not."""

    def _noted(*, terminal: bool, say: Callable[[str], None] = render.note) -> str:
        monkeypatch.setenv("COLUMNS", "40")
        if terminal:
            monkeypatch.setenv("TTY_COMPATIBLE", "1")
        render.stderr.cache_clear()
        try:
            say(MESSAGE)
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


def test_an_error_in_a_terminal_is_wrapped_between_words_with_its_next_lines_indented(
    noted: Callable[..., str],
) -> None:
    lines = noted(terminal=True, say=render.error).splitlines()
    assert len(lines) > 1
    assert all(len(line) <= 40 for line in lines)
    assert all(line.startswith("    ") for line in lines[1:])
    assert " ".join(line.strip() for line in lines) == "error: " + MESSAGE


def test_an_error_piped_is_one_line(noted: Callable[..., str]) -> None:
    assert noted(terminal=False, say=render.error) == "error: " + MESSAGE + "\n"


def test_hanging_keeps_the_styles_and_cuts_only_a_word_longer_than_a_line() -> None:
    from rich.text import Text

    line = Text("data/agreements/2024/a-very-long-file-name-indeed.yaml:3:1: ")
    line.append("error", style="red")
    line.append(" KS201 ", style="bold")
    line.append("unknown region 'Lahatt'")
    wrapped = render.hanging(line, 24)
    lines = wrapped.plain.splitlines()
    assert all(len(piece) <= 24 for piece in lines)
    assert lines[0] == "data/agreements/2024/a-v"  # the path, cut where it must be
    assert "".join(piece.strip() for piece in lines[:4]).startswith(
        "data/agreements/2024/a-very-long-file-name-indeed.yaml:3:1:"
    )
    assert any(piece.strip() == "error KS201 unknown" for piece in lines)
    red = [wrapped.plain[span.start : span.end] for span in wrapped.spans if span.style == "red"]
    assert red == ["error"]
    assert render.hanging(Text("short"), 24).plain == "short"
