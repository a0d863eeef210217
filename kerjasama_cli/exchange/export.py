"""`export`: the selected records as CSV, XLSX, JSON or SQLite.

Files are written to a temporary file next to the target and renamed into place, so an
interrupted export never leaves half a file (and a previous export stays until the new one is
complete): text through storage.output like every ``--output``, the binary formats (which
openpyxl and sqlite3 write to a path) through its ``output_file``. A device or a pipe
(``-o /dev/stdout``) is written to as a stream, never replaced.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from kerjasama_cli.errors import UsageError
from kerjasama_cli.exchange.layout import (
    PARTY_SHEET_HEADER,
    Cell,
    header_for,
    party_rows,
    record_row,
)
from kerjasama_cli.i18n import _
from kerjasama_cli.model import Record
from kerjasama_cli.status import StatusContext
from kerjasama_cli.storage.output import output_file

# The registry's index (its connection, in the read transaction the records came from) and
# the file of each exported record there: CSV is then joined from the rows it keeps.
Stored = tuple[sqlite3.Connection, Sequence[int]]

FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "sqlite")
BINARY_FORMATS = frozenset({"xlsx", "sqlite"})
_SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
}


def format_from_suffix(path: Path) -> str | None:
    """The format a file name implies (``.db``/``.sqlite`` mean SQLite), or None."""
    return _SUFFIXES.get(path.suffix.casefold())


@dataclass(slots=True)
class Table:
    """The spreadsheet form of records: the header, the rows, and what had to be simplified."""

    header: list[str]
    rows: list[list[Cell]]
    lossy: list[str] = field(default_factory=list)


def table(records: Sequence[Record], ctx: StatusContext) -> Table:
    """One row per agreement in the layout of layout.py."""
    header = header_for(records)
    lossy: list[str] = []
    rows = []
    for record in records:
        row = record_row(record, ctx, lossy)
        rows.append([row.get(column) for column in header])
    return Table(header, rows, lossy)


def csv_document(
    records: Sequence[Record],
    ctx: StatusContext,
    *,
    excel: bool = False,
    escape_formulas: bool = False,
    stored: Stored | None = None,
) -> tuple[str, list[str]]:
    """The CSV text (CRLF line ends for Excel, else LF) and the ``id: key`` notes of text
    simplified in its cells.

    ``escape_formulas`` puts a ``'`` before text a spreadsheet would run as a formula. Records
    from the index are joined from the rows it keeps encoded (``stored``: its connection and
    each record's file there; stored_csv.py), else written from their views (light_csv.py):
    the same text sooner.
    """
    from kerjasama_cli.exchange.sheets import csv_text
    from kerjasama_cli.light import LightRecord

    line_end = "\r\n" if excel else "\n"
    if stored is not None and not escape_formulas:
        from kerjasama_cli.exchange.stored_csv import csv_from_index

        statuses = [ctx.status(r) for r in records]
        joined = csv_from_index(stored[0], stored[1], statuses, line_end)
        if joined is not None:
            return joined
    if records and all(type(r) is LightRecord for r in cast("Sequence[object]", records)):
        from kerjasama_cli.exchange.light_csv import csv_of_light

        light = cast("Sequence[LightRecord]", records)
        return csv_of_light(light, ctx, line_end, escape_formulas=escape_formulas)
    layout = table(records, ctx)
    text = csv_text(layout.header, layout.rows, line_end, escape_formulas=escape_formulas)
    return text, layout.lossy


def json_document(records: Sequence[Record]) -> str:
    """The records in full, as in their files (keys in the canonical order, absent keys omitted)."""
    data = [r.model_dump(mode="json", exclude_none=True) for r in records]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_export(
    records: Sequence[Record],
    ctx: StatusContext,
    fmt: str,
    path: Path,
    *,
    excel: bool = False,
    escape_formulas: bool = False,
    copy: tuple[Path, Sequence[int]] | None = None,
    filters: str = "",
    stored: Stored | None = None,
) -> list[str]:
    """Write the export file; returns ``id: key`` notes for text simplified in CSV/XLSX cells.

    ``copy``: the registry's index and the file of each of ``records`` there; SQLite is then
    copied from the index's tables rather than made from the records. ``filters``: the flags
    that chose ``records`` (SQLite's ``export_info`` keeps them). ``stored``: CSV from the
    rows the index keeps (``csv_document``).
    """
    if fmt not in FORMATS:
        raise UsageError(
            _("--format: expected one of {formats}; got {value!r}").format(
                formats=", ".join(FORMATS), value=fmt
            )
        )
    if fmt == "xlsx":
        from kerjasama_cli.exchange.sheets import (
            AGREEMENTS_SHEET,
            PARTIES_SHEET,
            require_openpyxl,
            write_xlsx,
        )

        require_openpyxl()
        layout = table(records, ctx)
        parties = [row for record in records for row in party_rows(record, ctx)]
        with output_file(path) as tmp:
            write_xlsx(
                tmp,
                [
                    (AGREEMENTS_SHEET, layout.header, layout.rows),
                    (PARTIES_SHEET, PARTY_SHEET_HEADER, parties),
                ],
            )
        return layout.lossy
    if fmt == "sqlite":
        from kerjasama_cli.exchange.database import copy_from_index, write_sqlite

        with output_file(path) as tmp:
            tmp.unlink()  # sqlite3 creates the file
            if copy is None or not copy_from_index(
                tmp,
                copy[0],
                [(f, ctx.status(r)) for f, r in zip(copy[1], records, strict=True)],
                ctx,
                filters,
            ):
                tmp.unlink(missing_ok=True)
                write_sqlite(tmp, records, ctx, filters)
        return []
    from kerjasama_cli.storage.output import write_output

    lossy: list[str] = []
    if fmt == "csv":
        text, lossy = csv_document(
            records, ctx, excel=excel, escape_formulas=escape_formulas, stored=stored
        )
        text = ("\ufeff" if excel else "") + text
    else:
        text = json_document(records)
    write_output(path, text)
    return lossy
