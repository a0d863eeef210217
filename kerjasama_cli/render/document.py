"""A neutral model of a report: a title, a few headline facts, and sections of tables.

Every human format of `summarise` (Rich in a terminal, plain text in a pipe, markdown, HTML)
renders the same ``Document``, so the numbers cannot differ between formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeVar

from kerjasama_cli.i18n import N_

Cell = str | int | None
Chart = Literal["columns", "bars"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Column:
    """A table column; numeric columns are right-aligned."""

    title: str
    numeric: bool = False
    whole: bool = False  # never wrapped or cut in a terminal (ids, dates)
    identifier: bool = False  # an id: on a page, small and broken at hyphens, not widening


@dataclass(frozen=True, slots=True)
class Section:
    """A titled table, optionally drawn as a bar chart too.

    ``chart`` draws column ``label_column`` against column ``value_column``: ``"columns"`` are
    vertical bars (years), ``"bars"`` horizontal ones. ``footer`` is a totals row.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str | None = None
    empty: str = N_("None.")  # translated where shown
    footer: tuple[Cell, ...] | None = None
    chart: Chart | None = None
    label_column: int = 0
    value_column: int = -1
    group: str | None = None  # sections sharing a group may be shown side by side
    chart_skips: tuple[str, ...] = ()  # row labels left out of a drawn chart (not of the table)

    def with_bar(self, cells: list[T], bar: T) -> list[T]:
        """``cells`` with ``bar`` inserted right after the value column (for text bar charts)."""
        at = self.value_column % len(self.columns) + 1
        return [*cells[:at], bar, *cells[at:]]

    def chart_points(self) -> list[tuple[str, int]]:
        """(label, value) pairs of the chart, in row order."""
        points = []
        for row in self.rows:
            value = row[self.value_column]
            points.append(
                (cell_text(row[self.label_column]), value if isinstance(value, int) else 0)
            )
        return points


@dataclass(frozen=True, slots=True)
class Fact:
    """A headline number or line ("Agreements: 9")."""

    label: str
    value: Cell


@dataclass(frozen=True, slots=True)
class Document:
    """What a report says, independent of how it is drawn."""

    title: str
    facts: tuple[Fact, ...] = ()
    sections: tuple[Section, ...] = field(default=())


def cell_text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def bar_length(value: int, largest: int, width: int) -> int:
    """Characters (or units) of a bar: proportional, and at least 1 for any non-zero value."""
    if value <= 0 or largest <= 0:
        return 0
    return max(1, round(value * width / largest))
