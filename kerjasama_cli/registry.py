"""The registry as a whole: load every record file, check it, and give findings positions.

Loading is the slow part of every command on a large registry, so the same entries are made
three ways: a file unchanged since an earlier run comes from the cache (storage/cache.py);
many files to parse on a machine with several cores are parsed by worker processes; otherwise
files are parsed here one by one. An entry from the cache or a worker keeps the file's data as
bytes and builds ``data`` and ``record`` the first time they are asked for; what validation and
the cross-file rules need (its problems, and a ``Brief`` of the record) it has from the start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from kerjasama_cli.findings import CheckResult, Finding, format_loc
from kerjasama_cli.model import Record
from kerjasama_cli.rules import (
    Problem,
    References,
    check_id_matches_file,
    check_record,
    check_references,
    iter_references,
    problems_from_errors,
)
from kerjasama_cli.storage import (
    ScannedFile,
    absolute_path,
    agreements_root,
    display_path,
    scan_folder,
    scan_record_files,
)
from kerjasama_cli.storage.cache import RegistryCache, Row, dumps, load_payload

Progress = Callable[[int, int], None]  # (files parsed so far, files to parse)

JOBS_ENV = "KERJASAMA_JOBS"
# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 1000
_CHUNK = 250
_UNSET: Any = object()
# Where a stored entry's pickled data is: in memory (from a worker), or in the cache.
Source = bytes | tuple[RegistryCache, Row] | None


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


class Entry:
    """One record file: its raw data, the valid record (if it is one) and its problems.

    ``findings`` are located already (KS1xx, from reading); ``problems`` get their line and
    column from ``locate``. ``brief`` is None exactly when ``record`` is None.

    An entry made from what ``_pack`` kept (the cache, a worker) holds that ``_state`` and the
    pickled data, and builds each attribute the first time it is asked for.
    """

    __slots__ = (
        "_brief",
        "_data",
        "_findings",
        "_path",
        "_problems",
        "_record",
        "_source",
        "_state",
        "digest",
    )

    def __init__(
        self,
        path: Path,
        data: dict[str, Any] | None,
        record: Record | None,
        findings: list[Finding] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self._path: Path | str = path
        self._data: dict[str, Any] | None = data
        self._record: Record | None = record
        self._findings: list[Finding] = [] if findings is None else findings
        self._problems: list[Problem] = [] if problems is None else problems
        self._brief: Brief | None = _UNSET
        self._state: Any = None
        self._source: Source = None
        self.digest: bytes | None = None  # of the bytes parsed, for the cache

    @classmethod
    def _stored(cls, path: Path | str, state: Any, source: Source) -> Entry:
        """An entry from a packed state (see ``_pack``) and where its pickled data is."""
        entry = cls.__new__(cls)
        entry._path = path
        entry._state = state
        entry._source = source
        entry._data = entry._record = entry._brief = entry._findings = entry._problems = _UNSET
        entry.digest = None
        return entry

    @property
    def path(self) -> Path:
        if isinstance(self._path, str):
            self._path = Path(self._path)
        return self._path

    @property
    def findings(self) -> list[Finding]:
        """Problems found reading the file (KS1xx), with their positions."""
        if self._findings is _UNSET:
            stored = self._state[2]
            self._findings = (
                [Finding(display_path(self.path), *f) for f in stored] if stored else []
            )
        return self._findings

    @findings.setter
    def findings(self, value: list[Finding]) -> None:
        self._findings = value

    @property
    def problems(self) -> list[Problem]:
        """Problems with the content, to be given positions by ``locate``."""
        if self._problems is _UNSET:
            self._problems = [Problem(*p) for p in self._state[3]]
        return self._problems

    @problems.setter
    def problems(self, value: list[Problem]) -> None:
        self._problems = value

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
            if self._state[1] is None:
                return None
            self._build(keep_data=False)
        return self._record

    @record.setter
    def record(self, value: Record | None) -> None:
        self._record = value
        self._brief = _UNSET
        self._state = None

    @property
    def raw_id(self) -> str | None:
        if self._state is not None:
            raw_id: str | None = self._state[0]
            return raw_id
        if self._record is not None:
            return self._record.id
        value = (self._data or {}).get("id")
        return value if isinstance(value, str) else None

    @property
    def brief(self) -> Brief | None:
        """The record's id, document, references, regions and start; None when invalid."""
        if self._brief is _UNSET:
            if self._state is not None:
                fields = self._state[1]
                self._brief = None if fields is None else _as_brief(fields)
            else:
                record = self.record
                self._brief = None if record is None else Brief.of(record)
        return self._brief

    def brief_fields(self) -> tuple[Any, ...] | None:
        """``brief`` as a plain tuple, without making a Brief (for the loops over everything)."""
        if self._state is not None:
            fields: tuple[Any, ...] | None = self._state[1]
            return fields
        return self.brief

    def _build(self, *, keep_data: bool) -> None:
        """Data and record from the pickled data, or from the file if that is unreadable.

        Asked for the record alone, the data is not kept (it is read again if asked for): on a
        registry of 100,000 records, that is a third less memory for `summarise`.
        """
        source = self._source
        raw = (
            source
            if isinstance(source, bytes)
            else source[0].payload(source[1])
            if source
            else None
        )
        data = load_payload(raw) if raw is not None else None
        if not isinstance(data, dict) and self._state[4]:
            from kerjasama_cli.storage.reading import load_file

            data = load_file(self.path).data
        if keep_data:
            self._data = data
        if self._record is _UNSET:
            self._record = None
            if self._state[1] is not None and data is not None:
                # Invalid only if the file changed since it was checked; validate will tell.
                with contextlib.suppress(ValidationError):
                    self._record = Record.model_validate(data)
        if keep_data:
            self._source = None  # all that was needed of it

    def __repr__(self) -> str:
        return f"Entry({str(self._path)!r}, raw_id={self.raw_id!r})"


def load_entry(path: Path) -> Entry:
    """Read, parse and model-validate one file, and run the single-record rules on it."""
    # Imported here, as in locate and Entry._build: loading from the cache parses no YAML, and
    # then ruamel.yaml is not imported at all (about a tenth of a warm run's time).
    from kerjasama_cli.storage.reading import load_file

    loaded = load_file(path)
    entry = Entry(path, loaded.data, None, loaded.findings)
    entry.digest = loaded.digest
    if loaded.data is None:
        return entry
    try:
        entry.record = Record.model_validate(loaded.data)
    except ValidationError as exc:
        entry.problems.extend(problems_from_errors(exc))
        raw_id = loaded.data.get("id")
        if isinstance(raw_id, str):  # KS209 is not hidden by the file's other errors
            entry.problems.extend(check_id_matches_file(raw_id, path.stem))
        return entry
    entry.problems.extend(check_id_matches_file(entry.record.id, path.stem))
    entry.problems.extend(check_record(entry.record))
    return entry


Packed = tuple[Any, bytes | None, bytes | None]  # state, payload (pickled data), digest


def _pack(entry: Entry) -> Packed:
    """What is kept of an entry (before cross-file rules) in the cache and between processes."""
    brief = entry.brief
    data = entry.data
    state = (
        entry.raw_id,
        tuple(brief) if brief is not None else None,
        tuple((f.line, f.column, f.key, f.rule, f.severity, f.message) for f in entry.findings),
        tuple((p.loc, p.rule, p.message, p.on_key) for p in entry.problems),
        data is not None,
    )
    return state, (dumps(data) if data is not None else None), entry.digest


def _shared(state: Any, seen: dict[Any, Any]) -> Any:
    """The state with its repeated values (document, region codes, dates) as one object each,
    so that the cache's index stores and loads each once."""
    raw_id, brief, findings, problems, has_data = state
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
    return raw_id, brief, findings, problems, has_data


def _load_chunk(paths: list[str]) -> list[Packed]:
    """Worker process: load and pack some files."""
    return [_pack(load_entry(Path(p))) for p in paths]


@dataclass(slots=True)
class Registry:
    """Every record file under a data folder, loaded and checked."""

    data_dir: Path
    entries: list[Entry]
    stray: list[Finding] = field(default_factory=list)
    # What the scan found, for the first len(files) entries (the rest are extra files).
    files: list[ScannedFile] = field(default_factory=list, repr=False)

    def located_at(self, targets: Collection[Path], folders: Collection[Path]) -> set[int]:
        """The indexes of the entries whose ``absolute_path`` is one of ``targets`` or lies in
        one of ``folders``, without working out every entry's absolute path.

        A file the scan found is in a folder it walked into (never through a link): its
        absolute path is the real agreements folder joined with its path below it.
        """
        if not targets and not folders:
            return set()
        root = agreements_root(self.data_dir)
        found: set[int] = set()
        if targets:
            by_rel = {os.path.normcase(f[1]): i for i, f in enumerate(self.files)}
            for target in targets:
                if target.is_relative_to(root):
                    index = by_rel.get(os.path.normcase(str(target.relative_to(root))))
                    if index is not None:
                        found.add(index)
        if any(folder == root for folder in folders):
            found.update(range(len(self.files)))
        else:
            prefixes = tuple(
                os.path.normcase(str(folder.relative_to(root))) + os.sep
                for folder in folders
                if folder.is_relative_to(root)
            )
            if prefixes:
                found.update(
                    i
                    for i, f in enumerate(self.files)
                    if os.path.normcase(f[1]).startswith(prefixes)
                )
        for i in range(len(self.files), len(self.entries)):
            key = absolute_path(self.entries[i].path)
            if key in targets or any(key.is_relative_to(folder) for folder in folders):
                found.add(i)
        return found

    def resolving_to(self, targets: Collection[Path]) -> set[int]:
        """The indexes of the entries whose path resolves to one of ``targets`` (resolved).

        Without resolving every entry's path: a file the scan found, not a symbolic link, in a
        folder it walked into, resolves to the resolved agreements folder joined with its path.
        """
        if not targets:
            return set()
        real_root = agreements_root(self.data_dir)
        by_rel = {rel: i for i, (_, rel, _, link) in enumerate(self.files) if not link}
        found: set[int] = set()
        for target in targets:
            if target.is_relative_to(real_root):
                index = by_rel.get(str(target.relative_to(real_root)))
                if index is not None:
                    found.add(index)
        for i, (path, _, _, link) in enumerate(self.files):
            if link and Path(path).resolve() in targets:
                found.add(i)
        for i in range(len(self.files), len(self.entries)):
            if self.entries[i].path.resolve() in targets:
                found.add(i)
        return found

    @property
    def records(self) -> list[Record]:
        """The valid records, in file order (built with the cyclic collector paused: it would
        otherwise traverse every record made so far, again and again, for no cycle)."""
        with collector_paused():
            return [record for e in self.entries if (record := e.record) is not None]

    def entry_for(self, record_id: str) -> Entry | None:
        return next((e for e in self.entries if e.raw_id == record_id), None)

    @property
    def invalid_files(self) -> int:
        return sum(1 for e in self.entries if e.brief is None)


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
    are the same either way). ``progress`` is called as files are parsed.
    """
    with collector_paused():  # the cache's index is read in a thread meanwhile: all of it
        cache = RegistryCache.open(data_dir) if use_cache else None
        files, stray = scan_record_files(data_dir)
        extras = _outside(data_dir, list(extra))
        entries: list[Entry | None] = [None] * (len(files) + len(extras))
        todo: list[int] = []
        if cache is None:
            todo.extend(range(len(files)))
        else:
            stored = Entry._stored
            for i, row in enumerate(cache.lookup_files(files)):
                if row is None:
                    todo.append(i)
                else:
                    entries[i] = stored(files[i][0], row[2], (cache, row))
        todo += range(len(files), len(files) + len(extras))
        # Paths as text where the scan gave text: a Path is made only when an entry needs one.
        paths = [files[i][0] if i < len(files) else extras[i - len(files)] for i in todo]
        shared: dict[Any, Any] = {}
        if cache is not None:
            cache.ready()
        for i, (entry, packed) in zip(
            todo, _parse(paths, cache is not None, progress), strict=True
        ):
            entries[i] = entry
            if cache is not None and packed is not None and i < len(files):
                _, rel, stat, _ = files[i]
                if stat is not None:
                    cache.put(rel, stat, packed[2], _shared(packed[0], shared), packed[1])
        loaded = [e for e in entries if e is not None]
        if cache is not None and not todo and cache.across_clean and cache.unchanged(len(files)):
            clean = True  # the very files of a run that found nothing across them
        else:
            clean = _check_across(loaded)
        if cache is not None:
            # Said of the cached files alone: true only if nothing else was checked with them.
            alone = not extras and all(f[2] is not None for f in files)
            cache.save(
                (rel for _, rel, stat, _ in files if stat is not None),
                across_clean=clean if alone else None,
            )
    return Registry(data_dir, loaded, stray, files)


def _outside(data_dir: Path, extra: list[Path]) -> list[Path]:
    """The ``extra`` files to read besides the registry's: those outside ``agreements/``, once.

    One under ``agreements/`` is not read on its own: the walk of the folder has already taken
    it as a record or reported it (a link leading out, a .yml file, ...).
    """
    if not extra:
        return []
    root = agreements_root(data_dir)
    seen: set[Path] = set()
    out: list[Path] = []
    for path in extra:
        key = absolute_path(path)
        if key not in seen and not key.is_relative_to(root):
            seen.add(key)
            out.append(path)
    return out


def _parse(
    paths: list[str | Path], pack: bool, progress: Progress | None
) -> Iterator[tuple[Entry, Packed | None]]:
    """Entries for ``paths``, in order: in worker processes when worth it, else here."""
    jobs = _jobs(len(paths))
    if jobs > 1:
        try:
            yield from _parse_in_workers(paths, jobs, progress)
            return
        except OSError:
            pass  # no processes here (sandbox, no /dev/shm): parse in this one
    for done, path in enumerate(paths, 1):
        entry = load_entry(Path(path))
        yield entry, (_pack(entry) if pack else None)
        if progress is not None and (done % 100 == 0 or done == len(paths)):
            progress(done, len(paths))


def _jobs(count: int) -> int:
    """How many processes parse ``count`` files: ``$KERJASAMA_JOBS``, else every core for many."""
    wanted = os.environ.get(JOBS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return min(int(wanted), max(count, 1))
    if count < PARALLEL_MIN_FILES:
        return 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _parse_in_workers(
    paths: list[str | Path], jobs: int, progress: Progress | None
) -> Iterator[tuple[Entry, Packed]]:
    import multiprocessing

    from kerjasama_cli.gazetteer import load_gazetteer

    load_gazetteer()  # once, before forking, rather than once per worker
    method = "fork" if sys.platform == "linux" else "spawn"
    size = max(1, min(_CHUNK, len(paths) // (jobs * 4)))
    chunks = [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]
    done = 0
    with multiprocessing.get_context(method).Pool(jobs, initializer=gc.disable) as pool:
        for results in pool.imap(_load_chunk, chunks):
            for packed in results:
                yield Entry._stored(paths[done], packed[0], packed[1]), packed
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


def _check_across(entries: list[Entry]) -> bool:
    """Cross-file rules: unique ids (KS401) and references (KS402, KS403). True if all pass."""
    first: dict[str, Entry] = {}  # each id's first entry
    documents: dict[str, str | None] = {}  # each id's document (from its first entry)
    repeated: dict[str, list[Entry]] = {}
    referring: list[tuple[Entry, tuple[Any, ...]]] = []
    for entry in entries:
        fields = entry.brief_fields()
        raw_id = fields[0] if fields is not None else entry.raw_id
        if raw_id:
            if raw_id not in first:
                first[raw_id] = entry
                documents[raw_id] = fields[1] if fields is not None else None
            elif raw_id in repeated:
                repeated[raw_id].append(entry)
            else:
                repeated[raw_id] = [first[raw_id], entry]
        if fields is not None and (fields[2] or fields[3] or fields[4]):  # references
            referring.append((entry, fields))
    for record_id, same in repeated.items():
        for entry in same:
            others = ", ".join(display_path(o.path) for o in same if o is not entry)
            entry.problems.append(
                Problem(
                    ("id",),
                    "KS401",
                    f"id {record_id!r} is also used by {others}; expected ids to be unique",
                )
            )
    clean = not repeated
    for entry, fields in referring:
        found = list(check_references(_as_brief(fields), documents))
        if found:
            entry.problems.extend(found)
            clean = False
    return clean


def _as_brief(fields: tuple[Any, ...]) -> Brief:
    # tuple.__new__ makes the named tuple in C; Brief._make goes through Python.
    return fields if type(fields) is Brief else tuple.__new__(Brief, fields)


def locate(entry: Entry) -> list[Finding]:
    """The entry's findings, its problems given line and column from the file."""
    findings = list(entry.findings)
    if not entry.problems:
        return findings
    from kerjasama_cli.storage.reading import load_source_map

    source = load_source_map(entry.path)
    path = display_path(entry.path)
    for problem in entry.problems:
        line, column = source.locate(problem.loc, key=problem.on_key) if source else (1, 1)
        message = problem.message
        if (
            source
            and problem.rule == "KS206"
            and "in quotes" not in message
            and "found the number" in message
        ):
            token = source.token_at((line, column))
            if token and not token.startswith(("'", '"')):
                message += f" (written as {token}; put it in quotes if it is text)"
        findings.append(
            Finding(
                path, line, column, format_loc(problem.loc), problem.rule, problem.severity, message
            )
        )
    return findings


def _loadable(data_dir: Path, path: Path) -> bool:
    """Whether a named file is read as a record: anything outside ``agreements/``, and inside
    it what the registry itself reads (``*.yaml`` files that are not hidden).

    So pre-commit or a shell glob passing ``agreements/.gitkeep`` or ``notes.txt`` gets the
    registry's own verdict on them (skipped, or KS108), not a record's parse errors.
    """
    root = agreements_root(data_dir)
    where = absolute_path(path)  # a link is judged where it is, not where it points
    if not where.is_relative_to(root):
        return True
    hidden = any(part.startswith(".") for part in where.relative_to(root).parts)
    return path.suffix == ".yaml" and not hidden and path.is_file()


def check_registry(
    data_dir: Path,
    only: Iterable[Path] | None = None,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> CheckResult:
    """Validate the registry; with ``only``, report just those files (and folders' files).

    Cross-file rules always see the whole registry. Files and folders named outside the data
    folder are read too, by the same rules (links leading out of a named folder are reported).
    """
    if only is None:
        registry = load_registry(data_dir, use_cache=use_cache, progress=progress)
        result = CheckResult(files=len(registry.entries))
        result.extend(registry.stray)
        for entry in registry.entries:
            result.extend(locate(entry))
        return result
    root = agreements_root(data_dir)
    extra: list[Path] = []
    targets: set[Path] = set()
    folders: list[Path] = []
    result = CheckResult()
    for path in only:
        key = absolute_path(path)
        if path.is_dir():
            real = path.resolve()
            if real.is_relative_to(root):
                folders.append(real)
                continue
            paths, findings = scan_folder(path)
            extra += paths
            targets.update(absolute_path(p) for p in paths)
            result.extend(findings)
        else:
            extra.append(path)
            targets.add(key)
    registry = load_registry(data_dir, extra, use_cache=use_cache, progress=progress)
    chosen = registry.located_at(targets, folders)
    for i, entry in enumerate(registry.entries):
        if i in chosen:
            result.files += 1
            result.extend(locate(entry))
    # Findings carry the path as shown; compare them the same way.
    shown = {display_path(t) for t in targets}
    prefixes = tuple(display_path(f).rstrip(os.sep) + os.sep for f in folders)
    for finding in registry.stray:
        if finding.path in shown or finding.path.startswith(prefixes):
            result.extend([finding])
    return result


def _references_to(record: References, ids: Collection[str]) -> set[str]:
    """The keys (``parent``, ``supersedes[0]``, ...) of ``record`` that name one of ``ids``."""
    return {format_loc(loc) for loc, ref in iter_references(record) if ref in ids}


def check_changes(
    data_dir: Path,
    changed: Iterable[Path],
    gone_ids: Collection[str],
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> CheckResult:
    """Validate the registry, reporting only ``changed`` files and the damage of deletions.

    Every finding of a changed file is reported; of the other files, only the KS402 findings
    for references to ``gone_ids`` (records that were deleted or renamed away), so that
    deleting a record others still name fails even though the naming files did not change.
    Cross-file rules see the whole registry.
    """
    changed = list(changed)
    targets = {p.resolve() for p in changed}
    registry = load_registry(
        data_dir,
        [p for p in changed if _loadable(data_dir, p)],
        use_cache=use_cache,
        progress=progress,
    )
    result = CheckResult()
    result.extend(f for f in registry.stray if Path(f.path).resolve() in targets)
    chosen = registry.resolving_to(targets)
    for i, entry in enumerate(registry.entries):
        if i in chosen:
            result.files += 1
            result.extend(locate(entry))
        elif gone_ids and (brief := entry.brief) is not None:
            keys = _references_to(brief, gone_ids)
            if keys:
                result.files += 1
                result.extend(
                    replace(f, message=f"{f.message} (its record was deleted or renamed)")
                    for f in locate(entry)
                    if f.rule == "KS402" and f.key in keys
                )
    return result
