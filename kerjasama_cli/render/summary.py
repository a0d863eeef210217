"""Output of `summarise --by`, and what the standard report (render/report.py) shares with it.

The domain results (summary.Summary, summary.CrossTab, report.Report) become one neutral
``Document`` (render/document.py), which is drawn with Rich in a terminal, as plain text in a
pipe, or as markdown or HTML. JSON and CSV come straight from the domain results.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from kerjasama_cli.query import Filter
from kerjasama_cli.render import html as html_out
from kerjasama_cli.render import is_terminal, write
from kerjasama_cli.render import markdown as md_out
from kerjasama_cli.render.document import Cell, Column, Document, Fact, Section
from kerjasama_cli.render.terminal import plain_document, print_document
from kerjasama_cli.summary import MULTI_VALUED, REGION_FIELDS, CrossTab, Key, Summary, key_label

TITLE = "Kerja sama daerah"

FIELD_TITLES = {
    "year": "Year",
    "document": "Document",
    "category": "Category",
    "status": "Status",
    "sector": "Sector",
    "region": "Region",
    "province": "Province",
    "party_kind": "Party kind",
}


def describe_filter(where: Filter) -> str | None:
    """The selection in words ("region Prov. Jawa Barat; year 2024"), or None for everything."""
    parts = []
    for name, values in (
        ("region", [key_label("region", c) for c in where.regions]),
        ("within", [key_label("region", c) for c in where.within]),
        ("document", where.documents),
        ("category", where.categories),
        ("status", where.statuses),
        ("sector", where.sectors),
        ("party kind", where.party_kinds),
        ("year", [str(y) for y in where.years]),
        ("search", [repr(s) for s in where.search]),
    ):
        if values:
            parts.append(f"{name} {' or '.join(values)}")
    if where.signed_from:
        parts.append(f"signed from {where.signed_from.isoformat()}")
    if where.signed_to:
        parts.append(f"signed to {where.signed_to.isoformat()}")
    if where.expiring_within is not None:
        parts.append(f"expiring within {where.expiring_within} days")
    return "; ".join(parts) or None


def selection_facts(where: Filter | None) -> tuple[Fact, ...]:
    described = describe_filter(where) if where else None
    return (Fact("Selection", described),) if described else ()


# -- --by -------------------------------------------------------------------------------------


def _key_cells(field: str, key: Key) -> tuple[Cell, ...]:
    if field in REGION_FIELDS:
        return (key if key is None else str(key), key_label(field, key))
    return (key_label(field, key),)


def _key_columns(field: str) -> tuple[Column, ...]:
    if field in REGION_FIELDS:
        return (Column("Code"), Column(FIELD_TITLES[field]))
    return (Column(FIELD_TITLES[field]),)


def by_document(summary: Summary, tab: CrossTab | None, where: Filter | None = None) -> Document:
    """A --by summary as a Document: a table with bars (one field) or a cross-tab (two)."""
    fields = " x ".join(FIELD_TITLES[f].lower() for f in summary.by)
    facts = (Fact("As of", summary.as_of.isoformat()), Fact("Agreements", summary.total))
    note = (
        "An agreement with several values of a field counts once under each of them; the "
        "totals count agreements."
        if set(summary.by) & set(MULTI_VALUED)
        else None
    )
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    if tab is not None:
        columns = (
            Column(f"{FIELD_TITLES[tab.row_field]} \\ {FIELD_TITLES[tab.col_field]}"),
            *(Column(key_label(tab.col_field, c), numeric=True) for c in tab.col_keys),
            Column("Total", numeric=True),
        )
        rows = tuple(
            (
                key_label(tab.row_field, r),
                *(tab.cell(r, c) for c in tab.col_keys),
                tab.row_totals[r],
            )
            for r in tab.row_keys
        )
        footer: tuple[Cell, ...] = (
            "Total",
            *(tab.col_totals[c] for c in tab.col_keys),
            tab.total,
        )
        section = Section("by", f"Agreements by {fields}", columns, rows, note, footer=footer)
    else:
        columns = (
            *(c for f in summary.by for c in _key_columns(f)),
            Column("Agreements", numeric=True),
        )
        rows = tuple(
            (
                *(c for f, k in zip(summary.by, row.keys, strict=True) for c in _key_cells(f, k)),
                row.count,
            )
            for row in summary.rows
        )
        label_column = 1 if summary.by[0] in REGION_FIELDS else 0
        width = len(columns) - 1
        footer = ("Total", *([""] * (width - 1)), summary.total)
        section = Section(
            "by",
            f"Agreements by {fields}",
            columns,
            rows,
            note,
            footer=footer,
            chart="bars" if len(summary.by) == 1 else None,
            label_column=label_column,
        )
    title = f"{TITLE}: agreements by {fields}"
    return Document(title, facts + selection_facts(where), (section,))


def by_csv(summary: Summary) -> str:
    """One row per group: the fields (with ``<field>_name`` for regions) and ``count``."""
    header: list[str] = []
    for field in summary.by:
        header.append(field)
        if field in REGION_FIELDS:
            header.append(f"{field}_name")
    header.append("count")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    for row in summary.rows:
        writer.writerow(summary.row_dict(row))
    return buffer.getvalue()


# -- entry points -----------------------------------------------------------------------------


def as_text(
    fmt: str, document: Callable[[], Document], data: Callable[[], Any], table: Callable[[], str]
) -> str:
    """The output of ``fmt`` as text; only the representation that format needs is built."""
    if fmt == "json":
        return json.dumps(data(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return table()
    if fmt == "markdown":
        return md_out.render_markdown(document())
    if fmt == "html":
        return html_out.render_html(document())
    return plain_document(document())


def summary_text(
    summary: Summary, tab: CrossTab | None, fmt: str, where: Filter | None = None
) -> str:
    """A --by summary as one text document (``table`` becomes plain text), for --output."""
    return as_text(
        fmt, lambda: by_document(summary, tab, where), summary.as_dict, lambda: by_csv(summary)
    )


def show_summary(
    summary: Summary, tab: CrossTab | None, fmt: str, where: Filter | None = None
) -> None:
    """Print a --by summary: Rich tables in a terminal for ``table``, else the format's text."""
    if fmt == "table" and is_terminal():
        print_document(by_document(summary, tab, where))
    else:
        write(summary_text(summary, tab, fmt, where))
