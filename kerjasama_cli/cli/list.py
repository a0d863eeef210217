"""`kerjasama list`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kerjasama_cli.cli.filters import Selection, filter_options
from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_, _, ngettext

LIST_HELP = N_(
    "List agreements, filtered and sorted; status is computed as of --as-of (default today).\n\n"
    "Filters combine with AND; a repeated filter (or a comma-separated value) means any of them."
)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ids = "ids"


def _complete_sort(incomplete: str) -> list[str]:
    from kerjasama_cli.query import SORT_FIELDS  # imported when used: it pulls in the model

    return [f for f in SORT_FIELDS if f.startswith(incomplete)]


@filter_options
def list_records(
    selection: Selection,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="FIELD",
            help=N_(
                "Order by signed_on, starts_on, ends_on (newest first), status (in the order "
                "of the record format), id, title, document or category (A-Z)."
            ),
            autocompletion=_complete_sort,
        ),
    ] = "signed_on",
    reverse: Annotated[
        bool, typer.Option("--reverse", help=N_("Reverse the order (blanks stay last)."))
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", metavar="N", min=0, help=N_("At most N agreements."), show_default=False
        ),
    ] = None,
    output_format: Annotated[
        ListFormat,
        typer.Option("--format", help=N_("table, json, csv or ids (one id per line).")),
    ] = ListFormat.table,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help=N_("CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF.")
        ),
    ] = False,
) -> None:
    """List agreements (help: LIST_HELP)."""
    from kerjasama_cli import render
    from kerjasama_cli.catalog import load_catalog
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.query import SORT_FIELDS, filter_records, sort_records
    from kerjasama_cli.render.progress import registry_bar
    from kerjasama_cli.render.records import render_list
    from kerjasama_cli.storage import find_data_dir

    field = sort.strip().casefold().replace("-", "_")
    if field not in SORT_FIELDS:
        raise UsageError(
            _("--sort: unknown field {field!r}; expected one of {fields}").format(
                field=sort, fields=", ".join(SORT_FIELDS)
            )
        )
    if excel and output_format not in (ListFormat.csv, ListFormat.table):
        raise UsageError(
            _("--excel writes CSV; it cannot be combined with --format {format}").format(
                format=output_format
            )
        )
    fmt = ListFormat.csv if excel else output_format

    with registry_bar(_("reading records"), use_cache=not no_cache) as tick:
        catalog = load_catalog(
            find_data_dir(data_dir),
            selection.as_of,
            selection.window_days,
            selection.where,
            use_cache=not no_cache,
            progress=tick,
            light=True,
        )
    if catalog.skipped:
        count = len(catalog.skipped)
        render.warn(
            ngettext(
                "{n} record file is invalid and left out; run `kerjasama validate`",
                "{n} record files are invalid and left out; run `kerjasama validate`",
                count,
            ).format(n=count)
        )
    selected = filter_records(catalog.records, selection.where, catalog.context)
    ordered = sort_records(selected, field, catalog.context, reverse=reverse)
    if limit is not None:
        ordered = ordered[:limit]
    render_list(ordered, catalog, fmt.value, excel=excel, asked=selection.where.regions)
    if not ordered and fmt is ListFormat.table and not render.is_terminal():
        # Piped, the table is its header line alone (a terminal's has "0 of N agreements").
        render.note(_("no agreement matches"))


def register(app: typer.Typer) -> None:
    app.command("list", help=LIST_HELP)(list_records)
