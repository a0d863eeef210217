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
    assert len(tops) >= 5  # the report's tables, the only-on-paper and realisation lists too
    for line in lines:
        assert len(line) <= 80, line
        # a column of no width shows as two rules meeting: ┳┳, ┃┃, │ │ would be width 1
        assert "┳┳" not in line and "┃┃" not in line and "││" not in line, line
    # the titles of the agreements that exist only on paper are there to read
    assert any("Potensi" in line for line in lines)
