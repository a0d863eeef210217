"""Which entries of a registry a command names: files and folders given on the command line,
and the files a git change touched (``validate --changed-since``)."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from kerjasama_cli.registry.loading import Registry
from kerjasama_cli.storage import absolute_path, agreements_root


def located_at(
    registry: Registry, targets: Collection[Path], folders: Collection[Path]
) -> set[int]:
    """The indexes of the entries whose ``absolute_path`` is one of ``targets`` or lies in
    one of ``folders``, without working out every entry's absolute path.

    A file the scan found is in a folder it walked into (never through a link): its
    absolute path is the real agreements folder joined with its path below it.
    """
    if not targets and not folders:
        return set()
    root = agreements_root(registry.data_dir)
    files = registry.files
    found: set[int] = set()
    if targets:
        by_rel = {os.path.normcase(f[1]): i for i, f in enumerate(files)}
        for target in targets:
            if target.is_relative_to(root):
                index = by_rel.get(os.path.normcase(str(target.relative_to(root))))
                if index is not None:
                    found.add(index)
    if any(folder == root for folder in folders):
        found.update(range(len(files)))
    else:
        prefixes = tuple(
            os.path.normcase(str(folder.relative_to(root))) + os.sep
            for folder in folders
            if folder.is_relative_to(root)
        )
        if prefixes:
            found.update(
                i for i, f in enumerate(files) if os.path.normcase(f[1]).startswith(prefixes)
            )
    for i in range(len(files), len(registry.entries)):
        key = absolute_path(registry.entries[i].path)
        if key in targets or any(key.is_relative_to(folder) for folder in folders):
            found.add(i)
    return found


def resolving_to(registry: Registry, targets: Collection[Path]) -> set[int]:
    """The indexes of the entries whose path resolves to one of ``targets`` (resolved).

    Without resolving every entry's path: a file the scan found, not a symbolic link, in a
    folder it walked into, resolves to the resolved agreements folder joined with its path.
    """
    if not targets:
        return set()
    real_root = agreements_root(registry.data_dir)
    files = registry.files
    by_rel = {rel: i for i, (_, rel, _, link) in enumerate(files) if not link}
    found: set[int] = set()
    for target in targets:
        if target.is_relative_to(real_root):
            index = by_rel.get(str(target.relative_to(real_root)))
            if index is not None:
                found.add(index)
    for i, (path, _, _, link) in enumerate(files):
        if link and Path(path).resolve() in targets:
            found.add(i)
    for i in range(len(files), len(registry.entries)):
        if registry.entries[i].path.resolve() in targets:
            found.add(i)
    return found


def outside(data_dir: Path, extra: list[Path]) -> list[Path]:
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


def loadable(data_dir: Path, path: Path) -> bool:
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
