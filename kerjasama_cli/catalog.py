"""The registry as the read commands (`list`, `show`) see it: records, paths, status, links.

A file that cannot be read as a record (it has errors that ``validate`` reports) is skipped
and counted, so that one broken file never stops anyone from finding the others.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerjasama_cli.findings import errors_of
from kerjasama_cli.light import LightRecord, ReadRecord, light
from kerjasama_cli.model import Record
from kerjasama_cli.query import Filter
from kerjasama_cli.registry import (
    Brief,
    Entry,
    Progress,
    Registry,
    collector_paused,
    load_registry,
)
from kerjasama_cli.status import DEFAULT_WINDOW_DAYS, StatusContext, supersession_starts


@dataclass(frozen=True, slots=True)
class Links:
    """The records linked to one record, in both directions."""

    parent: str | None = None
    implemented_by: tuple[str, ...] = ()  # records whose parent is this one (PKS, adendum)
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # named here, or naming this one

    def as_dict(self) -> dict[str, str | list[str] | None]:
        return {
            "parent": self.parent,
            "implemented_by": list(self.implemented_by),
            "supersedes": list(self.supersedes),
            "superseded_by": list(self.superseded_by),
            "related": list(self.related),
        }

    def __bool__(self) -> bool:
        return bool(
            self.parent
            or self.implemented_by
            or self.supersedes
            or self.superseded_by
            or self.related
        )


@dataclass(slots=True)
class Catalog:
    """The valid records of a registry, where each lives, and how status is computed."""

    records: list[Any]  # Record, or LightRecord when loaded ``light``
    paths: dict[int, Path]  # id(record) -> file, since two files may share a record id
    context: StatusContext
    skipped: list[Path] = field(default_factory=list)  # files that are not a valid record
    ids: list[str] = field(default_factory=list)  # every id in the registry, valid or not
    broken: dict[str, Path] = field(default_factory=dict)  # id or file stem -> skipped file
    total: int = -1  # valid records in the registry (records may hold fewer: load_catalog)
    # With ``around``: every file of that id that has errors, its own or across files (the
    # same id used twice, a reference to nothing).
    faulty: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.total < 0:
            self.total = len(self.records)

    def path_of(self, record: ReadRecord) -> Path:
        return self.paths[id(record)]

    def status(self, record: ReadRecord) -> str:
        return self.context.status(record)

    def broken_file(self, record_id: str) -> Path | None:
        """The skipped file that holds ``record_id`` (by its id or its name), if any."""
        return self.broken.get(record_id)

    def get(self, record_id: str) -> Record | None:
        return next((r for r in self.records if r.id == record_id), None)

    def links(self, record: Record) -> Links:
        """Parent, implementing records, supersession both ways, and related both ways."""
        implemented = [r.id for r in self.records if r.parent == record.id]
        superseded_by = [r.id for r in self.records if record.id in (r.supersedes or [])]
        related = list(record.related or [])
        related += [
            r.id for r in self.records if record.id in (r.related or []) and r.id not in related
        ]
        return Links(
            parent=record.parent,
            implemented_by=tuple(sorted(set(implemented))),
            supersedes=tuple(record.supersedes or ()),
            superseded_by=tuple(sorted(set(superseded_by))),
            related=tuple(related),
        )

    def close_ids(self, wanted: str, limit: int = 5) -> list[str]:
        """Ids that contain ``wanted`` (A-Z), or else the most similar ones, best first."""
        needle = wanted.strip().casefold()
        known = sorted(set(self.ids))
        containing = [i for i in known if needle and needle in i]
        if containing:
            return containing[:limit]
        return difflib.get_close_matches(needle, known, n=limit, cutoff=0.6)


def load_catalog(
    data_dir: Path,
    as_of: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    where: Filter | None = None,
    *,
    around: str | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    lightweight: bool = False,
) -> Catalog:
    """Load the registry once for reading: valid records with their paths and status context.

    With ``where``, ``records`` holds only the records that may match it (judged by regions and
    document, which the registry knows without building records): on a large registry the
    others are never built. With ``around`` (an id), only that record and the records linked
    to it either way, which is all ``get`` and ``links`` need to show it. ``total`` still
    counts every valid record, and status still sees every record that supersedes another.
    With ``lightweight``, the records are LightRecords (from the index where it has them).
    """
    registry = load_registry(data_dir, use_cache=use_cache, progress=progress)
    # All the views at once, unless only those of a few regions or documents are wanted.
    few = where is not None and bool(where.regions or where.within or where.documents)
    view = view_maker(registry, every=not few and around is None) if lightweight else None
    near = _linked_ids(registry.entries, around) if around is not None else set()
    records: list[Record] = []
    superseding: list[Brief] = []
    valid = 0
    paths: dict[int, Path] = {}
    skipped: list[Path] = []
    ids: list[str] = []
    broken: dict[str, Path] = {}
    faulty: list[Path] = []
    may_match = where.may_match if where is not None else None
    with collector_paused():
        for index, entry in enumerate(registry.entries):
            raw_id = entry.raw_id
            if raw_id:
                ids.append(raw_id)
                if raw_id == around and errors_of(entry.findings):
                    faulty.append(entry.path)
            brief = entry.brief
            if brief is not None:
                valid += 1
                if brief.supersedes:
                    superseding.append(brief)
                if may_match is not None and not may_match(brief.regions, brief.document):
                    continue
                if around is not None and not (
                    brief.id in near
                    or brief.parent == around
                    or around in brief.supersedes
                    or around in brief.related
                ):
                    continue
            record: Any = None
            if brief is not None:
                record = entry.record if view is None else view(index, entry)
            if record is None:
                skipped.append(entry.path)
                broken.setdefault(entry.path.stem, entry.path)
                if raw_id:
                    broken.setdefault(raw_id, entry.path)
                continue
            records.append(record)
            paths[id(record)] = entry.path
    context = StatusContext(as_of, window_days, supersession_starts(superseding))
    return Catalog(records, paths, context, skipped, ids, broken, valid, faulty)


def _linked_ids(entries: list[Entry], record_id: str) -> set[str]:
    """``record_id`` and the ids its records name (parent, supersedes, related)."""
    near = {record_id}
    for entry in entries:
        brief = entry.brief
        if brief is not None and brief.id == record_id:
            near.update(brief.supersedes, brief.related)
            if brief.parent:
                near.add(brief.parent)
    return near


def view_maker(registry: Registry, *, every: bool = True) -> Any:
    """A function of (index, entry) giving the entry's LightRecord, or None when it is no
    valid record: from the view the index keeps, for an entry the index gave, else built from
    the record (the same function makes the index's views: the answers are the same).
    ``every``: read every view from the index at once (else one by one, as asked for)."""
    cache = next((c[0] for e in registry.entries if (c := e.cached) is not None), None)
    views = cache.views() if cache is not None and every else {}
    rels = [f[1] for f in registry.files]

    def view(index: int, entry: Entry) -> LightRecord | None:
        cached = entry.cached
        if index < len(rels) and cached is not None:
            rel = rels[index]
            found = views.get(rel) if every else cached[0].views([rel]).get(rel)
            if found is not None:
                return LightRecord(found)
        record = entry.record
        return None if record is None else light(record)

    return view


def light_records(registry: Registry) -> list[LightRecord]:
    """Every valid record of the registry as a LightRecord, in file order."""
    view = view_maker(registry)
    out: list[LightRecord] = []
    with collector_paused():
        for index, entry in enumerate(registry.entries):
            if entry.brief is not None and (record := view(index, entry)) is not None:
                out.append(record)
    return out
