"""A party is found by every name people see or write for it, the same way by `list --search`
(with and without the index) and by the full-text table of the exported database (what
`serve` searches)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run, record_text, write_record

NAMES = ["Kab. Muara Enim", "Kabupaten Muara Enim", "muara enim", "Prov. Jawa Barat"]


@pytest.fixture
def two(registry: Path) -> Path:
    write_record(
        registry,
        record_text("kb-muara-enim-jabar", parties=('region: "16.03"', 'region: "32"')),
        "kb-muara-enim-jabar",
    )
    write_record(
        registry,
        record_text("kb-kaur-lahat", parties=("region: Kaur", "region: Lahat")),
        "kb-kaur-lahat",
    )
    return registry


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("cache", [(), ("--no-cache",)])
def test_list_search_finds_a_region_by_each_of_its_names(
    two: Path, run: Run, name: str, cache: tuple[str, ...]
) -> None:
    for _ in range(2):  # the first run fills the index, the second answers from it
        result = run("list", "--search", name, "--format", "json", *cache)
        assert result.exit_code == 0, result.stderr
        assert [r["id"] for r in result.json()] == ["kb-muara-enim-jabar"]


@pytest.mark.parametrize("name", NAMES)
def test_the_exported_full_text_table_finds_a_region_by_each_of_its_names(
    two: Path, run: Run, tmp_path: Path, name: str
) -> None:
    database = tmp_path / "out.db"
    assert run("export", "--format", "sqlite", "--output", str(database)).exit_code == 0
    connection = sqlite3.connect(database)
    try:
        found = connection.execute(
            "SELECT a.id FROM agreements AS a WHERE a.rowid IN "
            "(SELECT rowid FROM agreements_fts WHERE agreements_fts MATCH ?)",
            ('"' + name + '"',),
        ).fetchall()
    finally:
        connection.close()
    assert found == [("kb-muara-enim-jabar",)]
