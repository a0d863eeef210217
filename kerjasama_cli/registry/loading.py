"""Loading the registry: every record file under a data folder, as entries, checked.

Loading is the slow part of every command on a large registry, so the same entries are made
three ways: a file unchanged since an earlier run comes from the index (storage/cache.py);
many files to parse on a machine with several cores are parsed by worker processes; otherwise
files are parsed here one by one. Then the cross-file rules run (checking.py).
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kerjasama_cli import environment
from kerjasama_cli.findings import Finding
from kerjasama_cli.model import Record
from kerjasama_cli.registry.entry import (
    Entry,
    Packed,
    _stored_finding,
    load_entry,
    pack,
    parsed_for_index,
)
from kerjasama_cli.storage import ScannedFile, scan_record_files
from kerjasama_cli.storage.cache import RegistryCache, Row

if TYPE_CHECKING:
    from kerjasama_cli.registry.workers import Workers

Progress = Callable[[int, int], None]  # (files parsed so far, files to parse)

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 1000
_CHUNK = 250


class Registry:
    """Every record file under a data folder, loaded and checked."""

    __slots__ = ("_entries", "_found", "_make", "data_dir", "files", "index", "stray")

    def __init__(
        self,
        data_dir: Path,
        entries: list[Entry] | Callable[[], list[Entry]],
        stray: list[Finding] | None = None,
        files: list[ScannedFile] | None = None,
        index: RegistryCache | None = None,
    ) -> None:
        self.data_dir = data_dir
        # ``entries`` may be made when first asked for: the read commands answered from the
        # index never ask.
        self._entries: list[Entry] | None = None if callable(entries) else entries
        self._make = entries if callable(entries) else None
        # With ``entries`` to be made: the entries that have findings, made alone on demand.
        self._found: Callable[[], list[Entry]] | None = None
        self.stray: list[Finding] = [] if stray is None else stray
        # What the scan found, for the first len(files) entries (the rest are extra files).
        self.files: list[ScannedFile] = [] if files is None else files
        # The index, when its tables describe exactly these files (then the read commands
        # answer from them); None without one, or when it could not be brought up to date.
        self.index = index

    @property
    def entries(self) -> list[Entry]:
        if self._entries is None:
            assert self._make is not None
            with collector_paused():
                self._entries = self._make()
        return self._entries

    def __repr__(self) -> str:
        return f"Registry({str(self.data_dir)!r}, {len(self.files)} files)"

    def with_findings(self) -> list[Entry]:
        """The entries that may have findings (all of them, unless the index says which)."""
        if self._entries is None and self._found is not None:
            return self._found()
        return [e for e in self.entries if e.findings]

    @property
    def size(self) -> int:
        """How many files the registry has (entries), without making the entries."""
        return len(self.files) if self._entries is None else len(self._entries)

    @property
    def records(self) -> list[Record]:
        """The valid records, in file order (built with the cyclic collector paused: it would
        otherwise traverse every record made so far, again and again, for no cycle)."""
        with collector_paused():
            return [
                record
                for e in self.entries
                if (record := e.record) is not None and not e.has_errors
            ]

    def entry_for(self, record_id: str) -> Entry | None:
        return next((e for e in self.entries if e.raw_id == record_id), None)

    def entries_for(self, record_id: str) -> list[Entry]:
        """Every entry with this id (more than one when the id is used twice)."""
        return [e for e in self.entries if e.raw_id == record_id]

    def documents(self) -> dict[str, str | None]:
        """Every id with its document kind (None when its file is no valid record), for the
        references of a record being checked against the registry."""
        documents: dict[str, str | None] = {}
        for entry in self.entries:
            if entry.raw_id:
                brief = entry.brief  # not entry.record: that would build every record
                documents[entry.raw_id] = brief.document if brief else None
        return documents

    def paths(self) -> dict[str, Path]:
        """Each id with the path of its first file."""
        paths: dict[str, Path] = {}
        for entry in self.entries:
            if entry.raw_id:
                paths.setdefault(entry.raw_id, entry.path)
        return paths

    @property
    def invalid_files(self) -> int:
        if self.index is not None:
            unlisted = self.index.unlisted()
            if unlisted is not None:
                return unlisted
        return sum(1 for e in self.entries if e.brief is None or e.has_errors)


def load_registry(
    data_dir: Path,
    extra: Iterable[Path] = (),
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> Registry:
    """Load every record under ``data_dir/agreements`` (plus ``extra`` files), checking each.

    An ``extra`` file under ``agreements/`` is not read on its own: the walk of the folder has
    already taken it as a record or reported it (a link leading out, a .yml file, ...). With
    ``use_cache``, files unchanged since an earlier run are not parsed again (the results
    are the same either way), and the index is brought up to date. ``progress`` is called as
    files are parsed.
    """
    from kerjasama_cli.registry.checking import check_across
    from kerjasama_cli.registry.selection import outside

    environment.jobs()  # a bad $KERJASAMA_JOBS is a usage error also when no file is parsed
    with collector_paused():
        cache = RegistryCache.open(data_dir) if use_cache else None
        files, stray = scan_record_files(data_dir)
        extras = outside(data_dir, list(extra))
        if cache is not None and not extras:
            quick = cache.quick(files)
            if quick is not None:  # the very files of the last complete run
                cache.save(files, None, None)  # only rows in doubt confirmed since, if any
                registry = Registry(
                    data_dir,
                    functools.partial(_from_index, cache, files, quick),
                    stray,
                    files,
                    cache if cache.current else None,
                )
                registry._found = functools.partial(_found_in_index, cache, files, quick)
                return registry
        slots: list[Entry | None] = [None] * (len(files) + len(extras))
        todo: list[int] = []
        if cache is None:
            todo.extend(range(len(files)))
        else:
            cache.read_rows()
            from_index = Entry.from_index
            for i, row in enumerate(cache.lookup_files(files)):
                if row is None:
                    todo.append(i)
                else:
                    slots[i] = from_index(files[i][0], cache, files[i][1], row)
        todo += range(len(files), len(files) + len(extras))
        # Paths as text where the scan gave text: a Path is made only when an entry needs one.
        paths = [files[i][0] if i < len(files) else extras[i - len(files)] for i in todo]
        for i, (entry, packed) in zip(
            todo, _parse(paths, cache is not None, progress), strict=True
        ):
            slots[i] = entry
            if cache is not None and packed is not None and i < len(files):
                _, rel, stat, _ = files[i]
                if stat is not None:
                    cache.put(rel, stat, parsed_for_index(packed))
        entries = [e for e in slots if e is not None]
        found: dict[int, list[Finding]] = {}
        check_across(entries, found)
        if cache is None:
            return Registry(data_dir, entries, stray, files)
        # Said of the indexed files alone: true only if nothing else was checked with them.
        alone = not extras and all(f[2] is not None for f in files)
        across = listed = None
        if alone:
            across = {
                files[i][1]: tuple(_stored_finding(f) for f in kept) for i, kept in found.items()
            }
            listed = {
                f[1]: e.brief is not None and not e.has_errors
                for f, e in zip(files, entries, strict=False)
            }
        cache.save(files, across, listed)
    return Registry(data_dir, entries, stray, files, cache if cache.current else None)


def _from_index(cache: RegistryCache, files: list[ScannedFile], rows: list[Row]) -> list[Entry]:
    from_index = Entry.from_index
    return [from_index(f[0], cache, f[1], row) for f, row in zip(files, rows, strict=True)]


def _found_in_index(cache: RegistryCache, files: list[ScannedFile], rows: list[Row]) -> list[Entry]:
    from_index = Entry.from_index
    return [
        from_index(f[0], cache, f[1], row)
        for f, row in zip(files, rows, strict=True)
        if row.findings
    ]


def _parse(
    paths: list[str | Path], keep: bool, progress: Progress | None
) -> Iterator[tuple[Entry, Packed | None]]:
    """Entries for ``paths``, in order: in worker processes when worth it, else here (and
    what the index keeps of each, when ``keep``)."""
    jobs = _jobs(len(paths))
    if jobs > 1:
        try:
            workers = _start_workers(jobs, keep)
        except OSError:
            pass  # no processes here (a sandbox): parse in this one
        else:
            yield from _parse_in_workers(workers, paths, progress)
            return
    for done, path in enumerate(paths, 1):
        entry = load_entry(Path(path))
        yield entry, (pack(entry, rows=True) if keep else None)
        if progress is not None and (done % 100 == 0 or done == len(paths)):
            progress(done, len(paths))


def _jobs(count: int) -> int:
    """How many processes parse ``count`` files: ``$KERJASAMA_JOBS``, else every core for many."""
    wanted = environment.jobs()
    if wanted is not None:
        return min(wanted, max(count, 1))
    if count < PARALLEL_MIN_FILES:
        return 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _load_chunk(paths: list[str], keep: bool = False) -> list[Packed]:
    """Worker process: load and pack some files (with their rows for the index, if ``keep``)."""
    return [pack(load_entry(Path(p)), rows=keep) for p in paths]


def _start_workers(jobs: int, keep: bool) -> Workers[list[str], list[Packed]]:
    """``jobs`` processes that parse chunks of files (OSError when the system has none)."""
    from kerjasama_cli.gazetteer import load_gazetteer
    from kerjasama_cli.model import Record
    from kerjasama_cli.registry.workers import Workers

    load_gazetteer()  # once, before forking, rather than once per worker
    Record.model_rebuild()  # its validator too (model.py builds it when first used)
    return Workers(functools.partial(_load_chunk, keep=keep), jobs)


def _parse_in_workers(
    workers: Workers[list[str], list[Packed]], paths: list[str | Path], progress: Progress | None
) -> Iterator[tuple[Entry, Packed | None]]:
    jobs = len(workers)
    size = max(1, min(_CHUNK, len(paths) // (jobs * 4)))
    chunks = [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]
    done = 0
    with workers:
        for results in workers.map(chunks):
            for packed in results:
                yield Entry.from_stored(paths[done], packed[0], packed[1]), packed
                done += 1
            if progress is not None:
                progress(done, len(paths))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading makes many objects and no cycles: the cyclic collector only slows it down
    (by half, on 100,000 records). Use it around loops over every entry too.

    On the way out, what was made meanwhile is moved to the oldest generation without being
    traversed (``freeze`` then ``unfreeze``, unless the program froze objects of its own):
    otherwise the first allocation after would make the collector traverse all of it at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
