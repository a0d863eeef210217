"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.completion import complete_record_id
from kerjasama_cli.i18n import N_

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        metavar="FOLDER",
        help=N_("Registry folder (holds agreements/). Default: $KERJASAMA_DATA, else ./data."),
        show_default=False,
    ),
]

NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=N_(
            "Parse every file again: neither read nor write the cache of parsed records "
            "($KERJASAMA_CACHE_DIR)."
        ),
    ),
]

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help=N_("Compute status as of DATE (default: today)."),
        show_default=False,
    ),
]

ExpiryWindow = Annotated[
    int | None,
    typer.Option(
        "--expiry-window",
        metavar="DAYS",
        min=0,
        # 90: status.DEFAULT_WINDOW_DAYS (a help text is one literal, for the catalog).
        help=N_(
            "Days before ends_on that count as akan_berakhir (default: expiry_window in "
            "kerjasama.toml or [tool.kerjasama], else 90)."
        ),
        show_default=False,
    ),
]

# The agreement a command changes or shows (completed from the data folder's ids).
RecordId = Annotated[
    str,
    typer.Argument(metavar="ID", help=N_("The agreement's id."), autocompletion=complete_record_id),
]
