"""Status is computed, never stored: the seven states of docs/record-format.md as of a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kerjasama_cli.light import ReadRecord

DEFAULT_WINDOW_DAYS = 90


class Superseding(Protocol):
    """What supersession needs of a record: a Record, or the registry's Brief of one."""

    @property
    def start_date(self) -> dt.date | None: ...
    @property
    def supersedes(self) -> Sequence[str] | None: ...


def supersession_starts(records: Iterable[Superseding]) -> dict[str, dt.date]:
    """For each superseded id, the earliest start of a record that supersedes it."""
    starts: dict[str, dt.date] = {}
    for record in records:
        start = record.start_date
        if start is None:
            continue
        for old in record.supersedes or []:
            if old not in starts or start < starts[old]:
                starts[old] = start
    return starts


def compute_status(
    record: ReadRecord,
    as_of: dt.date,
    superseded_from: dt.date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> str:
    """The status of ``record`` on ``as_of``; the first rule that applies wins.

    ``superseded_from`` is the start of the earliest record that supersedes this one.
    """
    ended = record.ended
    if ended and ended.reason == "dibatalkan" and ended.on <= as_of:
        return "dibatalkan"
    if (ended and ended.on <= as_of) or (superseded_from and superseded_from <= as_of):
        return "berakhir"
    if record.signed_on is None:
        return "draf"
    start = record.start_date
    if start and as_of < start:
        return "belum_berlaku"
    if record.ends_on and as_of > record.ends_on:
        return "kedaluwarsa"
    if record.ends_on and (record.ends_on - as_of).days <= window_days:
        return "akan_berakhir"
    return "aktif"


@dataclass(slots=True)
class StatusContext:
    """What status needs beyond one record: the date, the window and who supersedes whom."""

    as_of: dt.date
    window_days: int = DEFAULT_WINDOW_DAYS
    superseded: dict[str, dt.date] = field(default_factory=dict)

    @classmethod
    def for_records(
        cls, records: Iterable[ReadRecord], as_of: dt.date, window_days: int = DEFAULT_WINDOW_DAYS
    ) -> StatusContext:
        return cls(as_of, window_days, supersession_starts(records))

    def status(self, record: ReadRecord) -> str:
        return compute_status(record, self.as_of, self.superseded.get(record.id), self.window_days)
