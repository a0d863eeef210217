"""The rows of an imported sheet: its header, the problems found, and cell values as text.

Row numbers are the spreadsheet's: the header is row 1, as Excel numbers rows. A problem names
the column (``party_2``) and its letter (``F``), so that a person finds the cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kerjasama_cli.exchange.layout import GROUP_RE, HEAD, is_known_column
from kerjasama_cli.exchange.sheets import column_letter, normalize_header
from kerjasama_cli.findings import Finding, Loc
from kerjasama_cli.i18n import _

REQUIRED_COLUMNS = ("title", "document", "sectors")


class SheetError(str):
    """An XLSX cell whose value is a spreadsheet's error (``t="e"``: ``#REF!``, ``#N/A``, a
    formula that failed), this text; not text that reads the same (a title "#N/A" an export
    wrote is text, and imports back as it was)."""

    __slots__ = ()


class Uncalculated(str):
    """An XLSX cell holding a formula (this text, ``=...``) but no saved result: the file was
    written by a program that does not calculate. Read as a problem of its cell, never as
    empty; the review file and the plan show the formula."""

    __slots__ = ()


def unreadable_cell(value: Any) -> str | None:
    """Why a cell cannot be read as a value (a formula without its result, or an error value
    such as ``#REF!``), or None."""
    if isinstance(value, Uncalculated):
        return _(
            "the cell holds a formula ({formula}) but not its result: the file was saved by a "
            "program that does not calculate formulas; open it in Excel or LibreOffice, save "
            "it, and import it again"
        ).format(formula=str(value))
    if isinstance(value, SheetError):
        return _(
            "the cell shows the spreadsheet's error {error} (a formula that failed); correct "
            "the formula, or type the value"
        ).format(error=value.strip())
    return None


def row_finding(
    row: int,
    column: str | None,
    index: int | None,
    rule: str,
    message: str,
    suggestions: tuple[str, ...] = (),
) -> Finding:
    """A finding placed in a sheet: at ``row`` (the header is row 1), in the column named
    ``column`` (None for the whole row) at position ``index`` (0 for A; None when the sheet
    has no such column). The finding's ``key`` is the column's name, its ``column`` the
    1-based position."""
    return Finding(
        rule,
        message,
        (column,) if column else (),
        "",
        row,
        0 if index is None else index + 1,
        suggestions=suggestions,
    )


def letter_of(finding: Finding) -> str | None:
    """The spreadsheet letter of a sheet finding's column (A, B, ..., AA), if it has one."""
    return column_letter(finding.column - 1) if finding.column else None


@dataclass(slots=True)
class Header:
    """The header row: each position's column name (None: an empty header cell)."""

    names: list[str | None]
    problems: list[Finding] = field(default_factory=list)
    # An office's own columns: the column's name (its header as written) -> the key it holds.
    keys: dict[str, str] = field(default_factory=dict)
    # Each header as written -> the key or layout column it was read as (the plan's "columns").
    read_as: dict[str, str] = field(default_factory=dict)

    def index(self, column: str) -> int | None:
        """The position of the column named ``column`` (0 for A), None when there is none."""
        return self.names.index(column) if column in self.names else None


def known_headers(raw: Sequence[Any], columns: dict[str, str] | None = None) -> int:
    """How many cells of ``raw`` name a column import reads (the layout's, an office's header,
    or one ``--columns`` names): a sheet's header row names several, a title above it none."""
    from kerjasama_cli.exchange.office import office_key
    from kerjasama_cli.gazetteer import normalize_name

    named = columns or {}
    count = 0
    for cell in raw:
        if cell is None or unreadable_cell(cell) is not None:
            continue
        written = " ".join(str(cell).split())
        if not written:
            continue
        if (
            is_known_column(normalize_header(cell))
            or normalize_name(written) in named
            or office_key(written) is not None
        ):
            count += 1
    return count


def read_header(
    raw: list[Any],
    columns: dict[str, str] | None = None,
    *,
    ignore_unknown: bool = False,
    given: frozenset[str] = frozenset(),
    row: int = 1,
) -> Header:
    """Check the header row: known, unique column names, and the columns a record needs.

    A column is export's own (``party_1``), an office's header (office.py), or one that
    ``columns`` (``--columns``, keyed by the normalised header) names. ``given``: keys that
    ``--set`` fills, which need no column.
    """
    from kerjasama_cli.exchange.office import OFFICE_KEYS, closest_office_header, office_key
    from kerjasama_cli.gazetteer import normalize_name

    header = Header([])
    named = columns or {}
    known = [*HEAD, "party_1", "party_1_code", "source_1_url", "activity_1_on"]
    for index, cell in enumerate(raw):
        unreadable = unreadable_cell(cell)
        if unreadable is not None:  # a formula or an error value: no name to read
            header.names.append(None)
            header.problems.append(row_finding(row, str(cell), index, "KS206", unreadable))
            continue
        name = normalize_header(cell)
        written = " ".join(str(cell).split()) if cell is not None else ""
        if not name:
            header.names.append(None)
            continue
        chosen = named.get(normalize_name(written))
        if chosen is None and not is_known_column(name):
            chosen = office_key(written)
        if chosen is not None and chosen not in OFFICE_KEYS:
            name = chosen  # a column of export's layout, named by --columns
        elif chosen is not None:
            header.read_as[written] = chosen
            if chosen == "ignore":
                header.names.append(None)
                continue
            label = written
            n = 2
            while label in header.keys or label in header.names:
                label, n = f"{written} ({n})", n + 1
            header.keys[label] = chosen
            header.names.append(label)
            continue
        if not is_known_column(name):
            header.names.append(None)
            if ignore_unknown:
                continue
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            office = None if close else closest_office_header(written)
            if office is not None:
                message = _(
                    "unknown column {name!r}; did you mean {close!r}? (rename the header, or "
                    'name it with --columns "HEADER=key")'
                ).format(name=str(cell), close=office)
            elif close:
                message = _("unknown column {name!r}; did you mean {close!r}?").format(
                    name=str(cell), close=close[0]
                )
            else:
                message = _(
                    'unknown column {name!r}; name it with --columns "HEADER=key", or pass '
                    "--ignore-unknown-columns (the README lists the headers read)"
                ).format(name=str(cell))
            header.problems.append(row_finding(row, str(cell), index, "KS205", message))
        elif name in header.names:
            first = column_letter(header.names.index(name))
            header.problems.append(
                row_finding(
                    row,
                    name,
                    index,
                    "KS205",
                    _("column {name!r} appears twice (also column {first})").format(
                        name=name, first=first
                    ),
                )
            )
            header.names.append(None)
        else:
            header.read_as[written] = name
            header.names.append(name)
    present = set(filter(None, header.names)) | set(header.keys.values()) | given
    missing = []
    for column in REQUIRED_COLUMNS:
        if column in present:
            continue
        if column in ("document", "sectors"):
            message = _("no {column} column; every agreement needs one, or give --set {column}=...")
        else:
            message = _("no {column} column; every agreement needs one")
        missing.append(message.format(column=column))
    if not any(GROUP_RE.match(c) and c.startswith("party_") for c in present) and not (
        present & {"parties", "party_codes"}
    ):
        missing.append(_("no party_1 and party_2 (or parties) column; every agreement needs one"))
    for message in missing:
        header.problems.append(row_finding(row, None, None, "KS200", message))
    return header


@dataclass(slots=True)
class ParsedRow:
    """Record data from one row, with the column of each key path and the cell problems."""

    row: int
    data: dict[str, Any] = field(default_factory=dict)
    columns: dict[Loc, str] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    suppressed: set[Loc] = field(default_factory=set)
    inferred: list[str] = field(default_factory=list)  # keys derived rather than read

    def column_for(self, loc: Loc) -> str | None:
        """The column that holds ``loc`` (the longest key-path prefix that has one)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.columns:
                return self.columns[loc[:end]]
        return None

    def is_suppressed(self, loc: Loc) -> bool:
        return any(loc[: len(s)] == s for s in self.suppressed)

    def problem(
        self, column: str | None, rule: str, message: str, suggestions: tuple[str, ...] = ()
    ) -> None:
        """A problem of a cell of this row (its column's position is added by the caller)."""
        self.problems.append(row_finding(self.row, column, None, rule, message, suggestions))


def cell_text(value: Any) -> str | None:
    """A cell as text; None when blank. XLSX dates become YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def cell_key(text: str | None) -> str | None:
    return re.sub(r"[\s\-/]+", "_", text.strip().casefold()) if text else None


def cell_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def cell_tokens(text: str | None) -> list[str]:
    return [t for t in re.split(r"[\s,;]+", text or "") if t]
