"""The only package that imports Rich: consoles, tables and every output format.

One module per kind of output (findings, records, regions, ...); commands call ``render_*``
functions and never print themselves. Human output is a Rich table when stdout is a terminal
and plain tab-separated text when it is not; NO_COLOR is honoured by Rich.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Any

from rich.console import Console


@cache
def stdout() -> Console:
    return Console(soft_wrap=True, highlight=False)


@cache
def stderr() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def is_terminal() -> bool:
    return stdout().is_terminal


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
    stderr().print(f"[bold red]error:[/] {_escape(message)}")


def warn(message: str) -> None:
    stderr().print(f"[yellow]warning:[/] {_escape(message)}")


def note(message: str) -> None:
    stderr().print(_escape(message), style="dim")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def tsv(rows: list[list[str]]) -> str:
    """Plain tab-separated text for pipes: tabs and newlines inside cells become spaces."""
    return "\n".join("\t".join(" ".join(str(c).split()) for c in row) for row in rows)
