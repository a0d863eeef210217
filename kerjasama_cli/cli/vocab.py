"""`kerjasama vocab`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kerjasama_cli.i18n import N_, _


class VocabFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _complete_name(incomplete: str) -> list[str]:
    from kerjasama_cli.vocab import vocabularies

    return [name for name in vocabularies() if name.startswith(incomplete)]


def vocab(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="NAME",
            help=N_(
                "Vocabularies to show: document, category, party_kind, sector, stage, "
                "end_reason, funding, recommendation (default: all)."
            ),
            autocompletion=_complete_name,
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        VocabFormat, typer.Option("--format", help=N_("table, json or csv."))
    ] = VocabFormat.table,
) -> None:
    """List the vocabularies of a record: each value with its label, code and aliases."""
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.render.vocab import render_vocabularies
    from kerjasama_cli.vocab import close_value, vocabularies

    known = vocabularies()
    chosen = {}
    for name in names or list(known):
        key = name.strip().casefold().replace("-", "_")
        if key not in known:
            close = close_value(key, known)
            if close:
                said = _("vocab: no vocabulary named {name!r}; did you mean {close!r}?")
            else:
                said = _("vocab: no vocabulary named {name!r}; expected one of {known}")
            raise UsageError(said.format(name=name, close=close, known=", ".join(known)))
        chosen[key] = known[key]
    render_vocabularies(chosen, output_format.value)


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "List the vocabularies of a record: each value with its label, code and aliases.\n\n"
            "The aliases are what a flag or an imported sheet may write instead of the key; "
            "in a record file only sectors take them (`fmt` writes the key)."
        ),
    )(vocab)
