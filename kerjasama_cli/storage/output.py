"""Writing a command's output document (``--output FILE``): atomically, never half a file."""

from __future__ import annotations

from pathlib import Path

from kerjasama_cli.errors import UsageError
from kerjasama_cli.storage.writing import replace_atomic


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it if it exists); UsageError when that fails."""
    if path.is_dir():
        raise UsageError(f"--output: {str(path)!r} is a folder; expected a file name")
    if not path.parent.is_dir():
        raise UsageError(f"--output: folder {str(path.parent)!r} does not exist")
    try:
        replace_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"--output: cannot write {str(path)!r}: {exc.strerror or exc}") from None
