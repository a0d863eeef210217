"""The only package that imports Rich: consoles, tables and every output format.

One module per kind of output (findings, records, regions, ...); commands call ``render_*``
functions and never print themselves. Human output is a Rich table when stdout is a terminal
and plain tab-separated text when it is not; NO_COLOR is honoured by Rich.

Text from records, sheets and file names is data, never markup: both consoles are made with
``markup=False`` and ``emoji=False``, so a string handed to Rich anywhere (a table cell, a
column header, ``print``) is shown as written (``[/x]``, ``[link=...]``, ``:warning:``).
Styling is given as ``Text`` spans or a ``style=`` argument, never as markup in a string.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

from kerjasama_cli.environment import terminal_environment
from kerjasama_cli.i18n import _

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Set, these may make Rich take a stream for a terminal although it is not one.
_TERMINAL_OVERRIDES = ("FORCE_COLOR", "TTY_COMPATIBLE")


@cache
def stdout() -> Console:
    return _console(stderr=False)


@cache
def stderr() -> Console:
    return _console(stderr=True)


def _console(*, stderr: bool) -> Console:
    from rich.console import Console

    env = terminal_environment()
    width, height = _dumb_terminal_size(env)
    return Console(
        stderr=stderr,
        soft_wrap=True,
        highlight=False,
        markup=False,
        emoji=False,
        _environ=env,
        width=width,
        height=height,
    )


def _dumb_terminal_size(env: dict[str, str]) -> tuple[int | None, int | None]:
    """Rich takes a ``TERM=dumb`` terminal for 80 columns whatever ``COLUMNS`` says; a size
    given in the environment is the size then (a dumb terminal cannot be asked its own)."""
    if env.get("TERM", "").lower() not in ("dumb", "unknown"):
        return None, None
    columns, lines = env.get("COLUMNS", ""), env.get("LINES", "")
    if not (columns.isascii() and columns.isdigit() and int(columns) > 0):
        return None, None
    # Rich uses a given width only with a height (else it falls back to 80 by 25).
    height = int(lines) if lines.isascii() and lines.isdigit() and int(lines) > 0 else 25
    return int(columns), height


def is_terminal(*, err: bool = False) -> bool:
    """Whether Rich takes stdout (stderr with ``err``) for a terminal.

    Output to a pipe or a file, the common case in scripts and CI, is known without importing
    Rich (a twentieth of a second): when the stream is not a tty and nothing in the
    environment tells Rich otherwise, Rich's answer is no.
    """
    if _plainly_not_a_terminal(sys.stderr if err else sys.stdout):
        return False
    return (stderr() if err else stdout()).is_terminal


def _plainly_not_a_terminal(stream: TextIO | None) -> bool:
    if any(name in os.environ for name in _TERMINAL_OVERRIDES):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:  # closed
        return True


# The exit code of a command whose output the reader stops taking (`validate | head -1`): a
# command that knows its verdict before it writes sets it here, so that a cut pipe never
# turns a failed check into a pass.
exit_when_cut = 0


def set_exit_when_cut(code: int) -> None:
    """The command's exit code if its output is cut short by the reader leaving."""
    global exit_when_cut
    exit_when_cut = code


def write(text: str) -> None:
    """Write data to stdout as is (no markup, no wrapping)."""
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def write_json(document: Any) -> None:
    """One JSON document on stdout, UTF-8, dates as YYYY-MM-DD."""
    write(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def error(message: str) -> None:
    """A one-line diagnostic on stderr."""
    _labelled(_("error:"), "bold red", message)


def warn(message: str) -> None:
    _labelled(_("warning:"), "yellow", message)


def note(message: str) -> None:
    """A remark on stderr: in a terminal, wrapped between words at its width (a long note
    otherwise broke mid-word at the edge); elsewhere one line, as it was given."""
    console = stderr()
    console.print(message, style="dim", soft_wrap=not console.is_terminal)


def _labelled(label: str, style: str, message: str) -> None:
    """One line: characters a terminal would act on (escapes, line breaks) shown escaped."""
    from rich.text import Text

    from kerjasama_cli.storage.files import printable

    line = Text()
    line.append(label, style=style)  # Text(label, style=...) would style the whole line
    line.append(f" {printable(message)}")
    print_line(stderr(), line)


# The indent of the next lines of a line wrapped in a terminal.
_HANGING = 4


def print_line(console: Console, line: Text) -> None:
    """One line of output (a finding, an error): in a terminal narrower than it, broken
    between words with its next lines indented (the terminal itself breaks it anywhere:
    "di" / "d you mean"); elsewhere one line, as it is."""
    if console.is_terminal:
        line = hanging(line, console.width)
    console.print(line, soft_wrap=True)


def hanging(line: Text, width: int) -> Text:
    """``line`` broken between words into lines of at most ``width`` cells, the next ones
    indented, its styles kept; a word longer than a line (a path) is cut where it must be."""
    import re

    from rich.cells import cell_len

    plain = line.plain
    if cell_len(plain) <= width or width <= 2 * _HANGING:
        return line
    pieces: list[tuple[int, int]] = []  # each line's start and end in ``plain``
    start = end = 0
    room = width
    for word in re.finditer(r"\S+", plain):
        if cell_len(plain[start : word.end()]) <= room:
            end = word.end()
            continue
        if end > start:
            pieces.append((start, end))
            room = width - _HANGING
        start = word.start()
        while cell_len(plain[start : word.end()]) > room:  # longer than a whole line
            cut = start + 1
            while cell_len(plain[start : cut + 1]) <= room:
                cut += 1
            pieces.append((start, cut))
            room = width - _HANGING
            start = cut
        end = word.end()
    if end > start:
        pieces.append((start, end))
    from rich.text import Text

    out = Text()
    for number, (begin, finish) in enumerate(pieces):
        if number:
            out.append("\n" + " " * _HANGING)
        out.append_text(line[begin:finish])
    return out


def tsv(rows: list[list[str]]) -> str:
    """Plain tab-separated text for pipes: tabs and newlines inside cells become spaces."""
    return "\n".join("\t".join(map(tsv_cell, row)) for row in rows)


def tsv_cell(cell: object) -> str:
    """A cell of ``tsv``: its whitespace runs as one space, none at either end.

    Most cells have none to change: every whitespace character but the space is
    non-printable, so a printable text with no double space and none at either end is
    returned as it is, without being split and joined again."""
    text = cell if type(cell) is str else str(cell)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())
