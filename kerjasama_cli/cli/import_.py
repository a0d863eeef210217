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
            help="A .csv or .xlsx sheet: export's layout or an office's own columns.",
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
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar='"HEADER=key,..."',
            help="Name the key of headers not recognised (key: title, document, parties, "
            "signed_on, duration, notes, sources, ..., or ignore).",
            show_default=False,
        ),
    ] = None,
    ignore_unknown_columns: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown-columns", help="A column neither recognised nor named is skipped."
        ),
    ] = False,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="Fill KEY on every row that does not give it (repeatable), e.g. "
            "--set sectors=pemerintahan_umum.",
            show_default=False,
        ),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Write the rows that are ready; report the others."),
    ] = False,
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            metavar="FILE.csv|FILE.xlsx",
            help="Write the rows that are not ready, in their columns plus problems, to "
            "correct and import again.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", metavar="text|json", help="json: the plan as one JSON document."),
    ] = "text",
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Import agreements from a CSV or XLSX sheet, all rows or none.

    Every row is checked against the registry first (the record format, the rules, references
    and duplicate ids, also within the sheet). If any row has an error, each is reported with
    its row and column, nothing is written, and the exit code is 1. Rows without an id get one
    generated as `add` does. An office's own headers and values are read as the README says;
    with --skip-invalid the ready rows are written and the others reported (and written to
    --review FILE).
    """
    from kerjasama_cli.errors import RefusedWrite, UsageError
    from kerjasama_cli.exchange.importing import apply_import, plan_import
    from kerjasama_cli.exchange.office import parse_columns_option, parse_set_option
    from kerjasama_cli.exchange.review import plan_json, write_review
    from kerjasama_cli.i18n import _
    from kerjasama_cli.render import exchange as out
    from kerjasama_cli.render import write_json
    from kerjasama_cli.storage import display_path, find_data_dir

    if output_format not in ("text", "json"):
        raise UsageError(f"--format: expected text or json, found {output_format!r}")
    named = parse_columns_option(columns)
    values = parse_set_option(settings)
    folder = find_data_dir(data_dir, creating=True)
    with out.import_progress() as progress:
        plan = plan_import(
            folder,
            source,
            use_cache=not no_cache,
            columns=named,
            ignore_unknown=ignore_unknown_columns,
            settings=values,
            progress=progress,
            records_json=output_format == "json",
        )
    out.render_import_problems(plan)
    if review is not None and not dry_run:
        count = write_review(plan, review)
        out.note_review(count, review)
    if output_format == "json":
        write_json(plan_json(plan))
    failed = plan.failed(strict=strict)
    if skip_invalid and not plan.header_failed:
        if not dry_run and plan.ready():
            with out.import_progress(_("writing records")) as progress:
                apply_import(plan, folder, strict=strict, skip_invalid=True, progress=progress)
        if output_format == "text":
            out.render_import_plan(plan, dry_run=dry_run, items=plan.ready())
        left = len(plan.rows_not_ready())
        if left:
            rows = f"{left} row{'s' if left != 1 else ''}"
            raise RefusedWrite(f"{rows} of {display_path(source)} not ready, not imported")
        return
    if failed:
        if plan.errors:
            errors = f"{plan.errors} error{'s' if plan.errors != 1 else ''}"
            rows = f"{plan.rows_with_errors} row{'s' if plan.rows_with_errors != 1 else ''}"
            raise RefusedWrite(f"{errors} in {rows} of {display_path(source)}; nothing was written")
        raise RefusedWrite(
            f"{plan.warnings} warning{'s' if plan.warnings != 1 else ''} and --strict; nothing was written"
        )
    if not dry_run:
        with out.import_progress(_("writing records")) as progress:
            apply_import(plan, folder, strict=strict, progress=progress)
    if output_format == "text":
        out.render_import_plan(plan, dry_run=dry_run)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
