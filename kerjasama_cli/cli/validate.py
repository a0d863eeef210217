"""`kerjasama validate`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to report on (default: the whole registry).", show_default=False
        ),
    ] = None,
    data_dir: DataDir = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", help="text, json, or github workflow commands.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
) -> None:
    """Check every record (or the named files) against the record format; exit 1 on errors.

    Cross-file checks (unique ids, references) always see the whole registry.
    """
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.registry import check_registry
    from kerjasama_cli.render import findings as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    missing = [str(p) for p in paths or [] if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    result = check_registry(folder, paths or None)
    if output_format is ValidateFormat.json:
        out.render_json(result)
        out.render_summary_line(result)
    elif output_format is ValidateFormat.github:
        out.render_github(result)
    else:
        out.render_text(result)
    raise typer.Exit(1 if result.failed(strict=strict) else 0)


def register(app: typer.Typer) -> None:
    app.command()(validate)
