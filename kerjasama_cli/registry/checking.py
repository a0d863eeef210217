"""Checking the registry: the cross-file rules, and the findings of a run, placed in files.

``check_registry`` is ``validate``'s whole-registry or named-files check, ``check_changes``
its ``--changed-since`` check. The rules themselves are in rules.py; each entry's own
findings were made by the pipeline (pipeline.py) when it was loaded.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path

from kerjasama_cli.findings import CheckResult, Finding, format_loc
from kerjasama_cli.i18n import _
from kerjasama_cli.pipeline import locate
from kerjasama_cli.registry.entry import Brief, Entry
from kerjasama_cli.registry.loading import Progress, load_registry
from kerjasama_cli.registry.selection import loadable, located_at, resolving_to
from kerjasama_cli.rules import References, check_references, check_unique_ids, iter_references
from kerjasama_cli.storage import absolute_path, agreements_root, display_path, scan_folder
from kerjasama_cli.storage.discovery import sheet_finding


def check_across(entries: list[Entry], found: dict[int, list[Finding]] | None = None) -> bool:
    """Cross-file rules: unique ids (KS401) and references (KS402, KS403). True if all pass.

    ``found`` gets the findings added to each entry (by its index), for the registry's index.
    """
    ids: list[str | None] = []
    documents: dict[str, str | None] = {}  # each id's document (from its first entry)
    referring: list[tuple[int, Entry, Brief]] = []
    added: dict[int, list[Finding]] = {} if found is None else found
    for index, entry in enumerate(entries):
        brief = entry.brief
        raw_id = brief.id if brief is not None else entry.raw_id
        ids.append(raw_id)
        if raw_id and raw_id not in documents:
            documents[raw_id] = brief.document if brief is not None else None
        if brief is not None and (brief.parent or brief.supersedes or brief.related):
            referring.append((index, entry, brief))
    clean = True
    for i, finding in check_unique_ids(ids, lambda i: display_path(entries[i].path)):
        entries[i].findings.append(finding)
        added.setdefault(i, []).append(finding)
        clean = False
    for index, entry, brief in referring:
        problems = list(check_references(brief, documents))
        if problems:
            entry.findings.extend(problems)
            added.setdefault(index, []).extend(problems)
            clean = False
    return clean


def locate_entry(entry: Entry) -> list[Finding]:
    """The entry's findings, each placed in its file (positions read again only when some
    finding needs them)."""
    findings = entry.findings
    if all(f.line for f in findings):
        return list(findings)
    from kerjasama_cli.storage.reading import load_source_map

    return locate(findings, display_path(entry.path), load_source_map(entry.path))


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
        result = CheckResult(files=registry.size)
        result.extend(registry.stray)
        for entry in registry.with_findings():  # an entry without findings adds nothing
            result.extend(locate_entry(entry))
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
        elif (sheet := sheet_finding(path)) is not None and not key.is_relative_to(root):
            result.files += 1  # a sheet named to validate: not read as YAML (KS106 said nothing)
            result.extend([sheet])
        else:
            extra.append(path)
            targets.add(key)
    registry = load_registry(data_dir, extra, use_cache=use_cache, progress=progress)
    chosen = located_at(registry, targets, folders)
    for i, entry in enumerate(registry.entries):
        if i in chosen:
            result.files += 1
            result.extend(locate_entry(entry))
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
        [p for p in changed if loadable(data_dir, p)],
        use_cache=use_cache,
        progress=progress,
    )
    result = CheckResult()
    result.extend(f for f in registry.stray if Path(f.path).resolve() in targets)
    chosen = resolving_to(registry, targets)
    for i, entry in enumerate(registry.entries):
        if i in chosen:
            result.files += 1
            result.extend(locate_entry(entry))
        elif gone_ids and (brief := entry.brief) is not None:
            keys = _references_to(brief, gone_ids)
            if keys:
                result.files += 1
                result.extend(
                    replace(
                        f,
                        message=_("{message} (its record was deleted or renamed)").format(
                            message=f.message
                        ),
                    )
                    for f in locate_entry(entry)
                    if f.rule == "KS402" and f.key in keys
                )
    return result
