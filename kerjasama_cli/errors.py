"""The one exception hierarchy of kerjasama; cli/ turns each into a message and an exit code.

Problems inside record files are not exceptions: they are findings (see findings.py).
"""

from __future__ import annotations

import errno

from kerjasama_cli.i18n import N_, _


class KerjasamaError(Exception):
    """Something the user can fix stopped the command."""

    exit_code = 3

    def lines(self) -> list[str]:
        """What to say, a line each (one, but for UsageErrors)."""
        return [str(self)]


class UsageError(KerjasamaError):
    """The command was called wrongly: a bad option value, a missing data folder."""

    exit_code = 2


class UsageErrors(UsageError):
    """Several option values are wrong at once: each is said on its own line."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages

    def lines(self) -> list[str]:
        return list(self.messages)


class DataFolderNotFound(UsageError):
    """The data folder does not exist or is not a folder."""


class RegionLookupError(UsageError):
    """A --region or --within value is unknown or ambiguous."""


class RecordNotFound(UsageError):
    """No record has the requested id."""


class RefusedWrite(KerjasamaError):
    """A write was refused because the record would be invalid or already exists."""

    exit_code = 1


class RecordExists(RefusedWrite):
    """A record file with that id already exists; records are never overwritten."""


class WriteFailed(KerjasamaError):
    """The file system refused a write (read-only, full, no permission, failing disk); what was
    being written is left as it was."""

    exit_code = 2

    def __init__(self, message: str, cause: OSError) -> None:
        super().__init__(message)
        self.cause = cause


def system_reason(exc: OSError) -> str:
    """The system's words for ``exc``, in Indonesian where the tool has them."""
    words = {
        errno.EROFS: N_("read-only file system"),
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("operation not permitted"),
        errno.ENOENT: N_("no such file or folder"),
        errno.ENOTDIR: N_("not a folder"),
        errno.EISDIR: N_("is a folder"),
        errno.ENOSPC: N_("no space left on device"),
        errno.EDQUOT: N_("disk quota exceeded"),
        errno.EFBIG: N_("file too large"),
        errno.EIO: N_("input/output error"),
        errno.EBADF: N_("the stream is closed"),
    }
    said = words.get(exc.errno or -1)
    return _(said) if said is not None else (exc.strerror or type(exc).__name__).lower()
