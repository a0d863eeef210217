"""`import`: rows of a CSV or XLSX sheet become record files, all of them or none.

Every row is checked first, as `validate` and `add` check a file: the model, the single-record
rules, duplicate ids (against the registry and within the sheet) and references (a row may
name another row of the same sheet as its parent). Only when no row has an error is anything
written; a failure while writing removes what was written.

The rows stream: each is read, checked and rendered as the reader hands it on, and what is kept
of it is small (its file's text, id and path, its cells packed, and for the checks across rows
its id, document kind and links), never its record: a sheet of 50,000 rows is checked in about
the memory of its records' text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import pickle
import re
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerjasama_cli.errors import RecordExists, RefusedWrite, WriteFailed, system_reason
from kerjasama_cli.exchange.parse import parse_row
from kerjasama_cli.exchange.rows import (
    Header,
    ParsedRow,
    cell_text,
    known_headers,
    letter_of,
    read_header,
    row_finding,
)
from kerjasama_cli.exchange.sheets import Sheet, column_letter, open_sheet
from kerjasama_cli.findings import Finding, message_counted_from_one
from kerjasama_cli.gazetteer import normalize_name
from kerjasama_cli.i18n import _
from kerjasama_cli.ids import IdMaker, base_id
from kerjasama_cli.model import Record
from kerjasama_cli.pipeline import examine
from kerjasama_cli.registry import load_registry
from kerjasama_cli.rules import check_references, id_taken
from kerjasama_cli.storage import display_path, journal
from kerjasama_cli.storage.canonical import record_path, render_record_yaml, write_new_text
from kerjasama_cli.storage.files import check_writable


@dataclass(frozen=True, slots=True)
class Planned:
    """A record that a row will become: its id, the file it will be written to and the file's
    text (not the record itself, which a big sheet could not keep for every row)."""

    row: int
    id: str
    signed_on: dt.date | None  # the record's, which chose its folder
    path: Path
    generated_id: bool
    text: str  # the file's text, as it will be written
    record_json: str | None = None  # the record as JSON, kept for the plan's --format json


class SheetValues:
    """Every row's cells as read, for the review file and the plan's problems: each row packed
    into one bytes object (a row of nine short cells is about 200 bytes rather than 700)."""

    def __init__(self) -> None:
        self._rows: dict[int, bytes | list[Any]] = {}
        self.width = 0  # cells in the widest row

    def add(self, number: int, values: list[Any]) -> None:
        try:
            self._rows[number] = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a value pickle cannot take is kept as it is
            self._rows[number] = list(values)
        self.width = max(self.width, len(values))

    def get(self, number: int) -> list[Any] | None:
        packed = self._rows.get(number)
        if isinstance(packed, bytes):
            value: list[Any] = pickle.loads(packed)  # packed by add() above, never read in
            return value
        return packed

    def numbers(self) -> set[int]:
        return set(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


@dataclass(slots=True)
class ImportPlan:
    """What importing a sheet would write, and every problem found on the way."""

    source: Path
    sheet: str | None
    rows: int
    planned: list[Planned] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> key read
    header: list[Any] = field(default_factory=list)  # the header row as written
    values: SheetValues = field(default_factory=SheetValues)  # row -> its cells as read
    inferred: dict[int, list[str]] = field(default_factory=dict)  # row -> keys derived
    delimiter: str = ","  # the CSV's, which its review file keeps (``,`` for XLSX)
    header_row: int = 1  # below a title (``DAFTAR KERJA SAMA ...``) when the sheet has one
    totals: list[int] = field(default_factory=list)  # rows read as a total (JUMLAH), left out

    @property
    def header_failed(self) -> bool:
        return any(p.line == self.header_row and p.severity == "error" for p in self.problems)

    def rows_not_ready(self) -> set[int]:
        """Rows with an error (all rows when the header has one)."""
        if self.header_failed:
            return self.values.numbers()
        return {p.line for p in self.problems if p.severity == "error" and p.line > self.header_row}

    def ready(self) -> list[Planned]:
        """The records of the rows that have no error: what --skip-invalid writes."""
        bad = self.rows_not_ready()
        return [p for p in self.planned if p.row not in bad]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    @property
    def rows_with_errors(self) -> int:
        return len({p.line for p in self.problems if p.severity == "error"})

    def failed(self, *, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def sorted_problems(self) -> list[Finding]:
        return sorted(self.problems, key=lambda p: (p.line, letter_of(p) or "", p.rule))


def _cells(
    raw: list[Any], header: Header, values: list[Any], stray: dict[int, int], row: int
) -> dict[str, Any]:
    """A row's cells by column name; a value under no header at all (``raw``: the header row
    as written, wherever it was found) is noted in ``stray``."""
    cells: dict[str, Any] = {}
    for index, value in enumerate(values):
        name = header.names[index] if index < len(header.names) else None
        if name is not None:
            cells[name] = value
        elif (
            value is not None
            and str(value).strip()
            and (index >= len(raw) or not str(raw[index] or "").strip())
        ):
            stray.setdefault(index, row)
    return cells


def _located(parsed: ParsedRow, header: Header, finding: Finding) -> Finding:
    """A finding of a row's record, placed at the cell its key came from."""
    column = parsed.column_for(finding.loc)
    message = message_counted_from_one(finding)  # positions from 1, as the writers say them
    if finding.cause == "missing":
        message = _("{column} is empty; it is required").format(column=column or finding.key)
    return row_finding(
        parsed.row,
        column,
        header.index(column) if column else None,
        finding.rule,
        message,
        finding.suggestions,
    )


def _with_letter(finding: Finding, header: Header) -> Finding:
    """A cell's finding with its column's position, when the sheet has that column."""
    if finding.column or not finding.key:
        return finding
    return row_finding(
        finding.line,
        finding.key,
        header.index(finding.key),
        finding.rule,
        finding.message,
        finding.suggestions,
    )


@dataclass(slots=True)
class _Checked:
    parsed: ParsedRow
    record: Record | None  # None when the row does not make a valid record
    record_id: str | None  # given, or generated for a valid record
    generated: bool
    bad_keys: set[str] = field(default_factory=set)  # top-level keys the model rejected


def _check_row(parsed: ParsedRow, header: Header, plan: ImportPlan) -> _Checked:
    plan.problems += [_with_letter(p, header) for p in parsed.problems]
    data = dict(parsed.data)
    given = data.get("id")
    generated = given is None
    if generated:
        data["id"] = f"row-{parsed.row}"  # a stand-in until the record is valid and can be named
    checked = examine(data)
    if checked.record is None:
        plan.problems += [
            _located(parsed, header, p) for p in checked.findings if not parsed.is_suppressed(p.loc)
        ]
        bad = {str(p.loc[0]) for p in checked.findings if p.loc}
        return _Checked(parsed, None, given if isinstance(given, str) else None, generated, bad)
    plan.problems += [
        _located(parsed, header, p)
        for p in checked.findings
        # "no ends_on" beside the cell that tried to give one and did not read ("5 tahun"
        # with no date, a formula without its result) says the same mistake twice.
        if not (p.rule == "KS902" and parsed.is_suppressed(("ends_on",)))
    ]
    record = checked.record
    return _Checked(parsed, record, None if generated else record.id, generated)


_LINKS = ("parent", "supersedes", "related")
PROGRESS_EVERY = 200  # rows between two calls of the progress callback


@dataclass(frozen=True, slots=True)
class _Links:
    """What check_references reads of a row: its id and the ids it names."""

    id: str
    parent: str | None
    supersedes: Sequence[str] | None
    related: Sequence[str] | None


@dataclass(slots=True)
class _Row:
    """What is kept of a checked row until every row is read: keys for the checks across rows
    and the file's text, not the record."""

    row: int
    record_id: str | None  # given; for a generated id, set when the rows are named
    generated: bool
    document: str | None  # for the rows and records that name this one
    signed_on: dt.date | None = None
    base: str | None = None  # the id to generate, before its suffix (a valid row without id)
    text: str | None = None  # the file's text (a valid row); with a stand-in id until named
    record_json: str | None = None
    parsed: ParsedRow | None = None  # only for a row that names others, to place findings
    links: tuple[str | None, Sequence[str] | None, Sequence[str] | None] | None = None
    record: Record | None = None  # only if the stand-in id could not be replaced in the text


def _stand_in(row: int) -> str:
    """The id a row without one has until every row is read: a slug no generated id is."""
    return f"row-{row}"


def _fingerprint(record: Record) -> tuple[Any, ...]:
    """What makes two records the same agreement: kind, date, parties and title."""
    parties = sorted(p.region or normalize_name(p.name or "") for p in record.parties)
    return (record.document, record.signed_on, tuple(parties), normalize_name(record.title))


class _Planner:
    """The checks of rows as they stream: each row on its own and against the rows before it
    and the registry; what needs every row (generated ids, references) once all are read."""

    def __init__(
        self,
        data_dir: Path,
        header: Header,
        plan: ImportPlan,
        existing: dict[str, Path],
        records: Iterable[Record],
        *,
        records_json: bool,
    ) -> None:
        self.data_dir = data_dir
        self.header = header
        self.plan = plan
        self.existing = existing
        # Agreements of the registry, to find a row imported before (e.g. the same sheet again).
        self.known: dict[tuple[Any, ...], str] = {_fingerprint(r): r.id for r in records}
        self.records_json = records_json
        self.first_row: dict[str, int] = {}  # each id given in the sheet -> its first row
        self.given: set[str] = set()  # every id the sheet gives, valid or not
        self.rows: list[_Row] = []

    def add(self, checked: _Checked) -> None:
        parsed, record = checked.parsed, checked.record
        if isinstance(checked.record_id, str) and not checked.generated:
            self.given.add(checked.record_id)
        if record is None:
            document = parsed.data.get("document")
            row = _Row(
                parsed.row,
                checked.record_id,
                checked.generated,
                document if isinstance(document, str) else None,
            )
            if not (checked.bad_keys & set(_LINKS)) and any(parsed.data.get(k) for k in _LINKS):
                # Only the links, which the model found well-formed, are needed here.
                row.parsed = parsed
                row.links = (
                    parsed.data.get("parent"),
                    parsed.data.get("supersedes"),
                    parsed.data.get("related"),
                )
        else:
            row = self._valid(checked, record)
        self._check_id(row, checked.bad_keys)
        self.rows.append(row)

    def _valid(self, checked: _Checked, record: Record) -> _Row:
        parsed = checked.parsed
        row = _Row(parsed.row, checked.record_id, checked.generated, record.document)
        row.signed_on = record.signed_on
        if record.parent or record.supersedes or record.related:
            row.parsed = parsed
            row.links = (record.parent, record.supersedes, record.related)
        row.text = render_record_yaml(record)
        if self.records_json:
            dumped = record.model_dump(mode="json", exclude_none=True)
            row.record_json = json.dumps(dumped, ensure_ascii=False)
        if checked.generated:
            row.base = base_id(record.document, record.signed_on, record.parties)
            if not row.text.startswith(f"id: {_stand_in(row.row)}\n"):
                row.record = record  # rendered again once named (not expected to happen)
            self._check_known(row, record)
        return row

    def _check_id(self, row: _Row, bad_keys: set[str]) -> None:
        """An id given is new: not in the registry, not on disk, not in a row before."""
        record_id = row.record_id
        if record_id is None or row.generated or "id" in bad_keys:
            return
        if record_id in self.existing:
            clash = _("is already used by {path}").format(
                path=display_path(self.existing[record_id])
            )
        elif record_id in self.first_row:
            clash = _("is also the id of row {row}").format(row=self.first_row[record_id])
        elif (
            row.text is not None
            and (path := record_path(self.data_dir, record_id, row.signed_on)).exists()
        ):
            clash = _("is the name of an existing file, {path}").format(path=display_path(path))
        else:
            self.first_row[record_id] = row.row
            return
        if record_id not in self.first_row:
            hint = _(
                "a record is never overwritten: if the row is that agreement (a sheet exported "
                "from this registry), leave the row out or change the record with kerjasama "
                "set; if it is another agreement, choose another id or leave it empty to "
                "generate one"
            )
        else:
            hint = _("choose another id, or leave it empty to generate one")
        taken = id_taken(record_id, clash, hint)
        self.plan.problems.append(
            row_finding(row.row, "id", self.header.index("id"), taken.rule, taken.message)
        )

    def _check_known(self, row: _Row, record: Record) -> None:
        """A row without an id that is an agreement the registry already holds (imported
        before, e.g. the same sheet again) is reported, not written a second time."""
        same = self.known.get(_fingerprint(record))
        if same is not None:
            self.plan.problems.append(
                row_finding(
                    row.row,
                    None,
                    None,
                    "KS401",
                    _(
                        "this agreement is already in the registry as {id} (same document, "
                        "date, parties and title); it is not imported twice"
                    ).format(id=same),
                    (same,),
                )
            )

    def name_generated(self) -> None:
        """Ids for rows without one, as `add` makes them: the next free ``-2``, ``-3``, ...
        suffix after every id of the registry and of the sheet."""
        maker = IdMaker(set(self.existing) | self.given)
        for row in self.rows:
            if not row.generated or row.base is None or row.text is None:
                continue
            new_id = maker.next_free(row.base)
            if row.record is not None:
                row.text = render_record_yaml(row.record.model_copy(update={"id": new_id}))
                row.record = None
            else:
                stand_in = f"id: {_stand_in(row.row)}\n"
                row.text = f"id: {new_id}\n" + row.text[len(stand_in) :]
            row.record_id = new_id

    def check_references(self, documents: dict[str, str | None]) -> None:
        """parent, supersedes and related name agreements of the registry or of the sheet."""
        everything = dict(documents)
        for row in self.rows:
            if row.record_id:
                everything.setdefault(row.record_id, row.document)
        for row in self.rows:
            if row.links is None or row.parsed is None:
                continue
            links = _Links(row.record_id or "", *row.links)
            self.plan.problems += [
                _located(row.parsed, self.header, p)
                for p in check_references(
                    links, everything, absent=_("neither in the registry nor in this sheet")
                )
            ]

    def planned(self) -> list[Planned]:
        """The files to write, each checked as the reader will read it."""
        planned: list[Planned] = []
        for row in self.rows:
            if row.text is None or row.record_id is None:
                continue
            path = record_path(self.data_dir, row.record_id, row.signed_on)
            self.plan.problems += [
                row_finding(
                    row.row,
                    None,
                    None,
                    f.rule,
                    _("written as a file, {problem}").format(problem=f.message),
                )
                for f in check_writable(path, row.text)
            ]
            planned.append(
                Planned(
                    row.row,
                    row.record_id,
                    row.signed_on,
                    path,
                    row.generated,
                    row.text,
                    row.record_json,
                )
            )
        return planned


def plan_import(
    data_dir: Path,
    source: Path,
    *,
    use_cache: bool = True,
    columns: dict[str, str] | None = None,
    ignore_unknown: bool = False,
    settings: dict[str, Any] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    records_json: bool = False,
) -> ImportPlan:
    """Read and check every row of ``source`` against the registry in ``data_dir``.

    Without ``use_cache``, the registry is read without the cache of parsed records.
    ``columns`` (``--columns``), ``ignore_unknown`` and ``settings`` (``--set``) are as the
    README says; ``progress(done, total)`` is called as rows are checked (``total`` is what the
    file seems to hold, None when it does not tell). With ``records_json``, each planned
    record keeps its JSON form too (the plan's ``--format json``).
    """
    with open_sheet(source) as sheet:
        return _plan(
            data_dir,
            sheet,
            use_cache=use_cache,
            columns=columns,
            ignore_unknown=ignore_unknown,
            settings=settings,
            progress=progress,
            records_json=records_json,
        )


# How far down a sheet its header is looked for, below a title and blank rows.
HEADER_SEARCH_ROWS = 10
# A row whose first filled cell is one of these is a sheet's total, not an agreement.
_TOTAL_WORDS = frozenset({"jumlah", "total", "jumlah total", "grand total", "total keseluruhan"})


def _find_header(
    sheet: Sheet, columns: dict[str, str] | None
) -> tuple[list[Any], int, Iterator[tuple[int, list[Any]]]]:
    """The header row, its number, and the rows below it. Row 1 unless it names fewer than
    two columns import reads and a row among the next ones names more: an office sheet often
    has a title (``DAFTAR KERJA SAMA ... TAHUN 2024``) and a blank row above its headers. The
    rows above the header found are not read."""
    if known_headers(sheet.header, columns) >= 2:
        return list(sheet.header), 1, sheet.rows
    looked: list[tuple[int, list[Any]]] = []
    best = known_headers(sheet.header, columns)
    for number, values in sheet.rows:
        looked.append((number, values))
        found = known_headers(values, columns)
        if found >= 2 and found > best:
            return list(values), number, sheet.rows
        if len(looked) >= HEADER_SEARCH_ROWS:
            break
    return list(sheet.header), 1, itertools.chain(looked, sheet.rows)


# What else a total row holds: counts, sums, and a word or two after a number ("8 kerja sama").
_TOTAL_REST = re.compile(r"[\d.,\s]*\d[\d.,\s]*(?:\s+\w+){0,2}")


def _is_total(values: Sequence[Any]) -> bool:
    """A row that totals the sheet (``JUMLAH``, ``Total:``) rather than naming an agreement:
    its first filled cell is such a word and every other one a number (a count or a sum),
    maybe followed by a word or two. A row that names something (``Total;Kerja sama CSR;...``,
    an agreement with a party called Total) is read as an agreement."""
    filled = [text for v in values if (text := cell_text(v)) is not None]
    if not filled or filled[0].rstrip(": ").casefold() not in _TOTAL_WORDS:
        return False
    return all(_TOTAL_REST.fullmatch(text) for text in filled[1:])


def _plan(
    data_dir: Path,
    sheet: Sheet,
    *,
    use_cache: bool,
    columns: dict[str, str] | None,
    ignore_unknown: bool,
    settings: dict[str, Any] | None,
    progress: Callable[[int, int | None], None] | None,
    records_json: bool,
) -> ImportPlan:
    raw, header_row, rows = _find_header(sheet, columns)
    header = read_header(
        raw,
        columns,
        ignore_unknown=ignore_unknown,
        given=frozenset(settings or {}),
        row=header_row,
    )
    plan = ImportPlan(
        sheet.path,
        sheet.name,
        0,
        problems=list(header.problems),
        columns=header.read_as,
        header=list(raw),
        delimiter=sheet.delimiter or ",",
        header_row=header_row,
    )
    if not any(cell_text(cell) is not None for cell in raw):
        plan.rows = sum(1 for _row in rows)
        plan.problems.append(row_finding(1, None, None, "KS200", _("the sheet is empty")))
        return plan
    registry = load_registry(data_dir, use_cache=use_cache)
    planner = _Planner(
        data_dir,
        header,
        plan,
        registry.paths(),
        registry.records,
        records_json=records_json,
    )
    stray: dict[int, int] = {}
    done = 0
    for number, values in rows:
        done += 1
        if _is_total(values):
            plan.totals.append(number)
            continue
        plan.values.add(number, values)
        cells = _cells(raw, header, values, stray, number)
        parsed = parse_row(number, cells, header.keys, settings)
        if parsed.inferred:
            plan.inferred[number] = parsed.inferred
        planner.add(_check_row(parsed, header, plan))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(sheet.estimate, done) if sheet.estimate is not None else None)
    plan.rows = done
    if progress is not None:
        progress(done, done)
    for index, first in sorted(stray.items()):
        message = _("column {letter} has values (from row {row}) but no header").format(
            letter=column_letter(index), row=first
        )
        plan.problems.append(row_finding(header_row, None, index, "KS205", message))
    planner.name_generated()
    planner.check_references(registry.documents())
    if header.problems:
        # A column missing from the header is reported once there, not again in every row.
        present = set(header.names)
        plan.problems = [
            p for p in plan.problems if p.line == header_row or not p.key or p.key in present
        ]
    plan.planned = planner.planned()
    return plan


def _remove(written: list[Path], created: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)
    for folder in reversed(created):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def apply_import(
    plan: ImportPlan,
    data_dir: Path,
    *,
    strict: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> list[Path]:
    """Write every planned record, or none: a failure (or Ctrl-C) removes what was written.

    With ``skip_invalid``, the records of the rows that are ready (no error in the row, none in
    the header), all of them or none. ``progress(done, total)`` is called as files are written.
    """
    if skip_invalid:
        if plan.header_failed:
            raise RefusedWrite(_("the header has errors; nothing was written"))
        items = plan.ready()
    elif plan.failed(strict=strict):
        raise RefusedWrite(_("the sheet has errors; nothing was written"))
    else:
        items = plan.planned
    with interrupts_between() as interrupted:
        return _write_all(data_dir, items, interrupted, progress)


@contextmanager
def interrupts_between() -> Iterator[Callable[[], bool]]:
    """Ctrl-C heard, not acted on at once: the block asks (the function it is given) between
    two steps. A record file created just before an interrupt was otherwise left behind: the
    interrupt came after it was made and before it was listed among those to remove.

    Once the block is left after an interrupt, the next ones are ignored, as ``console``'s
    handler does after the first; a SIGINT the parent ignores stays ignored; outside the main
    thread nothing changes (Python takes signals only there)."""
    heard: list[int] = []
    try:
        previous = signal.getsignal(signal.SIGINT)
        if previous == signal.SIG_IGN or previous is None:
            yield lambda: False
            return
        signal.signal(signal.SIGINT, lambda number, _frame: heard.append(number))
    except ValueError:  # not the main thread
        yield lambda: False
        return
    try:
        yield lambda: bool(heard)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN if heard else previous)


def _write_all(
    data_dir: Path,
    items: list[Planned],
    interrupted: Callable[[], bool],
    progress: Callable[[int, int | None], None] | None,
) -> list[Path]:
    log = journal.begin(data_dir, [(item.path, item.text) for item in items])
    written: list[Path] = []
    created: list[Path] = []
    for item in items:
        folder = item.path.parent
        if not folder.exists():
            created.append(folder)
        try:
            written.append(write_new_text(data_dir, item.id, item.signed_on, item.text))
            if interrupted():  # heard while it was written, or before (the journal)
                raise KeyboardInterrupt
            if progress is not None and len(written) % PROGRESS_EVERY == 0:
                progress(len(written), len(items))
        except (RecordExists, WriteFailed, OSError) as exc:
            _remove(written, created)
            log.abandon()
            if isinstance(exc, WriteFailed):
                exc = exc.cause
            reason = system_reason(exc) if isinstance(exc, OSError) else str(exc)
            message = _(
                "could not write {path} ({reason}); removed the {n} file(s) written before "
                "it: nothing was imported"
            ).format(path=display_path(item.path), reason=reason, n=len(written))
            if isinstance(exc, OSError):  # the file system refused: exit 2, as every writer
                raise WriteFailed(message, exc) from None
            raise RefusedWrite(message) from None
        except BaseException:
            _remove(written, created)
            log.abandon()
            raise
    if progress is not None:
        progress(len(written), len(items))
    log.commit()
    return written
