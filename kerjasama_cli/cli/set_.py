"""`kerjasama set`."""

from __future__ import annotations

from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache, RecordId
from kerjasama_cli.i18n import N_


def set_(
    record_id: RecordId,
    assignments: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE...",
            help=N_(
                "A key path (ends_on, stage, parties[2].number, parties[1].signatory.name, "
                "ended.reason; positions start at 1) and a value read as YAML; KEY= removes the key."
            ),
            show_default=False,
        ),
    ],
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Change keys of a record: checked against the whole registry, then written atomically."""
    from kerjasama_cli import changing
    from kerjasama_cli.authoring import Refused
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    parsed = [changing.parse_assignment(a) for a in assignments]
    try:
        changed = changing.set_values(folder, record_id, parsed, use_cache=not no_cache)
    except Refused as refused:
        out.render_findings(refused.findings)
        raise
    out.render_changed(
        changed.path, "changed", changed.moved_from, changed.warnings, changed.values
    )


def register(app: typer.Typer) -> None:
    app.command(
        "set",
        help=N_(
            "Change keys of a record: checked against the whole registry, then written "
            "atomically.\n\n"
            "Keeps every comment, and moves the file to the folder its signed_on asks for. "
            "Refused (exit 1, nothing written) when the record would have errors; an unknown "
            "id exits 2. Prints the path written."
        ),
    )(set_)
