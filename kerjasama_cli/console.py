"""The console script `kerjasama`: the command line, with what happens before it runs made safe.

- An interrupt (Ctrl-C) while the program starts, before the command line takes interrupts
  itself, ends it quietly with exit 130; it printed a traceback.
- A standard stream that was closed when the program started (`kerjasama list >&-`) is
  opened on the null device first, so that no file opened later takes its number (a child
  process, git or an editor, would write into that file); writing to a closed stdout then
  fails as any failed write does ("cannot write standard output", exit 2), stdin reads as
  empty, and stderr says nothing.
- SIGTERM (a CI job cancelled, `kill`) and SIGHUP (the terminal closed) end a command as
  Ctrl-C does, unwinding it: a write in progress removes its temporary file and leaves the
  file it was replacing whole, the index's transaction is rolled back. The exit code is the
  one the signal's default action gives a shell (143, 129). A signal the parent set to be
  ignored (`nohup`) stays ignored.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from types import FrameType


class _ClosedOutput(io.TextIOBase):
    """Standard output that was closed: every write fails at once, as the closed stream's
    would, and nothing is kept to fail again when the program ends."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass  # nothing is ever kept

    def fileno(self) -> int:
        return 1  # the null device now: nothing written there is kept

    def isatty(self) -> bool:
        return False


def open_closed_streams() -> None:
    """Give each standard stream that is closed the null device (see the module's text)."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:
        opened = os.open(os.devnull, os.O_RDWR)
        if opened != fd:
            os.dup2(opened, fd)
            os.close(opened)
    if 0 in closed or sys.stdin is None:
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    if 1 in closed or sys.stdout is None:
        sys.stdout = _ClosedOutput()


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, to unwind it as Ctrl-C would."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_MAIN_PID = os.getpid()
# The signal that ended the program, whatever became of the exception on its way out (Typer
# turns an interrupt into its exit 130).
_received: list[int] = []


def _terminated(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _MAIN_PID:
        # A worker process forked with this handler: the signal's default action.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    _received.append(signum)
    raise Terminated(signum)


def end_as_interrupted() -> None:
    """SIGTERM and SIGHUP raise ``Terminated`` (see the module's text), unless ignored."""
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        with contextlib.suppress(OSError, ValueError):  # not the main thread, or not here
            if signal.getsignal(number) == signal.SIG_DFL:
                signal.signal(number, _terminated)


def main() -> None:
    """Console-script entry point."""
    open_closed_streams()
    try:
        end_as_interrupted()
        from kerjasama_cli.cli.app import main as run

        run()
    except (KeyboardInterrupt, SystemExit) as stopped:
        if _received:
            raise SystemExit(128 + _received[0]) from None
        if isinstance(stopped, SystemExit):
            raise
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write("\n")
            sys.stderr.flush()
        raise SystemExit(130) from None
    if _received:  # raised where something took it for a failure and went on
        raise SystemExit(128 + _received[0])
