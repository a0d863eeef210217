"""A report Document in the terminal (Rich tables and bars) or as plain text for a pipe."""

from __future__ import annotations

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kerjasama_cli.render import stdout, tsv, tsv_cell
from kerjasama_cli.render.document import Cell, Document, Section, bar_length, cell_text

BAR_WIDTH = 30
_PLAIN_BAR = "#"
_RICH_BAR = "\u2588"  # full block
_TEXT_MIN_WIDTH = 8
_PIECE = 1 << 20  # characters of text looked at at once
_UNBOUNDED = 1 << 16  # a width no terminal has, to measure what a table needs unwrapped


def _bars(section: Section, char: str, width: int = BAR_WIDTH) -> list[str]:
    values = [value for _, value in section.chart_points()]
    largest = max(values, default=0)
    return [char * bar_length(v, largest, width) for v in values]


# The least length of the longest bar: narrower than that, a chart says nothing.
_BAR_MIN = 5
_BAR_COLUMN_EDGES = 3  # a column's padding and its border


def _bar_width(section: Section) -> int:
    """The longest bar's length: ``BAR_WIDTH``, or what the terminal leaves beside the table's
    other columns (at 60 columns in Indonesian a 30-character bar wrapped onto a second
    line)."""
    room = stdout().width - _needs(_table(section, bars=False)) - _BAR_COLUMN_EDGES
    return max(_BAR_MIN, min(BAR_WIDTH, room))


def _table(section: Section, *, bars: bool = True) -> Table:
    table = Table()
    columns = [(c.title, c.numeric, c.whole) for c in section.columns]
    drawn = _bars(section, _RICH_BAR, _bar_width(section)) if bars and section.chart else []
    if drawn:
        columns = section.with_bar(columns, ("", False, True))
    for title, numeric, whole in columns:
        # In a narrow terminal every text column keeps a readable width: Rich would otherwise
        # keep ids and dates on one line and give titles and parties nothing. An id that does
        # not fit is folded onto a second line, whole, rather than shortened.
        table.add_column(
            title,
            justify="right" if numeric else "left",
            overflow="fold" if whole else "ellipsis",
            min_width=None if numeric else _TEXT_MIN_WIDTH,
        )
    if drawn:
        bar = table.columns[section.with_bar(list(range(len(section.columns))), -1).index(-1)]
        bar.no_wrap, bar.overflow = True, "crop"
    for i, row in enumerate(section.rows):
        cells = [cell_text(c) for c in row]
        table.add_row(*(section.with_bar(cells, drawn[i]) if drawn else cells))
    if section.footer is not None:
        footer = [cell_text(c) for c in section.footer]
        table.show_footer = True
        for column, cell in zip(
            table.columns, section.with_bar(footer, "") if drawn else footer, strict=False
        ):
            column.footer = cell
    return table


def _needs(table: Table) -> int:
    """The width ``table`` needs with no cell wrapped (Rich clamps a measure to the width
    asked, so it is asked for more than any terminal has)."""
    console = stdout()
    return console.measure(table, options=console.options.update_width(_UNBOUNDED)).maximum


def fits(document: Document) -> bool:
    """Whether every table of ``document`` fits the terminal's width with no cell wrapped."""
    width = stdout().width
    return all(_needs(_table(section)) <= width for section in document.sections if section.rows)


def _cards(section: Section, heading: int) -> RenderableType:
    """Each row as a block: its id (column ``heading``) whole on a line of its own, then each
    other cell under its column's name, wrapped between words beside it."""
    blocks: list[RenderableType] = []
    for row in section.rows:
        fields = Table.grid(padding=(0, 2))
        fields.add_column(style="dim", no_wrap=True)
        fields.add_column(overflow="fold")
        for i, (column, cell) in enumerate(zip(section.columns, row, strict=True)):
            if i != heading:
                fields.add_row(column.title, cell_text(cell))
        blocks.append(Text(cell_text(row[heading]), style="bold", overflow="fold"))
        blocks.append(Padding(fields, (0, 0, 0, 2)))
    return Group(*blocks)


def _section(section: Section, width: int | None = None) -> RenderableType:
    """The section's title, note and table; in a terminal narrower than the table needs, a
    list of agreements (a section with ids) as blocks, one an agreement, rather than a table
    whose ids and titles break into slivers."""
    parts: list[RenderableType] = [Text(section.title, style="bold")]
    if section.note:
        parts.append(Text(section.note, style="dim"))
    if not section.rows:
        parts.append(Text(section.empty))
        return Group(*parts)
    table = _table(section)
    heading = next((i for i, c in enumerate(section.columns) if c.identifier), None)
    if width is not None and heading is not None and not section.chart and _needs(table) > width:
        parts.append(_cards(section, heading))
        return Group(*parts)
    parts.append(table)
    return Group(*parts)


def print_document(document: Document) -> None:
    """Rich tables, with bars for chart sections; small sections of one group side by side.

    Notes and facts wrap at the terminal's width, between words (the consoles soft-wrap
    otherwise, for paths and ids that must stay whole)."""
    console = stdout()
    console.print(Text(document.title, style="bold underline"))
    for fact in document.facts:
        line = Text(f"{fact.label}: ", style="bold")
        line.append(cell_text(fact.value))
        console.print(line, soft_wrap=False)
    pending: list[RenderableType] = []
    group: str | None = None
    for section in document.sections:
        if pending and section.group != group:
            console.print()
            console.print(Columns(pending, padding=(0, 4)), soft_wrap=False)
            pending = []
        group = section.group
        if section.group:
            pending.append(_section(section))
        else:
            console.print()
            console.print(_section(section, console.width), soft_wrap=False)
    if pending:
        console.print()
        console.print(Columns(pending, padding=(0, 4)), soft_wrap=False)


def _plain_line(row: tuple[Cell, ...]) -> str:
    """A row as ``tsv`` writes it (after ``cell_text``)."""
    return "\t".join([tsv_cell(cell_text(c)) for c in row])


def _plain_rows(rows: tuple[tuple[Cell, ...], ...]) -> str:
    """The rows as ``tsv`` writes them, one a line; most sections at once, as ``str`` writes
    each cell, when the text shows that ``tsv_cell`` would change none: no "None" (a None
    cell is written ""), a tab between two cells and a line break between two rows and no
    more (none inside a cell), and with those as "|" no character it would change (a
    non-printable one: every whitespace character but the space is one; a double space) and
    no space next to a cell's edge."""
    text = "\n".join(["\t".join(map(str, row)) for row in rows])
    tabs = sum(map(len, rows)) - len(rows)
    if (
        "None" not in text
        and text.count("\t") == tabs
        and text.count("\n") == len(rows) - 1
        and "  " not in text
        and not any(edge in text for edge in (" \t", "\t ", " \n", "\n "))
        and text[:1] != " "
        and text[-1:] != " "
        # A piece at a time: a copy of the whole would be as large as the text.
        and all(
            text[i : i + _PIECE].replace("\t", "|").replace("\n", "|").isprintable()
            for i in range(0, len(text), _PIECE)
        )
    ):
        return text
    return "\n".join(map(_plain_line, rows))


def plain_document(document: Document) -> str:
    """Plain text: the title, ``label: value`` facts, then each section as tab-separated lines."""
    lines = [document.title]
    lines += [f"{fact.label}: {cell_text(fact.value)}" for fact in document.facts]
    for section in document.sections:
        lines += ["", section.title]
        if section.note:
            lines.append(section.note)
        if not section.rows:
            lines.append(section.empty)
            continue
        header = [c.title for c in section.columns]
        if not section.chart:  # most lines: each cell as tsv writes it, at once
            lines.append(tsv([header]))
            lines.append(_plain_rows(section.rows))
            if section.footer is not None:
                lines.append(tsv([[cell_text(c) for c in section.footer]]))
            continue
        rows = [[cell_text(c) for c in row] for row in section.rows]
        bars = _bars(section, _PLAIN_BAR)
        header = section.with_bar(header, "")
        rows = [section.with_bar(row, bar) for row, bar in zip(rows, bars, strict=True)]
        if section.footer is not None:
            footer = [cell_text(c) for c in section.footer]
            rows.append(section.with_bar(footer, ""))
        lines.append(tsv([header, *rows]))
    return "\n".join(lines) + "\n"
