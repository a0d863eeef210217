"""`kerjasama regions`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kerjasama_cli.cli.completion import complete_any_region
from kerjasama_cli.i18n import N_


class RegionsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class RegionKind(StrEnum):
    provinsi = "provinsi"
    kabupaten = "kabupaten"
    kota = "kota"


def regions(
    queries: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="QUERY",
            help=N_("Codes, names or aliases to look up (default: list all 552)."),
            autocompletion=complete_any_region,
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        list[RegionKind] | None,
        typer.Option(
            "--kind",
            metavar="provinsi|kabupaten|kota",
            help=N_("Only this kind (repeatable)."),
            show_default=False,
        ),
    ] = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            metavar="PROVINCE",
            help=N_("Only the regions of this province."),
            autocompletion=complete_any_region,
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        RegionsFormat, typer.Option("--format", help=N_("table, json or csv."))
    ] = RegionsFormat.table,
) -> None:
    """Look regions up in the gazetteer the way region: and --region resolve them."""
    from kerjasama_cli.cli.resolve import resolve_region
    from kerjasama_cli.gazetteer import load_gazetteer
    from kerjasama_cli.render import set_exit_when_cut
    from kerjasama_cli.render.regions import render_regions, render_resolutions

    gazetteer = load_gazetteer()
    kinds = {k.value for k in kind or []}
    scope = None
    if within:
        place = resolve_region(within, "--within")
        scope = (
            {r.code for r in gazetteer.members(place.province)}
            if place.kind == "provinsi"
            else {place.code}
        )
    if not queries:
        selected = [
            r
            for r in gazetteer.regions
            if (not kinds or r.kind in kinds) and (scope is None or r.code in scope)
        ]
        render_regions(selected, output_format.value)
        return
    results = []
    for query in queries:
        res = gazetteer.resolve(query)
        if kinds or scope is not None:
            kept = tuple(
                r
                for r in res.matches
                if (not kinds or r.kind in kinds) and (scope is None or r.code in scope)
            )
            res = type(res)(res.query, kept, res.suggestions)
        results.append(res)
    code = 0 if all(r.region for r in results) else 1
    set_exit_when_cut(code)  # `regions Zzzz | head -0` still says the lookup failed
    render_resolutions(results, output_format.value)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Look regions up in the gazetteer the way region: and --region resolve them.\n\n"
            "With queries, exit 0 when each resolves to exactly one region, 1 otherwise."
        ),
    )(regions)
