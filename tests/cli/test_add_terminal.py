"""Interactive `add` in a real terminal (a pseudo-terminal: readline reads the answers)."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


_STYLE = re.compile(rb"\x1b\[[0-9;]*m|[\x01\x02]")


def _plain(shown: bytes | bytearray) -> bytes:
    """What the terminal shows, without its styles (bold stays on with NO_COLOR)."""
    return _STYLE.sub(b"", bytes(shown))


def _came(fd: int, wanted: bytes, seen: bytearray, timeout: float) -> bool:
    """Read from ``fd`` into ``seen`` until ``wanted`` appears after what was there (True),
    the time is up or the child ended (False)."""
    start = len(seen)
    deadline = time.monotonic() + timeout
    while wanted not in _plain(seen[start:]):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child ended
                return False
            if not chunk:
                return False
            seen += chunk
    return True


def _read_until(fd: int, wanted: bytes, seen: bytearray, timeout: float = 60.0) -> None:
    assert _came(fd, wanted, seen, timeout), (
        f"{wanted!r} never came; the terminal showed {bytes(seen)!r}"
    )


@contextmanager
def _add_in_a_terminal(tmp_path: Path) -> Iterator[int]:
    """``kerjasama add`` on an empty registry, its three streams a pseudo-terminal: its fd."""
    data = tmp_path / "data"
    (data / "agreements").mkdir(parents=True)
    env = {
        **os.environ,
        "KERJASAMA_CACHE_DIR": str(tmp_path / "cache"),
        "KERJASAMA_LANG": "en",
        "NO_COLOR": "1",
        "TERM": "xterm",
        "COLUMNS": "200",
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: kerjasama add, with Ctrl-C as a terminal's shell gives it
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # not ignored as in a background job
        os.execvpe(
            sys.executable,
            [sys.executable, "-m", "kerjasama_cli", "add", "--data-dir", str(data)],
            env,
        )
    try:
        yield fd
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def test_an_empty_answer_in_a_terminal_ends_its_line(tmp_path: Path) -> None:
    """Enter on an empty answer (take the default) must end the line as any answer does:
    readline printed no line break there, and the next question followed on the same line
    ("... (kesepakatan_bersama): Title ...")."""
    seen = bytearray()
    with _add_in_a_terminal(tmp_path) as fd:
        _read_until(fd, b"(kesepakatan_bersama): ", seen)
        os.write(fd, b"\r")  # take the default
        _read_until(fd, b"Title", seen)
        shown = _plain(seen)
        between = shown.split(b"(kesepakatan_bersama): ", 1)[1].split(b"Title", 1)[0]
        assert b"\n" in between, shown
        os.write(fd, b"Jalan tembus\r")
        _read_until(fd, b"Party 1", seen)
        assert b"Jalan tembus\r\n" in _plain(seen)


def test_ctrl_c_at_a_question_says_so_on_a_line_of_its_own(tmp_path: Path) -> None:
    seen = bytearray()
    with _add_in_a_terminal(tmp_path) as fd:
        _read_until(fd, b"(kesepakatan_bersama): ", seen)
        os.write(fd, b"\r")
        _read_until(fd, b"Title", seen)
        # Ctrl-C, again if readline was still setting the terminal up and dropped it (the
        # first stops the command; the next ones are ignored).
        for _ in range(30):
            os.write(fd, b"\x03")
            if _came(fd, b"answers are kept", seen, 2.0):
                break
        _read_until(fd, b"", seen, 1.0)
        shown = _plain(seen).replace(b"\r", b"")
        line = shown.split(b"answers are kept")[0].rsplit(b"\n", 1)[-1]
        assert line.startswith(b"error: stopped"), shown
