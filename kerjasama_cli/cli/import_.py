"""`kerjasama import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_


def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help=N_("A .csv or .xlsx sheet: export's layout or an office's own columns."),
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help=N_("Check every row and show what would be written; write nothing.")
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help=N_("Warnings refuse the import too."))
    ] = False,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar='"HEADER=key,..."',
            help=N_(
                "Name the key of headers not recognised (key: title, document, parties, "
                "signed_on, duration, notes, sources, ..., or ignore)."
            ),
            show_default=False,
        ),
    ] = None,
    ignore_unknown_columns: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown-columns", help=N_("A column neither recognised nor named is skipped.")
        ),
    ] = False,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help=N_(
                "Fill KEY on every row that does not give it (repeatable), e.g. "
                "--set sectors=pemerintahan_umum."
            ),
            show_default=False,
        ),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help=N_("Write the rows that are ready; report the others.")
        ),
    ] = False,
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            metavar="FILE.csv|FILE.xlsx",
            help=N_(
                "Write the rows that are not ready, in their columns plus problems, to "
                "correct and import again."
            ),
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", metavar="text|json", help=N_("json: the plan as one JSON document.")
        ),
    ] = "text",
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """`kerjasama import`: rows of a CSV or XLSX sheet become record files (help: register)."""
    from kerjasama_cli.errors import RefusedWrite, UsageError
    from kerjasama_cli.exchange.importing import apply_import, plan_import
    from kerjasama_cli.exchange.office import parse_columns_option, parse_set_option
    from kerjasama_cli.exchange.review import plan_json, write_review
    from kerjasama_cli.i18n import _, ngettext
    from kerjasama_cli.render import exchange as out
    from kerjasama_cli.render import write_json
    from kerjasama_cli.storage import display_path, find_data_dir

    if output_format not in ("text", "json"):
        raise UsageError(
            _("--format: expected text or json, found {value!r}").format(value=output_format)
        )
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
    out.note_layout(plan)
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
            raise RefusedWrite(
                ngettext(
                    "{n} row of {path} not ready, not imported",
                    "{n} rows of {path} not ready, not imported",
                    left,
                ).format(n=left, path=display_path(source))
            )
        return
    if failed:
        if plan.errors:
            errors = ngettext("{n} error", "{n} errors", plan.errors).format(n=plan.errors)
            rows = ngettext(
                "{errors} in {n} row of {path}; nothing was written",
                "{errors} in {n} rows of {path}; nothing was written",
                plan.rows_with_errors,
            )
            raise RefusedWrite(
                rows.format(errors=errors, n=plan.rows_with_errors, path=display_path(source))
            )
        raise RefusedWrite(
            ngettext(
                "{n} warning and --strict; nothing was written",
                "{n} warnings and --strict; nothing was written",
                plan.warnings,
            ).format(n=plan.warnings)
        )
    if not dry_run:
        with out.import_progress(_("writing records")) as progress:
            apply_import(plan, folder, strict=strict, progress=progress)
    if output_format == "text":
        out.render_import_plan(plan, dry_run=dry_run)


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help=N_(
            "Import agreements from a CSV or XLSX sheet, all rows or none.\n\n"
            "Every row is checked against the registry first (the record format, the rules, "
            "references and duplicate ids, also within the sheet). If any row has an error, each "
            "is reported with its row and column, nothing is written, and the exit code is 1. "
            "Rows without an id get one generated as `add` does. An office's own headers and "
            "values are read as the README says; with --skip-invalid the ready rows are written "
            "and the others reported (and written to --review FILE)."
        ),
    )(import_)
