"""The read commands' records from the registry's index (storage/cache.py), not from files.

``list``, ``summarise`` and ``export`` ask the index for the valid records that may match
their filter: the conditions SQL can judge (regions, provinces, documents, categories,
sectors, party kinds, years, signing dates, and text through the full-text table) pick the
rows, and each row's view becomes a ``LightRecord`` (light.py). The filter itself then runs
on those records as it does on ``Record`` (status, expiry, the exact text match), so SQL only
ever narrows the candidates. Who supersedes whom (for status) comes from the ``links`` table
of every valid record, whatever the filter.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kerjasama_cli.light import HEAD_COLUMNS, LightRecord
from kerjasama_cli.query import Filter
from kerjasama_cli.registry import Registry
from kerjasama_cli.status import StatusContext

if TYPE_CHECKING:
    from kerjasama_cli.summary import CrossTab, Summary

# Shorter than this, a text is not looked up in the trigram index (it would match anything).
_TRIGRAM = 3


@dataclass(slots=True)
class Indexed:
    """Valid records from the index, with their files, and what status needs."""

    records: list[LightRecord]
    files: list[int]  # each record's file in the index
    paths: list[str]  # each record's path, as the scan gave it
    superseded: dict[str, dt.date]
    total: int  # valid records in the registry
    invalid: list[str]  # paths of the files that are no valid record


def _condition(where: Filter) -> tuple[str, list[Any]]:
    """SQL on ``a`` (agreements) true for every record ``where`` may match."""
    parts: list[str] = []
    args: list[Any] = []

    def among(values: Sequence[Any]) -> str:
        args.extend(values)
        return "(" + ", ".join("?" * len(values)) + ")"

    if where.regions:
        parts.append(
            f"a.file IN (SELECT file FROM parties WHERE region_code IN {among(where.regions)})"
        )
    if where.within:
        inside = among(where.within)
        province = (
            "CASE WHEN instr(region_code, '.') > 0 "
            "THEN substr(region_code, 1, instr(region_code, '.') - 1) ELSE region_code END"
        )
        parts.append(
            f"a.file IN (SELECT file FROM parties WHERE region_code IN {inside} "
            f"OR {province} IN {among(where.within)})"
        )
    if where.documents:
        parts.append(f"a.document IN {among(where.documents)}")
    if where.categories:
        parts.append(f"a.effective_category IN {among(where.categories)}")
    if where.sectors:
        parts.append(f"a.file IN (SELECT file FROM sectors WHERE sector IN {among(where.sectors)})")
    if where.party_kinds:
        parts.append(
            f"a.file IN (SELECT file FROM parties WHERE kind IN {among(where.party_kinds)})"
        )
    if where.years:
        parts.append(f"substr(a.signed_on, 1, 4) IN {among([f'{y:04d}' for y in where.years])}")
    if where.signed_from:
        parts.append("a.signed_on >= ?")
        args.append(where.signed_from.isoformat())
    if where.signed_to:
        parts.append("a.signed_on <= ?")
        args.append(where.signed_to.isoformat())
    if where.search and all(len(n.casefold()) >= _TRIGRAM for n in where.search):
        # The table holds query.searchable_text, case-folded as Python folds it: a needle
        # folded the same way is in the text only if the text has its trigrams.
        phrases = " OR ".join(
            '"' + needle.casefold().replace('"', '""') + '"' for needle in where.search
        )
        parts.append("a.file IN (SELECT rowid FROM search WHERE search MATCH ?)")
        args.append(phrases)
    return " AND ".join(parts) or "1", args


def from_index(
    registry: Registry, where: Filter | None = None, *, full: bool = False
) -> Indexed | None:
    """The valid records that may match ``where`` (all of them without), by path; None
    when the registry was not loaded with an index that describes its files.

    ``full``: every field of each record will be wanted (export), so the views of the rest are
    read at once; otherwise each record reads its own when first asked for one of them, which
    the counts and lists of ``summarise`` and ``list`` mostly never do (and 100,000 views
    would be 80 MB).
    """
    index = registry.index
    if index is None:
        return None
    db = index.connection
    condition, args = _condition(where) if where is not None else ("1", [])
    # With a text to look for, each record's searchable text comes with it from the
    # full-text table (query._mentions reads it there instead of making it from the record),
    # and a record whose text has none of the needles is left out at once: the filter's text
    # condition, exactly as query judges it, so still only a narrowing.
    needles = tuple(n.casefold() for n in where.search) if where is not None else ()
    text = "(SELECT s.text FROM search AS s WHERE s.rowid = a.file)" if needles else "NULL"
    try:
        found = db.execute(
            f"SELECT f.rel, a.file, {HEAD_COLUMNS}, a.party_view, {'a.view' if full else 'NULL'}, "
            f"{text} FROM agreements AS a JOIN files AS f ON f.id = a.file "
            f"WHERE f.listed = 1 AND {condition}",
            args,
        ).fetchall()
        # By path, as ORDER BY f.rel would give them (UTF-8 sorts as code points do), without
        # SQLite's sort of whole rows: 0.25 s of 0.7 s for 100,000.
        found.sort(key=itemgetter(0))
        starts = superseding_starts(db)
        total, invalid = _listed(db)
    except sqlite3.Error:
        return None
    # Each path as the scan gave it: the agreements folder as scanned, and the path below it.
    files = registry.files
    prefix = files[0][0][: len(files[0][0]) - len(files[0][1])] if files else ""
    if needles:
        found = [row for row in found if row[18] is None or any(n in row[18] for n in needles)]
    if full:
        records = [LightRecord(row[2:16], row[16], row[17], None, row[18]) for row in found]
    else:
        records = [
            LightRecord(row[2:16], row[16], None, functools.partial(_view, db, row[1]), row[18])
            for row in found
        ]
    return Indexed(
        records,
        [row[1] for row in found],
        [prefix + row[0] for row in found],
        starts,
        total,
        [prefix + rel for rel in invalid],
    )


def superseding_starts(db: sqlite3.Connection) -> dict[str, dt.date]:
    """For each superseded id, the earliest start of a valid record that supersedes it
    (``status.supersession_starts`` of every valid record), from the ``links`` table."""
    superseding = db.execute(
        "SELECT l.target_id, coalesce(a.starts_on, a.signed_on) FROM links AS l "
        "JOIN agreements AS a ON a.file = l.file JOIN files AS f ON f.id = l.file "
        "WHERE f.listed = 1 AND l.relation = 'supersedes'"
    ).fetchall()
    starts: dict[str, dt.date] = {}
    for old, start in superseding:
        if start is not None:
            day = dt.date.fromisoformat(start)
            if old not in starts or day < starts[old]:
                starts[old] = day
    return starts


def _listed(db: sqlite3.Connection) -> tuple[int, list[str]]:
    """How many files are valid records, and the paths of the others (A-Z), from the index on
    ``files(listed, id)``: the rows of ``files`` are large, and a pass over all of them took
    0.06-0.09 s at 100,000 files with the page cache warm (seconds when cold)."""
    total = db.execute("SELECT count(*) FROM files WHERE listed = 1").fetchone()[0]
    rels = [rel for (rel,) in db.execute("SELECT rel FROM files WHERE listed = 0")]
    return total, sorted(rels)


def _view(db: sqlite3.Connection, file: int) -> bytes:
    """The view of one record, read when it is first needed."""
    row = db.execute("SELECT view FROM agreements WHERE file = ?", (file,)).fetchone()
    return row[0]  # type: ignore[no-any-return]


def context(indexed: Indexed, as_of: dt.date, window_days: int) -> StatusContext:
    return StatusContext(as_of, window_days, indexed.superseded)


def index_path(registry: Registry) -> Path | None:
    return None if registry.index is None else registry.index.path


# ``summarise --by`` on plain tuples: for each field, the column of ``agreements`` its keys come
# from (summary.group_keys); status depends on the date and on other records, and is counted
# on records instead.
_COLUMNS = {
    "year": "substr(a.signed_on, 1, 4)",
    "document": "a.document",
    "category": "a.effective_category",
    "sector": "a.sector_keys",
    "region": "a.regions",
    "province": "a.regions",
    "party_kind": ("(SELECT group_concat(p.kind) FROM parties AS p WHERE p.file = a.file)"),
}


def _keys(field: str, column: list[Any], provinces: dict[str, str]) -> list[list[Any]]:
    """``summary.group_keys`` of each record, from its column (one loop per field); the
    keys of a value many records share (a year, a pair of regions) are found once."""
    distinct = list(dict.fromkeys(column))
    if len(distinct) < len(column):
        found = dict(zip(distinct, _each_keys(field, distinct, provinces), strict=True))
        return [found[v] for v in column]
    return _each_keys(field, column, provinces)


def _each_keys(field: str, column: list[Any], provinces: dict[str, str]) -> list[list[Any]]:
    if field == "year":
        return [[None] if v is None else [int(v[:4])] for v in column]
    if field in ("document", "category"):
        return [[v] for v in column]
    if field == "province":
        return [
            list(dict.fromkeys([provinces[c] for c in v.split(",")])) if v else [None]
            for v in column
        ]
    return [list(dict.fromkeys(v.split(","))) if v else [None] for v in column]


def summary_from_index(
    registry: Registry, where: Filter, fields: Sequence[str], as_of: dt.date
) -> tuple[Summary, CrossTab | None] | None:
    """``summarise --by`` counted from a column or two of the index's ``agreements`` (the SQL
    picks the records the filter matches), as ``summary.summarise_by`` and
    ``summary.cross_tab`` count records; None when it cannot be (no index, status as a field
    or a filter, text search, more than two fields)."""
    import itertools
    from collections import Counter

    from kerjasama_cli.gazetteer import load_gazetteer
    from kerjasama_cli.summary import CrossTab, Group, Summary, sort_key

    index = registry.index
    if (
        index is None
        or not 1 <= len(fields) <= 2
        or any(f not in _COLUMNS for f in fields)
        or where.statuses
        or where.expiring_within is not None
        or where.search
    ):
        return None
    condition, args = _condition(where)  # exact for every condition left
    columns = ", ".join(_COLUMNS[f] for f in fields)
    try:
        found = index.connection.execute(
            f"SELECT {columns} FROM agreements AS a JOIN files AS f ON f.id = a.file "
            f"WHERE f.listed = 1 AND {condition}",
            args,
        ).fetchall()
    except sqlite3.Error:
        return None
    provinces = {r.code: r.province for r in load_gazetteer().regions}
    # Every record's keys of each field, then counted at once (Counter of a list is C).
    keyed = [_keys(f, [row[i] for row in found], provinces) for i, f in enumerate(fields)]
    # The loops in C: each record's keys (or pairs of keys) one after the other, counted.
    chain = itertools.chain.from_iterable
    if len(fields) == 1:
        counts: Counter[tuple[Any, ...]] = Counter(zip(chain(keyed[0])))
    else:
        counts = Counter(chain(map(itertools.product, *keyed)))
    margins = [Counter(chain(column)) for column in keyed]
    ordered = sorted(
        counts.items(),
        key=lambda item: tuple(sort_key(f, k) for f, k in zip(fields, item[0], strict=True)),
    )
    total = len(found)
    summary = Summary(as_of, tuple(fields), total, tuple(Group(k, n) for k, n in ordered))
    if len(fields) == 1:
        return summary, None
    row_field, col_field = fields
    tab = CrossTab(
        row_field,
        col_field,
        tuple(sorted(margins[0], key=lambda k: sort_key(row_field, k))),
        tuple(sorted(margins[1], key=lambda k: sort_key(col_field, k))),
        {(keys[0], keys[1]): n for keys, n in counts.items()},
        dict(margins[0]),
        dict(margins[1]),
        total,
    )
    return summary, tab
