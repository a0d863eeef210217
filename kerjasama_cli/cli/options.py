"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
