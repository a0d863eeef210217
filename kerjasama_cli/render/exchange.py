"""Output of `export` and `import`: documents on stdout, reports on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from kerjasama_cli.render import note, warn


def write_document(text: str) -> None:
    """An exported document on stdout, exactly as given."""
    sys.stdout.write(text)
    sys.stdout.flush()


def render_export_summary(
    count: int, fmt: str, path: Path | None, invalid_files: int, lossy: list[str]
) -> None:
    """What was exported (stderr), skipped invalid files and simplified cells as warnings."""
    for where in lossy:
        warn(f"{where}: a line break inside a list item became a space in the {fmt} cell")
    if invalid_files:
        warn(
            f"{invalid_files} invalid record file{'s' if invalid_files != 1 else ''} "
            "not exported; run `kerjasama validate`"
        )
    noun = "agreement" if count == 1 else "agreements"
    note(f"exported {count} {noun} as {fmt}" + (f" to {path}" if path else ""))
