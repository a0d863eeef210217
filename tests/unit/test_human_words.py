"""Dates as people write them, labels instead of keys, the HTML's declared language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from kerjasama_cli import i18n
from kerjasama_cli.labels import COUNTERPART_GROUP_LABELS, STATUS_LABELS, label, short_label
from kerjasama_cli.render.document import Document
from kerjasama_cli.render.html import render_html
from kerjasama_cli.summary import GROUP_ORDER
from kerjasama_cli.vocab import STATUSES


@pytest.fixture
def indonesian() -> Iterator[None]:
    i18n.set_language("id")
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("day", "english", "short"),
    [
        (dt.date(2024, 2, 5), "5 February 2024", "5 Feb 2024"),
        (dt.date(2025, 8, 31), "31 August 2025", "31 Aug 2025"),
        (dt.date(1999, 12, 1), "1 December 1999", "1 Dec 1999"),
    ],
)
def test_dates_in_english(day: dt.date, english: str, short: str) -> None:
    assert i18n.format_date(day) == english
    assert i18n.format_date(day, short=True) == short


@pytest.mark.parametrize(
    ("day", "indonesian_date", "short"),
    [
        (dt.date(2024, 2, 5), "5 Februari 2024", "5 Feb 2024"),
        (dt.date(2025, 8, 31), "31 Agustus 2025", "31 Agu 2025"),
        (dt.date(2019, 5, 9), "9 Mei 2019", "9 Mei 2019"),
        (dt.date(2023, 10, 17), "17 Oktober 2023", "17 Okt 2023"),
        (dt.date(2020, 12, 25), "25 Desember 2020", "25 Des 2020"),
    ],
)
def test_dates_in_indonesian(
    indonesian: None, day: dt.date, indonesian_date: str, short: str
) -> None:
    assert i18n.format_date(day) == indonesian_date
    assert i18n.format_date(day, short=True) == short


def test_no_date_is_empty() -> None:
    assert i18n.format_date(None) == ""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Memorandum of Understanding (Kesepakatan Bersama, KB/MoU)",
                "Expiring soon",
                "KSDD (region with another region)",
                "Public Works and Spatial Planning",
                "State University (PTN)",
                "Enterprises (BUMN/BUMD/private)",
            ],
        ),
        (
            "id",
            [
                "Kesepakatan Bersama (KB/MoU)",
                "Akan berakhir",
                "KSDD (daerah dengan daerah lain)",
                "Pekerjaan Umum dan Penataan Ruang",
                "Perguruan Tinggi Negeri",
                "Badan usaha (BUMN/BUMD/BUMS)",
            ],
        ),
    ],
)
def test_labels_of_the_vocabularies(lang: str, expected: list[str]) -> None:
    i18n.set_language(lang)
    assert [
        label("document", "kesepakatan_bersama"),
        label("status", "akan_berakhir"),
        label("category", "ksdd"),
        label("sector", "pekerjaan_umum"),
        label("party_kind", "ptn"),
        label("counterpart_group", "badan_usaha"),
    ] == expected
    assert short_label("document", "perjanjian_kerja_sama") == "PKS"
    assert short_label("category", "sinergi") == "Sinergi"
    assert label("status", "no-such-key") == "no-such-key"
    assert set(STATUS_LABELS) == set(STATUSES)
    assert tuple(COUNTERPART_GROUP_LABELS) == GROUP_ORDER


def test_html_declares_the_language(indonesian: None) -> None:
    assert '<html lang="id">' in render_html(Document("Laporan"))


def test_html_declares_english_by_default() -> None:
    assert '<html lang="en">' in render_html(Document("Report"))
