"""The standard report in a terminal: at 80 columns every table keeps every column readable
(a title or a party list never shrinks to nothing beside a long id), in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ANSI, Run


@pytest.mark.parametrize("lang", ["en", "id"])
def test_no_column_collapses_at_80_columns(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    result = run("summarise", "--region", "Jawa Barat", "--as-of", "2026-11-25", data_dir=bundled)
    assert result.exit_code == 0, result.stderr
    lines = ANSI.sub("", result.stdout).splitlines()
    tops = [line for line in lines if line.startswith("┏")]
    assert len(tops) >= 3  # the report's tables (the lists of agreements are blocks: below)
    for line in lines:
        assert len(line) <= 80, line
        # a column of no width shows as two rules meeting: ┳┳, ┃┃, │ │ would be width 1
        assert "┳┳" not in line and "┃┃" not in line and "││" not in line, line
    # the titles of the agreements that exist only on paper are there to read
    assert any("Potensi" in line for line in lines)


AN_ID = "kb-2024-02-05-jawa-barat-bengkulu-tengah"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_at_80_columns_the_lists_of_agreements_are_blocks_with_whole_ids(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """A table of ids, titles, dates, statuses and parties does not fit 80 columns: its ids
    broke into four slivers and its titles into one word a line. Each agreement is a block:
    its id whole on a line (to copy), then each field beside its name."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    result = run("summarise", "--as-of", "2026-11-25", data_dir=bundled)
    assert result.exit_code == 0, result.stderr
    lines = ANSI.sub("", result.stdout).splitlines()
    assert all(len(line) <= 80 for line in lines)
    lines = [line.rstrip() for line in lines]
    assert lines.count(AN_ID) == 2  # only on paper, and realisation
    label = {"en": "Title", "id": "Judul"}[lang]
    titles = [line for line in lines if line.startswith(f"  {label}  ")]
    assert len(titles) == 8  # four agreements, in two lists; the words of a title unbroken
    assert all("Pengembangan Potensi Daerah dan" in line for line in titles)
    assert not any(line.startswith("│ kb-") for line in lines)


def test_in_a_wide_terminal_the_lists_of_agreements_stay_tables(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = run("summarise", "--as-of", "2026-11-25", data_dir=bundled)
    lines = [line.rstrip() for line in ANSI.sub("", result.stdout).splitlines()]
    assert any(line.startswith(f"│ {AN_ID} ") for line in lines)
    assert AN_ID not in lines


def test_a_cross_tab_wider_than_the_terminal_is_one_row_per_combination(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--by year,sector` at 80 columns: one column per sector, each header cut to "…". It is
    shown as rows of year, sector and count instead; one that fits stays a cross-tab."""
    monkeypatch.setenv("COLUMNS", "80")
    wide = run("summarise", "--by", "year,sector", "--as-of", "2026-11-25", data_dir=bundled)
    lines = [line.rstrip() for line in ANSI.sub("", wide.stdout).splitlines()]
    assert all(len(line) <= 80 for line in lines)
    assert not any("Year \\ Sector" in line for line in lines)
    assert any(line.startswith("│ 2024 ") and "Improving Public Services" in line for line in lines)
    narrow = run("summarise", "--by", "year,category", "--as-of", "2026-11-25", data_dir=bundled)
    assert "Year \\ Category" in ANSI.sub("", narrow.stdout)


@pytest.mark.parametrize(("lang", "columns"), [("id", 60), ("en", 50), ("id", 120)])
def test_a_bar_is_never_wrapped_onto_a_second_line(
    bundled: Path,
    run: Run,
    terminal: None,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    columns: int,
) -> None:
    """At 60 columns in Indonesian a 30-character bar took two lines: the bars are as long as
    the terminal leaves room for (30 at most)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    result = run("summarise", "--as-of", "2026-11-23", data_dir=bundled)
    lines = ANSI.sub("", result.stdout).splitlines()
    bars = [line for line in lines if "█" in line]
    assert len(bars) == 2  # one a year: 2024 and the unsigned
    for line in bars:
        assert len(line) <= columns
        label = line.split("│")[1].strip()
        assert label, line  # a bar on a line of its own has no label beside it
    if columns >= 120:  # room enough: the full length
        assert max(line.count("█") for line in bars) == 30
