"""A progress bar on stderr while a large registry is parsed.

Shown only when both stdout and stderr are terminals, and only once the work has taken more
than a second: a warm run, a small registry or a pipe never sees it. The bar is transient (it
disappears when done) and refreshed by the caller's progress calls, with no thread of its own,
so that worker processes can be forked safely while it is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from kerjasama_cli.i18n import _
from kerjasama_cli.render import is_terminal, stderr

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY_SECONDS = 1.0
_REFRESH_SECONDS = 0.1


class _Bar:
    def __init__(self, description: str, finishing: str | None) -> None:
        self.description = description
        self.finishing = finishing
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.progress is None:
            if now - self.started < DELAY_SECONDS or done >= total:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=stderr(),
                transient=True,
                auto_refresh=False,
            )
            self.progress.start()
            self.task = self.progress.add_task(self.description, total=total)
        elif now - self.shown_at < _REFRESH_SECONDS and done < total:
            return
        assert self.task is not None
        if done >= total and self.finishing is not None:  # what comes after is said, not 100 %
            self.progress.update(self.task, description=self.finishing)
        self.progress.update(self.task, completed=done, total=total)
        self.progress.refresh()
        self.shown_at = now

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def progress_bar(
    description: str, finishing: str | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback for the registry loader, or None over a pipe.

    ``finishing``: what the bar says once every file is parsed, while the work that follows
    runs (on a large registry read for the first time, writing the index takes a while)."""
    if not (is_terminal() and is_terminal(err=True)):
        yield None
        return
    bar = _Bar(description, finishing)
    try:
        yield bar
    finally:
        bar.close()


def registry_bar(
    description: str, *, use_cache: bool
) -> AbstractContextManager[Callable[[int, int], None] | None]:
    """``progress_bar`` for loading the registry: once the files are parsed, with the index,
    it says that the index is being written (tens of seconds the first time on 100,000)."""
    return progress_bar(description, _("writing the index") if use_cache else None)
