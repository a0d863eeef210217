"""Atomic writes, the one way files are written: a temporary file in the same folder, then a
link or rename into place.

Records are created (``create_exclusive``) or replaced (``replace_atomic``) from text, with
fsync; documents a library writes itself (an XLSX or SQLite export, the cache's files) go
through ``atomic_file``. Temporary files are hidden (``.<name>.<random>.tmp``), so a crash
never leaves something that is taken for a record (iter_record_paths skips hidden files).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kerjasama_cli.errors import WriteFailed, system_reason
from kerjasama_cli.i18n import _

# The temporary files this process has made and not yet renamed or removed, with the process
# that made them (a forked worker inherits the table, not the files): what
# ``remove_temporary_files`` removes when the command is told to stop (console.py).
_MADE: dict[str, int] = {}


# What SQLite writes beside a database it changes (an export to SQLite is made in a
# temporary file): removed with it.
_COMPANIONS = ("-journal", "-wal", "-shm")


@contextmanager
def temporary_file(folder: Path, name: str) -> Iterator[tuple[int, Path]]:
    """``mkstemp`` of a hidden ``.<name>.<random>.tmp`` in ``folder`` (open, and its
    descriptor), known to ``remove_temporary_files`` until the block ends; the block renames
    or removes it."""
    fd, made = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    _MADE[made] = os.getpid()
    try:
        yield fd, Path(made)
    finally:
        _MADE.pop(made, None)


@contextmanager
def temporary_folder(prefix: str) -> Iterator[Path]:
    """A private folder in the system's temporary folder, removed with what is in it when
    the block ends, and by ``remove_temporary_files`` before."""
    made = tempfile.mkdtemp(prefix=prefix)
    _MADE[made] = os.getpid()
    try:
        yield Path(made)
    finally:
        _MADE.pop(made, None)
        shutil.rmtree(made, ignore_errors=True)


def remove_temporary_files() -> None:
    """Remove the temporary files and folders this process is writing, and SQLite's files
    beside them (a signal is about to end it)."""
    me = os.getpid()
    for made, owner in list(_MADE.items()):
        if owner != me:
            continue
        if os.path.isdir(made) and not os.path.islink(made):  # noqa: PTH112, PTH114
            shutil.rmtree(made, ignore_errors=True)
            continue
        for name in (made, *(made + end for end in _COMPANIONS)):
            with contextlib.suppress(OSError):
                os.unlink(name)  # noqa: PTH108 (no Path made in a signal handler)


# What ``link`` says on a file system without hard links (exFAT, FAT, some network shares).
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.ENOSYS, errno.EMLINK}
    | {getattr(errno, name) for name in ("ENOTSUP", "EOPNOTSUPP") if hasattr(errno, name)}
)


def _failed(path: Path, exc: OSError) -> WriteFailed:
    """The message for a write of ``path`` the file system refused: nothing was changed."""
    from kerjasama_cli.storage.files import display_path

    reason = system_reason(exc)
    return WriteFailed(
        _("cannot write {path}: {reason}; nothing was changed").format(
            path=display_path(path), reason=reason
        ),
        exc,
    )


def _default_mode() -> int:
    """The mode a plain ``open()`` would give a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def mode_for(path: Path) -> int:
    """The mode of a file written at ``path``: a replaced file keeps its own, a new one gets
    what a shell redirection would give."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return _default_mode()


@contextmanager
def atomic_file(path: Path, *, mode: int | None = None) -> Iterator[Path]:
    """An empty hidden file beside ``path`` for a library to write into; it becomes ``path``
    when the block succeeds and is removed when it fails. ``mode``: the file's (default:
    ``mode_for(path)``)."""
    with temporary_file(path.parent, path.name) as (fd, tmp):
        try:
            os.fchmod(fd, mode_for(path) if mode is None else mode)
            os.close(fd)
            yield tmp
            os.replace(tmp, path)  # noqa: PTH105 (crash tests stop at Path.replace, a record's rename)
        finally:
            tmp.unlink(missing_ok=True)


@contextmanager
def _written_temp(folder: Path, name: str, text: str, mode: int) -> Iterator[Path]:
    """A hidden temporary file in ``folder`` holding ``text`` on disk, for the block to link
    or rename into place; removed after the block if it is still there."""
    # mkstemp creates the file 0600; the result must look like any file the user writes.
    with temporary_file(folder, name) as (fd, tmp):
        try:
            os.fchmod(fd, mode)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            yield tmp
        finally:
            tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_exclusive(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; FileExistsError if it exists (even if created meanwhile),
    WriteFailed when the file system refuses (read-only, full, no permission).

    The content is written to a temporary file first and hard-linked into place, so that a
    racing writer or a crash never leaves a half-written record, and an existing file is never
    replaced. Where the file system has no hard links, the name is taken first (an empty
    file, created only if there is none) and the whole text renamed onto it: a crash between
    the two leaves that empty file, which validate reports, never half a record.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _written_temp(path.parent, path.name, text, _default_mode()) as tmp:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINKS:
                    raise
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                os.replace(tmp, path)  # noqa: PTH105
        _fsync_dir(path.parent)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _failed(path, exc) from None


def replace_atomic(path: Path, text: str) -> None:
    """Replace the content of an existing file atomically (readers see old or new, never half);
    WriteFailed when the file system refuses."""
    if path.is_symlink():
        raise OSError(_("{path} is a symbolic link; refusing to replace it").format(path=path))
    try:
        with _written_temp(path.parent, path.name, text, path.stat().st_mode & 0o7777) as tmp:
            tmp.replace(path)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise _failed(path, exc) from None


def write_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Write ``path`` (creating or replacing it; a replaced file keeps its mode) from text
    made piece by piece, never held whole: an export of 100,000 records is 80 MB of text.
    Readers see the old file or the new one, never half; WriteFailed when the file system
    refuses. An error raised by ``chunks`` leaves ``path`` as it was."""
    try:
        with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(path.parent)
    except OSError as exc:
        raise _failed(path, exc) from None


def move_exclusive(source: Path, target: Path) -> None:
    """Move a file to another folder of the same file system in one step (``rename``), never
    replacing a file at ``target`` (FileExistsError); WriteFailed when the file system refuses.
    The caller holds both folders' locks, so no writer of ours creates ``target`` between the
    check and the rename.

    A crash leaves the file at one place or the other, never at both and never at neither.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            raise FileExistsError(target)
        os.rename(source, target)  # noqa: PTH104 - through os, so tests can stop a process here
        _fsync_dir(target.parent)
        _fsync_dir(source.parent)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _failed(target, exc) from None


def file_size(path: Path) -> int:
    """The size of ``path`` in bytes, 0 when it does not exist."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def append_text(path: Path, text: str) -> None:
    """Append UTF-8 ``text`` to ``path``, creating it (not its folder) when missing.

    For report files such as GitHub's job summary, which several steps and tools append to.
    """
    with path.open("a", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
