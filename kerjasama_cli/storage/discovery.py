"""Finding record files on disk, and reporting whatever else is there.

Only ``*.yaml`` regular files under ``agreements/`` are records. Hidden files (our own
temporary files ``.<name>.<random>.tmp``, editor swap files, ``.gitkeep``) are skipped. A
symbolic link is followed only when it stays inside the folder being read: CI validates
whatever a pull request contains, and a link to ``/etc/passwd`` or ``~/.ssh`` must not be read
and echoed back in findings.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kerjasama_cli.findings import Finding
from kerjasama_cli.storage.reading import AGREEMENTS, _finding, absolute_path


def iter_record_paths(data_dir: Path) -> tuple[list[Path], list[Finding]]:
    """Every record file under ``agreements/``, sorted, and findings for anything else there."""
    return scan_folder(data_dir / AGREEMENTS)


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
    paths: list[Path] = []
    findings: list[Finding] = []
    if not folder.is_dir():
        return paths, findings
    try:
        boundary = folder.resolve()
    except (OSError, RuntimeError):
        return paths, findings

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        problem = (exc.strerror or type(exc).__name__).lower()
        findings.append(
            _finding(
                where,
                "KS100",
                f"folder cannot be read: {problem}; the records in it were not checked",
            )
        )

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames.sort()
        here = Path(dirpath)
        for name in list(dirnames):
            sub = here / name
            if name.startswith("."):
                dirnames.remove(name)  # .git, .cache: not records
            elif sub.is_symlink():
                if not _inside(sub, boundary):
                    findings.append(_outside(sub))
            elif name.endswith((".yaml", ".yml")):
                findings.append(
                    _finding(
                        sub,
                        "KS108",
                        "a folder is named like a record; expected a file <id>.yaml "
                        "(the files in the folder are still checked)",
                    )
                )
        for name in sorted(filenames):
            if name.startswith("."):
                continue  # hidden: .gitkeep, editor swap files, our own temporary files
            path = here / name
            finding = classify(path, boundary)
            if finding is None:
                paths.append(path)
            else:
                findings.append(finding)
    return sorted(paths), findings


def classify(path: Path, boundary: Path) -> Finding | None:
    """None when ``path`` is a record file to read, else the finding that says what it is."""
    name = path.name
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError):  # dangling, or a loop
            return _finding(
                path,
                "KS100",
                "file cannot be read: a broken symbolic link (its target is missing or it "
                "points to itself)",
            )
        if not _inside(path, boundary):
            return _outside(path)
    if name.endswith(".yml"):
        return _finding(path, "KS108", f"records end in .yaml; rename {name!r} to {name[:-4]}.yaml")
    if not name.endswith(".yaml"):
        return _finding(
            path,
            "KS108",
            "not a record: only <id>.yaml files belong under agreements/",
        )
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # gone meanwhile, or unreadable: reading it says so (KS100)
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return _finding(
            path, "KS108", "not a record: a pipe, socket or device named like a record file"
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
    return _finding(
        path,
        "KS109",
        f"symbolic link leads outside the data folder (to {target!r}); it is not followed "
        "(commit the record itself)",
    )
