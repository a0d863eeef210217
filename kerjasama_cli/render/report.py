"""Output of the standard report of `summarise` (no --by), in every format.

Human formats (table, markdown, HTML) show labels ("Kesepakatan Bersama (KB/MoU)", "Akan
berakhir") and dates as people write them ("5 Februari 2024"); JSON and CSV keep keys and ISO.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from operator import attrgetter

from kerjasama_cli.csvtext import CsvText
from kerjasama_cli.i18n import N_, _, format_date, ngettext
from kerjasama_cli.labels import label, short_label
from kerjasama_cli.query import Filter
from kerjasama_cli.render import is_terminal, write
from kerjasama_cli.render.document import Cell, Column, Document, Fact, Section
from kerjasama_cli.render.summary import as_text, field_title, report_title, selection_facts
from kerjasama_cli.render.terminal import print_document
from kerjasama_cli.report import AgreementRef, CounterpartGroup, Counterparts, Realisation, Report
from kerjasama_cli.summary import key_label

# The groups of organisations in a counterparts table (the party kinds, in plural words).
PARTY_KIND_TITLES = {
    "kementerian_lembaga": N_("Ministries and central agencies"),
    "ptn": N_("State universities (PTN)"),
    "pts": N_("Private universities (PTS)"),
    "bumn": N_("State-owned enterprises (BUMN)"),
    "bumd": N_("Regional enterprises (BUMD)"),
    "bums": N_("Private companies (BUMS)"),
    "ormas": N_("Civil society organisations (ormas)"),
    "perseorangan": N_("Individuals"),
    "pemda_luar_negeri": N_("Foreign regional governments"),
    "lembaga_luar_negeri": N_("Foreign institutions"),
}


def _totals_section(report: Report, field: str) -> Section:
    groups = report.totals[field]
    agreements = Column(_("Agreements"), numeric=True)
    if field == "year":
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (key_label("year", g.keys[0]), g.count) for g in groups
        )
        # Drafts have no year: in the table, but not a bar among the years of the chart.
        unsigned = key_label("year", None)
        return Section(
            "year",
            _("Agreements per year of signing"),
            (Column(_("Year")), agreements),
            rows,
            empty=_("None."),
            chart="columns",
            chart_skips=(unsigned,),
        )
    rows = tuple((key_label(field, g.keys[0]), g.count) for g in groups)
    titles = {
        "category": _("By category"),
        "document": _("By document"),
        "status": _("By status"),
    }
    return Section(
        field,
        titles[field],
        (Column(field_title(field)), agreements),
        rows,
        empty=_("None."),
        group="totals",
    )


def _date(day: dt.date | None) -> str:
    return format_date(day)


def _dates(days: Iterable[dt.date | None]) -> dict[dt.date | None, str]:
    """Each distinct day as ``_date`` writes it: a long list has few distinct days."""
    return {day: format_date(day) for day in set(days)}


def _labels(field: str, keys: Iterable[str]) -> dict[str, str]:
    """Each distinct key's ``label``."""
    return {key: label(field, key) for key in set(keys)}


def _agreements_section(
    key: str, title: str, refs: tuple[AgreementRef, ...], note: str, expiring: bool
) -> Section:
    columns: tuple[Column, ...]
    if expiring:
        columns = (
            Column(_("ID"), whole=True, identifier=True),
            Column(_("Title")),
            Column(_("Ends on"), whole=True),
            Column(_("Days left"), numeric=True),
            Column(_("Parties")),
        )
        ends = _dates(map(attrgetter("ends_on"), refs))
        rows: tuple[tuple[Cell, ...], ...] = tuple(
            (a.id, a.title, ends[a.ends_on], a.days_left, ", ".join(a.parties)) for a in refs
        )
    else:
        columns = (
            Column(_("ID"), whole=True, identifier=True),
            Column(_("Title")),
            Column(_("Document"), whole=True),
            Column(_("Signed on"), whole=True),
            Column(_("Status"), whole=True),
            Column(_("Parties")),
        )
        documents = {d: short_label("document", d) for d in set(map(attrgetter("document"), refs))}
        signed = _dates(map(attrgetter("signed_on"), refs))
        statuses = _labels("status", map(attrgetter("status"), refs))
        rows = tuple(
            (
                a.id,
                a.title,
                documents[a.document],
                signed[a.signed_on],
                statuses[a.status],
                ", ".join(a.parties),
            )
            for a in refs
        )
    return Section(key, title, columns, rows, note, empty=_("None."))


def _realisation_section(report: Report) -> Section:
    lines: tuple[Realisation, ...] = report.realisation
    note = _(
        "Every signed agreement in force on {as_of} or ended since {since}, with its latest "
        "activity (realisation) reported on or before {as_of}; those with none first."
    ).format(as_of=format_date(report.as_of), since=format_date(report.paper_cutoff))
    columns = (
        Column(_("ID"), whole=True, identifier=True),
        Column(_("Title")),
        Column(_("Status"), whole=True),
        Column(_("Activities"), numeric=True),
        Column(_("Latest activity"), whole=True),
        Column(_("What was done")),
    )
    statuses = _labels("status", map(attrgetter("status"), lines))
    latest = _dates(map(attrgetter("last_activity_on"), lines))
    none = _("No activity reported")
    rows = tuple(
        (
            line.id,
            line.title,
            statuses[line.status],
            line.activities,
            latest[line.last_activity_on] or "-",
            line.last_activity or none,
        )
        for line in lines
    )
    return Section("realisation", _("Realisation"), columns, rows, note, empty=_("None."))


def _names(group: CounterpartGroup) -> str:
    """E.g. "Kab. Lahat, PT Bukit Asam (2)": a count only where there is more than one agreement."""
    return ", ".join(
        p.label if p.agreements == 1 else f"{p.label} ({p.agreements})" for p in group.parties
    )


def _counterparts_section(c: Counterparts) -> Section:
    rows: list[tuple[Cell, ...]] = [(g.label, g.count, _names(g)) for g in c.regional]
    rows += [(_(PARTY_KIND_TITLES.get(g.key, g.key)), g.count, _names(g)) for g in c.others]
    name = c.region.display_name
    note = " ".join(
        (
            ngettext(
                "{name} is a party to {n} agreement.",
                "{name} is a party to {n} agreements.",
                c.agreements,
            ).format(name=name, n=c.agreements),
            _(
                "Each row counts the agreements with the parties of its group (an agreement "
                "with parties of two groups counts in both); in brackets, the agreements with "
                "one party when more than one."
            ),
        )
    )
    return Section(
        f"counterparts-{c.region.code}",
        _("Counterparts of {name}").format(name=name),
        (Column(_("Counterparts")), Column(_("Agreements"), numeric=True), Column(_("Names"))),
        tuple(rows),
        note,
        empty=_("None."),
        chart="bars",
        value_column=1,
    )


def _groups_section(c: Counterparts) -> Section:
    """Agreements per counterpart group, as a Bappeda reports them (antar pemerintah 7, ...)."""
    rows = tuple((key_label("counterpart_group", g.keys[0]), g.count) for g in c.groups)
    name = c.region.display_name
    return Section(
        f"counterpart-groups-{c.region.code}",
        _("Agreements of {name} by kind of counterpart").format(name=name),
        (Column(_("Counterpart group")), Column(_("Agreements"), numeric=True)),
        rows,
        _(
            "An agreement with counterparts of several groups counts once in each; the "
            "region itself is not its own counterpart."
        ),
        empty=_("None."),
        footer=(_("Agreements of {name}").format(name=name), c.agreements),
    )


def report_document(report: Report, where: Filter | None = None) -> Document:
    """The standard report as a Document."""
    window = report.window_days
    expiring_title = ngettext(
        "Expiring within {days} day", "Expiring within {days} days", window
    ).format(days=window)
    facts = (
        Fact(_("As of"), format_date(report.as_of)),
        Fact(_("Agreements"), report.total),
        Fact(expiring_title, len(report.expiring)),
        Fact(_("Only on paper"), len(report.only_on_paper)),
        Fact(
            _("Reported on"),
            _("{reported} of {total}").format(
                reported=report.reported, total=len(report.realisation)
            ),
        ),
    )
    sections = [_totals_section(report, f) for f in ("year", "category", "document", "status")]
    sections.append(
        _agreements_section(
            "expiring",
            expiring_title,
            report.expiring,
            ngettext(
                "In force and ending between {as_of} and {days} day later.",
                "In force and ending between {as_of} and {days} days later.",
                window,
            ).format(as_of=format_date(report.as_of), days=window),
            expiring=True,
        )
    )
    sections.append(
        _agreements_section(
            "only_on_paper",
            _("Only on paper"),
            report.only_on_paper,
            _(
                "Signed before {date} (more than a year ago), with no agreement naming it as "
                "parent (no PKS) and no activities reported."
            ).format(date=format_date(report.paper_cutoff)),
            expiring=False,
        )
    )
    sections.append(_realisation_section(report))
    for c in report.counterparts:
        sections += [_groups_section(c), _counterparts_section(c)]
    return Document(
        report_title(report.as_of, where), facts + selection_facts(where), tuple(sections)
    )


def report_csv(report: Report) -> str:
    """The standard report as one long table: ``section,key,value,name,count,date``."""
    buffer = CsvText()
    writer = buffer.writer()
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
    for line in report.realisation:
        writer.writerow(
            [
                "realisation",
                line.status,
                line.id,
                line.title,
                line.activities,
                line.last_activity_on or "",
            ]
        )
    for c in report.counterparts:
        section = f"counterparts:{c.region.code}"
        for group in c.regional:
            for p in group.parties:
                writer.writerow([section, group.key, p.code, p.name, p.agreements, ""])
        for group in c.others:
            for p in group.parties:
                writer.writerow([section, f"other:{group.key}", "", p.name, p.agreements, ""])
        for row in c.groups:
            writer.writerow([section, "group", row.keys[0], "", row.count, ""])
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
