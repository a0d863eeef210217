"""The standard report of `summarise` (report.py) from the registry's index, on plain rows.

``report.build_report`` reads every record's status, dates and activities; with 100,000
records, building a ``LightRecord`` for each (and its parties and activities) costs more than
the report itself. Here the same report is made from a few columns of the index's
``agreements`` (dates as ISO text, which sort as the dates do, and each record's activity
dates), with the rules of status.py and report.py applied to them as they are to records. Only
the agreements the report lists have their parties read, and only the latest activity of
each agreement in the realisation has its summary read.

It answers only when the filter can be judged exactly by SQL and on these columns (no text
search); otherwise, and without an index, the caller builds the report from records.
"""

from __future__ import annotations

import datetime as dt
import marshal
import sqlite3
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from kerjasama_cli.indexed import _condition, superseding_starts
from kerjasama_cli.report import (
    ENDED,
    IN_FORCE,
    AgreementRef,
    Realisation,
    Report,
    find_counterparts,
    ordered_totals,
    paper_cutoff,
)
from kerjasama_cli.status import StatusContext

if TYPE_CHECKING:
    from kerjasama_cli.gazetteer import Region
    from kerjasama_cli.model import Record
    from kerjasama_cli.query import Filter
    from kerjasama_cli.registry import Registry

# Each row: file, id, title, document, effective category, signed_on, starts_on, ends_on,
# ended_on, ended_reason, activity dates ("2024-01-05,2024-03-01", "" for none, or NULL),
# the parties (marshalled: light.view_of's, decoded only for the agreements listed), and the
# file's path, which orders the rows.
_ROWS = (
    "SELECT a.file, a.id, a.title, a.document, a.effective_category, a.signed_on, "
    "a.starts_on, a.ends_on, a.ended_on, a.ended_reason, a.activity_days, a.party_view, f.rel "
    "FROM agreements AS a JOIN files AS f ON f.id = a.file "
    "WHERE f.listed = 1 AND {condition}"
)
_REL = 12
# The same columns in the same places, those status does not read left empty (for export).
_STATUS_ROWS = (
    "SELECT a.file, a.id, NULL, NULL, NULL, a.signed_on, a.starts_on, a.ends_on, a.ended_on, "
    "a.ended_reason, NULL, NULL, f.rel FROM agreements AS a JOIN files AS f ON f.id = a.file "
    "WHERE f.listed = 1 AND {condition}"
)
# Every id named as a parent by a valid record: through the index on ``parent`` (the
# CROSS JOIN keeps SQLite from walking every listed file instead: 0.13 s to 0.05 s at 100,000).
_IMPLEMENTED = (
    "SELECT DISTINCT a.parent FROM agreements AS a CROSS JOIN files AS f ON f.id = a.file "
    "WHERE a.parent > '' AND f.listed = 1"
)
# Parameters per query when rows are read by file (well under SQLite's oldest limit, 999).
_CHUNK = 500
_FAR = "9999-12-31"
# The statuses of the agreements the realisation may report on: in force, or ended (within
# the year, which is looked at for each).
_REPORTED = frozenset((*IN_FORCE, *ENDED))


def _by_file(db: sqlite3.Connection, sql: str, files: Sequence[int]) -> list[Any]:
    """The rows of ``sql`` (with ``{files}`` for the placeholders) for ``files``, in chunks."""
    out: list[Any] = []
    for start in range(0, len(files), _CHUNK):
        chunk = files[start : start + _CHUNK]
        out += db.execute(sql.format(files=", ".join("?" * len(chunk))), chunk).fetchall()
    return out


def report_from_index(
    registry: Registry, where: Filter, ctx: StatusContext, regions: Sequence[Region] = ()
) -> Report | None:
    """``report.build_report`` of the records ``where`` matches, from the index; None when
    there is no index or the filter needs more than its columns (a text search).

    ``ctx.superseded`` is not read: who supersedes whom comes from the index, and the context
    the report is built with (its date and window) is ``ctx``'s."""
    selected = _selected(registry, where, ctx, _ROWS)
    if selected is None:
        return None
    db, rows, statuses, ctx = selected
    try:
        implemented = {parent for (parent,) in db.execute(_IMPLEMENTED)}
        return _build(db, rows, statuses, implemented, ctx, where, registry, regions)
    except sqlite3.Error:
        return None


def export_order(
    registry: Registry, where: Filter, ctx: StatusContext
) -> tuple[list[int], list[str]] | None:
    """The index's files of the records ``where`` matches, in the order of ``export``
    (``query.sort_records`` by ``signed_on``: newest signed first, then by id, the unsigned
    last by id), with each one's status; None as for ``report_from_index``.

    What ``export --format csv`` needs to join its rows from the index (stored_csv.py)
    without building a record for each: 0.7 s of 100,000 ``LightRecord``s."""
    selected = _selected(registry, where, ctx, _STATUS_ROWS)
    if selected is None:
        return None
    _, rows, statuses, _ = selected
    by_id = sorted(range(len(rows)), key=lambda i: rows[i][1])
    dated = [i for i in by_id if rows[i][5] is not None]
    dated.sort(key=lambda i: rows[i][5], reverse=True)  # stable: ties stay by id
    order = dated + [i for i in by_id if rows[i][5] is None]
    return [rows[i][0] for i in order], [statuses[i] for i in order]


def _selected(
    registry: Registry, where: Filter, ctx: StatusContext, sql: str
) -> tuple[sqlite3.Connection, list[Any], list[str], StatusContext] | None:
    """The rows of ``sql`` (``_ROWS`` or ``_STATUS_ROWS``) that ``where`` matches, in the
    order of their paths, with each one's status and the context it was judged in (who
    supersedes whom from the index); None without an index or with a text search."""
    index = registry.index
    if index is None or where.search:
        return None
    db = index.connection
    condition, args = _condition(where)  # exact for every condition but the text search
    try:
        rows = db.execute(sql.format(condition=condition), args).fetchall()
        superseded = superseding_starts(db)
    except sqlite3.Error:
        return None
    rows.sort(key=itemgetter(_REL))  # as ORDER BY f.rel, without SQLite's sort of wide rows
    ctx = StatusContext(ctx.as_of, ctx.window_days, superseded)
    statuses = _statuses(rows, ctx)
    if where.statuses:
        kept = [i for i, status in enumerate(statuses) if status in where.statuses]
        rows, statuses = [rows[i] for i in kept], [statuses[i] for i in kept]
    if where.expiring_within is not None:
        kept = _expiring(rows, statuses, ctx.as_of, where.expiring_within)
        rows, statuses = [rows[i] for i in kept], [statuses[i] for i in kept]
    return db, rows, statuses, ctx


def _last_day(as_of: dt.date, days: int) -> str:
    """``days`` after ``as_of``, as ISO text: an end date is within ``days`` of ``as_of`` when
    it is on or before it."""
    try:
        return (as_of + dt.timedelta(days=days)).isoformat()
    except OverflowError:  # every date, or none
        return _FAR if days > 0 else "0000-00-00"


def _statuses(rows: list[Any], ctx: StatusContext) -> list[str]:
    """``status.compute_status`` of each row, on ISO text."""
    as_of = ctx.as_of.isoformat()
    last = _last_day(ctx.as_of, ctx.window_days)
    gone = {i: d.isoformat() for i, d in ctx.superseded.items()}
    out: list[str] = []
    append = out.append
    for row in rows:
        ended = row[8]
        if ended is not None and ended <= as_of:
            append("dibatalkan" if row[9] == "dibatalkan" else "berakhir")
            continue
        if gone:
            since = gone.get(row[1])
            if since is not None and since <= as_of:
                append("berakhir")
                continue
        signed = row[5]
        if signed is None:
            append("draf")
            continue
        ends = row[7]
        if as_of < (row[6] or signed):
            append("belum_berlaku")
        elif ends is None:
            append("aktif")
        elif as_of > ends:
            append("kedaluwarsa")
        elif ends <= last:
            append("akan_berakhir")
        else:
            append("aktif")
    return out


def _expiring(rows: list[Any], statuses: list[str], as_of: dt.date, days: int) -> list[int]:
    """The rows ``query._expiring`` keeps: in force, and ending within ``days`` of ``as_of``."""
    first = as_of.isoformat()
    last = _last_day(as_of, days)
    return [
        i
        for i, (row, status) in enumerate(zip(rows, statuses, strict=True))
        if row[7] is not None and status in IN_FORCE and first <= row[7] <= last
    ]


def _build(
    db: sqlite3.Connection,
    rows: list[Any],
    statuses: list[str],
    implemented: set[str],
    ctx: StatusContext,
    where: Filter,
    registry: Registry,
    regions: Sequence[Region],
) -> Report:
    as_of = ctx.as_of
    today = as_of.isoformat()
    day = dt.date.fromisoformat
    since = paper_cutoff(as_of)
    cutoff = since.isoformat()
    gone = ctx.superseded

    expiring = _expiring(rows, statuses, as_of, ctx.window_days)
    expiring.sort(key=lambda i: (rows[i][7], rows[i][1]))
    # Signed more than a year ago, no PKS, and no activity on or before as_of (their earliest
    # is after it).
    paper = [
        i
        for i, row in enumerate(rows)
        if row[5] is not None
        and row[5] < cutoff
        and not (row[10] and min(row[10].split(",")) <= today)
        and row[1] not in implemented
    ]
    # (row, end, activities, latest activity's day, its position, counting from 1)
    realised: list[tuple[int, dt.date | None, int, str | None, int]] = []
    for i in [i for i, status in enumerate(statuses) if status in _REPORTED]:
        row = rows[i]
        if row[5] is None:
            continue
        end: dt.date | None = None
        if statuses[i] in ENDED:
            end = _ended_on(row, gone.get(row[1]), as_of, today)
            if end is None or end < since:
                continue
        days = row[10]
        done = [d for d in days.split(",") if d <= today] if days else None
        if done:
            latest = max(done)
            # The latest by date; of two on one day, the one written last.
            every = days.split(",")
            position = len(every) - every[::-1].index(latest)
            realised.append((i, end, len(done), latest, position))
        else:
            realised.append((i, end, 0, None, 0))
    paper.sort(key=lambda i: (rows[i][5], rows[i][1]))

    listed = {*expiring, *paper, *(line[0] for line in realised)}
    labels = _party_labels([rows[i] for i in listed])
    summaries = _summaries(
        db, [(rows[line[0]][0], line[4]) for line in realised if line[3] is not None]
    )

    def ref(i: int) -> AgreementRef:
        row = rows[i]
        ends = None if row[7] is None else day(row[7])
        return AgreementRef(
            row[1],
            row[2],
            row[3],
            statuses[i],
            None if row[5] is None else day(row[5]),
            ends,
            None if ends is None else (ends - as_of).days,
            labels[row[0]],
        )

    lines = []
    for i, end, count, latest, position in realised:
        row = rows[i]
        lines.append(
            Realisation(
                row[1],
                row[2],
                statuses[i],
                day(row[5]),
                end,
                count,
                None if latest is None else day(latest),
                None if latest is None else summaries[row[0], position],
                labels[row[0]],
            )
        )
    lines.sort(
        key=lambda line: (
            (0, line.signed_on, line.id)
            if line.last_activity_on is None
            else (1, line.last_activity_on, line.id)
        )
    )
    # Counted as group_keys counts (keys in the order they are first met, as there).
    years = Counter([row[5] and row[5][:4] for row in rows])
    counts: dict[str, dict[Any, int]] = {
        "year": {None if y is None else int(y): n for y, n in years.items()},
        "category": Counter(map(itemgetter(4), rows)),
        "document": Counter(map(itemgetter(3), rows)),
        "status": Counter(statuses),
    }
    return Report(
        as_of=as_of,
        window_days=ctx.window_days,
        total=len(rows),
        totals={name: ordered_totals(name, counts[name]) for name in counts},
        expiring=tuple(map(ref, expiring)),
        only_on_paper=tuple(map(ref, paper)),
        counterparts=_counterparts(registry, where, rows, ctx, regions),
        realisation=tuple(lines),
        regions=tuple(regions),
    )


def _ended_on(row: Any, superseded: dt.date | None, as_of: dt.date, today: str) -> dt.date | None:
    """``report.ended_on`` of a row (``today``: ``as_of`` as ISO text)."""
    if row[8] is not None and row[8] <= today:
        return dt.date.fromisoformat(row[8])
    if superseded and superseded <= as_of:
        return superseded
    if row[7] is not None and row[7] < today:
        return dt.date.fromisoformat(row[7])
    return None


def _party_labels(rows: list[Any]) -> dict[int, tuple[str, ...]]:
    """Each row's parties as lists show them (``Party.label``, kept in the index's view)."""
    loads = marshal.loads
    label = itemgetter(7)
    return {row[0]: tuple(map(label, loads(row[11]))) for row in rows}


def _summaries(db: sqlite3.Connection, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The summary of each (file, position) activity in ``wanted``."""
    keys = set(wanted)
    files = sorted({file for file, _ in wanted})
    return {
        (file, position): summary
        for file, position, summary in _by_file(
            db, "SELECT file, position, summary FROM activities WHERE file IN ({files})", files
        )
        if (file, position) in keys
    }


def _counterparts(
    registry: Registry,
    where: Filter,
    rows: list[Any],
    ctx: StatusContext,
    regions: Sequence[Region],
) -> tuple[Any, ...]:
    """``report.find_counterparts`` of each region, on the selected records (few: they are
    those of the regions) read from the index as LightRecords."""
    if not regions:
        return ()
    from typing import cast

    from kerjasama_cli.indexed import from_index

    indexed = from_index(registry, where)
    if indexed is None:
        raise sqlite3.DatabaseError("the index went away")
    wanted = {row[0] for row in rows}
    records = [r for r, file in zip(indexed.records, indexed.files, strict=True) if file in wanted]
    selected = cast("list[Record]", records)
    return tuple(find_counterparts(region, selected, ctx) for region in regions)
