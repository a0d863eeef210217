"""The registry as a whole: load every record file, check it, and give findings positions."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kerjasama_cli.findings import CheckResult, Finding, Loc, format_loc
from kerjasama_cli.model import Record
from kerjasama_cli.rules import (
    Problem,
    check_id_matches_file,
    check_record,
    check_references,
    problems_from_errors,
)
from kerjasama_cli.storage import (
    absolute_path,
    agreements_root,
    display_path,
    iter_record_paths,
    load_file,
    load_source_map,
    scan_folder,
)


@dataclass(slots=True)
class Entry:
    """One record file: its raw data, the valid record (if it is one) and its problems."""

    path: Path
    data: dict[str, Any] | None
    record: Record | None
    findings: list[Finding] = field(default_factory=list)  # already located (KS1xx)
    problems: list[Problem] = field(default_factory=list)  # to be located

    @property
    def raw_id(self) -> str | None:
        if self.record is not None:
            return self.record.id
        value = (self.data or {}).get("id")
        return value if isinstance(value, str) else None


def load_entry(path: Path) -> Entry:
    """Read, parse and model-validate one file, and run the single-record rules on it."""
    loaded = load_file(path)
    entry = Entry(path, loaded.data, None, loaded.findings)
    if loaded.data is None:
        return entry
    try:
        entry.record = Record.model_validate(loaded.data)
    except ValidationError as exc:
        entry.problems.extend(problems_from_errors(exc))
        return entry
    entry.problems.extend(check_id_matches_file(entry.record, path.stem))
    entry.problems.extend(check_record(entry.record))
    return entry


@dataclass(slots=True)
class Registry:
    """Every record file under a data folder, loaded and checked."""

    data_dir: Path
    entries: list[Entry]
    stray: list[Finding] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        """The valid records, in file order."""
        return [e.record for e in self.entries if e.record is not None]

    def entry_for(self, record_id: str) -> Entry | None:
        return next((e for e in self.entries if e.raw_id == record_id), None)

    @property
    def invalid_files(self) -> int:
        return sum(1 for e in self.entries if e.record is None)


def load_registry(data_dir: Path, extra: Iterable[Path] = ()) -> Registry:
    """Load every record under ``data_dir/agreements`` (plus ``extra`` files), checking each.

    An ``extra`` file under ``agreements/`` is not read on its own: the walk of the folder has
    already taken it as a record or reported it (a link leading out, a .yml file, ...).
    """
    paths, stray = iter_record_paths(data_dir)
    root = agreements_root(data_dir)
    seen = {absolute_path(p) for p in paths}
    for path in extra:
        key = absolute_path(path)
        if key not in seen and not key.is_relative_to(root):
            seen.add(key)
            paths.append(path)
    entries = [load_entry(p) for p in paths]
    _check_across(entries)
    return Registry(data_dir, entries, stray)


def _check_across(entries: list[Entry]) -> None:
    """Cross-file rules: unique ids (KS401) and references (KS402, KS403)."""
    by_id: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.raw_id:
            by_id[entry.raw_id].append(entry)
    for record_id, same in by_id.items():
        if len(same) > 1:
            for entry in same:
                others = ", ".join(display_path(o.path) for o in same if o is not entry)
                entry.problems.append(
                    Problem(
                        ("id",),
                        "KS401",
                        f"id {record_id!r} is also used by {others}; expected ids to be unique",
                    )
                )
    documents: dict[str, str | None] = {}
    for record_id, same in by_id.items():
        record = same[0].record
        documents[record_id] = record.document if record else None
    for entry in entries:
        if entry.record is not None:
            entry.problems.extend(check_references(entry.record, documents))


def locate(entry: Entry) -> list[Finding]:
    """The entry's findings, its problems given line and column from the file."""
    findings = list(entry.findings)
    if not entry.problems:
        return findings
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


def check_registry(data_dir: Path, only: Iterable[Path] | None = None) -> CheckResult:
    """Validate the registry; with ``only``, report just those files (and folders' files).

    Cross-file rules always see the whole registry. Files and folders named outside the data
    folder are read too, by the same rules (links leading out of a named folder are reported).
    """
    if only is None:
        registry = load_registry(data_dir)
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
    registry = load_registry(data_dir, extra)
    for entry in registry.entries:
        key = absolute_path(entry.path)
        if key in targets or any(key.is_relative_to(f) for f in folders):
            result.files += 1
            result.extend(locate(entry))
    # Findings carry the path as shown; compare them the same way.
    shown = {display_path(t) for t in targets}
    prefixes = tuple(display_path(f).rstrip(os.sep) + os.sep for f in folders)
    for finding in registry.stray:
        if finding.path in shown or finding.path.startswith(prefixes):
            result.extend([finding])
    return result


def _references_to(record: Record, ids: Collection[str]) -> set[str]:
    """The keys (``parent``, ``supersedes[0]``, ...) of ``record`` that name one of ``ids``."""
    refs: list[tuple[Loc, str]] = [(("parent",), record.parent)] if record.parent else []
    refs += [(("supersedes", i), ref) for i, ref in enumerate(record.supersedes or [])]
    refs += [(("related", i), ref) for i, ref in enumerate(record.related or [])]
    return {format_loc(loc) for loc, ref in refs if ref in ids}


def check_changes(
    data_dir: Path, changed: Iterable[Path], gone_ids: Collection[str]
) -> CheckResult:
    """Validate the registry, reporting only ``changed`` files and the damage of deletions.

    Every finding of a changed file is reported; of the other files, only the KS402 findings
    for references to ``gone_ids`` (records that were deleted or renamed away), so that
    deleting a record others still name fails even though the naming files did not change.
    Cross-file rules see the whole registry.
    """
    changed = list(changed)
    targets = {p.resolve() for p in changed}
    registry = load_registry(data_dir, [p for p in changed if _loadable(data_dir, p)])
    result = CheckResult()
    result.extend(f for f in registry.stray if Path(f.path).resolve() in targets)
    for entry in registry.entries:
        if entry.path.resolve() in targets:
            result.files += 1
            result.extend(locate(entry))
        elif gone_ids and entry.record is not None:
            keys = _references_to(entry.record, gone_ids)
            if keys:
                result.files += 1
                result.extend(
                    replace(f, message=f"{f.message} (its record was deleted or renamed)")
                    for f in locate(entry)
                    if f.rule == "KS402" and f.key in keys
                )
    return result
