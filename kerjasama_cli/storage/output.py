"""Writing a command's output document (``--output FILE``): atomically, never half a file.

The document goes to a temporary file in the same folder, which is renamed into place. The
file gets the permissions a shell redirection would give it: those of the file it replaces,
or else the usual ones for a new file (0666 less the umask), not mkstemp's private 0600.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from kerjasama_cli.errors import UsageError


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it if it exists); UsageError when that fails."""
    if path.is_dir():
        raise UsageError(f"--output: {str(path)!r} is a folder; expected a file name")
    if not path.parent.is_dir():
        raise UsageError(f"--output: folder {str(path.parent)!r} does not exist")
    target = path.resolve() if path.is_symlink() else path  # write through a link, keep it
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            Path(tmp).chmod(mode)
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(f"--output: cannot write {str(path)!r}: {exc.strerror or exc}") from None
