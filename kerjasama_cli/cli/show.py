"""`kerjasama show ID`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kerjasama_cli.cli.completion import complete_record_id
from kerjasama_cli.cli.options import AsOf, DataDir, ExpiryWindow, NoCache
from kerjasama_cli.i18n import N_, _


class ShowFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=N_("The agreement's id (its file name without .yaml)."),
            autocompletion=complete_record_id,
            show_default=False,
        ),
    ],
    data_dir: DataDir = None,
    no_cache: NoCache = False,
    output_format: Annotated[
        ShowFormat,
        typer.Option("--format", help=N_("table (readable), json, or yaml (the file as stored).")),
    ] = ShowFormat.table,
    as_of: AsOf = None,
    expiry_window: ExpiryWindow = None,
) -> None:
    """Show one agreement in full: parties, dates, computed status, linked records, sources."""
    import datetime as dt

    from kerjasama_cli import render
    from kerjasama_cli.catalog import load_catalog
    from kerjasama_cli.cli.filters import configured_window, parse_date
    from kerjasama_cli.errors import RecordNotFound
    from kerjasama_cli.render.detail import render_record
    from kerjasama_cli.render.progress import registry_bar
    from kerjasama_cli.storage import display_path, find_data_dir, read_text

    day = parse_date(as_of, "--as-of") or dt.date.today()
    window = configured_window(data_dir) if expiry_window is None else expiry_window
    wanted = record_id.strip()
    with registry_bar(_("reading records"), use_cache=not no_cache) as tick:
        catalog = load_catalog(
            find_data_dir(data_dir),
            day,
            window,
            around=wanted,
            use_cache=not no_cache,
            progress=tick,
        )
    record = catalog.get(wanted)
    if catalog.faulty:
        # Never show one of two files with the same id as if it were the agreement.
        for faulty in catalog.faulty:
            path = display_path(faulty)
            render.error(
                _("{path} has errors; run `kerjasama validate {path}` to see them").format(
                    path=path
                )
            )
        raise typer.Exit(1)
    if record is None:
        broken = catalog.broken_file(wanted)
        if broken is not None:
            path = display_path(broken)
            render.error(
                _("{path} has errors; run `kerjasama validate {path}` to see them").format(
                    path=path
                )
            )
            raise typer.Exit(1)
        close = catalog.close_ids(wanted)
        if close:
            said = _("no agreement has the id {id!r}; did you mean {close}?")
        else:
            said = _("no agreement has the id {id!r}; `kerjasama list --format ids` lists them")
        raise RecordNotFound(said.format(id=wanted, close=", ".join(close)))
    text = None
    if output_format is ShowFormat.yaml:
        text, _findings = read_text(catalog.path_of(record))
    render_record(record, catalog, output_format.value, text)


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Show one agreement in full: parties, dates, computed status, linked records, "
            "sources.\n\n"
            "An unknown id exits 2 and suggests close ids; a file with errors exits 1."
        ),
    )(show)
