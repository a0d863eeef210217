"""`kerjasama summarise` (alias `summarize`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from kerjasama_cli.cli.filters import Selection, filter_options
from kerjasama_cli.cli.options import DataDir, NoCache

if TYPE_CHECKING:
    from kerjasama_cli.model import Record
    from kerjasama_cli.registry import Registry
    from kerjasama_cli.status import StatusContext

BY_HELP = (
    "Count agreements per year, document, category, status, sector, region, province or "
    "party_kind; two fields give a cross-tab (comma-separated or repeated)."
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
        typer.Option(
            "--format", help="table, json, csv, markdown or html (one self-contained file)."
        ),
    ] = SummaryFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the document to FILE instead of stdout ('-' means stdout).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Count agreements by field (--by), or print the standard report.

    The standard report: totals by year, category, document and status; agreements expiring
    within the window; agreements only on paper (signed more than a year ago, no PKS, no
    activities); with --region, that region's counterparts inside and outside its province.
    """
    from kerjasama_cli import render
    from kerjasama_cli.gazetteer import load_gazetteer
    from kerjasama_cli.indexed import summary_from_index
    from kerjasama_cli.query import filter_records
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.render import report as report_out
    from kerjasama_cli.render import summary as out
    from kerjasama_cli.render.progress import progress_bar
    from kerjasama_cli.report import build_report
    from kerjasama_cli.status import StatusContext
    from kerjasama_cli.storage import find_data_dir
    from kerjasama_cli.storage.output import refuse_inside_registry, write_output
    from kerjasama_cli.summary import cross_tab, parse_by, summarise_by

    fields = parse_by(by) if by else None
    folder = find_data_dir(data_dir)
    target = None if output is None or str(output) == "-" else output
    if target is not None:
        refuse_inside_registry(target, folder)
    with progress_bar("reading records") as tick:
        registry = load_registry(folder, use_cache=not no_cache, progress=tick)
    if registry.invalid_files:
        n = registry.invalid_files
        render.warn(
            f"{n} record file{'s are' if n != 1 else ' is'} invalid and left out; "
            "run `kerjasama validate`"
        )
    fmt = output_format.value
    counted = (
        summary_from_index(registry, selection.where, fields, selection.as_of) if fields else None
    )
    if counted is not None:  # counted by SQL in the index
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
            summary = summarise_by(selected, fields, ctx)
            tab = cross_tab(selected, fields[0], fields[1], ctx) if len(fields) == 2 else None
        if target is None:
            out.show_summary(summary, tab, fmt, selection.where)
            return
        text = out.summary_text(summary, tab, fmt, selection.where)
    else:
        regions = [load_gazetteer().by_code[code] for code in selection.where.regions]
        report = build_report(selected, records, ctx, regions)
        if target is None:
            report_out.show_report(report, fmt, selection.where)
            return
        text = report_out.report_text(report, fmt, selection.where)
    write_output(target, text)
    render.note(f"wrote {target}")


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
    app.command()(summarise)
    app.command("summarize", hidden=True, help="Alias of summarise.")(summarise)
