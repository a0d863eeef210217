"""Export's CSV joined from the rows the index keeps (exchange/stored_csv.py) is the text of
csv_text(table(...)), byte for byte, with the same lossy notes in the same order.

The records here have what the registry rarely has: cells that start with ' or a formula
start, line breaks inside list items (noted as lossy), more parties, sources, activities and
evaluations than the least header, and line breaks of every kind in cells (quoted alike for LF and CRLF).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest

from kerjasama_cli.exchange.export import table
from kerjasama_cli.exchange.sheets import csv_text
from kerjasama_cli.exchange.stored_csv import csv_from_index, stored_pieces
from kerjasama_cli.model import Record
from kerjasama_cli.status import StatusContext
from kerjasama_cli.storage.cache import FILES_SCHEMA

CTX = StatusContext(dt.date(2025, 1, 1))


def record(number: int, **fields: Any) -> Record:
    data: dict[str, Any] = {
        "id": f"kb-{number}",
        "title": "Kerja sama",
        "document": "kesepakatan_bersama",
        "parties": [{"region": "32"}, {"region": "16.03"}],
        "sectors": ["pendidikan"],
        "signed_on": "2024-01-01",
        "ends_on": "2026-01-01",
    }
    data.update(fields)
    return Record.model_validate(data)


ORG = {"name": "'=Org, Tbk", "kind": "ptn", "signatory": {"name": "N", "position": "'-jabatan"}}
RECORDS = [
    record(0, title="'=x", notes="-note", scope=["'@scope", "line\nbreak"], units=["u", "'=u"]),
    record(
        1, title='plain "quoted"', notes="a, b", parties=[{"region": "32"}, ORG, {"region": "33"}]
    ),
    record(
        2,
        title="@t",
        activities=[
            {"on": "2024-05-01", "summary": "=SUM(1)", "evidence": ["a\nb", "'-x"]},
            {"on": "2024-06-01", "summary": "Rapat"},
        ],
        sources=[
            {"url": "https://x.example/1", "title": "+t"},
            {"url": "https://x.example/2", "publisher": "P", "published_on": "2024-01-02"},
        ],
        dprd_approval={"required": True, "number": "'-n", "on": "2024-01-01"},
        evaluations=[
            {"on": "2025-01-01", "summary": "=baik, sekali", "recommendation": "lanjutkan"},
            {"on": "2025-06-01", "summary": "x\ny", "recommendation": "revisi", "score": 3},
        ],
    ),
    record(5, evaluations=[{"on": "2024-02-01", "summary": "E", "recommendation": "hentikan"}]),
    record(3, signed_on=None, ends_on=None, stage="penawaran", tags=["a", "b"]),
    record(4, title="'''=y", notes="tab\there"),
]


def index_of(records: list[Record]) -> tuple[sqlite3.Connection, list[int]]:
    connection = sqlite3.connect(":memory:")
    connection.executescript(FILES_SCHEMA)  # the index's own tables, export_rows among them
    files = [10 + i for i in range(len(records))]
    pieces = [(f, stored_pieces(r)) for f, r in zip(files, records, strict=True)]
    connection.executemany(
        "INSERT INTO export_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(f, *p) for f, p in pieces if p is not None],
    )
    return connection, files


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize(
    "records",
    [RECORDS, RECORDS[::-1], RECORDS[:1], RECORDS[3:], []],
    ids=["all", "reversed", "one", "drafts", "none"],
)
def test_the_csv_joined_from_stored_rows_is_csv_text_of_their_table(
    records: list[Record], line_end: str
) -> None:
    layout = table(records, CTX)
    want = csv_text(layout.header, layout.rows, line_end)
    connection, files = index_of(records)
    joined = csv_from_index(connection, files, [CTX.status(r) for r in records], line_end)
    assert joined == (want, layout.lossy)


def test_the_records_here_pad_groups_beyond_the_least_header_and_note_lossy_text() -> None:
    layout = table(RECORDS, CTX)
    assert {"party_3", "source_2_url", "activity_2_on"} <= set(layout.header)
    assert layout.lossy == ["kb-0: scope", "kb-2: activities[1].evidence"]


def test_a_carriage_return_in_a_cell_is_quoted_for_lf_as_for_crlf() -> None:
    records = [RECORDS[1], record(9, notes="a\rb"), record(10, title="one\r\ntwo")]
    layout = table(records, CTX)
    connection, files = index_of(records)
    for line_end in ("\n", "\r\n"):
        want = csv_text(layout.header, layout.rows, line_end)
        assert ',"a\rb",' in want and '"one\r\ntwo"' in want
        joined = csv_from_index(connection, files, ["aktif"] * 3, line_end)
        assert joined == (want, layout.lossy)


def test_a_record_with_the_separator_in_a_cell_keeps_no_pieces() -> None:
    odd = record(8, title="private \ue000 use")
    assert stored_pieces(odd) is None
    connection, files = index_of([RECORDS[1], odd])
    assert csv_from_index(connection, files, ["aktif", "aktif"], "\n") is None


def test_a_file_the_index_no_longer_has_makes_the_export_otherwise() -> None:
    connection, files = index_of(RECORDS[:2])
    assert csv_from_index(connection, [*files, 99], ["aktif"] * 3, "\n") is None
