"""Text from records is data, never Rich markup or emoji codes (issue 14, class B).

Every string below is valid record text. Read as markup, ``[/x]`` and ``[/]`` raise Rich's
MarkupError (exit 3), ``[link=...]`` makes a terminal hyperlink (OSC 8), ``[conceal]`` hides
text (SGR 8), ``[bold]`` restyles and ``:warning:`` becomes an emoji. Each must be shown as
written, at a terminal (with colour forced on) and piped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kerjasama_cli import render
from tests.conftest import ANSI, Run, write_record

HOSTILE = [
    "Beasiswa [/x] S2",
    "Universitas [/] Nusantara",
    "Klik [link=https://evil.example/]di sini[/link] ya",
    "Kata [conceal]rahasia[/conceal] tersembunyi",
    "Tebal [bold red]merah[/] biasa",
    "Awas :warning: :smile: emoji",
    "Garis miring \\[bold] dan [[ganda]]",
]
IDS = ["closing-tag", "bare-close", "link", "conceal", "style", "emoji", "backslash"]

# What a terminal must never receive from record text: a hyperlink (OSC 8) or concealed text.
HYPERLINK = "\x1b]8;"
CONCEAL = re.compile(r"\x1b\[[0-9;]*\b8m")


def record_text(text: str) -> str:
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "id: kb-2024-01-02-uji\n"
        f'title: "Judul {quoted}"\n'
        "document: kesepakatan_bersama\n"
        "signed_on: 2024-01-02\n"
        "ends_on: 2026-01-01\n"
        "parties:\n"
        '  - region: "32"\n'
        f'  - name: "{quoted}"\n'
        "    kind: pts\n"
        "sectors: [pendidikan]\n"
        f'scope: ["{quoted}"]\n'
        f'notes: "{quoted}"\n'
        "sources:\n"
        "  - url: https://example.org/berita\n"
        f'    title: "{quoted}"\n'
    )


@pytest.fixture
def colour_terminal(terminal: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A terminal wide enough for every cell, with colour and styles on."""
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "400")
    render.stdout.cache_clear()
    render.stderr.cache_clear()
    yield
    render.stderr.cache_clear()


def shown(result_stdout: str) -> str:
    """What a person reads: styling removed, lines joined (tables may wrap a cell)."""
    return ANSI.sub("", result_stdout)


def assert_literal(out: str, text: str) -> None:
    assert HYPERLINK not in out
    assert not CONCEAL.search(out)
    assert text in shown(out)


@pytest.mark.parametrize("text", HOSTILE, ids=IDS)
def test_show_prints_record_text_as_written_when_piped(registry: Path, run: Run, text: str) -> None:
    write_record(registry, record_text(text), "kb-2024-01-02-uji")
    result = run("show", "kb-2024-01-02-uji", "--as-of", "2025-01-01")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert f"- {text}\n" in result.stdout  # the scope line
    assert f"Judul {text}\n" in result.stdout  # the title
    assert f"  {text}  " in result.stdout  # the party's name in the parties table


@pytest.mark.parametrize("text", HOSTILE, ids=IDS)
def test_show_prints_record_text_as_written_at_a_terminal(
    registry: Path, run: Run, colour_terminal: None, text: str
) -> None:
    write_record(registry, record_text(text), "kb-2024-01-02-uji")
    result = run("show", "kb-2024-01-02-uji", "--as-of", "2025-01-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout != shown(result.stdout)  # it is styled: a terminal, really
    assert_literal(result.stdout, f"- {text}")
    assert_literal(result.stdout, f"Judul {text}")


@pytest.mark.parametrize("text", HOSTILE, ids=IDS)
def test_list_shows_party_names_as_written_at_a_terminal_and_piped(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    write_record(registry, record_text(text), "kb-2024-01-02-uji")
    piped = run("list", "--as-of", "2025-01-01")
    assert piped.exit_code == 0, piped.stderr
    assert f"Prov. Jawa Barat; {text}\t" in piped.stdout

    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "400")
    render.stdout.cache_clear()
    try:
        result = run("list", "--as-of", "2025-01-01", "--search", text)
    finally:
        render.stdout.cache_clear()
    assert result.exit_code == 0, result.stderr
    assert_literal(result.stdout, f"Prov. Jawa Barat, {text}")


@pytest.mark.parametrize("text", HOSTILE, ids=IDS)
def test_summarise_report_shows_names_and_titles_as_written_at_a_terminal(
    registry: Path, run: Run, colour_terminal: None, text: str
) -> None:
    write_record(registry, record_text(text), "kb-2024-01-02-uji")
    result = run("summarise", "--as-of", "2025-06-01", "--region", "32", "--expiry-window", "400")
    assert result.exit_code == 0, result.stderr
    assert_literal(result.stdout, f"Judul {text}")  # the expiring agreement's title
    assert_literal(result.stdout, text)  # the counterpart's name


@pytest.mark.parametrize("text", HOSTILE[:3], ids=IDS[:3])
def test_summarise_report_piped_and_to_a_file_keeps_the_text(
    registry: Path, run: Run, tmp_path: Path, text: str
) -> None:
    write_record(registry, record_text(text), "kb-2024-01-02-uji")
    piped = run("summarise", "--as-of", "2025-06-01", "--region", "32", "--expiry-window", "400")
    assert piped.exit_code == 0, piped.stderr
    assert f"Judul {text}" in piped.stdout
    out = tmp_path / "laporan.txt"
    written = run("summarise", "--as-of", "2025-06-01", "--region", "32", "-o", str(out))
    assert written.exit_code == 0, written.stderr
    assert text in out.read_text(encoding="utf-8")


def test_a_search_term_that_looks_like_markup_is_shown_as_written(
    registry: Path, run: Run, colour_terminal: None
) -> None:
    """The selection line of the report echoes the user's --search value."""
    write_record(registry, record_text("[/x]"), "kb-2024-01-02-uji")
    result = run("summarise", "--as-of", "2025-06-01", "--search", "[/x]")
    assert result.exit_code == 0, result.stderr
    assert "search '[/x]'" in shown(result.stdout)


def test_diagnostics_with_markup_or_escapes_in_a_value_stay_one_plain_line(
    registry: Path, run: Run, colour_terminal: None
) -> None:
    """An error message quoting what the user typed: no markup, no raw escape sequences."""
    result = run("list", "--region", "[/x] \x1b[31mmerah")
    assert result.exit_code == 2
    line = shown(result.stderr)
    assert line.count("\n") == 1
    assert "[/x]" in line
    assert "\x1b[31mmerah" not in result.stderr


def test_only_the_label_of_a_diagnostic_is_styled(
    registry: Path, run: Run, colour_terminal: None
) -> None:
    result = run("list", "--sort", "[bold]x")
    assert result.exit_code == 2
    styled, rest = result.stderr.split("error:", 1)
    assert styled.startswith("\x1b[")  # the label is coloured
    assert rest.startswith("\x1b[0m --sort: unknown field '[bold]x'")  # the message is not
