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

from kerjasama_cli.findings import Cause, Finding, Loc
from kerjasama_cli.model import Record
from kerjasama_cli.pipeline import examine
from kerjasama_cli.storage import display_path
from kerjasama_cli.storage.cache import RegistryCache, Row, dumps, load_payload

_UNSET: Any = object()
# Where a stored entry's pickled data is: in memory (from a worker), or in the cache.
PickledData = bytes | tuple[RegistryCache, Row] | None


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
        self._pickled: PickledData = None
        self.digest: bytes | None = None  # of the bytes parsed, for the cache

    @classmethod
    def from_stored(cls, path: Path | str, stored: Stored, pickled: PickledData) -> Entry:
        """An entry from what ``pack`` kept, and where its pickled data is."""
        entry = cls.__new__(cls)
        entry._path = path
        entry._stored = stored
        entry._pickled = pickled
        entry._data = entry._record = entry._brief = entry._findings = _UNSET
        entry.digest = None
        return entry

    @property
    def path(self) -> Path:
        if isinstance(self._path, str):
            self._path = Path(self._path)
        return self._path

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the file: reading's (placed) and the record's (not yet placed)."""
        if self._findings is _UNSET:
            assert self._stored is not None
            kept = self._stored.findings
            shown = display_path(self.path) if any(f[3] for f in kept) else ""
            self._findings = [
                Finding(
                    rule, message, loc, shown if line else "", line, column, on_key, hints, cause
                )
                for rule, message, loc, line, column, on_key, hints, cause in kept
            ]
        return self._findings

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
            assert self._stored is not None
            if self._stored.brief is None:
                return None
            self._build(keep_data=False)
        return self._record

    @property
    def raw_id(self) -> str | None:
        if self._stored is not None:
            return self._stored.raw_id
        if self._record is not None:
            return self._record.id
        value = (self._data or {}).get("id")
        return value if isinstance(value, str) else None

    @property
    def brief(self) -> Brief | None:
        """The record's id, document, references, regions and start; None when invalid."""
        if self._brief is _UNSET:
            if self._stored is not None:
                fields = self._stored.brief
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
        assert self._stored is not None
        pickled = self._pickled
        raw = (
            pickled
            if isinstance(pickled, bytes)
            else pickled[0].payload(pickled[1])
            if pickled
            else None
        )
        data = load_payload(raw) if raw is not None else None
        if not isinstance(data, dict) and self._stored.has_data:
            from kerjasama_cli.storage.reading import load_file

            data = load_file(self.path).data
        if keep_data:
            self._data = data
        if self._record is _UNSET:
            self._record = None
            if self._stored.brief is not None and data is not None:
                # Invalid only if the file changed since it was checked; validate will tell.
                with contextlib.suppress(ValidationError):
                    self._record = Record.model_validate(data)
        if keep_data:
            self._pickled = None  # all that was needed of it

    @property
    def cached(self) -> tuple[RegistryCache, Row] | None:
        """The index and its row, when this entry comes from the index."""
        pickled = self._pickled
        return pickled if isinstance(pickled, tuple) else None

    def __repr__(self) -> str:
        return f"Entry({str(self._path)!r}, raw_id={self.raw_id!r})"


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
    checked = examine(loaded.data, stem=path.stem)
    entry._record = checked.record
    entry._findings += checked.findings
    return entry


# What is kept, pickled data, digest, pickled view (light.view_of) of a valid record.
Packed = tuple[Stored, bytes | None, bytes | None, bytes | None]


def pack(entry: Entry) -> Packed:
    """What is kept of an entry (before cross-file rules) in the cache and between processes."""
    from kerjasama_cli.light import view_of

    brief = entry.brief
    data = entry.data
    stored = Stored(
        entry.raw_id,
        tuple(brief) if brief is not None else None,
        tuple(_stored_finding(f) for f in entry.findings),
        data is not None,
    )
    record = entry.record if brief is not None else None
    view = dumps(view_of(record)) if record is not None else None
    return stored, (dumps(data) if data is not None else None), entry.digest, view


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
