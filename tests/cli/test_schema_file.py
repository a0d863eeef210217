"""The checked-in JSON Schema is the one the model generates."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run

SCHEMA_FILE = Path(__file__).parents[2] / "schema" / "record.schema.json"


def test_checked_in_schema_is_not_stale(run: Run) -> None:
    printed = run("schema").stdout
    assert printed.startswith("{")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed, (
        "schema/record.schema.json is stale; regenerate it with "
        "`kerjasama schema > schema/record.schema.json`"
    )
