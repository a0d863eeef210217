"""`import`: rows of a CSV or XLSX sheet become record files, all of them or none.

Every row is checked first, as `validate` and `add` check a file: the model, the single-record
rules, duplicate ids (against the registry and within the sheet) and references (a row may
name another row of the same sheet as its parent). Only when no row has an error is anything
written; a failure while writing removes what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerjasama_cli.errors import RecordExists, RefusedWrite
from kerjasama_cli.exchange.parse import parse_row
from kerjasama_cli.exchange.rows import Header, ParsedRow, letter_of, read_header, row_finding
from kerjasama_cli.exchange.sheets import Sheet, column_letter, read_sheet
from kerjasama_cli.findings import Finding
from kerjasama_cli.gazetteer import normalize_name
from kerjasama_cli.ids import IdMaker
from kerjasama_cli.model import Record
from kerjasama_cli.pipeline import examine
from kerjasama_cli.registry import load_registry
from kerjasama_cli.rules import check_references, id_taken
from kerjasama_cli.storage import display_path, journal
from kerjasama_cli.storage.canonical import record_path, render_record_yaml, write_new_record
from kerjasama_cli.storage.files import check_writable


@dataclass(frozen=True, slots=True)
class Planned:
    """A record that a row will become, and the file it will be written to."""

    row: int
    record: Record
    path: Path
    generated_id: bool
    text: str  # the file's text, as it will be written


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
    values: dict[int, list[Any]] = field(default_factory=dict)  # row -> its cells as read
    inferred: dict[int, list[str]] = field(default_factory=dict)  # row -> keys derived

    @property
    def header_failed(self) -> bool:
        return any(p.line == 1 and p.severity == "error" for p in self.problems)

    def rows_not_ready(self) -> set[int]:
        """Rows with an error (all rows when the header has one)."""
        if self.header_failed:
            return set(self.values)
        return {p.line for p in self.problems if p.severity == "error" and p.line > 1}

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


def _path(data_dir: Path, record: Record) -> Path:
    return record_path(data_dir, record.id, record.signed_on)


def _cells(
    sheet: Sheet, header: Header, values: list[Any], stray: dict[int, int], row: int
) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for index, value in enumerate(values):
        name = header.names[index] if index < len(header.names) else None
        if name is not None:
            cells[name] = value
        elif (
            value is not None
            and str(value).strip()
            and (index >= len(sheet.header) or not str(sheet.header[index] or "").strip())
        ):
            stray.setdefault(index, row)
    return cells


def _located(parsed: ParsedRow, header: Header, finding: Finding) -> Finding:
    """A finding of a row's record, placed at the cell its key came from."""
    column = parsed.column_for(finding.loc)
    message = finding.message
    if finding.cause == "missing":
        message = f"{column or finding.key} is empty; it is required"
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
    plan.problems += [_located(parsed, header, p) for p in checked.findings]
    record = checked.record
    return _Checked(parsed, record, None if generated else record.id, generated)


def _name_generated(rows: list[_Checked], taken: set[str]) -> None:
    """Ids for rows without one, as `add` makes them: the next free ``-2``, ``-3``, ... suffix
    after every id of the registry and of the sheet."""
    maker = IdMaker(taken | {row.record_id for row in rows if row.record_id})
    for row in rows:
        if row.generated and row.record is not None:
            record = row.record
            new_id = maker.new_id(record.document, record.signed_on, record.parties)
            row.record = record.model_copy(update={"id": new_id})
            row.record_id = new_id


def _check_ids(
    rows: list[_Checked],
    existing: dict[str, Path],
    data_dir: Path,
    header: Header,
    plan: ImportPlan,
) -> None:
    """Ids are new: not in the registry, not on disk, not twice in the sheet."""
    first_row: dict[str, int] = {}
    for row in rows:
        if row.record_id is None or "id" in row.bad_keys:
            continue
        if row.record_id in existing:
            clash = f"is already used by {display_path(existing[row.record_id])}"
        elif row.record_id in first_row:
            clash = f"is also the id of row {first_row[row.record_id]}"
        elif row.record is not None and _path(data_dir, row.record).exists():
            clash = f"is the name of an existing file, {display_path(_path(data_dir, row.record))}"
        else:
            first_row[row.record_id] = row.parsed.row
            continue
        hint = "choose another id, or leave it empty to generate one"
        if row.record_id not in first_row:
            hint = f"a record is never overwritten ({hint})"
        taken = id_taken(row.record_id, clash, hint)
        plan.problems.append(
            row_finding(row.parsed.row, "id", header.index("id"), taken.rule, taken.message)
        )


def _check_references(
    rows: list[_Checked], documents: dict[str, str | None], header: Header, plan: ImportPlan
) -> None:
    """parent, supersedes and related name agreements of the registry or of the sheet."""
    everything = dict(documents)
    for row in rows:
        if row.record_id:
            document = row.record.document if row.record else row.parsed.data.get("document")
            everything.setdefault(row.record_id, document if isinstance(document, str) else None)
    for row in rows:
        record = row.record
        if record is None:
            if row.bad_keys & {"parent", "supersedes", "related"}:
                continue
            # Only the links, which the model found well-formed, are needed here.
            links: dict[str, Any] = {
                key: row.parsed.data.get(key) for key in ("parent", "supersedes", "related")
            }
            record = Record.model_construct(id=row.record_id or "", **links)
        plan.problems += [
            _located(row.parsed, header, p)
            for p in check_references(
                record, everything, absent="neither in the registry nor in this sheet"
            )
        ]


def _fingerprint(record: Record) -> tuple[Any, ...]:
    """What makes two records the same agreement: kind, date, parties and title."""
    parties = sorted(p.region or normalize_name(p.name or "") for p in record.parties)
    return (record.document, record.signed_on, tuple(parties), normalize_name(record.title))


def _check_already_imported(
    rows: list[_Checked], records: list[Record], header: Header, plan: ImportPlan
) -> None:
    """A row without an id that is an agreement the registry already holds (imported before,
    e.g. the same sheet again) is reported, not written a second time."""
    known: dict[tuple[Any, ...], str] = {_fingerprint(r): r.id for r in records}
    for row in rows:
        if row.generated and row.record is not None:
            same = known.get(_fingerprint(row.record))
            if same is not None:
                plan.problems.append(
                    row_finding(
                        row.parsed.row,
                        None,
                        None,
                        "KS401",
                        f"this agreement is already in the registry as {same} (same document, "
                        "date, parties and title); it is not imported twice",
                        (same,),
                    )
                )


def plan_import(
    data_dir: Path,
    source: Path,
    *,
    use_cache: bool = True,
    columns: dict[str, str] | None = None,
    ignore_unknown: bool = False,
    settings: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Read and check every row of ``source`` against the registry in ``data_dir``.

    Without ``use_cache``, the registry is read without the cache of parsed records.
    ``columns`` (``--columns``), ``ignore_unknown`` and ``settings`` (``--set``) are as the
    README says; ``progress(done, total)`` is called as rows are checked.
    """
    sheet = read_sheet(source)
    header = read_header(
        sheet.header, columns, ignore_unknown=ignore_unknown, given=frozenset(settings or {})
    )
    plan = ImportPlan(
        source,
        sheet.name,
        len(sheet.rows),
        problems=list(header.problems),
        columns=header.read_as,
        header=list(sheet.header),
    )
    if not sheet.header:
        plan.problems.append(row_finding(1, None, None, "KS200", "the sheet is empty"))
        return plan
    registry = load_registry(data_dir, use_cache=use_cache)
    existing = registry.paths()
    documents = registry.documents()
    stray: dict[int, int] = {}
    rows: list[_Checked] = []
    total = len(sheet.rows)
    for done, (number, values) in enumerate(sheet.rows, 1):
        plan.values[number] = values
        cells = _cells(sheet, header, values, stray, number)
        parsed = parse_row(number, cells, header.keys, settings)
        if parsed.inferred:
            plan.inferred[number] = parsed.inferred
        checked = _check_row(parsed, header, plan)
        if checked.record is not None and not (
            parsed.data.keys() & {"parent", "supersedes", "related"}
        ):
            # What locates a finding is needed later only for a row's references: a sheet of
            # 50,000 rows keeps its records, not every row's map of cells.
            parsed.columns = {}
            parsed.data = {}
        rows.append(checked)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    for index, first in sorted(stray.items()):
        message = f"column {column_letter(index)} has values (from row {first}) but no header"
        plan.problems.append(row_finding(1, None, index, "KS205", message))
    _check_ids(rows, existing, data_dir, header, plan)
    _name_generated(rows, set(existing))
    _check_already_imported(rows, registry.records, header, plan)
    _check_references(rows, documents, header, plan)
    if header.problems:
        # A column missing from the header is reported once there, not again in every row.
        present = set(header.names)
        plan.problems = [p for p in plan.problems if p.line == 1 or not p.key or p.key in present]
    for checked in rows:
        if checked.record is not None:
            path = _path(data_dir, checked.record)
            text = render_record_yaml(checked.record)
            unreadable = check_writable(path, text)
            plan.problems += [
                row_finding(
                    checked.parsed.row, None, None, f.rule, f"written as a file, {f.message}"
                )
                for f in unreadable
            ]
            plan.planned.append(
                Planned(checked.parsed.row, checked.record, path, checked.generated, text)
            )
    return plan


def _remove(written: list[Path], created: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)
    for folder in reversed(created):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def apply_import(
    plan: ImportPlan, data_dir: Path, *, strict: bool = False, skip_invalid: bool = False
) -> list[Path]:
    """Write every planned record, or none: a failure (or Ctrl-C) removes what was written.

    With ``skip_invalid``, the records of the rows that are ready (no error in the row, none in
    the header), all of them or none.
    """
    if skip_invalid:
        if plan.header_failed:
            raise RefusedWrite("the header has errors; nothing was written")
        items = plan.ready()
    elif plan.failed(strict=strict):
        raise RefusedWrite("the sheet has errors; nothing was written")
    else:
        items = plan.planned
    log = journal.begin(data_dir, [(item.path, item.text) for item in items])
    written: list[Path] = []
    created: list[Path] = []
    for item in items:
        folder = item.path.parent
        if not folder.exists():
            created.append(folder)
        try:
            written.append(write_new_record(data_dir, item.record, item.text))
        except (RecordExists, OSError) as exc:
            _remove(written, created)
            log.abandon()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise RefusedWrite(
                f"could not write {display_path(item.path)} ({reason}); removed the "
                f"{len(written)} file(s) written before it: nothing was imported"
            ) from None
        except BaseException:
            _remove(written, created)
            log.abandon()
            raise
    log.commit()
    return written
