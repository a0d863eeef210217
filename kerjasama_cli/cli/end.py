"""`kerjasama end`."""

from __future__ import annotations

from typing import Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache, RecordId
from kerjasama_cli.i18n import N_


def end(
    record_id: RecordId,
    on: Annotated[
        str,
        typer.Option("--on", metavar="DATE", help=N_("Ended on, YYYY-MM-DD."), show_default=False),
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            metavar="REASON",
            help=N_(
                "Why (end_reason): jangka_waktu_habis, tujuan_tercapai, "
                "kesepakatan_para_pihak, perubahan_kebijakan, objek_hilang_musnah, "
                "putusan_pengadilan, pihak_ketiga_pailit, dibatalkan."
            ),
            show_default=False,
        ),
    ],
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Record that an agreement ended early or was cancelled (sets ended: {on, reason})."""
    from kerjasama_cli import changing
    from kerjasama_cli.authoring import Refused
    from kerjasama_cli.cli.filters import choice, parse_date
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir
    from kerjasama_cli.vocab import END_REASONS

    folder = find_data_dir(data_dir)
    date = parse_date(on, "--on")
    assert date is not None
    why = choice(reason, END_REASONS, "--reason")
    try:
        changed = changing.end_record(folder, record_id, date, why, use_cache=not no_cache)
    except Refused as refused:
        out.render_findings(refused.findings)
        raise
    out.render_changed(changed.path, "ended", changed.moved_from, changed.warnings)


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Record that an agreement ended early or was cancelled (sets ended: {on, reason}).\n\n"
            "Checked against the whole registry before writing; comments are kept. Refused "
            "(exit 1, nothing written) when it has already ended or the change would make it "
            "invalid."
        ),
    )(end)
