"""The "more than a year old" cutoff of the only-on-paper rule (report.paper_cutoff)."""

from __future__ import annotations

import datetime as dt

import pytest

from kerjasama_cli.report import paper_cutoff


@pytest.mark.parametrize(
    ("as_of", "cutoff"),
    [
        ("2025-05-11", "2024-05-11"),
        ("2025-02-28", "2024-02-28"),
        ("2025-03-01", "2024-03-01"),
        ("2024-02-29", "2023-03-01"),  # no 29 February a year earlier
        ("2024-12-31", "2023-12-31"),
        ("0001-06-01", "0001-01-01"),  # nothing is older than the first date there is
    ],
)
def test_paper_cutoff(as_of: str, cutoff: str) -> None:
    assert paper_cutoff(dt.date.fromisoformat(as_of)) == dt.date.fromisoformat(cutoff)
