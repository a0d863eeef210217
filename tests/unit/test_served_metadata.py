"""`serve`'s metadata describes every column of every table and view people see."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from kerjasama_cli.exchange.database import EXTRAS, SCHEMA, run_script
from kerjasama_cli.exchange.served import add_served_columns, datasette_metadata
from kerjasama_cli.i18n import set_language


def _shown_columns(folder: Path) -> dict[str, list[str]]:
    """Each table and view of the database `serve` serves (the exported one, and the columns
    its facets count by) but the full-text table (hidden)."""
    database = folder / "served.db"
    connection = sqlite3.connect(database)
    try:
        run_script(connection, SCHEMA)
        run_script(connection, EXTRAS)
        connection.commit()
    finally:
        connection.close()
    add_served_columns(database)
    connection = sqlite3.connect(database)
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'agreements_fts%' ORDER BY name"
            )
        ]
        return {
            name: [row[1] for row in connection.execute(f"PRAGMA table_info({name})")]
            for name in names
        }
    finally:
        connection.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_column_of_every_table_and_view_is_described(lang: str, tmp_path: Path) -> None:
    set_language(lang)
    try:
        tables = datasette_metadata(dt.date(2026, 1, 1))["databases"]["kerjasama"]["tables"]
    finally:
        set_language("en")
    shown = _shown_columns(tmp_path)
    assert "agreements_with_parties" in shown and "agreements" in shown
    assert {"year", "provinces"} <= set(shown["agreements"])
    for name, columns in shown.items():
        assert tables[name]["description"], name
        described = tables[name].get("columns", {})
        assert [c for c in columns if not described.get(c)] == [], name
        assert set(described) <= set(columns), name  # no description of a column not there
    status = tables["agreements"]["columns"]["status"]
    assert "2026-01-01" in status
    assert "serve --as-of" not in status  # says what the column means, not a flag's name


def test_the_descriptions_are_in_the_language_asked_for() -> None:
    set_language("id")
    try:
        tables = datasette_metadata(dt.date(2026, 1, 1))["databases"]["kerjasama"]["tables"]
    finally:
        set_language("en")
    english = datasette_metadata(dt.date(2026, 1, 1))["databases"]["kerjasama"]["tables"]
    same = {("parties", "kind")}  # "provinsi, kabupaten, kota, ptn, bumn, ...": keys only
    for name in ("agreements", "parties", "activities", "regions"):
        for column, text in tables[name]["columns"].items():
            if (name, column) not in same:
                assert text != english[name]["columns"][column], (name, column)
