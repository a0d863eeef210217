"""The index's tables are the exported database's tables: the same columns in the same order,
less an agreement's status (it depends on --as-of), plus the file each row came from and what
the read commands keep of a record beside its columns."""

from __future__ import annotations

import sqlite3

import pytest

from kerjasama_cli.exchange.database import INDEX_SCHEMA, ITEM_TABLES, SCHEMA, run_script
from kerjasama_cli.light import HEAD_COLUMNS


def _columns(schema: str, table: str) -> list[str]:
    connection = sqlite3.connect(":memory:")
    try:
        run_script(connection, schema)
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    finally:
        connection.close()


@pytest.mark.parametrize("table", ITEM_TABLES)
def test_an_item_table_has_the_exported_columns_and_its_file(table: str) -> None:
    assert _columns(INDEX_SCHEMA, table) == ["file", *_columns(SCHEMA, table)]


def test_the_agreements_have_the_exported_columns_but_status() -> None:
    exported = [c for c in _columns(SCHEMA, "agreements") if c != "status"]
    indexed = _columns(INDEX_SCHEMA, "agreements")
    assert indexed[: 1 + len(exported)] == ["file", *exported]


def test_what_light_records_read_is_in_the_index() -> None:
    indexed = set(_columns(INDEX_SCHEMA, "agreements"))
    wanted = {part.strip().removeprefix("a.") for part in HEAD_COLUMNS.split(",")}
    assert wanted <= indexed
