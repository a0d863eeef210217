"""Output of `summarise --by`, and what the standard report (render/report.py) shares with it.

The domain results (summary.Summary, summary.CrossTab, report.Report) become one neutral
``Document`` (render/document.py), which is drawn with Rich in a terminal, as plain text in a
pipe, or as markdown or HTML. JSON and CSV come straight from the domain results.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from kerjasama_cli.csvtext import CsvText
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import N_, _, format_date, ngettext
from kerjasama_cli.labels import label
from kerjasama_cli.query import Filter
from kerjasama_cli.render import html as html_out
from kerjasama_cli.render import is_terminal, write
from kerjasama_cli.render import markdown as md_out
from kerjasama_cli.render.document import Cell, Column, Document, Fact, Section
from kerjasama_cli.render.terminal import fits, plain_document, print_document
from kerjasama_cli.summary import (
    COUNTERPART_FIELDS,
    MULTI_VALUED,
    REGION_FIELDS,
    CrossTab,
    Key,
    Summary,
    key_label,
)

FIELD_TITLES = {
    "year": N_("Year"),
    "document": N_("Document"),
    "category": N_("Category"),
    "status": N_("Status"),
    "sector": N_("Sector"),
    "region": N_("Region"),
    "province": N_("Province"),
    "party_kind": N_("Party kind"),
    "counterpart_kind": N_("Counterpart kind"),
    "counterpart_group": N_("Counterpart group"),
}


def field_title(field: str) -> str:
    """A field's column header in the language in force ("Year", "Tahun")."""
    return _(FIELD_TITLES[field])


def region_names(codes: tuple[str, ...]) -> str:
    """The official names of regions, as a report's title writes them ("Kabupaten Muara Enim")."""
    gazetteer = load_gazetteer()
    return ", ".join(gazetteer.by_code[c].official_name for c in codes if c in gazetteer.by_code)


def report_title(as_of: dt.date, where: Filter | None) -> str:
    """The title of a report: the region when --region is given, and the as-of date."""
    regions = region_names(where.regions) if where else ""
    day = format_date(as_of)
    if regions:
        return _("Regional cooperation of {regions} as of {date}").format(regions=regions, date=day)
    return _("Regional cooperation as of {date}").format(date=day)


def describe_filter(where: Filter) -> str | None:
    """The selection in words ("region Prov. Jawa Barat; year 2024"), or None for everything."""
    either = _(" or ")
    parts = []
    for name, values in (
        (_("region"), [key_label("region", c) for c in where.regions]),
        (_("within"), [key_label("region", c) for c in where.within]),
        (_("document"), [label("document", d) for d in where.documents]),
        (_("category"), [label("category", c) for c in where.categories]),
        (_("status"), [label("status", s) for s in where.statuses]),
        (_("sector"), [label("sector", s) for s in where.sectors]),
        (_("party kind"), [label("party_kind", k) for k in where.party_kinds]),
        (_("year"), [str(y) for y in where.years]),
        (_("search"), [repr(s) for s in where.search]),
    ):
        if values:
            parts.append(f"{name} {either.join(values)}")
    if where.signed_from:
        parts.append(_("signed from {date}").format(date=format_date(where.signed_from)))
    if where.signed_to:
        parts.append(_("signed to {date}").format(date=format_date(where.signed_to)))
    if where.expiring_within is not None:
        parts.append(
            ngettext(
                "expiring within {days} day", "expiring within {days} days", where.expiring_within
            ).format(days=where.expiring_within)
        )
    return "; ".join(parts) or None


def selection_facts(where: Filter | None) -> tuple[Fact, ...]:
    described = describe_filter(where) if where else None
    return (Fact(_("Selection"), described),) if described else ()


# -- --by -------------------------------------------------------------------------------------


def _key_cells(field: str, key: Key) -> tuple[Cell, ...]:
    if field in REGION_FIELDS:
        return (key if key is None else str(key), key_label(field, key))
    return (key_label(field, key),)


def _key_columns(field: str) -> tuple[Column, ...]:
    if field in REGION_FIELDS:
        return (Column(_("Code"), whole=True), Column(field_title(field)))
    return (Column(field_title(field)),)


def by_document(summary: Summary, tab: CrossTab | None, where: Filter | None = None) -> Document:
    """A --by summary as a Document: a table with bars (one field) or a cross-tab (two)."""
    fields = " x ".join(field_title(f).lower() for f in summary.by)
    facts: tuple[Fact, ...] = (
        Fact(_("As of"), format_date(summary.as_of)),
        Fact(_("Agreements"), summary.total),
    )
    if summary.counterpart_of is not None:
        region = load_gazetteer().by_code[summary.counterpart_of]
        facts += (Fact(_("Counterparts of"), region.official_name),)
    notes = []
    if set(summary.by) & set(MULTI_VALUED):
        notes.append(
            _(
                "An agreement with several values of a field counts once under each of them; "
                "the totals count agreements."
            )
        )
    if set(summary.by) & set(COUNTERPART_FIELDS):
        notes.append(
            _(
                "Counted in agreements, not parties: an agreement with two companies counts "
                "once; the region itself is never its own counterpart."
            )
        )
    note = " ".join(notes) or None
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    if tab is not None:
        columns = (
            Column(f"{field_title(tab.row_field)} \\ {field_title(tab.col_field)}"),
            *(Column(key_label(tab.col_field, c, short=True), numeric=True) for c in tab.col_keys),
            Column(_("Total"), numeric=True),
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
            _("Total"),
            *(tab.col_totals[c] for c in tab.col_keys),
            tab.total,
        )
        section = Section(
            "by",
            _("Agreements by {fields}").format(fields=fields),
            columns,
            rows,
            note,
            empty=_("None."),
            footer=footer,
        )
    else:
        columns = (
            *(c for f in summary.by for c in _key_columns(f)),
            Column(_("Agreements"), numeric=True),
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
        footer = (_("Total"), *([""] * (width - 1)), summary.total)
        section = Section(
            "by",
            _("Agreements by {fields}").format(fields=fields),
            columns,
            rows,
            note,
            empty=_("None."),
            footer=footer,
            chart="bars" if len(summary.by) == 1 else None,
            label_column=label_column,
        )
    title = _("{heading}: agreements by {fields}").format(
        heading=report_title(summary.as_of, where), fields=fields
    )
    return Document(title, facts + selection_facts(where), (section,))


def by_csv(summary: Summary) -> str:
    """One row per group: the fields (with ``<field>_name`` for regions) and ``count``."""
    header: list[str] = []
    for field in summary.by:
        header.append(field)
        if field in REGION_FIELDS:
            header.append(f"{field}_name")
    header.append("count")
    buffer = CsvText()
    writer = buffer.dict_writer(header)
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
    """Print a --by summary: Rich tables in a terminal for ``table``, else the format's text.

    A cross-tab wider than the terminal (``--by year,sector``: forty sectors at 80 columns,
    each header cut to "…") is shown as one row per combination instead, as with three
    fields."""
    if fmt == "table" and is_terminal():
        document = by_document(summary, tab, where)
        if tab is not None and not fits(document):
            document = by_document(summary, None, where)
        print_document(document)
    else:
        write(summary_text(summary, tab, fmt, where))
