"""Writing a command's output document (``--output FILE``): atomically, never half a file.

A new file gets the mode a shell redirection would give it, a replaced one keeps its mode
(writing.py), and a symbolic link is written through, so that it keeps pointing at the report.
"""

from __future__ import annotations

from pathlib import Path

from kerjasama_cli.errors import UsageError
from kerjasama_cli.storage.writing import create_exclusive, replace_atomic


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it if it exists); UsageError when that fails."""
    target = path.resolve() if path.is_symlink() else path
    if target.is_dir():
        raise UsageError(f"--output: {str(path)!r} is a folder; expected a file name")
    if not target.parent.is_dir():  # create_exclusive would make it: a typo must not
        raise UsageError(f"--output: folder {str(target.parent)!r} does not exist")
    try:
        try:
            create_exclusive(target, text)
        except FileExistsError:
            replace_atomic(target, text)
    except OSError as exc:
        raise UsageError(f"--output: cannot write {str(path)!r}: {exc.strerror or exc}") from None
