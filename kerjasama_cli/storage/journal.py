"""The journal that makes ``import`` all-or-nothing even when the process is killed.

Before ``import`` writes its first record it writes a journal: the data folder, and for each
file it is about to create the path and a SHA-256 of the exact bytes it will hold (and the
year folders it will make). The journal is flushed to disk and stays locked (``flock``) while
the import runs; when every record is written, the journal is deleted (:meth:`Journal.commit`).

A journal that is still there and not locked belongs to an import that was killed (SIGKILL, a
power cut). :func:`recover`, called by the scan of ``agreements/`` that every command reading
the registry goes through, settles it before anything is read:

- every listed file is there, byte for byte: the import had finished writing, and only the
  deletion of the journal was missed. It is kept (finished);
- otherwise it is rolled back: each listed file whose content still has the recorded hash is
  deleted (one a person wrote or changed since is kept, and named), then the year folders the
  import made, if empty.

The journal lives under the cache folder (``$KERJASAMA_CACHE_DIR/journals/``, one per data
folder, keyed like the cache), never in the data folder: a journal must not be able to arrive
with the data (a pull request adding one would make ``validate`` in CI delete the records it
lists). It is acted on only when it is private to the user (mode 0600, as ``mkstemp`` makes
it; a checked-out file never is), and the paths in it must lie in the data folder's
``agreements/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerjasama_cli.errors import RefusedWrite, system_reason
from kerjasama_cli.i18n import _
from kerjasama_cli.storage.files import AGREEMENTS, display_path, printable
from kerjasama_cli.storage.writing import temporary_file

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, no recovery
    fcntl = None  # type: ignore[assignment]

FORMAT = 1
_MAX_JOURNAL_BYTES = 64 * 1024 * 1024


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def journal_path(data_dir: Path) -> Path | None:
    """Where the journal of imports into ``data_dir`` lives (None when that cannot be told)."""
    from kerjasama_cli.storage.cache import FORMAT as CACHE_FORMAT
    from kerjasama_cli.storage.cache import cache_root

    try:
        real = data_dir.resolve()
        root = cache_root()
    except (OSError, RuntimeError):
        return None
    name = hashlib.sha256(os.fsencode(str(real))).hexdigest()[:24]
    return root / "journals" / f"{CACHE_FORMAT}-{name}.journal"


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class Journal:
    """An import's journal, locked while the import writes."""

    data_dir: Path
    path: Path | None = None  # None: no journal could be written (the import goes on without)
    fd: int | None = None
    entries: list[tuple[Path, str]] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def commit(self) -> None:
        """Every file is written (and flushed): forget the journal."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            _fsync_dir(self.path.parent)
        self._release()

    def abandon(self) -> None:
        """The import stopped and removed the files it wrote itself: forget the journal.

        (Rolling back by hash here could delete a file that another process wrote with the
        same text at the path this import found taken.)"""
        self.commit()

    def _release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # releases the lock
            self.fd = None


def begin(data_dir: Path, files: Sequence[tuple[Path, str]]) -> Journal:
    """Write and lock the journal of an import about to create ``files`` (path, text).

    RefusedWrite when another import into the same folder holds its journal. When the journal
    cannot be written at all (no cache folder), a warning says that a killed import would not
    be rolled back, and the import goes on.
    """
    if not files:
        return Journal(data_dir)
    entries = [(path, digest(text.encode("utf-8"))) for path, text in files]
    folders: list[Path] = []
    for path, _sha in entries:
        if not path.parent.exists() and path.parent not in folders:
            folders.append(path.parent)
    journal = Journal(data_dir, entries=entries, folders=folders)
    target = journal_path(data_dir)
    if target is None or fcntl is None:
        return journal
    document = {
        "format": FORMAT,
        "data_dir": str(data_dir.resolve()),
        "files": [[_relative(data_dir, path), sha] for path, sha in entries],
        "folders": [_relative(data_dir, folder) for folder in folders],
    }
    with contextlib.ExitStack() as stack:
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Known to the handler of SIGTERM (console.py), which removes it if the import is
            # ended before the journal is in place.
            fd, tmp = stack.enter_context(temporary_file(target.parent, "journal"))
        except OSError as exc:
            _no_journal(target.parent, exc)
            return journal
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # before the journal can be seen: it is never unlocked
            os.write(fd, json.dumps(document).encode("utf-8"))
            os.fsync(fd)
            try:
                os.link(tmp, target)
            except FileExistsError:
                os.close(fd)
                raise RefusedWrite(
                    _(
                        "another import into {folder} is writing (its journal {journal} is in "
                        "use); try again when it has finished; nothing was written"
                    ).format(folder=display_path(data_dir), journal=printable(str(target)))
                ) from None
        except OSError as exc:
            os.close(fd)
            _no_journal(target.parent, exc)
            return journal
        finally:
            tmp.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    journal.path, journal.fd = target, fd
    return journal


def _no_journal(folder: Path, exc: OSError) -> None:
    _warn(
        _(
            "cannot keep an import journal in {folder} ({reason}); "
            "if this import is killed, the records written so far stay"
        ).format(folder=folder, reason=system_reason(exc))
    )


def _relative(data_dir: Path, path: Path) -> str:
    return os.path.relpath(path, data_dir)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What :func:`recover` did with a killed import's journal."""

    finished: bool  # every file was there: kept
    removed: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = ()  # changed since the import wrote them: left alone


def recover(data_dir: Path) -> Recovery | None:
    """Finish or roll back the import into ``data_dir`` that was killed, if there was one.

    None when there is no journal, or its import is still running (the journal is locked).
    Never raises: a journal that cannot be read or settled is reported and left in place.
    """
    target = journal_path(data_dir)
    if target is None or fcntl is None:
        return None
    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError:
        return None  # the usual case: no journal
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None  # an import is writing now
        try:
            info = os.fstat(fd)
            if info.st_ino != target.stat().st_ino:
                return None  # committed or settled by another process meanwhile
        except OSError:
            return None
        if not _private(info):
            _warn(
                _(
                    "{journal} looks like the journal of an interrupted import, but it is not "
                    "private to you (mode 0600, yours) as kerjasama makes it; it was not acted on"
                ).format(journal=target)
            )
            return None
        recovery = _settle(data_dir, fd, target)
        if recovery is not None:
            target.unlink(missing_ok=True)
            _fsync_dir(target.parent)
            _report(data_dir, recovery)
        return recovery
    finally:
        os.close(fd)


def _private(info: os.stat_result) -> bool:
    """Whether the journal is as :func:`begin` makes it (mkstemp: 0600, the user's own). A file
    checked out by git, even into a cache folder kept in the work tree, never is."""
    getuid = getattr(os, "getuid", None)
    return (info.st_mode & 0o077) == 0 and (getuid is None or info.st_uid == getuid())


def _settle(data_dir: Path, fd: int, target: Path) -> Recovery | None:
    try:
        raw = os.read(fd, _MAX_JOURNAL_BYTES + 1)
        document = json.loads(raw)
        entries, folders = _entries(data_dir, document)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        _warn(
            _(
                "the journal of an interrupted import, {journal}, cannot be read ({problem}); "
                "nothing was rolled back (check the records, then delete the journal)"
            ).format(journal=target, problem=exc)
        )
        return None
    if all(_holds(path, sha) for path, sha in entries):
        return Recovery(finished=True)
    removed, kept = _roll_back(data_dir, entries, folders)
    return Recovery(finished=False, removed=tuple(removed), kept=tuple(kept))


def _entries(data_dir: Path, document: Any) -> tuple[list[tuple[Path, str]], list[Path]]:
    """The journal's files and folders, each checked to lie in ``data_dir``'s agreements/."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(_("not a journal of this version"))
    if document["data_dir"] != str(data_dir.resolve()):
        raise ValueError(_("written for another data folder"))
    root = (data_dir / AGREEMENTS).resolve()

    def inside(rel: Any) -> Path:
        if not isinstance(rel, str):
            raise TypeError(_("a path is not text"))
        path = data_dir / rel
        if not path.parent.resolve().is_relative_to(root):
            raise ValueError(_("{path!r} is outside {folder}/").format(path=rel, folder=AGREEMENTS))
        return path

    entries = [(inside(rel), str(sha)) for rel, sha in document["files"]]
    folders = [inside(rel) for rel in document["folders"]]
    return entries, folders


def _holds(path: Path, sha: str) -> bool:
    try:
        return not path.is_symlink() and digest(path.read_bytes()) == sha
    except OSError:
        return False


def _roll_back(
    data_dir: Path, entries: Sequence[tuple[Path, str]], folders: Sequence[Path]
) -> tuple[list[Path], list[Path]]:
    removed: list[Path] = []
    kept: list[Path] = []
    for path, sha in entries:
        if _holds(path, sha):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
        elif path.exists() or path.is_symlink():
            kept.append(path)
    touched = {path.parent for path in removed}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty
    for folder in touched:
        if folder.exists():
            _fsync_dir(folder)
    _fsync_dir(data_dir / AGREEMENTS)
    return removed, kept


def _report(data_dir: Path, recovery: Recovery) -> None:
    where = display_path(data_dir)
    if recovery.finished:
        _warn(
            _("an import into {folder} was interrupted after writing all its records; kept").format(
                folder=where
            )
        )
        return
    if recovery.kept:
        message = _(
            "an import into {folder} was interrupted; rolled back: removed the {n} record "
            "file(s) it had written; kept {kept} changed since: {shown}"
        )
    else:
        message = _(
            "an import into {folder} was interrupted; rolled back: removed the {n} record "
            "file(s) it had written"
        )
    _warn(
        message.format(
            folder=where,
            n=len(recovery.removed),
            kept=len(recovery.kept),
            shown=", ".join(display_path(p) for p in recovery.kept[:5]),
        )
    )


def _warn(message: str) -> None:
    """A plain warning on stderr (storage does not use Rich; this is rare and one line)."""
    sys.stderr.write(_("warning: {message}").format(message=printable(message)) + "\n")
    sys.stderr.flush()
