"""`kerjasama summarise` (alias `summarize`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from kerjasama_cli.cli.filters import Selection, filter_options
from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from kerjasama_cli.model import Record
    from kerjasama_cli.registry import Registry
    from kerjasama_cli.status import StatusContext

BY_HELP = N_(
    "Count agreements per year, document, category, status, sector, region, province or "
    "party_kind; with exactly one --region R also per counterpart_kind (the kinds of R's "
    "other parties) or counterpart_group (pemerintah_daerah, kementerian_lembaga, "
    "perguruan_tinggi, badan_usaha, luar_negeri, lainnya). Two fields give a cross-tab "
    "(comma-separated or repeated)."
)
FORMAT_HELP = N_("table, json, csv, markdown or html (one self-contained file).")
OUTPUT_HELP = N_("Write the document to FILE instead of stdout ('-' means stdout).")
SUMMARISE_HELP = N_(
    "Count agreements by field (--by), or print the standard report.\n\n"
    "The standard report: totals by year, category, document and status; agreements expiring "
    "within the window; agreements only on paper (signed more than a year ago, no PKS, no "
    "activities); the realisation of every agreement in force or ended within the last year "
    "(its latest activity, or none); with --region, that region's agreements by kind of "
    "counterpart and its counterparts inside and outside its province, counted in agreements."
)


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


@filter_options
def summarise(
    *,
    selection: Selection,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", metavar="FIELD[,FIELD...]", help=BY_HELP, show_default=False),
    ] = None,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
    output_format: Annotated[
        SummaryFormat,
        typer.Option("--format", help=FORMAT_HELP),
    ] = SummaryFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=OUTPUT_HELP,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Count agreements by field (--by), or print the standard report (help: SUMMARISE_HELP)."""
    from kerjasama_cli import render
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.registry import collector_paused, load_registry
    from kerjasama_cli.render.progress import registry_bar
    from kerjasama_cli.storage import find_data_dir
    from kerjasama_cli.storage.output import refuse_inside_registry
    from kerjasama_cli.summary import COUNTERPART_FIELDS, parse_by

    fields = parse_by(by) if by else None
    counterpart_of = None
    asked = [f for f in fields or () if f in COUNTERPART_FIELDS]
    if asked:
        if len(selection.where.regions) != 1:
            raise UsageError(
                _(
                    "--by {field} counts the counterparts of one region: give exactly one "
                    '--region R (e.g. --region "Muara Enim")'
                ).format(field=asked[0])
            )
        counterpart_of = selection.where.regions[0]
    folder = find_data_dir(data_dir)
    target = None if output is None or str(output) == "-" else output
    if target is not None:
        refuse_inside_registry(target, folder)
    with registry_bar(_("reading records"), use_cache=not no_cache) as tick:
        registry = load_registry(folder, use_cache=not no_cache, progress=tick)
    if registry.invalid_files:
        n = registry.invalid_files
        render.warn(
            ngettext(
                "{n} record file is invalid and left out; run `kerjasama validate`",
                "{n} record files are invalid and left out; run `kerjasama validate`",
                n,
            ).format(n=n)
        )
    # Many objects and no cycles: the collector would only traverse them again and again.
    with collector_paused():
        _answer(registry, selection, fields, counterpart_of, output_format.value, target)


def _answer(
    registry: Registry,
    selection: Selection,
    fields: tuple[str, ...] | None,
    counterpart_of: str | None,
    fmt: str,
    target: Path | None,
) -> None:
    """Count or report on the selection, and print it or write it to ``target``."""
    from kerjasama_cli import render
    from kerjasama_cli.gazetteer import load_gazetteer
    from kerjasama_cli.indexed import summary_from_index
    from kerjasama_cli.indexed_report import report_from_index
    from kerjasama_cli.query import filter_records
    from kerjasama_cli.render import report as report_out
    from kerjasama_cli.render import summary as out
    from kerjasama_cli.report import build_report
    from kerjasama_cli.status import StatusContext
    from kerjasama_cli.storage.output import write_output
    from kerjasama_cli.summary import cross_tab, summarise_by

    counted = (
        summary_from_index(registry, selection.where, fields, selection.as_of) if fields else None
    )
    regions = [load_gazetteer().by_code[code] for code in selection.where.regions]
    report = (
        None
        if fields
        else report_from_index(
            registry,
            selection.where,
            StatusContext(selection.as_of, selection.window_days),
            regions,
        )
    )
    if counted is not None or report is not None:  # counted in the index
        records: list[Record] = []
        selected = records
        ctx = StatusContext(selection.as_of, selection.window_days)
    else:
        records, ctx = _records(registry, selection, everything=not fields)
        selected = filter_records(records, selection.where, ctx)
    if fields:
        if counted is not None:
            summary, tab = counted
        else:
            summary = summarise_by(selected, fields, ctx, counterpart_of)
            tab = (
                cross_tab(selected, fields[0], fields[1], ctx, counterpart_of)
                if len(fields) == 2
                else None
            )
        if target is None:
            out.show_summary(summary, tab, fmt, selection.where)
            return
        text = out.summary_text(summary, tab, fmt, selection.where)
    else:
        if report is None:
            report = build_report(selected, records, ctx, regions)
        if target is None:
            report_out.show_report(report, fmt, selection.where)
            return
        text = report_out.report_text(report, fmt, selection.where)
    write_output(target, text)
    render.note(_("wrote {path}").format(path=target))


def _records(
    registry: Registry, selection: Selection, *, everything: bool
) -> tuple[list[Record], StatusContext]:
    """The records to summarise, and the status context: from the index when it has them
    (only those that may match, unless ``everything`` is needed), else built from the files."""
    from kerjasama_cli.indexed import from_index
    from kerjasama_cli.status import StatusContext

    indexed = from_index(registry, None if everything else selection.where)
    if indexed is not None:
        ctx = StatusContext(selection.as_of, selection.window_days, indexed.superseded)
        # LightRecords have every attribute of Record that summarising reads (light.py).
        return cast("list[Record]", indexed.records), ctx
    records = registry.records
    return records, StatusContext.for_records(records, selection.as_of, selection.window_days)


def register(app: typer.Typer) -> None:
    app.command(help=SUMMARISE_HELP)(summarise)
    app.command("summarize", hidden=True, help=N_("Alias of summarise."))(summarise)
