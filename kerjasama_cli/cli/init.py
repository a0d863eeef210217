"""`kerjasama init`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Folder of the new registry repository (created if missing; default: here).",
            show_default=False,
        ),
    ] = Path(),
) -> None:
    """Scaffold a registry repository: data/agreements/, a README, pre-commit and CI.

    Writes data/agreements/, README.md for data stewards, .pre-commit-config.yaml,
    .github/workflows/validate.yml (validates pull requests), kerjasama.toml and
    schema/record.schema.json. Refuses (exit 1, writing nothing) if any of them exists.
    """
    from kerjasama_cli import render
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.scaffold import write_scaffold
    from kerjasama_cli.storage import display_path

    if directory.exists() and not directory.is_dir():
        raise UsageError(f"init: {directory} exists and is not a folder")
    for path in write_scaffold(directory):
        render.write(display_path(path))
    render.note(
        f"initialised a registry in {display_path(directory.resolve())}: add records with "
        "`kerjasama add`, check them with `kerjasama validate`"
    )


def register(app: typer.Typer) -> None:
    app.command()(init)
