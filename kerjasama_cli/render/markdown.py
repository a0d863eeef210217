"""A report Document as GitHub-flavoured markdown, for a PR comment or a job summary.

Text from records is escaped, so a title with ``|``, ``*`` or ``<script>`` cannot break a table
or inject markup. Chart sections get a bar column drawn with block characters.
"""

from __future__ import annotations

import re

from kerjasama_cli.i18n import _
from kerjasama_cli.render.document import Cell, Document, Section, bar_length, cell_text

BAR_WIDTH = 20
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape(text: str) -> str:
    """Escape markdown punctuation and flatten newlines, for a table cell or a line."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", flat).replace("&", "&amp;")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(cell: Cell) -> str:
    return escape(cell_text(cell))


def _section(section: Section) -> list[str]:
    lines = [f"## {escape(section.title)}", ""]
    if section.note:
        lines += [f"_{escape(section.note)}_", ""]
    if not section.rows:
        return [*lines, escape(_(section.empty)), ""]
    header = [escape(c.title) for c in section.columns]
    align = ["---:" if c.numeric else "---" for c in section.columns]
    rows = [[_cell(c) for c in row] for row in section.rows]
    footer = [f"**{_cell(c)}**" if cell_text(c) else "" for c in section.footer or ()]
    if section.chart:
        values = [v for _, v in section.chart_points()]
        largest = max(values, default=0)
        header = section.with_bar(header, "")
        align = section.with_bar(align, "---")
        rows = [
            section.with_bar(row, "\u2588" * bar_length(value, largest, BAR_WIDTH))
            for row, value in zip(rows, values, strict=True)
        ]
        footer = section.with_bar(footer, "") if footer else footer
    lines += [_row(header), _row(align), *(_row(r) for r in rows)]
    if footer:
        lines.append(_row(footer))
    return [*lines, ""]


def render_markdown(document: Document) -> str:
    """The title as a level-1 heading, facts as a bullet list, one level-2 heading per section."""
    lines = [f"# {escape(document.title)}", ""]
    lines += [f"- **{escape(f.label)}:** {_cell(f.value)}" for f in document.facts]
    lines.append("")
    for section in document.sections:
        lines += _section(section)
    return "\n".join(lines).rstrip("\n") + "\n"
