"""Export's CSV straight from the index's views: the rows of layout.py without the named
tuples of LightRecord or a dict per row.

``record_row`` (layout.py) makes a row of any record, ``Record`` or ``LightRecord``; on
100,000 records most of an export's time went there, and in the cells' conversion and a list
of every row before the first was written. Here each LightRecord's view (the plain tuple of
``light.view_of``) becomes its list of cells in the header's order directly, dates through a
table of the days seen, region names through a table of the codes seen, and the rows go to
the CSV writer as they are made. What is written is what ``csv_text`` writes of ``table``'s
rows, byte for byte (tests/cli/test_index_answers.py compares it with ``--no-cache``, which
goes the other way); the lossy notes come in the same order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, cast

from kerjasama_cli.csvtext import CsvText
from kerjasama_cli.exchange.layout import header_of, lines
from kerjasama_cli.exchange.sheets import FORMULA_STARTS, escape_formula
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.light import LightRecord
from kerjasama_cli.status import StatusContext

# A row's cells after the first joined with this: where it is followed by ' or a formula
# start, a cell starts with one, and the row has its cells checked one by one (as csv_text
# checks every cell). A cell holding the separator itself only makes a row checked for
# nothing. (A pattern that starts with a plain character is looked for at the speed of a
# substring; "^|" would try it at every position.)
_SEPARATOR = "\x1f"
_MAY_NEED_ESCAPE = re.compile("\x1f['" + re.escape(FORMULA_STARTS) + "]")


class _Days(dict[Any, str]):
    """Day number -> YYYY-MM-DD, made the first time a day is asked for; None -> ""."""

    def __missing__(self, day: int) -> str:
        text = self[day] = dt.date.fromordinal(day).isoformat()
        return text


class _Names(dict[str, str]):
    """Region code -> the name a party's cell shows (``Region.display_name``)."""

    def __missing__(self, code: str) -> str:
        name = self[code] = load_gazetteer().by_code[code].display_name
        return name


def _lines(items: Sequence[str] | None, lossy: list[str] | None, where: str) -> str:
    """``layout.lines`` as a cell's text ("" for none): one join when no item has a line break."""
    if not items:
        return ""
    text = "\n".join(items)
    if "\r" in text or text.count("\n") != len(items) - 1:
        return lines(items, lossy, where) or ""
    return text


class _MoreColumns(Exception):
    """A record needs more party, source, activity or evaluation columns than the header being
    written."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def csv_of_light(
    records: Sequence[LightRecord],
    ctx: StatusContext,
    line_end: str = "\n",
    *,
    escape_formulas: bool = False,
) -> tuple[str, list[str]]:
    """The CSV text of ``records`` (as ``csv_text(table(records))``) and the lossy notes.

    The header has as many party, source, activity and evaluation groups as the record that
    has most (at least 2, 1, 1 and 0). Most registries have no more than that: the rows are written for
    the least header at once, and only when a record needs more are the records from it on
    counted and everything written again (once) for the header they need.
    """
    groups = (2, 1, 1, 0)
    while True:
        lossy: list[str] = []
        buffer = CsvText(line_end)
        writer = buffer.writer()
        writer.writerow(header_of(*groups))
        try:
            writer.writerows(
                _escaped(_rows(records, ctx, lossy, groups), escape_formulas=escape_formulas)
            )
        except _MoreColumns as more:
            groups = _most(records[more.index :], groups)
            continue
        return buffer.getvalue(), lossy


def _most(
    records: Sequence[LightRecord], least: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    """The most parties, sources, activities and evaluations of the records, and at least
    ``least``."""
    parties, sources, activities, evaluations = least
    for record in records:
        view = record.plain()
        parties = max(parties, len(view[23]))
        sources = max(sources, len(view[26] or ()))
        activities = max(activities, len(view[24] or ()))
        evaluations = max(evaluations, len(view[25] or ()))
    return parties, sources, activities, evaluations


def _escaped(rows: Iterator[list[str]], *, escape_formulas: bool) -> Iterator[list[str]]:
    """The rows with their cells through ``escape_formula`` where csv_text puts them."""
    join = _SEPARATOR.join
    may_need = _MAY_NEED_ESCAPE.search
    starts = "'" + FORMULA_STARTS
    # Without escape_formulas only a cell that starts with ' is changed: a row without one
    # anywhere (found at the speed of memchr) has none.
    apostrophe = "" if escape_formulas else "'"
    for row in rows:
        first = row[0]
        if (first and first[0] in starts) or (apostrophe in (line := join(row)) and may_need(line)):
            row = [
                escape_formula(v, formulas=escape_formulas) if v and v[0] in starts else v
                for v in row
            ]
        yield row


def _rows(
    records: Sequence[LightRecord],
    ctx: StatusContext,
    lossy: list[str],
    groups: tuple[int, int, int, int],
) -> Iterator[list[str]]:
    """Each record's cells in the header's order, as ``record_row`` gives them."""
    days = _Days()
    days[None] = ""
    names = _Names()
    # A LightRecord has what status reads of a Record (light.py).
    status = cast("Callable[[LightRecord], str]", ctx.status)
    most_parties, most_sources, most_activities, most_evaluations = groups
    blank_parties = [[""] * (7 * (most_parties - n)) for n in range(most_parties + 1)]
    blank_sources = [[""] * (4 * (most_sources - n)) for n in range(most_sources + 1)]
    blank_activities = [[""] * (3 * (most_activities - n)) for n in range(most_activities + 1)]
    blank_evaluations = [[""] * (4 * (most_evaluations - n)) for n in range(most_evaluations + 1)]
    for index, record in enumerate(records):
        v = record.plain()
        parties = v[23]
        sources = v[26] or ()
        activities = v[24] or ()
        evaluations = v[25] or ()
        if (
            len(parties) > most_parties
            or len(sources) > most_sources
            or len(activities) > most_activities
            or len(evaluations) > most_evaluations
        ):
            raise _MoreColumns(index)
        at = f"{v[0]}: "
        ended = v[12]
        dprd = v[18]
        row = [
            v[0],
            v[1],
            v[2],
            status(record),
            _lines([p[7] for p in parties], lossy, at + "parties"),
            _lines(v[22], None, "") if v[22] else "",
            _lines(v[5], None, ""),
            days[v[8]],
            days[v[10]],
            days[v[11]],
            v[3] or "",
            v[3] or v[21],
            v[4] or "",
            v[7] or "",
            v[9] or "",
            "" if ended is None else days[ended[0]],
            "" if ended is None else ended[1],
            v[13] or "",
            _lines(v[14], None, "") if v[14] else "",
            _lines(v[15], None, "") if v[15] else "",
            _lines(v[6], lossy, at + "scope") if v[6] else "",
            _lines(v[16], lossy, at + "units") if v[16] else "",
            _lines(v[17], None, "") if v[17] else "",
            "" if dprd is None else "yes" if dprd[0] else "no",
            "" if dprd is None else dprd[1] or "",
            "" if dprd is None else days[dprd[2]],
            _lines(v[20], None, "") if v[20] else "",
            v[19] or "",
        ]
        for region, name, _kind, country, signatory, number, party_kind, _label in parties:
            row += (
                name or "" if region is None else names[region],
                region or "",
                party_kind,
                country or "",
                "" if signatory is None else signatory[0],
                "" if signatory is None else signatory[1] or "",
                number or "",
            )
        row += blank_parties[len(parties)]
        for url, title, publisher, published in sources:
            row += (url or "", title or "", publisher or "", days[published])
        row += blank_sources[len(sources)]
        for number, (on, summary, evidence) in enumerate(activities):
            row += (
                days[on],
                summary,
                _lines(evidence, lossy, f"{at}activities[{number + 1}].evidence"),
            )
        row += blank_activities[len(activities)]
        for on, summary, recommendation, score in evaluations:
            row += (days[on], summary, recommendation, "" if score is None else str(score))
        row += blank_evaluations[len(evaluations)]
        yield row
