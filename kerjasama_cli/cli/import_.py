"""`kerjasama import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache


def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A .csv or .xlsx sheet in the column layout of export.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check every row and show what would be written; write nothing."
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings refuse the import too.")
    ] = False,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Import agreements from a CSV or XLSX sheet, all rows or none.

    Every row is checked against the registry first (the record format, the rules, references
    and duplicate ids, also within the sheet). If any row has an error, each is reported with
    its row and column, nothing is written, and the exit code is 1. Rows without an id get one
    generated as `add` does.
    """
    from kerjasama_cli.errors import RefusedWrite
    from kerjasama_cli.exchange.importing import apply_import, plan_import
    from kerjasama_cli.render import exchange as out
    from kerjasama_cli.storage import display_path, find_data_dir

    folder = find_data_dir(data_dir, creating=True)
    plan = plan_import(folder, source, use_cache=not no_cache)
    out.render_import_problems(plan)
    if plan.failed(strict=strict):
        if plan.errors:
            errors = f"{plan.errors} error{'s' if plan.errors != 1 else ''}"
            rows = f"{plan.rows_with_errors} row{'s' if plan.rows_with_errors != 1 else ''}"
            raise RefusedWrite(f"{errors} in {rows} of {display_path(source)}; nothing was written")
        raise RefusedWrite(
            f"{plan.warnings} warning{'s' if plan.warnings != 1 else ''} and --strict; nothing was written"
        )
    if not dry_run:
        apply_import(plan, folder, strict=strict)
    out.render_import_plan(plan, dry_run=dry_run)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
