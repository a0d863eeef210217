"""`kerjasama export`."""

from __future__ import annotations

import itertools
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from kerjasama_cli.cli.filters import Selection, filter_options
from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_, _

EXPORT_HELP = N_(
    "Export agreements (with the filters of list) to CSV, XLSX, JSON or SQLite.\n\n"
    "CSV and XLSX have one row per agreement in the column layout that import reads back; XLSX "
    "adds a sheet of parties. SQLite has normalised tables for SQL and Datasette. JSON has the "
    "records in full."
)

if TYPE_CHECKING:
    import sqlite3

    from kerjasama_cli.model import Record
    from kerjasama_cli.registry import Registry


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    sqlite = "sqlite"


@filter_options
def export(
    selection: Selection,
    output_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            help=N_("csv, xlsx, json or sqlite (default: from the --output file name, else csv)."),
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=N_(
                "File to write (replaced if it exists); '-' or none: stdout (csv and json only)."
            ),
            show_default=False,
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option("--excel", help=N_("CSV for Excel: UTF-8 with a byte-order mark, CRLF.")),
    ] = False,
    escape_formulas: Annotated[
        bool,
        typer.Option(
            "--escape-formulas",
            help=N_(
                "CSV: put ' before cells starting with = + - @ (tab, CR), which a spreadsheet "
                "would run as formulas; import removes it again."
            ),
        ),
    ] = False,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Export agreements (help: EXPORT_HELP)."""
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.exchange.export import BINARY_FORMATS, format_from_suffix
    from kerjasama_cli.render import exchange as out

    to_stdout = output is None or str(output) == "-"
    fmt = output_format.value if output_format else None
    if fmt is None and output is not None and not to_stdout:
        fmt = format_from_suffix(output)
        if fmt is None:
            raise UsageError(
                _(
                    "--output {path}: cannot tell the format from the file name; "
                    "add --format csv, xlsx, json or sqlite"
                ).format(path=output)
            )
    fmt = fmt or "csv"
    if excel and fmt != "csv":
        raise UsageError(
            _("--excel writes CSV; it cannot be combined with --format {format}").format(format=fmt)
        )
    if escape_formulas and fmt != "csv":
        raise UsageError(
            _(
                "--escape-formulas is for CSV (XLSX cells are text already); "
                "it cannot be combined with --format {format}"
            ).format(format=fmt)
        )
    if to_stdout and fmt in BINARY_FORMATS:
        raise UsageError(
            _("--format {format} writes a binary file; give --output FILE").format(format=fmt)
        )
    if fmt == "xlsx":
        from kerjasama_cli.exchange.sheets import require_openpyxl

        require_openpyxl()

    from kerjasama_cli.exchange.export import csv_document, json_document, write_export
    from kerjasama_cli.indexed import from_index
    from kerjasama_cli.query import filter_records, sort_records
    from kerjasama_cli.registry import collector_paused, load_registry
    from kerjasama_cli.status import StatusContext
    from kerjasama_cli.storage import find_data_dir
    from kerjasama_cli.storage.output import refuse_inside_registry

    folder = find_data_dir(data_dir)
    if not to_stdout:
        assert output is not None
        refuse_inside_registry(output, folder)
    registry = load_registry(folder, use_cache=not no_cache)
    # Exporting makes many objects and no cycles: the cyclic collector would only go over
    # them again and again.
    with collector_paused():
        # CSV without --escape-formulas is joined from the rows the index keeps: the views
        # of the records (80 MB for 100,000) are read only if it has to be made otherwise.
        joined = fmt == "csv" and not escape_formulas
        if joined:
            done = _csv_joined_in_index(registry, selection, excel, output)
            if done is not None:
                count, lossy = done
                shown = None if to_stdout else output
                out.render_export_summary(count, fmt, shown, registry.invalid_files, lossy)
                return
        indexed = from_index(registry, selection.where, full=not joined)
        copy: tuple[Path, list[int]] | None = None
        stored: tuple[sqlite3.Connection, list[int]] | None = None
        if indexed is not None:
            # LightRecords have every attribute of Record that exporting reads (light.py).
            candidates = cast("list[Record]", indexed.records)
            ctx = StatusContext(selection.as_of, selection.window_days, indexed.superseded)
            records = sort_records(
                filter_records(candidates, selection.where, ctx), "signed_on", ctx
            )
            if fmt in ("sqlite", "csv") and registry.index is not None:
                file_of = {id(r): f for r, f in zip(candidates, indexed.files, strict=True)}
                files = [file_of[id(r)] for r in records]
                if fmt == "sqlite":
                    copy = (registry.index.path, files)
                else:
                    stored = (registry.index.connection, files)
        else:
            everything = registry.records
            ctx = StatusContext.for_records(everything, selection.as_of, selection.window_days)
            records = sort_records(
                filter_records(everything, selection.where, ctx), "signed_on", ctx
            )
        if to_stdout:
            if fmt == "csv":
                text, lossy = csv_document(
                    records, ctx, excel=excel, escape_formulas=escape_formulas, stored=stored
                )
                out.write_document(("\ufeff" if excel else "") + text)
            else:
                out.write_document(json_document(records))
                lossy = []
        else:
            assert output is not None
            lossy = write_export(
                records,
                ctx,
                fmt,
                output,
                excel=excel,
                escape_formulas=escape_formulas,
                copy=copy,
                filters=selection.where.as_flags(),
                stored=stored,
            )
    # The index's list of invalid files when it answered (registry.invalid_files would ask it
    # again, another pass over its files).
    invalid = registry.invalid_files if indexed is None else len(indexed.invalid)
    out.render_export_summary(len(records), fmt, None if to_stdout else output, invalid, lossy)


def _csv_joined_in_index(
    registry: Registry, selection: Selection, excel: bool, output: Path | None
) -> tuple[int, list[str]] | None:
    """Write the CSV export joined from the rows the index keeps, with no record built: the
    order and the statuses from a few columns (indexed_report.export_order), the rows from
    ``export_rows`` (stored_csv.py). Returns how many agreements were written and the lossy
    notes; None, having written nothing, when the index cannot answer it so (no index, a
    text search, a record without stored pieces)."""
    import sqlite3

    from kerjasama_cli.exchange.stored_csv import csv_chunks_from_index
    from kerjasama_cli.indexed_report import export_order
    from kerjasama_cli.render import exchange as out
    from kerjasama_cli.status import StatusContext
    from kerjasama_cli.storage.output import write_output_chunks

    if registry.index is None:
        return None
    ctx = StatusContext(selection.as_of, selection.window_days)
    order = export_order(registry, selection.where, ctx)
    if order is None:
        return None
    files, statuses = order
    joined = csv_chunks_from_index(
        registry.index.connection, files, statuses, "\r\n" if excel else "\n"
    )
    if joined is None:
        return None
    chunks, lossy = joined
    text = itertools.chain(["\ufeff"], chunks) if excel else chunks
    try:
        if output is None or str(output) == "-":
            out.write_document("".join(text))  # nothing written if the index fails
        else:
            write_output_chunks(output, text)  # as it comes; a failure leaves the file
    except sqlite3.Error:
        return None  # then made the other way
    finally:
        # Its temporary table dropped now, while the index is open, also when the file could
        # not be written: left to the collector, it was closed after the index, with a
        # traceback on stderr.
        chunks.close()
    return len(files), lossy


def register(app: typer.Typer) -> None:
    app.command(help=EXPORT_HELP)(export)
