"""`kerjasama activity`."""

from __future__ import annotations

from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache, RecordId
from kerjasama_cli.i18n import N_, _


def activity(
    record_id: RecordId,
    on: Annotated[
        str,
        typer.Option(
            "--on", metavar="DATE", help=N_("When it was done, YYYY-MM-DD."), show_default=False
        ),
    ],
    summary: Annotated[
        str,
        typer.Option("--summary", metavar="TEXT", help=N_("What was done."), show_default=False),
    ],
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            metavar="URL",
            help=N_("A link to a report, minutes or article (repeatable)."),
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Record what was done under a signed agreement (appended to its activities)."""
    from kerjasama_cli import authoring
    from kerjasama_cli.cli.filters import parse_date, pasted_text
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    date = parse_date(on, "--on")
    assert date is not None
    summary = pasted_text(summary)
    if not summary:
        raise UsageError(_("--summary: expected a description of what was done"))
    new = authoring.NewActivity(date, summary, tuple(pasted_text(e) for e in evidence or []))
    try:
        changed = authoring.record_activity(folder, record_id, new, use_cache=not no_cache)
    except authoring.Refused as refused:
        out.render_findings(refused.findings)
        raise
    out.render_changed(
        changed.path, "recorded the activity in", changed.moved_from, changed.warnings
    )


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Record what was done under a signed agreement (appended to its activities).\n\n"
            "Edits the record's file in place, keeping its comments, and prints its path (a "
            "record in the wrong folder is moved to its own, as set does). Refused (exit 1, "
            "nothing written) for a draft, an activity dated before signing, or a record with "
            "errors."
        ),
    )(activity)
