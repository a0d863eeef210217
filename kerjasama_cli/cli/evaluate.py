"""`kerjasama evaluate`."""

from __future__ import annotations

from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache, RecordId
from kerjasama_cli.i18n import N_, _


def evaluate(
    record_id: RecordId,
    on: Annotated[
        str,
        typer.Option(
            "--on", metavar="DATE", help=N_("Evaluated on, YYYY-MM-DD."), show_default=False
        ),
    ],
    recommendation: Annotated[
        str,
        typer.Option(
            "--recommendation",
            metavar="R",
            help=N_("lanjutkan, perpanjang, revisi or hentikan."),
            show_default=False,
        ),
    ],
    summary: Annotated[
        str,
        typer.Option("--summary", metavar="TEXT", help=N_("What was judged."), show_default=False),
    ],
    score: Annotated[
        str | None,
        typer.Option("--score", metavar="N", help=N_("A score from 1 to 5."), show_default=False),
    ] = None,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """`kerjasama evaluate` (its help is given in ``register``)."""
    from kerjasama_cli import changing
    from kerjasama_cli.authoring import Refused
    from kerjasama_cli.cli.filters import choice, parse_date, pasted_text
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir
    from kerjasama_cli.vocab import RECOMMENDATIONS

    folder = find_data_dir(data_dir)
    date = parse_date(on, "--on")
    assert date is not None
    advice = choice(recommendation, RECOMMENDATIONS, "--recommendation")
    summary = pasted_text(summary)
    if not summary:
        raise UsageError(_("--summary: expected a description of what was judged"))
    points: int | None = None
    if score is not None:
        if not score.strip().isdigit() or not 1 <= int(score) <= 5:
            raise UsageError(
                _("--score: expected a whole number from 1 to 5, got {score!r}").format(score=score)
            )
        points = int(score)
    new = changing.NewEvaluation(date, summary, advice, points)
    try:
        changed = changing.evaluate_record(folder, record_id, new, use_cache=not no_cache)
    except Refused as refused:
        out.render_findings(refused.findings)
        raise
    out.render_changed(
        changed.path, "recorded the evaluation in", changed.moved_from, changed.warnings
    )


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Record an evaluation of a signed agreement (monitoring dan evaluasi), appended to "
            "its evaluations.\n\n"
            "Checked against the whole registry before writing; comments are kept. Refused "
            "(exit 1, nothing written) for a draft, a date before signing, or the same "
            "evaluation twice."
        ),
    )(evaluate)
