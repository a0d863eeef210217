"""A report Document as one self-contained HTML file: to attach to an email, or to print.

No network: no scripts, no external fonts, stylesheets or images. Charts are inline SVG; the
stylesheet is inline, with print rules (A4, black on white, table headers repeated on each
page, rows not split). Every piece of text from the records is escaped. The page declares the
language in force (``<html lang="id">``).

Lists of agreements (tables with an id column) take the page's width with a fixed layout:
each column gets a share by what it holds (ids small and broken at hyphens, dates and
statuses narrow, titles and parties the rest), so that neither a long id nor a long name can
squeeze the others or push the table past the edge of an A4 page.
"""

from __future__ import annotations

import math
from html import escape

from kerjasama_cli import __version__
from kerjasama_cli.i18n import _, language
from kerjasama_cli.render.document import Cell, Column, Document, Section, bar_length, cell_text

CHART_HEIGHT = 160
BAR_AREA = 360
LABEL_LIMIT = 50
LONG_SECTION = 12  # rows; a shorter section is kept on one printed page

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: #1a1a1a; background: #fff; line-height: 1.4; margin: 2rem auto;
  max-width: 64rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .4rem; border-bottom: 1px solid #ccc;
  padding-bottom: .2rem; }
.facts { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 0; }
.facts div { display: flex; gap: .4rem; }
.facts dt { font-weight: 600; }
.facts dt::after { content: ":"; }
.facts dd { margin: 0; }
.note { color: #555; margin: .2rem 0 .6rem; }
table { border-collapse: separate; border-spacing: 0; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { border: 0 solid #ccc; border-width: 0 1px 1px 0; padding: .25rem .55rem; text-align: left;
  vertical-align: top; }
tr > :first-child { border-left-width: 1px; }
thead th { border-top-width: 1px; }
thead th { background: #f0f3f7; }
tfoot td { font-weight: 600; background: #f7f7f7; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }  /* a long header ("Jumlah kerja sama") may wrap, numbers not */
.whole { white-space: nowrap; }
.id { font-size: .8em; overflow-wrap: anywhere; }
td { overflow-wrap: break-word; }
table.wide { width: 100%; table-layout: fixed; }
table.wide td, table.wide th { overflow-wrap: anywhere; }
table.wide .whole { white-space: normal; overflow-wrap: normal; }
.pair { display: flex; flex-wrap: wrap; align-items: flex-start; column-gap: 2.5rem; }
.pair figure { margin-top: 0; }
.group { display: flex; flex-wrap: wrap; column-gap: 2.5rem; }
.group > section { flex: 0 1 auto; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
figure { margin: .4rem 0; }
svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 12px; fill: #1a1a1a; }
svg .bar { fill: #3b6ea8; }
footer { margin-top: 3rem; color: #777; font-size: .8rem; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; color: #000; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, .note, .keep { break-after: avoid; }
  .keep { break-inside: avoid; }
  section, figure, tr { break-inside: avoid; }
  /* a hair inside the page: a border drawn on the very edge of the printable area is lost */
  table { max-width: calc(100% - 2px); }
  table.wide { width: calc(100% - 2px); }
  table.wide { font-size: 8pt; }  /* a list of agreements fits the A4 width */
  table.wide th, table.wide td { padding: .2rem .35rem; }
  section.long { break-inside: auto; }  /* long lists flow on; short sections stay whole */
  .pair, .group { display: block; }  /* on paper: one under the other, each at full size */
  thead { display: table-header-group; }
  svg .bar { fill: #444; }
  thead th, tfoot td { background: #eee; }
  th, td { border-color: #888; }
}
""".strip()


def _e(cell: Cell) -> str:
    return escape(cell_text(cell), quote=True)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "\u2026"


def _svg_open(section: Section, width: int, height: int) -> list[str]:
    """The opening of a chart's inline SVG, titled for screen readers."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-{_e(section.key)}">',
        f'<title id="chart-{_e(section.key)}">{_e(section.title)}</title>',
    ]


def _figure(parts: list[str]) -> str:
    return "<figure>" + "".join(parts) + "</svg></figure>"


def _columns_chart(section: Section) -> str:
    """Vertical bars, one per row (years), the value above each bar and the label below."""
    points = [p for p in section.chart_points() if p[0] not in section.chart_skips]
    largest = max((v for _, v in points), default=0)
    slot = max(44, 7 * max((len(label) for label, _ in points), default=0) + 10)
    top, bottom = 20, 24
    width = slot * len(points) + 16
    height = top + CHART_HEIGHT + bottom
    parts = _svg_open(section, width, height)
    for i, (label, value) in enumerate(points):
        h = bar_length(value, largest, CHART_HEIGHT)
        x = 8 + i * slot
        bar_x = x + (slot - 32) // 2
        y = top + CHART_HEIGHT - h
        mid = x + slot // 2
        parts.append(
            f'<g data-label="{_e(label)}" data-value="{value}">'
            f'<rect class="bar" x="{bar_x}" y="{y}" width="32" height="{h}">'
            f"<title>{_e(label)}: {value}</title></rect>"
            f'<text class="value" x="{mid}" y="{y - 5}" text-anchor="middle">{value}</text>'
            f'<text class="label" x="{mid}" y="{top + CHART_HEIGHT + 16}" '
            f'text-anchor="middle">{_e(label)}</text></g>'
        )
    return _figure(parts)


def _bars_chart(section: Section) -> str:
    """Horizontal bars, one per row, the label on the left and the value after the bar."""
    points = section.chart_points()
    largest = max((v for _, v in points), default=0)
    label_width = min(
        7 * LABEL_LIMIT, 7 * max((len(_short(lb)) for lb, _ in points), default=0) + 12
    )
    row_height = 22
    width = label_width + BAR_AREA + 48
    height = row_height * len(points) + 8
    parts = _svg_open(section, width, height)
    for i, (label, value) in enumerate(points):
        w = bar_length(value, largest, BAR_AREA)
        y = 4 + i * row_height
        parts.append(
            f'<g data-label="{_e(label)}" data-value="{value}">'
            f'<text class="label" x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
            f"{_e(_short(label))}</text>"
            f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{w}" height="16">'
            f"<title>{_e(label)}: {value}</title></rect>"
            f'<text class="value" x="{label_width + w + 6}" y="{y + 15}">{value}</text></g>'
        )
    return _figure(parts)


def _class(column: Column) -> str:
    if column.numeric:
        return ' class="num"'
    if column.identifier:  # long ids must not squeeze the titles to a word a line
        return ' class="id"'
    return ' class="whole"' if column.whole else ""


# A column's share of a wide table's width, by what it holds: an id a fixed share (it is
# small and broken at hyphens), dates, statuses and numbers as much as their longest text
# needs, titles, parties and summaries the rest.
_WEIGHT_ID = 2.2
_WEIGHT_TEXT = 3.0
_WEIGHT_PER_CHAR = 0.12


def _weight(column: Column, cells: list[str]) -> float:
    if column.identifier:
        return _WEIGHT_ID
    if column.numeric or column.whole:
        # A header wraps between its words ("Tanggal / penandatanganan"); a date does not.
        longest = max([*(len(w) for w in column.title.split()), *(len(c) for c in cells)])
        return 0.4 + _WEIGHT_PER_CHAR * min(longest, 24)
    return _WEIGHT_TEXT


def _colgroup(section: Section) -> str:
    """Widths in per cent for a wide table's fixed layout."""
    weights = [
        _weight(column, [cell_text(row[i]) for row in section.rows])
        for i, column in enumerate(section.columns)
    ]
    total = sum(weights)
    # Rounded down: shares adding up to more than 100 % would push the table past the page.
    shares = [math.floor(1000 * w / total) / 10 for w in weights]
    return "<colgroup>" + "".join(f'<col style="width:{p:.1f}%">' for p in shares) + "</colgroup>"


def _table(section: Section) -> str:
    classes = [_class(c) for c in section.columns]

    def cells(row: tuple[Cell, ...], tag: str) -> str:
        return "".join(
            f"<{tag}{cls}>{_e(cell)}</{tag}>" for cell, cls in zip(row, classes, strict=False)
        )

    head = "".join(
        f'<th scope="col"{cls}>{_e(c.title)}</th>'
        for c, cls in zip(section.columns, classes, strict=True)
    )
    # Lists of agreements take the page's width; small count tables keep their own.
    wide = any(c.identifier for c in section.columns)
    attrs = ' class="wide"' if wide else ""
    lines = [
        f'<table data-section="{_e(section.key)}"{attrs}>',
        *([_colgroup(section)] if wide else []),
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    lines += [f"<tr>{cells(row, 'td')}</tr>" for row in section.rows]
    lines.append("</tbody>")
    if section.footer is not None:
        lines.append(f"<tfoot><tr>{cells(section.footer, 'td')}</tr></tfoot>")
    lines.append("</table>")
    return "\n".join(lines)


def _section(section: Section) -> str:
    # A list of agreements, or a table longer than a few rows, may flow across pages.
    rows = len(section.rows) * (2 if section.chart == "bars" else 1)  # a bar a row
    long = any(c.identifier for c in section.columns) or rows > LONG_SECTION
    attrs = ' class="long"' if long else ""
    # The heading, its note and a bar chart are kept together on paper: no heading alone at
    # the foot of a page.
    head = [f"<h2>{_e(section.title)}</h2>"]
    if section.note:
        head.append(f'<p class="note">{_e(section.note)}</p>')
    body: list[str] = []
    if not section.rows:
        head.append(f'<p class="empty">{_e(section.empty)}</p>')
    else:
        charted = [p for p in section.chart_points() if p[0] not in section.chart_skips]
        if section.chart == "columns" and charted:
            # On a screen the short table of years sits beside its chart rather than under it.
            body.append('<div class="pair">' + _columns_chart(section) + _table(section) + "</div>")
        else:
            if section.chart == "bars":
                head.append(_bars_chart(section))
            body.append(_table(section))
    return "\n".join(
        [
            f'<section id="{_e(section.key)}"{attrs}>',
            '<div class="keep">',
            *head,
            "</div>",
            *body,
            "</section>",
        ]
    )


def _body(sections: tuple[Section, ...]) -> list[str]:
    """Each section's HTML; consecutive sections of one group wrapped to sit side by side."""
    out: list[str] = []
    run: list[Section] = []
    for section in (*sections, None):
        if run and (section is None or section.group != run[0].group):
            out.append('<div class="group">\n' + "\n".join(_section(s) for s in run) + "\n</div>")
            run = []
        if section is None:
            break
        if section.group:
            run.append(section)
        else:
            out.append(_section(section))
    return out


def render_html(document: Document) -> str:
    """The whole page: title, facts as a definition list, one <section> per section."""
    facts = "".join(
        f"<div><dt>{_e(f.label)}</dt><dd>{_e(f.value)}</dd></div>" for f in document.facts
    )
    body = "\n".join(_body(document.sections))
    generated = _("Generated by kerjasama {version}.").format(version=__version__)
    return f"""<!DOCTYPE html>
<html lang="{escape(language())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kerjasama {escape(__version__)}">
<title>{_e(document.title)}</title>
<style>
{STYLE}
</style>
</head>
<body>
<header>
<h1>{_e(document.title)}</h1>
<dl class="facts">{facts}</dl>
</header>
<main>
{body}
</main>
<footer><p>{_e(generated)}</p></footer>
</body>
</html>
"""
