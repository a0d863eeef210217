"""Output of `export` and `import`: documents on stdout, reports on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.table import Table
from rich.text import Text

from kerjasama_cli.exchange.importing import ImportPlan, Planned
from kerjasama_cli.exchange.rows import letter_of
from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import _, ngettext
from kerjasama_cli.render import is_terminal, note, print_line, stderr, stdout, tsv, warn, write
from kerjasama_cli.render.writes import severity_word
from kerjasama_cli.storage import display_path
from kerjasama_cli.storage.files import printable


def write_document(text: str) -> None:
    """An exported document on stdout, exactly as given."""
    sys.stdout.write(text)
    sys.stdout.flush()


def render_export_summary(
    count: int, fmt: str, path: Path | None, invalid_files: int, lossy: list[str]
) -> None:
    """What was exported (stderr), skipped invalid files and simplified cells as warnings."""
    for where in lossy:
        warn(
            _(
                "{where}: a line break inside a list item became a space in the {format} cell"
            ).format(where=where, format=fmt)
        )
    if invalid_files:
        warn(
            ngettext(
                "{n} invalid record file not exported; run `kerjasama validate`",
                "{n} invalid record files not exported; run `kerjasama validate`",
                invalid_files,
            ).format(n=invalid_files)
        )
    if path:
        message = ngettext(
            "exported {n} agreement as {format} to {path}",
            "exported {n} agreements as {format} to {path}",
            count,
        )
    else:
        message = ngettext(
            "exported {n} agreement as {format}", "exported {n} agreements as {format}", count
        )
    note(message.format(n=count, format=fmt, path=path))


def _where(problem: Finding) -> str:
    letter, column, row = letter_of(problem), problem.key, problem.line
    if letter and column:
        return _("row {row}, column {letter} ({column})").format(
            row=row, letter=letter, column=column
        )
    if letter:
        return _("row {row}, column {letter}").format(row=row, letter=letter)
    if column:
        return _("row {row}, {column}").format(row=row, column=column)
    return _("row {row}").format(row=row)


def render_import_problems(plan: ImportPlan) -> None:
    """Each problem on stderr: ``FILE: row 3, column F (party_2): error KS201 message``."""
    console = stderr()
    name = display_path(plan.source)
    for problem in plan.sorted_problems():
        # Headers and values come from the sheet: escapes, NULs and line breaks in them are
        # shown escaped, so one problem stays one line and nothing reaches the terminal raw.
        text = Text(f"{name}: {printable(_where(problem))}: ")
        text.append(
            severity_word(problem.severity),
            style="red" if problem.severity == "error" else "yellow",
        )
        text.append(f" {problem.rule} ", style="bold")
        text.append(printable(problem.message))
        print_line(console, text)


@contextmanager
def import_progress(
    description: str | None = None,
) -> Iterator[Callable[[int, int | None], None] | None]:
    """A progress bar on stderr while rows are checked (or files written: ``description``),
    when stderr is a terminal."""
    if description is None:
        description = _("checking rows")
    if not is_terminal(err=True):
        yield None
        return
    from rich.progress import Progress

    with Progress(console=stderr(), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def note_layout(plan: ImportPlan) -> None:
    """What of the sheet was not read as agreements: a title above its header, total rows."""
    if plan.header_row > 1:
        note(
            _("the header is row {row}; the rows above it (a title) are not read").format(
                row=plan.header_row
            )
        )
    if plan.totals:
        note(
            ngettext(
                "row {rows} reads as a total (JUMLAH, TOTAL) and is not imported",
                "rows {rows} read as totals (JUMLAH, TOTAL) and are not imported",
                len(plan.totals),
            ).format(rows=", ".join(str(n) for n in plan.totals))
        )


def note_review(count: int, path: Path) -> None:
    note(
        ngettext(
            "wrote {n} row to correct to {path}; correct it there, then: kerjasama import {path}",
            "wrote {n} rows to correct to {path}; correct them there, then: kerjasama import "
            "{path}",
            count,
        ).format(n=count, path=display_path(path))
    )


def render_import_plan(
    plan: ImportPlan, *, dry_run: bool, items: list[Planned] | None = None
) -> None:
    """The records written (or that would be): a table on a terminal, tab-separated otherwise."""
    header = ["row", "id", "file"]
    chosen = plan.planned if items is None else items
    rows = [
        [str(p.row), p.id + (_(" (generated)") if p.generated_id else ""), display_path(p.path)]
        for p in chosen
    ]
    if rows and is_terminal():
        table = Table(_("Row"), _("Id"), _("File"), title=_("would write") if dry_run else None)
        for row in rows:
            table.add_row(*row)
        stdout().print(table)
    elif rows:
        write(tsv([header, *rows]))
    count = len(chosen)
    source = display_path(plan.source)
    if dry_run:
        message = ngettext(
            "dry run: would write {n} agreement from {source}; nothing was written",
            "dry run: would write {n} agreements from {source}; nothing was written",
            count,
        )
    else:
        message = ngettext(
            "imported {n} agreement from {source}", "imported {n} agreements from {source}", count
        )
    note(message.format(n=count, source=source))
