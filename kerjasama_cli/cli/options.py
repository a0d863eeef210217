"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.cli.completion import complete_record_id
from kerjasama_cli.status import DEFAULT_WINDOW_DAYS

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Registry folder (holds agreements/). Default: $KERJASAMA_DATA, else ./data.",
        show_default=False,
    ),
]

NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Parse every file again: neither read nor write the cache of parsed records "
        "($KERJASAMA_CACHE_DIR).",
    ),
]

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Compute status as of DATE (default: today).",
        show_default=False,
    ),
]

ExpiryWindow = Annotated[
    int | None,
    typer.Option(
        "--expiry-window",
        metavar="DAYS",
        min=0,
        help="Days before ends_on that count as akan_berakhir (default: expiry_window in "
        f"kerjasama.toml or [tool.kerjasama], else {DEFAULT_WINDOW_DAYS}).",
        show_default=False,
    ),
]

# The agreement a command changes or shows (completed from the data folder's ids).
RecordId = Annotated[
    str,
    typer.Argument(metavar="ID", help="The agreement's id.", autocompletion=complete_record_id),
]
