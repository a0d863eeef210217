"""Export's CSV rows kept in the index: each record's row encoded once, when it is indexed.

A CSV row of ``export`` is the same text every time but for one cell, the status (it depends
on ``--as-of`` and on the other records), and for the blank cells that pad its party, source,
activity and evaluation groups to the header's (which depends on which records are exported). So the
index keeps, for each valid record, its row already encoded by the ``csv`` module in pieces:
the cells before the status, the cells after it, and each group's cells with their count,
and the ``id: key`` notes of text simplified in its cells. Exporting from the index then
joins strings: the status and the padding between the pieces.

The pieces are what ``csv_text`` writes of ``table``'s rows, byte for byte
(tests/cli/test_index_answers.py compares every export with ``--no-cache``, which goes the
other way). The cells are quoted as ``csvtext.CsvText`` quotes them, the same for LF and CRLF
line ends (a cell with a line break of either kind quoted), so one set of pieces serves both.
An export with ``--escape-formulas`` is made the other way (light_csv.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING

from kerjasama_cli.csvtext import CsvText, csv_line
from kerjasama_cli.exchange.layout import HEAD, group_columns, header_of, record_row
from kerjasama_cli.exchange.sheets import cell_text
from kerjasama_cli.status import StatusContext

if TYPE_CHECKING:
    from kerjasama_cli.model import Record

# The layout's groups: (name, cells of one member), in the order of the header.
_GROUPS = (("party", 7), ("source", 4), ("activity", 3), ("evaluation", 4))
_STATUS = HEAD.index("status")
# Any context will do: the status cell is not kept.
_ANY_DAY = StatusContext(dt.date(2000, 1, 1))
# A row of the index's export_rows (storage/cache.py), less its file: parties, sources,
# activities, evaluations; the cells before the status, after it, of each group; the lossy
# notes.
StoredRow = tuple[int, int, int, int, str, str, str, str, str, str, str | None]
# Between the pieces of a row written at once, a cell the csv module writes as it is (a
# character of Unicode's private use area; a record with one in a cell keeps no pieces).
_SEPARATOR = "\ue000"


def _columns(counts: tuple[int, int, int, int]) -> list[str]:
    """The columns of a row with these numbers of parties, sources, activities and
    evaluations, in the header's order, with a separator in the place of the status and
    before each group."""
    columns = [*HEAD[:_STATUS], _SEPARATOR, *HEAD[_STATUS + 1 :]]
    for (group, _size), count in zip(_GROUPS, counts, strict=True):
        columns.append(_SEPARATOR)
        columns += [c for number in range(1, count + 1) for c in group_columns(group, number)]
    return columns


def stored_pieces(record: Record) -> StoredRow | None:
    """The record's row of the index's ``export_rows`` (less its file): its numbers of
    parties, sources, activities and evaluations, its CSV cells in pieces, and its lossy notes (one per
    line; None for none); None when a cell holds the separator.

    The row is written by the ``csv`` module at once, the status cell left out and a
    separator cell put between the pieces; then cut at the separators."""
    lossy: list[str] = []
    row = record_row(record, _ANY_DAY, lossy)
    counts = (
        len(record.parties),
        len(record.sources or ()),
        len(record.activities or ()),
        len(record.evaluations or ()),
    )
    cells = [
        _SEPARATOR if column is _SEPARATOR else cell_text(row.get(column))
        for column in _columns(counts)
    ]
    if "".join(cells).count(_SEPARATOR) != 5:
        return None
    # head,<S>,rest,<S>,parties,<S>,sources,<S>,activities,<S>,evaluations (a group of none:
    # nothing between)
    head, rest, parties, sources, activities, evaluations = csv_line(cells).split(_SEPARATOR)
    return (
        *counts,
        head[:-1],
        rest[:-1],
        parties[:-1],
        sources[:-1],
        activities[:-1],
        evaluations,
        "\n".join(lossy) or None,
    )


# Blank cells: as many commas as cells (a group's blank members), cut from this.
_COMMAS = "," * 7 * 1000


def csv_from_index(
    connection: sqlite3.Connection,
    files: Sequence[int],
    statuses: Sequence[str],
    line_end: str,
) -> tuple[str, list[str]] | None:
    """The CSV text of the records whose index rows are ``files`` (in that order), with these
    ``statuses``, and the lossy notes, as ``csv_document`` makes them; None when a record has
    no stored pieces (then the text is made the other way)."""
    joined = csv_chunks_from_index(connection, files, statuses, line_end)
    if joined is None:
        return None
    chunks, lossy = joined
    try:
        return "".join(chunks), lossy
    except sqlite3.Error:
        return None


def csv_chunks_from_index(
    connection: sqlite3.Connection,
    files: Sequence[int],
    statuses: Sequence[str],
    line_end: str,
) -> tuple[Generator[str, None, None], list[str]] | None:
    """``csv_from_index``'s text in pieces of some thousand lines, made as they are asked for
    (the header first), and the lossy notes; None when a record has no stored pieces.

    SQLite joins each line (the pieces, the status, the padding) in the order of ``files``,
    given as a temporary table with the statuses, dropped when the pieces are all made or
    the generator is closed (close it when no more are wanted). Reading them may raise
    ``sqlite3.Error``."""
    try:
        prepared = _prepare(connection, files, statuses, line_end)
    except sqlite3.Error:
        prepared = None
    if prepared is None:
        _drop(connection)
        return None
    header, lines, lossy = prepared
    return _chunks(connection, header, lines), lossy


def _drop(connection: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        connection.execute("DROP TABLE IF EXISTS temp.export_order")


# Lines joined at a time: pieces of about 1.5 MB.
_BATCH = 2000


def _chunks(
    connection: sqlite3.Connection, header: str, lines: sqlite3.Cursor
) -> Generator[str, None, None]:
    try:
        yield header
        while batch := lines.fetchmany(_BATCH):
            yield "".join([line for (line,) in batch])
    finally:
        with contextlib.suppress(sqlite3.Error):  # the index closed meanwhile: nothing to drop
            lines.close()
        _drop(connection)


def _prepare(
    connection: sqlite3.Connection,
    files: Sequence[int],
    statuses: Sequence[str],
    line_end: str,
) -> tuple[str, sqlite3.Cursor, list[str]] | None:
    """The header, a cursor over the lines, and the lossy notes; None when a record has no
    stored pieces."""
    connection.execute(
        "CREATE TEMP TABLE export_order "
        "(ord INTEGER PRIMARY KEY, file INTEGER NOT NULL, status TEXT NOT NULL)"
    )
    connection.executemany(
        "INSERT INTO temp.export_order (file, status) VALUES (?, ?)",
        zip(files, statuses, strict=True),
    )
    found, parties, sources, activities, evaluations = connection.execute(
        "SELECT count(e.file), max(2, coalesce(max(e.parties), 0)), "
        "max(1, coalesce(max(e.sources), 0)), max(1, coalesce(max(e.activities), 0)), "
        "coalesce(max(e.evaluations), 0) "
        "FROM temp.export_order AS o LEFT JOIN export_rows AS e ON e.file = o.file"
    ).fetchone()
    if found != len(files) or max(parties, sources, activities, evaluations) > 1000:
        return None
    header = CsvText(line_end)
    header.writer().writerow(header_of(parties, sources, activities, evaluations))
    lossy = connection.execute(
        "SELECT e.lossy FROM temp.export_order AS o JOIN export_rows AS e ON e.file = o.file "
        "WHERE e.lossy IS NOT NULL ORDER BY o.ord"
    ).fetchall()
    party, source, activity, evaluation = (size for _group, size in _GROUPS)
    lines = connection.execute(
        "SELECT e.head || ',' || o.status || e.rest "
        f"|| e.party_cells || substr(:commas, 1, {party} * (:parties - e.parties)) "
        f"|| e.source_cells || substr(:commas, 1, {source} * (:sources - e.sources)) "
        f"|| e.activity_cells || substr(:commas, 1, {activity} * (:activities - e.activities)) "
        "|| e.evaluation_cells "
        f"|| substr(:commas, 1, {evaluation} * (:evaluations - e.evaluations)) "
        "|| :end FROM temp.export_order AS o JOIN export_rows AS e ON e.file = o.file "
        "ORDER BY o.ord",
        {
            "commas": _COMMAS,
            "parties": parties,
            "sources": sources,
            "activities": activities,
            "evaluations": evaluations,
            "end": line_end,
        },
    )
    return header.getvalue(), lines, [note for (notes,) in lossy for note in notes.split("\n")]
