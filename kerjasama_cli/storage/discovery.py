"""Finding record files on disk, and reporting whatever else is there.

Only ``*.yaml`` regular files under ``agreements/`` are records. Hidden files (our own
temporary files ``.<name>.<random>.tmp``, editor swap files, ``.gitkeep``) are skipped. A
symbolic link is followed only when it stays inside the folder being read: CI validates
whatever a pull request contains, and a link to ``/etc/passwd`` or ``~/.ssh`` must not be read
and echoed back in findings.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from kerjasama_cli.errors import system_reason
from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import _
from kerjasama_cli.storage.files import AGREEMENTS, absolute_path, display_path, file_finding

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: what a cache entry is keyed on
# A record file: its path as text, its path relative to the folder scanned, its stat (None when
# it could not be taken), and whether it is a symbolic link.
ScannedFile = tuple[str, str, Stat | None, bool]


def iter_record_paths(data_dir: Path) -> tuple[list[Path], list[Finding]]:
    """Every record file under ``agreements/``, sorted, and findings for anything else there."""
    return scan_folder(data_dir / AGREEMENTS)


def scan_record_files(data_dir: Path) -> tuple[list[ScannedFile], list[Finding]]:
    """``iter_record_paths`` with each file's stat, and paths as text (no Path objects).

    This is the scan of every load of the registry: an import into ``data_dir`` that was
    killed is finished or rolled back first (storage/journal.py), so that no command ever
    sees half of one."""
    from kerjasama_cli.storage.journal import recover

    recover(data_dir)
    return scan_files(data_dir / AGREEMENTS)


def agreements_root(data_dir: Path) -> Path:
    """The real location of ``agreements/`` (it may itself be a link, set up by its owner)."""
    try:
        return (data_dir / AGREEMENTS).resolve()
    except (OSError, RuntimeError):
        return absolute_path(data_dir / AGREEMENTS)


def scan_folder(folder: Path) -> tuple[list[Path], list[Finding]]:
    """Record files below ``folder`` (sorted) and findings for everything else found there.

    Links that lead outside ``folder`` are reported (KS109) and not followed; links to folders
    are never descended into (what they point to inside ``folder`` is read where it is).
    """
    files, findings = scan_files(folder)
    return [Path(file[0]) for file in files], findings


def scan_files(folder: Path) -> tuple[list[ScannedFile], list[Finding]]:
    """``scan_folder``, keeping each file's stat for the cache.

    It walks as ``os.walk`` would (sorted, hidden folders skipped, links to folders not
    followed, an unreadable folder reported) with one ``lstat`` per name, made in a batch: for
    a plain ``*.yaml`` file, by far the most common, that is also the stat the cache compares,
    so 100,000 records cost 100,000 system calls and no Path objects. Anything else goes
    through ``classify``, as one by one.
    """
    findings: list[Finding] = []
    if not folder.is_dir():
        return [], findings
    try:
        boundary = folder.resolve()
    except (OSError, RuntimeError):
        return [], findings
    return _scan(os.fspath(folder), "", boundary, findings), findings


# lstat relative to the folder (no path walked again for each file: 15 % less time for
# 100,000 files here), where the system offers it (not Windows).
_DIR_FD = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def _lstat_all(top: str, names: list[str], paths: list[str]) -> list[os.stat_result | None]:
    """The ``lstat`` of every name in the folder ``top`` (None for one that vanished)."""
    if _DIR_FD:
        try:
            folder = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            pass
        else:
            try:
                return list(map(functools.partial(os.lstat, dir_fd=folder), names))
            except OSError:
                pass  # something vanished meanwhile: one by one, below
            finally:
                os.close(folder)
    try:
        return list(map(os.lstat, paths))
    except OSError:
        return [_stat(path, follow=False) for path in paths]


def _scan(top: str, prefix: str, boundary: Path, findings: list[Finding]) -> list[ScannedFile]:
    """The record files below ``top`` in the order Paths sort in; findings in os.walk's order."""
    try:
        names = sorted(os.listdir(top))  # noqa: PTH208 (names, not one Path object each)
    except OSError as exc:
        problem = system_reason(exc)
        findings.append(
            file_finding(
                Path(exc.filename) if exc.filename else Path(top),
                "KS100",
                _("folder cannot be read: {problem}; the records in it were not checked").format(
                    problem=problem
                ),
            )
        )
        return []
    base = top + os.sep
    paths = [base + name for name in names]
    stats = _lstat_all(top, names, paths)
    folders: list[tuple[str, str, bool]] = []  # name, path, is a link
    records: list[ScannedFile] = []
    others: list[Finding] = []  # after the folders' findings, as os.walk would give them
    is_file, add = stat.S_ISREG, records.append  # this loop runs once per record file
    for name, path, st in zip(names, paths, stats, strict=True):
        if st is not None and is_file(st.st_mode):  # the usual case, quickly
            if name.endswith(".yaml") and not name.startswith("."):
                add(
                    (
                        path,
                        prefix + name,
                        (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino),
                        False,
                    )
                )
                continue
        elif st is not None and stat.S_ISDIR(st.st_mode):
            folders.append((name, path, False))
            continue
        elif st is not None and stat.S_ISLNK(st.st_mode):
            target = _stat(path, follow=True)
            if target is not None and stat.S_ISDIR(target.st_mode):
                folders.append((name, path, True))
                continue
        if name.startswith("."):
            continue  # hidden: .gitkeep, editor swap files, our own temporary files
        finding = classify(Path(path), boundary)
        if finding is not None:
            others.append(finding)
            continue
        followed = _stat(path, follow=True)
        key_or_none: Stat | None = None
        if followed is not None:
            key_or_none = (
                followed.st_size,
                followed.st_mtime_ns,
                followed.st_ctime_ns,
                followed.st_ino,
            )
        is_link = st is not None and stat.S_ISLNK(st.st_mode)
        records.append((path, prefix + name, key_or_none, is_link))
    walk_into: list[tuple[str, str]] = []
    for name, path, link in folders:
        sub = Path(path)
        if name.startswith("."):
            continue  # .git, .cache: not records
        if link:
            if not _inside(sub, boundary):
                findings.append(_outside(sub))
            continue
        if name.endswith((".yaml", ".yml")):
            findings.append(
                file_finding(
                    sub,
                    "KS108",
                    _(
                        "a folder is named like a record; expected a file <id>.yaml (the files "
                        "in the folder are still checked)"
                    ),
                )
            )
        walk_into.append((name, path))
    findings += others
    below: list[tuple[str, list[ScannedFile]]] = []
    for name, path in walk_into:
        found = _scan(path, prefix + name + os.sep, boundary, findings)
        if found:
            below.append((name, found))
    if not below:
        return records
    # A folder's files sort among its subfolders by name, as Path parts compare.
    keyed = [(os.path.normcase(r[1][len(prefix) :]), [r]) for r in records]
    merged: list[ScannedFile] = []
    for _key, group in sorted(keyed + [(os.path.normcase(n), g) for n, g in below]):
        merged += group
    return merged


def _stat(path: str, *, follow: bool) -> os.stat_result | None:
    try:
        return os.stat(path, follow_symlinks=follow)  # noqa: PTH116
    except OSError:
        return None


SHEET_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"})


def sheet_finding(path: Path) -> Finding | None:
    """KS108 for a spreadsheet given where a record is expected (an office's list dropped into
    agreements/, or named to `validate`): its rows come in with `import`. None for any other
    file."""
    if path.suffix.casefold() not in SHEET_SUFFIXES:
        return None
    return file_finding(
        path,
        "KS108",
        _(
            "a spreadsheet, not a record (records are <id>.yaml files); bring its rows in "
            "with: kerjasama import {path}"
        ).format(path=display_path(path)),
    )


def classify(path: Path, boundary: Path) -> Finding | None:
    """None when ``path`` is a record file to read, else the finding that says what it is."""
    name = path.name
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError):  # dangling, or a loop
            return file_finding(
                path,
                "KS100",
                _(
                    "file cannot be read: a broken symbolic link (its target is missing or it "
                    "points to itself)"
                ),
            )
        if not _inside(path, boundary):
            return _outside(path)
    if name.endswith(".yml"):
        return file_finding(
            path,
            "KS108",
            _("records end in .yaml; rename {name!r} to {stem}.yaml").format(
                name=name, stem=name[:-4]
            ),
        )
    if not name.endswith(".yaml"):
        return sheet_finding(path) or file_finding(
            path,
            "KS108",
            _("not a record: only <id>.yaml files belong under agreements/"),
        )
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # gone meanwhile, or unreadable: reading it says so (KS100)
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return file_finding(
            path,
            "KS108",
            _("not a record: a pipe, socket or device named like a record file"),
        )
    return None


def _inside(path: Path, boundary: Path) -> bool:
    try:
        path.resolve().relative_to(boundary)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _outside(path: Path) -> Finding:
    try:
        target = str(path.readlink())
    except OSError:
        target = "?"
    return file_finding(
        path,
        "KS109",
        _(
            "symbolic link leads outside the data folder (to {target!r}); it is not followed "
            "(commit the record itself)"
        ).format(target=target),
    )
