"""The scan of the record files, started beside the program's own start-up.

Every command that reads the registry first takes the ``lstat`` of every record file (the
index is keyed on them: storage/cache.py). On 100,000 files that is 0.4-0.9 s of system calls,
and Python, Typer and pydantic take another 0.3 s to start before any command runs; one after
the other they were most of a warm ``list``. Git meets the same cost with threads
(``core.preloadIndex``); Python's threads cannot make system calls side by side with the import
of modules (they share one lock), so here a child process makes the scan on the other core
while this one starts, and hands the list over through a pipe.

Only where ``fork`` is safe and cheap (Linux), only for the commands that read the registry,
and only for the data folder the arguments name the way ``choose_language`` finds it
(``--data-dir``, ``$KERJASAMA_DATA``, ``./data``). The result is used only by the scan of that
same folder, only once, and only when the folder held nothing but plain record files (anything
else, which needs findings, is scanned again here); an import that was interrupted and is
recovered first throws it away. Whatever fails, the scan is simply made again in this process.

This module imports only the standard library: it runs before everything else.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import signal
import sys
from pathlib import Path
from typing import Any

# The commands that load the registry (registry/loading.py), with their aliases.
READERS = frozenset({"validate", "list", "show", "summarise", "summarize", "export", "serve"})

_pending: tuple[str, int, int] | None = None  # the folder's real path, the child, the pipe


def start(argv: list[str]) -> None:
    """Start scanning the registry that ``argv`` names, if this command will read it."""
    global _pending
    if sys.platform != "linux" or _pending is not None or not argv or argv[0] not in READERS:
        return
    if any(arg in ("--help", "-h", "--") for arg in argv):
        return
    folder = Path(_data_dir(argv)) / "agreements"
    if not folder.is_dir():
        return
    top, real = os.fspath(folder), os.path.realpath(folder)
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return
    try:
        child = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return
    if child == 0:  # pragma: no cover (measured by the coverage of the parent only)
        os.close(read_end)
        _scan_in_child(top, write_end)
    os.close(write_end)
    _pending = (real, child, read_end)
    atexit.register(discard)


def take(top: str) -> list[Any] | None:
    """The prefetched scan of the folder ``top`` (storage.discovery.scan_files' files, their
    paths starting with ``top``), or None when there is none for it (then the caller scans)."""
    global _pending
    if _pending is None or _pending[0] != os.path.realpath(top):
        return None
    _, child, read_end = _pending
    _pending = None
    try:
        with os.fdopen(read_end, "rb") as pipe:
            raw = pipe.read()
        result = marshal.loads(raw)
    except (OSError, EOFError, ValueError, TypeError):
        result = None
    finally:
        with contextlib.suppress(OSError):
            os.waitpid(child, 0)
    if not isinstance(result, tuple):
        return None
    scanned, files = result
    if scanned == top:
        return list(files)
    cut = len(scanned)
    return [(top + file[0][cut:], *file[1:]) for file in files]


def discard() -> None:
    """Stop a scan that will not be used (its folder was changed first, or the command did not
    need it) and collect the child."""
    global _pending
    if _pending is None:
        return
    _, child, read_end = _pending
    _pending = None
    with contextlib.suppress(OSError):
        os.close(read_end)
    with contextlib.suppress(OSError):
        os.kill(child, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(child, 0)


def _data_dir(argv: list[str]) -> str:
    data_dir = os.environ.get("KERJASAMA_DATA") or "data"
    for index, arg in enumerate(argv):
        if arg == "--data-dir" and index + 1 < len(argv):
            data_dir = argv[index + 1]
        elif arg.startswith("--data-dir="):
            data_dir = arg.partition("=")[2]
    return data_dir


def _scan_in_child(folder: str, write_end: int) -> None:  # pragma: no cover (a child process)
    """Scan ``folder``, write the files (or None) to the pipe, and end without running any of
    the parent's exit handlers or flushing its buffers."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # The parent's terminal and pipes are not the child's to hold open.
        quiet = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(quiet, stream)
        from kerjasama_cli.storage.discovery import scan_files

        path = Path(folder)
        files, findings = scan_files(path)
        plain = not findings and not any(file[3] for file in files)
        payload = marshal.dumps((os.fspath(path), files) if plain else None)
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view) :]
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)
