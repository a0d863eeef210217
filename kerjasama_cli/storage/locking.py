"""A lock on a folder, so that two read-modify-write edits of a record never interleave; and
who is told when a write of the index waits for another process's."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; writes stay atomic
    fcntl = None  # type: ignore[assignment]


# Called with gave_up=False before a write of the index waits for another process's write, and
# with gave_up=True if that wait ends without the lock. Storage does not print: the CLI says it.
WaitNotice = Callable[[bool], None]
_wait_notice: list[WaitNotice] = []


def on_wait(notice: WaitNotice | None) -> None:
    """Have ``notice`` told when a write of the index must wait for another process (a
    command that pauses silently for 20 seconds looks hung); None: tell no one."""
    _wait_notice[:] = [] if notice is None else [notice]


def tell_waiting(*, gave_up: bool) -> None:
    for notice in _wait_notice:
        notice(gave_up)


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``folder`` (the folder itself, which no write
    replaces) while the block runs. Readers are never blocked."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
