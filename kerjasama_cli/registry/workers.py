"""Worker processes that parse record files, each with a pipe of its own.

``multiprocessing.Pool`` was used here first. Two things made it unfit:

- Ctrl-C at a terminal interrupts the whole process group: each worker printed its own
  traceback of ``KeyboardInterrupt`` ("Process ForkPoolWorker-1: ...") under the command.
- A worker that dies (the out-of-memory killer, ``kill -9``) takes the task it held with it,
  and a worker killed while it waits for a task holds the lock of the queue all workers share:
  the command then waited for ever, also in ``Pool.terminate``.

Here each worker ignores interrupts (the command, interrupted, stops the workers itself) and
has its own pipe, so no lock is shared and a dead worker is seen at once, by its sentinel: the
command then stops with one line (``WorkerDied``, exit 3) instead of waiting.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import connection, get_context
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar, cast

from kerjasama_cli.console import ending_signals
from kerjasama_cli.errors import KerjasamaError
from kerjasama_cli.i18n import _

Task = TypeVar("Task")
Result = TypeVar("Result")

# How long a worker that was asked to stop may take before it is killed, in seconds.
_GRACE = 5.0


class WorkerDied(KerjasamaError):
    """A worker process stopped before it answered (killed, or out of memory): exit 3, as
    any unexpected failure."""

    def __init__(self, exitcode: int | None) -> None:
        if exitcode is not None and exitcode < 0:
            try:
                name = signal.Signals(-exitcode).name
            except ValueError:
                name = str(-exitcode)
            how = _("killed by signal {signal}").format(signal=name)
        else:
            how = _("exit status {code}").format(code=exitcode)
        super().__init__(
            _(
                "a process reading the record files stopped unexpectedly ({how}); run the "
                "command again, or with KERJASAMA_JOBS=1 to read the files in one process"
            ).format(how=how)
        )
        self.exitcode = exitcode


def _serve(
    conn: connection.Connection, work: Callable[[Any], Any], others: Sequence[int] = ()
) -> None:
    """A worker: answer each task from the pipe until told to stop (None) or the pipe closes.

    ``others``: the command's ends of this worker's pipe and of those started before it, which
    a forked worker holds copies of: closed, so that each pipe ends when the command does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command stops its workers itself
    _interrupts(signal.SIG_UNBLOCK)  # blocked from before the fork until now: see _start
    for number in ending_signals():  # the command's handlers are for its own files
        if signal.getsignal(number) not in (signal.SIG_IGN, None):
            signal.signal(number, signal.SIG_DFL)
    for fd in others:
        with contextlib.suppress(OSError):
            os.close(fd)
    gc.disable()  # parsing makes no cycles: the collector only slows it down
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the command is gone
        if task is None:
            return
        try:
            answer: tuple[bool, Any] = (True, work(task))
        except Exception as exc:  # said by the command, as its own unexpected failure
            answer = (False, exc)
        try:
            conn.send(answer)
        except (OSError, EOFError):
            return  # the command is gone
        except Exception as exc:  # the answer cannot be pickled
            with contextlib.suppress(OSError, EOFError):
                conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _interrupts(how: int) -> None:
    """Block or unblock SIGINT in this thread, where the system can (not on Windows)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(how, {signal.SIGINT})


def _start(process: BaseProcess) -> None:
    """Start ``process`` with interrupts blocked: until ``_serve`` ignores them, a Ctrl-C
    would interrupt the new worker in multiprocessing's own start-up, and it printed a
    traceback. The command takes an interrupt that came meanwhile once it is started."""
    _interrupts(signal.SIG_BLOCK)
    try:
        process.start()
    finally:
        _interrupts(signal.SIG_UNBLOCK)


class Workers(Generic[Task, Result]):
    """``jobs`` processes answering ``work(task)``; start them, then ``map`` once."""

    def __init__(self, work: Callable[[Task], Result], jobs: int) -> None:
        forked = sys.platform == "linux"
        context = get_context("fork") if forked else get_context("spawn")
        self._workers: list[tuple[BaseProcess, connection.Connection]] = []
        try:
            for _i in range(jobs):
                mine, theirs = context.Pipe()
                # A spawned worker inherits no descriptor it is not given.
                others = [c.fileno() for _p, c in self._workers] + [mine.fileno()] if forked else []
                process = context.Process(target=_serve, args=(theirs, work, others), daemon=True)
                try:
                    _start(process)
                finally:
                    theirs.close()
                self._workers.append((process, mine))
        except BaseException:
            self.stop(at_once=True)
            raise

    def map(self, tasks: Sequence[Task]) -> Iterator[Result]:
        """``work(task)`` of each task, in order; one task at a time per worker (a second one
        queued in a full pipe could wait for the first one's answer, and that for the reader).

        A worker never ends while the command needs it: one that does (killed, out of memory)
        stops the command with ``WorkerDied``, after any answer it sent before."""
        pending = iter(enumerate(tasks))
        busy: dict[connection.Connection, int] = {}
        ended = {process.sentinel: conn for process, conn in self._workers}
        done: dict[int, Result] = {}
        following = 0
        for _worker, conn in self._workers:
            self._give(conn, pending, busy)
        while following < len(tasks):
            ready = connection.wait([*busy, *ended])
            for item in ready:
                if isinstance(item, int):
                    continue  # a worker ended: said below, after any answer it sent
                conn = cast(connection.Connection, item)
                index = busy.pop(conn)
                try:
                    ok, value = conn.recv()
                except (EOFError, OSError):
                    raise self._died(conn) from None
                if not ok:
                    raise cast(BaseException, value)
                done[index] = cast(Result, value)
                self._give(conn, pending, busy)
            for item in ready:
                if isinstance(item, int):
                    raise self._died(ended[item])
            while following in done:
                yield done.pop(following)
                following += 1

    def _give(
        self,
        conn: connection.Connection,
        pending: Iterator[tuple[int, Task]],
        busy: dict[connection.Connection, int],
    ) -> None:
        """Send ``conn``'s worker the next task, if there is one left."""
        task = next(pending, None)
        if task is None:
            return
        try:
            conn.send(task[1])
        except (OSError, EOFError):
            raise self._died(conn) from None
        busy[conn] = task[0]

    def _process(self, conn: connection.Connection) -> BaseProcess:
        return next(p for p, c in self._workers if c is conn)

    def _died(self, conn: connection.Connection) -> WorkerDied:
        process = self._process(conn)
        process.join(_GRACE)
        return WorkerDied(process.exitcode)

    def stop(self, *, at_once: bool = False) -> None:
        """Ask every worker to stop (kill it, ``at_once``) and wait for it."""
        for process, conn in self._workers:
            if not at_once:
                with contextlib.suppress(OSError, EOFError, ValueError):
                    conn.send(None)
            elif process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    process.kill()
        for process, conn in self._workers:
            process.join(_GRACE)
            if process.is_alive():
                process.kill()
                process.join()
            conn.close()
        self._workers = []

    def __len__(self) -> int:
        return len(self._workers)

    def __enter__(self) -> Workers[Task, Result]:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        self.stop(at_once=kind is not None)
