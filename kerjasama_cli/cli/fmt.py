"""`kerjasama fmt`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_, _


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help=N_("Files or folders to format (default: the whole registry)."),
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help=N_("Change nothing; list the files that would change (exit 1 if any).")
        ),
    ] = False,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Rewrite records in canonical form, keeping every comment."""
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.fmt import format_files
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    missing = [str(p) for p in paths or [] if not p.exists()]
    if missing:
        raise UsageError(_("no such file or folder: {paths}").format(paths=", ".join(missing)))
    outcomes = format_files(folder, paths or None, check=check, use_cache=not no_cache)
    out.render_fmt(outcomes, check=check)
    bad = any(o.state in ("invalid", "failed") for o in outcomes)
    would = check and any(o.state == "would_reformat" for o in outcomes)
    raise typer.Exit(1 if bad or would else 0)


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Rewrite records in canonical form, keeping every comment.\n\n"
            "Canonical: the key order of the record format, regions as their code with the "
            "official name as a comment, sector keys, two-space indentation. Files with errors "
            "are left untouched and reported (exit 1). Prints the files changed (or, with "
            "--check, that would change) on stdout, what changed on stderr."
        ),
    )(fmt)
