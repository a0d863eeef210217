"""The registry as the read commands (`list`, `show`) see it: records, paths, status, links.

A file that cannot be read as a record (it has errors that ``validate`` reports) is skipped
and counted, so that one broken file never stops anyone from finding the others.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerjasama_cli.findings import errors_of
from kerjasama_cli.model import Record
from kerjasama_cli.query import Filter
from kerjasama_cli.registry import Brief, Entry, Progress, collector_paused, load_registry
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


class _Paths(Mapping[int, Path]):
    """id(record) -> file, each made a Path only when asked for (a list on a pipe asks for
    none of them, where making 100,000 of them took a tenth of a second or more)."""

    def __init__(self, paths: dict[int, str]) -> None:
        self._paths = paths

    def __getitem__(self, key: int) -> Path:
        return Path(self._paths[key])

    def __iter__(self) -> Iterator[int]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


@dataclass(slots=True)
class Catalog:
    """The valid records of a registry, where each lives, and how status is computed."""

    records: list[Record]
    paths: Mapping[int, Path]  # id(record) -> file, since two files may share a record id
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

    def path_of(self, record: Record) -> Path:
        return self.paths[id(record)]

    def status(self, record: Record) -> str:
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
    light: bool = False,
) -> Catalog:
    """Load the registry once for reading: valid records with their paths and status context.

    With ``where``, ``records`` holds only the records that may match it (judged by regions and
    document, which the registry knows without building records): on a large registry the
    others are never built. With ``around`` (an id), only that record and the records linked
    to it either way, which is all ``get`` and ``links`` need to show it. ``total`` still
    counts every valid record, and status still sees every record that supersedes another.
    With ``light`` (and without ``around``), the records come from the registry's index when
    it has them, as LightRecords (indexed.py): what ``list`` shows of them is the same.
    """
    registry = load_registry(data_dir, use_cache=use_cache, progress=progress)
    if light and around is None:
        from kerjasama_cli.indexed import from_index

        indexed = from_index(registry, where)
        if indexed is not None:
            light_records: list[Any] = indexed.records
            return Catalog(
                light_records,
                _Paths({id(r): p for r, p in zip(light_records, indexed.paths, strict=True)}),
                StatusContext(as_of, window_days, indexed.superseded),
                [Path(p) for p in indexed.invalid],
                total=indexed.total,
            )
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
        for entry in registry.entries:
            raw_id = entry.raw_id
            if raw_id:
                ids.append(raw_id)
                if raw_id == around and errors_of(entry.findings):
                    faulty.append(entry.path)
            # A file with errors (its own, or across files: the same id twice) is no record
            # to list, count or show, as a file that does not parse.
            brief = entry.brief if not entry.has_errors else None
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
            record = entry.record if brief is not None else None
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
