"""One record file of the registry: an ``Entry``, as parsed here or kept in the cache.

An entry made by parsing (``load_entry``) holds the file's data, the record when it is one and
its findings. An entry from the cache or a worker process holds what ``pack`` kept (``Stored``)
and the pickled data, and builds each of these the first time it is asked for; what
validation and the cross-file rules need (its findings, and a ``Brief`` of the record) it has
from the start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from kerjasama_cli.findings import RULES, Cause, Finding, Loc
from kerjasama_cli.model import Record
from kerjasama_cli.pipeline import examine
from kerjasama_cli.storage import display_path
from kerjasama_cli.storage.cache import Parsed, RegistryCache, Row, dumps, load_payload
from kerjasama_cli.storage.files import AGREEMENTS as AGREEMENTS_NAME

_UNSET: Any = object()
_day = dt.date.fromordinal
# Where a stored entry's pickled data is: in memory (from a worker), or in the index (by path).
PickledData = bytes | tuple[RegistryCache, str] | None


class Brief(NamedTuple):
    """What cross-file rules and quick filters need of a valid record, without building it."""

    id: str
    document: str
    parent: str | None
    supersedes: tuple[str, ...]
    related: tuple[str, ...]
    regions: tuple[str, ...]  # the parties' region codes
    start_date: dt.date | None  # starts_on, else signed_on

    @classmethod
    def of(cls, record: Record) -> Brief:
        return cls(
            record.id,
            record.document,
            record.parent,
            tuple(record.supersedes or ()),
            tuple(record.related or ()),
            tuple(record.region_codes),
            record.start_date,
        )


# A finding as the cache keeps it (plain values), without the path, which is the entry's.
StoredFinding = tuple[str, str, Loc, int, int, bool, tuple[str, ...], Cause | None]


class Stored(NamedTuple):
    """What is kept of an entry, before the cross-file rules, in the cache and between
    processes. Plain values only: the cache stores it as a plain tuple."""

    raw_id: str | None
    brief: tuple[Any, ...] | None  # a Brief's fields; None when the file is no valid record
    findings: tuple[StoredFinding, ...]
    has_data: bool  # whether the file was a readable mapping (then its data is pickled)


def _stored_finding(f: Finding) -> StoredFinding:
    return (f.rule, f.message, f.loc, f.line, f.column, f.on_key, f.suggestions, f.cause)


def as_brief(fields: tuple[Any, ...]) -> Brief:
    """A Brief of its fields (tuple.__new__ makes the named tuple in C; _make is Python)."""
    return fields if type(fields) is Brief else tuple.__new__(Brief, fields)


class Entry:
    """One record file: its raw data, the valid record (if it is one) and its findings.

    ``findings`` are those of reading the file (KS1xx, placed) and of examining and checking
    the record (not placed until ``checking.locate_entry``). ``brief`` is None exactly when
    ``record`` is None.
    """

    __slots__ = (
        "_brief",
        "_data",
        "_findings",
        "_kept",
        "_path",
        "_pickled",
        "_record",
        "_stored",
        "digest",
    )

    def __init__(
        self,
        path: Path,
        data: dict[str, Any] | None,
        record: Record | None,
        findings: list[Finding] | None = None,
    ) -> None:
        self._path: Path | str = path
        self._data: dict[str, Any] | None = data
        self._record: Record | None = record
        self._findings: list[Finding] = [] if findings is None else findings
        self._brief: Brief | None = _UNSET
        self._stored: Stored | None = None
        self._kept: tuple[StoredFinding, ...] = ()
        self._pickled: PickledData = None
        self.digest: bytes | None = None  # of the bytes parsed, for the cache

    @classmethod
    def from_stored(cls, path: Path | str, stored: Stored, pickled: PickledData) -> Entry:
        """An entry from what ``pack`` kept, and where its pickled data is."""
        entry = cls.__new__(cls)
        entry._path = path
        entry._stored = stored
        entry._kept = stored.findings
        entry._pickled = pickled
        entry._data = entry._record = entry._brief = entry._findings = _UNSET
        entry.digest = None
        return entry

    @classmethod
    def from_index(cls, path: Path | str, cache: RegistryCache, rel: str, row: Row) -> Entry:
        """An entry the index has: its findings now, the rest when asked for."""
        entry = cls.__new__(cls)
        entry._path = path
        entry._stored = None
        entry._kept = row.findings
        entry._pickled = (cache, rel)
        entry._data = entry._record = entry._brief = entry._findings = _UNSET
        entry.digest = None
        return entry

    def _state(self) -> Stored:
        """What is kept of the entry; for an entry of the index, read from it now (or from the
        file, if the index no longer has it)."""
        stored = self._stored
        if stored is None:
            assert isinstance(self._pickled, tuple)
            cache, rel = self._pickled
            state = cache.state(rel)
            if state is None:  # gone from the index meanwhile: the file says
                parsed = load_entry(self.path)
                stored = pack(parsed)[0]
                self._pickled = None
                self._data, self._record = parsed._data, parsed._record
            else:
                raw_id, brief, has_data = state
                if brief is not None:
                    brief = (*brief[:6], None if brief[6] is None else _day(brief[6]))
                stored = Stored(raw_id, brief, self._kept, has_data)
            self._stored = stored
        return stored

    @property
    def path(self) -> Path:
        if isinstance(self._path, str):
            self._path = Path(self._path)
        return self._path

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the file: reading's (placed) and the record's (not yet placed)."""
        if self._findings is _UNSET:
            kept = self._kept
            placed = any(line for _, _, _, line, *_ in kept)  # read from the file: KS1xx
            shown = display_path(self.path) if placed else ""
            self._findings = [
                Finding(
                    rule, message, loc, shown if line else "", line, column, on_key, hints, cause
                )
                for rule, message, loc, line, column, on_key, hints, cause in kept
            ]
        return self._findings

    @property
    def has_errors(self) -> bool:
        """Whether any finding of the file is an error: its own, or found across files (the
        same id twice, a reference to nothing). Such a file is left out of what is listed,
        counted and exported, as a file that is no record at all."""
        if self._findings is _UNSET:
            return any(RULES[kept[0]][0] == "error" for kept in self._kept)
        return any(f.severity == "error" for f in self._findings)

    @property
    def data(self) -> dict[str, Any] | None:
        """The file's content as plain values (None when it is not a readable mapping)."""
        if self._data is _UNSET:
            self._build(keep_data=True)
        return self._data

    @property
    def record(self) -> Record | None:
        """The record, when the file is a valid one."""
        if self._record is _UNSET:
            if self._state().brief is None:
                return None
            self._build(keep_data=False)
        return self._record

    @property
    def raw_id(self) -> str | None:
        if self._stored is not None or self._pickled is not None:
            return self._state().raw_id
        if self._record is not None:
            return self._record.id
        value = (self._data or {}).get("id")
        return value if isinstance(value, str) else None

    @property
    def brief(self) -> Brief | None:
        """The record's id, document, references, regions and start; None when invalid."""
        if self._brief is _UNSET:
            if self._stored is not None or isinstance(self._pickled, tuple):
                fields = self._state().brief
                self._brief = None if fields is None else as_brief(fields)
            else:
                record = self.record
                self._brief = None if record is None else Brief.of(record)
        return self._brief

    def _build(self, *, keep_data: bool) -> None:
        """Data and record from the pickled data, or from the file if that is unreadable.

        Asked for the record alone, the data is not kept (it is read again if asked for): on a
        registry of 100,000 records, that is a third less memory for `summarise`.
        """
        stored = self._state()
        pickled = self._pickled
        raw = (
            pickled
            if isinstance(pickled, bytes)
            else pickled[0].payload(pickled[1])
            if pickled
            else None
        )
        data = load_payload(raw) if raw is not None else None
        if not isinstance(data, dict) and stored.has_data:
            from kerjasama_cli.storage.reading import load_file

            data = load_file(self.path).data
        if keep_data:
            self._data = data
        if self._record is _UNSET:
            self._record = None
            if stored.brief is not None and data is not None:
                # Invalid only if the file changed since it was checked; validate will tell.
                with contextlib.suppress(ValidationError):
                    self._record = Record.model_validate(data)
        if keep_data:
            self._pickled = None  # all that was needed of it

    def __repr__(self) -> str:
        return f"Entry({str(self._path)!r}, raw_id={self.raw_id!r})"


def registry_folder(path: Path) -> str | None:
    """The folder of ``agreements/`` that holds ``path``, as a path below it with "/" between
    the names (``2024``, ``draf``, ``2024/old`` for a folder in a year's folder); or None for a
    file directly in agreements/ or named outside the registry, whose folder no rule judges (a
    flat folder of records, as the first version of the format allowed, stays valid).

    Every record file the registry reads is below its ``agreements/`` (the scan starts there);
    the nearest folder of that name above ``path`` is taken for it. A folder of that name
    deeper inside makes a wrong answer only where the file is misplaced anyway."""
    parents = path.parent.parts
    for depth in range(len(parents) - 1, -1, -1):
        if parents[depth] == AGREEMENTS_NAME:
            return "/".join(parents[depth + 1 :]) or None
    return None


def load_entry(path: Path) -> Entry:
    """Read and parse one file and examine its record (the pipeline's single-record part)."""
    # Imported here, as in Entry._build: loading from the cache parses no YAML, and then
    # ruamel.yaml is not imported at all (about a tenth of a warm run's time).
    from kerjasama_cli.storage.reading import load_file

    loaded = load_file(path)
    entry = Entry(path, loaded.data, None, loaded.findings)
    entry.digest = loaded.digest
    if loaded.data is None:
        return entry
    checked = examine(loaded.data, stem=path.stem, folder=registry_folder(path))
    entry._record = checked.record
    entry._findings += checked.findings
    return entry


Packed = tuple[Stored, bytes | None, bytes | None, Any]  # kept, pickled data, digest, rows


def pack(entry: Entry, *, rows: bool = False) -> Packed:
    """What is kept of an entry (before cross-file rules) in the cache and between processes;
    with ``rows``, also what the index keeps of a valid record (its table rows, its view,
    what ``list --search`` looks in, and its row of export's CSV)."""
    brief = entry.brief
    data = entry.data
    stored = Stored(
        entry.raw_id,
        tuple(brief) if brief is not None else None,
        tuple(_stored_finding(f) for f in entry.findings),
        data is not None,
    )
    kept = None
    record = entry.record if rows and brief is not None else None
    if record is not None:
        from kerjasama_cli.exchange.database import record_rows
        from kerjasama_cli.exchange.stored_csv import stored_pieces
        from kerjasama_cli.light import columns_of
        from kerjasama_cli.query import searchable_text

        kept = (
            record_rows(record),
            columns_of(record),
            searchable_text(record),
            stored_pieces(record),
        )
    return stored, (dumps(data) if data is not None else None), entry.digest, kept


def parsed_for_index(packed: Packed) -> Parsed:
    """What the index keeps of a packed entry."""
    stored, data, digest, rows = packed
    state = stored.raw_id, stored.brief, stored.has_data
    if stored.brief is not None:
        start = stored.brief[6]
        state = (stored.raw_id, (*stored.brief[:6], start and start.toordinal()), stored.has_data)
    return Parsed(state, stored.findings, data, digest, rows)


def shared(stored: Stored, seen: dict[Any, Any]) -> tuple[Any, ...]:
    """``stored`` as the plain tuple the cache keeps, its repeated values (document, region
    codes, dates) as one object each, so that the cache's index stores and loads each once."""
    raw_id, brief, findings, has_data = stored
    if brief is not None:
        record_id, document, parent, supersedes, related, regions, start = brief
        brief = (
            raw_id if raw_id == record_id else record_id,
            seen.setdefault(document, document),
            parent,
            supersedes,
            related,
            tuple(seen.setdefault(code, code) for code in regions),
            seen.setdefault(start, start),
        )
    return (raw_id, brief, findings, has_data)


def as_stored(state: tuple[Any, ...]) -> Stored:
    """A ``Stored`` of the plain tuple the cache keeps."""
    return tuple.__new__(Stored, state)
