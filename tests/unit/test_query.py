"""Pure filtering and sorting, on records built in memory."""

from __future__ import annotations

import datetime as dt

import pytest

from kerjasama_cli.query import SORT_FIELDS, Filter, filter_records, sort_records
from kerjasama_cli.status import StatusContext
from tests.unit.test_status import record

AS_OF = dt.date(2025, 6, 1)

JABAR = record(
    "kb-jabar-jateng", signed_on="2024-01-01", ends_on="2028-12-31"
)  # Jawa Barat, Jawa Tengah
BEKASI = record(
    "kb-bekasi-ptn",
    signed_on="2025-01-01",
    ends_on="2025-07-01",
    parties=[{"region": "32.75"}, {"name": "Institut Teknologi Bandung", "kind": "ptn"}],
    scope=["riset air bersih"],
)
DRAFT = record(
    "kb-draft",
    parties=[{"region": "16.03"}, {"region": "16.04"}],
    notes="Menunggu persetujuan DPRD",
)
EXPIRED = record(
    "kb-expired",
    signed_on="2019-01-01",
    ends_on="2024-01-01",
    parties=[{"region": "17.04"}, {"region": "17.01"}],
)
RECORDS = [JABAR, BEKASI, DRAFT, EXPIRED]
CTX = StatusContext.for_records(RECORDS, AS_OF)


def ids(where: Filter) -> list[str]:
    return [r.id for r in filter_records(RECORDS, where, CTX)]


def test_an_empty_filter_matches_everything() -> None:
    assert ids(Filter()) == [r.id for r in RECORDS]


def test_region_matches_only_that_region() -> None:
    assert ids(Filter(regions=("32",))) == ["kb-jabar-jateng"]
    assert ids(Filter(regions=("32.75",))) == ["kb-bekasi-ptn"]


def test_within_matches_the_province_and_everything_inside() -> None:
    assert ids(Filter(within=("32",))) == ["kb-jabar-jateng", "kb-bekasi-ptn"]
    assert ids(Filter(within=("16",))) == ["kb-draft"]
    assert ids(Filter(within=("32.75",))) == ["kb-bekasi-ptn"]


def test_search_reads_scope_notes_and_party_names() -> None:
    assert ids(Filter(search=("AIR BERSIH",))) == ["kb-bekasi-ptn"]
    assert ids(Filter(search=("dprd",))) == ["kb-draft"]
    assert ids(Filter(search=("teknologi bandung",))) == ["kb-bekasi-ptn"]
    assert ids(Filter(search=("Kabupaten Lahat",))) == ["kb-draft"]
    assert ids(Filter(search=("nothing", "jawa tengah"))) == ["kb-jabar-jateng"]


def test_expiring_within_needs_a_record_in_force() -> None:
    assert ids(Filter(expiring_within=30)) == ["kb-bekasi-ptn"]  # 30 days away
    assert ids(Filter(expiring_within=29)) == []
    assert ids(Filter(expiring_within=100_000)) == ["kb-jabar-jateng", "kb-bekasi-ptn"]


def test_signed_date_filters_exclude_drafts() -> None:
    assert ids(Filter(signed_to=dt.date(2030, 1, 1))) == [
        "kb-jabar-jateng",
        "kb-bekasi-ptn",
        "kb-expired",
    ]
    assert ids(Filter(years=(2019, 2025))) == ["kb-bekasi-ptn", "kb-expired"]


def sort(field: str, *, reverse: bool = False) -> list[str]:
    return [r.id for r in sort_records(RECORDS, field, CTX, reverse=reverse)]


def test_default_sort_is_newest_signed_first_with_drafts_last() -> None:
    assert sort("signed_on") == ["kb-bekasi-ptn", "kb-jabar-jateng", "kb-expired", "kb-draft"]
    assert sort("signed_on", reverse=True) == [
        "kb-expired",
        "kb-jabar-jateng",
        "kb-bekasi-ptn",
        "kb-draft",
    ]


def test_status_sorts_in_the_record_format_order() -> None:
    # draf, kedaluwarsa, akan_berakhir, aktif
    assert sort("status") == ["kb-draft", "kb-expired", "kb-bekasi-ptn", "kb-jabar-jateng"]


def test_equal_keys_keep_the_default_order() -> None:
    # all four are kesepakatan_bersama: newest signed first, drafts last
    assert sort("document") == sort("signed_on")
    assert sort("document", reverse=True) == sort("signed_on")


@pytest.mark.parametrize("field", SORT_FIELDS)
def test_every_sort_field_keeps_every_record(field: str) -> None:
    assert sorted(sort(field)) == sorted(r.id for r in RECORDS)
