"""`kerjasama schema`."""

from __future__ import annotations

import typer

from kerjasama_cli.i18n import N_


def schema() -> None:
    """Print the JSON Schema of a record file (generated from the model), for editors."""
    from kerjasama_cli import render
    from kerjasama_cli.model import record_json_schema

    render.write_json(record_json_schema())


def register(app: typer.Typer) -> None:
    app.command(
        help=N_("Print the JSON Schema of a record file (generated from the model), for editors."),
    )(schema)
