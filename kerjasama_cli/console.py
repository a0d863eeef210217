"""The console script `kerjasama`: the command line, with what happens before it runs made safe.

- An interrupt (Ctrl-C) while the program starts, before the command line takes interrupts
  itself, ends it quietly with exit 130; it printed a traceback.
- A standard stream that was closed when the program started (`kerjasama list >&-`) is
  opened on the null device first, so that no file opened later takes its number (a child
  process, git or an editor, would write into that file); writing to a closed stdout then
  fails as any failed write does ("cannot write standard output", exit 2), stdin reads as
  empty, and stderr says nothing.
- The first Ctrl-C stops the command, which then ends with exit 130; the next ones are not
  heard while it cleans up.
- A signal that ends the program (SIGTERM from a CI runner that cancels a job or a service
  manager, SIGHUP from a closed terminal) first removes the hidden temporary file of a write
  in progress, then ends it as before, by the signal itself. Nothing is unwound: the write
  it interrupts leaves the old file, as a crash would. A signal the parent ignores (nohup)
  stays ignored.
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


def _ended_by(number: int, _frame: FrameType | None) -> None:
    """The handler of a signal that ends the program: its temporary files go first."""
    writing = sys.modules.get("kerjasama_cli.storage.writing")
    if writing is not None:
        with contextlib.suppress(Exception):
            writing.remove_temporary_files()
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)  # ended by the signal, as without this handler


def ending_signals() -> list[int]:
    """The signals that end a command, where the system has them: SIGTERM (a CI runner
    cancelling a job, a service manager), SIGHUP (the terminal closed; not on Windows)."""
    return [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


def remove_temporary_files_on_signals() -> None:
    """Install ``_ended_by`` for ``ending_signals``, unless the parent has them ignored."""
    for number in ending_signals():
        if signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _ended_by)


def _interrupted(_number: int, _frame: FrameType | None) -> None:
    """Ctrl-C: the first one stops the command (KeyboardInterrupt); the next ones are not
    heard while it stops (they interrupted its clean-up, or the interpreter's shutdown, and
    printed "Exception ignored in ... KeyboardInterrupt")."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def stop_once_on_interrupt() -> None:
    """Install ``_interrupted`` for SIGINT, unless the parent has it ignored (a job started
    in the background by a script)."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)


def main() -> None:
    """Console-script entry point."""
    # Pydantic looks for plugins (an observability hook) by reading the metadata of every
    # installed package, once per process: about 20 ms of each command's start, for a hook
    # that a command-line tool never uses. A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    open_closed_streams()
    stop_once_on_interrupt()
    remove_temporary_files_on_signals()
    try:
        from kerjasama_cli.cli.app import main as run

        run()
    except KeyboardInterrupt:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write("\n")
            sys.stderr.flush()
        raise SystemExit(130) from None
