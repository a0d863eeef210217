"""Computed status at its boundaries: the day before, of and after each date that changes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kerjasama_cli.model import Record
from kerjasama_cli.status import StatusContext, compute_status, supersession_starts

D = dt.date.fromisoformat


def record(record_id: str = "kb-a", **fields: Any) -> Record:
    data: dict[str, Any] = {
        "id": record_id,
        "title": "Kerja sama",
        "document": "kesepakatan_bersama",
        "parties": [{"region": "32"}, {"region": "33"}],
        "sectors": ["pelayanan_publik"],
    }
    data.update(fields)
    return Record.model_validate(data)


SIGNED = record(signed_on="2025-02-01", starts_on="2025-03-01", ends_on="2025-12-31")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-01-31", "belum_berlaku"),  # before signing
        ("2025-02-28", "belum_berlaku"),  # the day before starts_on
        ("2025-03-01", "aktif"),  # starts_on
        ("2025-03-02", "aktif"),  # the day after
        ("2025-10-01", "aktif"),  # 91 days before ends_on
        ("2025-10-02", "akan_berakhir"),  # 90 days before ends_on: inside the window
        ("2025-12-30", "akan_berakhir"),  # the day before ends_on
        ("2025-12-31", "akan_berakhir"),  # ends_on is the last day in force
        ("2026-01-01", "kedaluwarsa"),  # the day after ends_on
    ],
)
def test_status_around_start_and_end(as_of: str, expected: str) -> None:
    assert compute_status(SIGNED, D(as_of)) == expected


def test_starts_on_defaults_to_signed_on() -> None:
    rec = record(signed_on="2025-02-01", ends_on="2029-12-31")
    assert compute_status(rec, D("2025-01-31")) == "belum_berlaku"
    assert compute_status(rec, D("2025-02-01")) == "aktif"


@pytest.mark.parametrize(
    ("window", "expected"),
    [(0, "aktif"), (29, "aktif"), (30, "akan_berakhir"), (365, "akan_berakhir")],
)
def test_the_window_is_configurable(window: int, expected: str) -> None:
    assert compute_status(SIGNED, D("2025-12-01"), window_days=window) == expected


def test_window_zero_still_marks_the_last_day() -> None:
    assert compute_status(SIGNED, D("2025-12-31"), window_days=0) == "akan_berakhir"


def test_no_ends_on_stays_aktif() -> None:
    rec = record(signed_on="2020-01-01")
    assert compute_status(rec, D("2100-01-01")) == "aktif"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2025-04-09", "aktif"), ("2025-04-10", "berakhir"), ("2025-04-11", "berakhir")],
)
def test_ended_early(as_of: str, expected: str) -> None:
    rec = record(
        signed_on="2025-02-01",
        ends_on="2029-12-31",
        ended={"on": "2025-04-10", "reason": "tujuan_tercapai"},
    )
    assert compute_status(rec, D(as_of)) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2025-04-09", "aktif"), ("2025-04-10", "dibatalkan"), ("2025-04-11", "dibatalkan")],
)
def test_cancelled(as_of: str, expected: str) -> None:
    rec = record(
        signed_on="2025-02-01",
        ends_on="2029-12-31",
        ended={"on": "2025-04-10", "reason": "dibatalkan"},
    )
    assert compute_status(rec, D(as_of)) == expected


def test_a_cancelled_draft_is_dibatalkan() -> None:
    rec = record(ended={"on": "2025-04-10", "reason": "dibatalkan"})
    assert compute_status(rec, D("2025-04-09")) == "draf"
    assert compute_status(rec, D("2025-04-10")) == "dibatalkan"


def test_ended_wins_over_expiry() -> None:
    rec = record(
        signed_on="2020-01-01",
        ends_on="2024-12-31",
        ended={"on": "2023-06-30", "reason": "kesepakatan_para_pihak"},
    )
    assert compute_status(rec, D("2025-06-01")) == "berakhir"


OLD = record("kb-old", signed_on="2020-01-01", ends_on="2026-12-31")
NEW = record(
    "kb-new",
    signed_on="2025-05-20",
    starts_on="2025-06-01",
    ends_on="2030-05-31",
    supersedes=["kb-old"],
)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-05-20", "aktif"),  # the successor is signed but has not started
        ("2025-05-31", "aktif"),  # the day before the successor starts
        ("2025-06-01", "berakhir"),  # the day it starts
        ("2025-06-02", "berakhir"),  # the day after
        ("2027-01-01", "berakhir"),  # superseded, not kedaluwarsa
    ],
)
def test_superseded_from_the_successors_start(as_of: str, expected: str) -> None:
    ctx = StatusContext.for_records([OLD, NEW], D(as_of))
    assert ctx.status(OLD) == expected


def test_supersession_uses_the_earliest_successor() -> None:
    other = record("kb-other", signed_on="2025-03-01", supersedes=["kb-old"], ends_on="2030-01-01")
    assert supersession_starts([OLD, NEW, other]) == {"kb-old": D("2025-03-01")}


def test_an_unsigned_successor_supersedes_nothing() -> None:
    draft = record("kb-draft", supersedes=["kb-old"])
    assert supersession_starts([OLD, draft]) == {}
    assert StatusContext.for_records([OLD, draft], D("2025-06-01")).status(OLD) == "aktif"


def test_cancelled_wins_over_superseded() -> None:
    cancelled = record(
        "kb-old",
        signed_on="2020-01-01",
        ends_on="2026-12-31",
        ended={"on": "2025-06-01", "reason": "dibatalkan"},
    )
    ctx = StatusContext.for_records([cancelled, NEW], D("2025-07-01"))
    assert ctx.status(cancelled) == "dibatalkan"


def test_a_superseded_draft_is_berakhir() -> None:
    draft = record("kb-old")
    ctx = StatusContext.for_records([draft, NEW], D("2025-06-01"))
    assert ctx.status(draft) == "berakhir"
