"""The one exception hierarchy of kerjasama; cli/ turns each into a message and an exit code.

Problems inside record files are not exceptions: they are findings (see findings.py).
"""

from __future__ import annotations


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
