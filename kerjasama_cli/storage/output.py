"""Writing a command's output document (``--output FILE``): atomically, never half a file.

A new file gets the mode a shell redirection would give it, a replaced one keeps its mode
(writing.py), and a symbolic link is written through, so that it keeps pointing at the report.

Two kinds of target are not files to replace:

- a character device, a FIFO or a socket (``-o /dev/null``, ``-o /dev/stdout``, a named
  pipe): it is opened and written to as a stream, as a shell redirection would, and never
  replaced by a regular file (as root, renaming over /dev/null would replace the system's);
- anything inside the registry's ``agreements/`` folder (also through a link): a report or an
  export there would overwrite a record or be taken for one, so it is a usage error.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kerjasama_cli.errors import UsageError, WriteFailed, system_reason
from kerjasama_cli.i18n import _
from kerjasama_cli.storage.discovery import agreements_root
from kerjasama_cli.storage.files import AGREEMENTS, absolute_path, printable
from kerjasama_cli.storage.writing import atomic_file, temporary_folder, write_atomic


def _shown(path: Path) -> str:
    return repr(printable(str(path)))


def _cannot_write(path: Path, exc: OSError) -> str:
    return _("--output: cannot write {path}: {problem}").format(
        path=_shown(path), problem=system_reason(exc)
    )


def refuse_inside_registry(path: Path, data_dir: Path, option: str = "--output") -> None:
    """UsageError when ``path`` (followed through links) lies in ``data_dir``'s agreements/."""
    agreements = agreements_root(data_dir)
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        real = absolute_path(path)
    if real.is_relative_to(agreements) or absolute_path(path).is_relative_to(agreements):
        raise UsageError(
            _(
                "{option}: {path} is inside the registry's {folder}/ folder, where "
                "only records belong; write it elsewhere"
            ).format(option=option, path=_shown(path), folder=AGREEMENTS)
        )


def is_stream(path: Path) -> bool:
    """Whether ``path`` is (or links to) a device, FIFO or socket: written to, never replaced."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_stream(path: Path, data: bytes) -> None:
    """Write ``data`` to the device or pipe at ``path`` (opened as it is: no create, no
    truncate, no rename)."""
    try:
        # Non-blocking, so that a pipe nobody reads is an error now (ENXIO), not a wait with
        # no end and no word; blocking again for the writes, which then wait for the reader.
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise UsageError(
                _("--output: nothing is reading the pipe {path}; start its reader first").format(
                    path=_shown(path)
                )
            ) from None
        raise UsageError(_cannot_write(path, exc)) from None
    os.set_blocking(fd, True)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BrokenPipeError:
        raise  # the reader left (`-o /dev/stdout | head`): as for stdout, not an error
    except OSError as exc:
        raise UsageError(_cannot_write(path, exc)) from None
    finally:
        os.close(fd)


def _check_folder(path: Path) -> Path:
    """The file to write (a link's target), refusing a folder and a missing parent folder."""
    try:
        target = path.resolve(strict=False) if path.is_symlink() else path
    except (OSError, RuntimeError):  # a link that loops, or leads through one
        raise UsageError(
            _("--output: {path} is a symbolic link that loops; expected a file name").format(
                path=_shown(path)
            )
        ) from None
    if target.is_dir():
        raise UsageError(
            _("--output: {path} is a folder; expected a file name").format(path=_shown(path))
        )
    if not target.parent.is_dir():  # create_exclusive would make it: a typo must not
        raise UsageError(
            _("--output: folder {path} does not exist").format(path=_shown(target.parent))
        )
    return target


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it if it exists); UsageError when that fails."""
    write_output_chunks(path, (text,))


def write_output_chunks(path: Path, chunks: Iterable[str]) -> None:
    """Write the text made of ``chunks`` to ``path`` (replacing it if it exists, keeping its
    mode) as the pieces come: an export of 100,000 records, 80 MB, is then never held at
    once, nor encoded at once; UsageError when that fails, and ``path`` is left as it was.

    A file already there is replaced at once (written once, not first to a name found
    taken)."""
    if is_stream(path):
        write_stream(path, "".join(chunks).encode("utf-8"))
        return
    target = _check_folder(path)
    try:
        write_atomic(target, chunks)
    except WriteFailed as failed:
        raise UsageError(_cannot_write(path, failed.cause)) from None


@contextmanager
def output_file(path: Path) -> Iterator[Path]:
    """A temporary path that a library writes a binary document to (openpyxl, sqlite3); it
    becomes ``path`` when the block succeeds: renamed into place next to it, or, for a device
    or pipe, copied into it from a private temporary folder."""
    if is_stream(path):
        with temporary_folder("kerjasama-output-") as folder:
            tmp = folder / "document"
            tmp.touch(mode=0o600)
            yield tmp
            write_stream(path, tmp.read_bytes())
        return
    target = _check_folder(path)
    try:
        with atomic_file(target) as tmp:
            yield tmp
    except OSError as exc:
        raise UsageError(_cannot_write(path, exc)) from None
