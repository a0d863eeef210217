"""Output of the standard report of `summarise` (no --by), in every format."""

from __future__ import annotations

import csv
import io

from kerjasama_cli.query import Filter
from kerjasama_cli.render import is_terminal, write
from kerjasama_cli.render.document import Cell, Column, Document, Fact, Section
from kerjasama_cli.render.summary import FIELD_TITLES, TITLE, as_text, selection_facts
from kerjasama_cli.render.terminal import print_document
from kerjasama_cli.report import AgreementRef, CounterpartGroup, Counterparts, Report
from kerjasama_cli.summary import key_label
from kerjasama_cli.vocab import CATEGORY_LABELS, DOCUMENT_LABELS

PARTY_KIND_TITLES = {
    "kementerian_lembaga": "Ministries and central agencies",
    "ptn": "State universities (PTN)",
    "pts": "Private universities (PTS)",
    "bumn": "State-owned enterprises (BUMN)",
    "bumd": "Regional enterprises (BUMD)",
    "bums": "Private companies (BUMS)",
    "ormas": "Civil society organisations (ormas)",
    "perseorangan": "Individuals",
    "pemda_luar_negeri": "Foreign regional governments",
    "lembaga_luar_negeri": "Foreign institutions",
}


def _totals_section(report: Report, field: str) -> Section:
    groups = report.totals[field]
    if field == "year":
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (key_label("year", g.keys[0]), g.count) for g in groups
        )
        columns: tuple[Column, ...] = (Column("Year"), Column("Agreements", numeric=True))
        # Drafts have no year: in the table, but not a bar among the years of the chart.
        unsigned = key_label("year", None)
        return Section(
            "year", "Agreements per year", columns, rows, chart="columns", chart_skips=(unsigned,)
        )
    labels = {"category": CATEGORY_LABELS, "document": DOCUMENT_LABELS}.get(field)
    if labels is None:
        columns = (Column(FIELD_TITLES[field]), Column("Agreements", numeric=True))
        rows = tuple((str(g.keys[0]), g.count) for g in groups)
    else:
        columns = (
            Column(FIELD_TITLES[field]),
            Column("Meaning"),
            Column("Agreements", numeric=True),
        )
        rows = tuple((str(g.keys[0]), labels.get(str(g.keys[0]), ""), g.count) for g in groups)
    return Section(field, f"By {FIELD_TITLES[field].lower()}", columns, rows, group="totals")


def _agreements_section(
    key: str, title: str, refs: tuple[AgreementRef, ...], note: str, expiring: bool
) -> Section:
    columns: tuple[Column, ...]
    if expiring:
        columns = (
            Column("ID", whole=True, identifier=True),
            Column("Title"),
            Column("Ends on", whole=True),
            Column("Days left", numeric=True),
            Column("Parties"),
        )
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (
                a.id,
                a.title,
                a.ends_on.isoformat() if a.ends_on else "",
                a.days_left,
                ", ".join(a.parties),
            )
            for a in refs
        )
    else:
        columns = (
            Column("ID", whole=True, identifier=True),
            Column("Title"),
            Column("Document", whole=True),
            Column("Signed on", whole=True),
            Column("Status", whole=True),
            Column("Parties"),
        )
        rows = tuple(
            (
                a.id,
                a.title,
                a.document,
                a.signed_on.isoformat() if a.signed_on else "",
                a.status,
                ", ".join(a.parties),
            )
            for a in refs
        )
    return Section(key, title, columns, rows, note)


def _names(group: CounterpartGroup) -> str:
    """E.g. "Kab. Lahat, PT Bukit Asam (2)": a count only where there is more than one agreement."""
    return ", ".join(
        p.label if p.agreements == 1 else f"{p.label} ({p.agreements})" for p in group.parties
    )


def _counterparts_section(c: Counterparts) -> Section:
    rows: list[tuple[Cell, ...]] = [(g.label, g.count, _names(g)) for g in c.regional]
    rows += [(PARTY_KIND_TITLES.get(g.key, g.key), g.count, _names(g)) for g in c.others]
    name = c.region.display_name
    note = (
        f"{name} is a party to {c.agreements} agreement{'s' if c.agreements != 1 else ''} with "
        f"{c.regional_governments} regional government{'s' if c.regional_governments != 1 else ''} "
        f"and {c.other_parties} other part{'ies' if c.other_parties != 1 else 'y'}."
    )
    return Section(
        f"counterparts-{c.region.code}",
        f"Counterparts of {name}",
        (Column("Group"), Column("Count", numeric=True), Column("Names")),
        tuple(rows),
        note,
        chart="bars",
        value_column=1,
    )


def report_document(report: Report, where: Filter | None = None) -> Document:
    """The standard report as a Document."""
    cutoff = report.paper_cutoff.isoformat()
    facts = (
        Fact("As of", report.as_of.isoformat()),
        Fact("Agreements", report.total),
        Fact(f"Expiring within {report.window_days} days", len(report.expiring)),
        Fact("Only on paper", len(report.only_on_paper)),
    )
    sections = [_totals_section(report, f) for f in ("year", "category", "document", "status")]
    sections.append(
        _agreements_section(
            "expiring",
            f"Expiring within {report.window_days} days",
            report.expiring,
            f"In force and ending between {report.as_of.isoformat()} and {report.window_days} days later.",
            expiring=True,
        )
    )
    sections.append(
        _agreements_section(
            "only_on_paper",
            "Only on paper",
            report.only_on_paper,
            f"Signed before {cutoff} (more than a year ago), with no agreement naming it as "
            "parent (no PKS) and no activities reported.",
            expiring=False,
        )
    )
    sections += [_counterparts_section(c) for c in report.counterparts]
    return Document(f"{TITLE}: summary", facts + selection_facts(where), tuple(sections))


def report_csv(report: Report) -> str:
    """The standard report as one long table: ``section,key,value,name,count,date``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "key", "value", "name", "count", "date"])
    writer.writerow(["totals", "total", "", "", report.total, report.as_of.isoformat()])
    for field, groups in report.totals.items():
        for g in groups:
            key = g.keys[0]
            writer.writerow(["totals", field, "" if key is None else key, "", g.count, ""])
    for a in report.expiring:
        writer.writerow(["expiring", "id", a.id, a.title, a.days_left, a.ends_on or ""])
    for a in report.only_on_paper:
        writer.writerow(["only_on_paper", "id", a.id, a.title, "", a.signed_on or ""])
    for c in report.counterparts:
        section = f"counterparts:{c.region.code}"
        for group in c.regional:
            for p in group.parties:
                writer.writerow([section, group.key, p.code, p.name, p.agreements, ""])
        for group in c.others:
            for p in group.parties:
                writer.writerow([section, f"other:{group.key}", "", p.name, p.agreements, ""])
    return buffer.getvalue()


def report_text(report: Report, fmt: str, where: Filter | None = None) -> str:
    """The standard report as one text document (``table`` becomes plain text), for --output."""
    return as_text(
        fmt, lambda: report_document(report, where), report.as_dict, lambda: report_csv(report)
    )


def show_report(report: Report, fmt: str, where: Filter | None = None) -> None:
    """Print the standard report: Rich in a terminal for ``table``, else the format's text."""
    if fmt == "table" and is_terminal():
        print_document(report_document(report, where))
    else:
        write(report_text(report, fmt, where))
