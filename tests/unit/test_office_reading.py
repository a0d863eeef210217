"""Values of an office's sheet read as people write them; what does not read exactly is a
problem with suggestions, never a guess (exchange/reading.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from kerjasama_cli.exchange.reading import (
    Duration,
    Problem,
    read_date,
    read_document,
    read_duration,
    read_party_cell,
    read_sectors,
    year_candidates,
)

# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-02-05", "2024-02-05"),
        ("05/02/2024", "2024-02-05"),
        ("5-2-2024", "2024-02-05"),
        ("5.2.2024", "2024-02-05"),
        ("5 Februari 2024", "2024-02-05"),
        ("5 Pebruari 2024", "2024-02-05"),
        ("Senin, 5 Februari 2024", "2024-02-05"),
        ("Senin (5/2/2024)", "2024-02-05"),
        ("Senin (5 Februari 2024)", "2024-02-05"),
        ("Rabu, 9-5-2018", "2018-05-09"),
        ("Jumat (12/11/2021) malam", "2021-11-12"),
        ("Jum\u2019at tanggal 15 November 2024", "2024-11-15"),
        ("(Kamis 2/12/2021)", "2021-12-02"),
        ("(12/2/2020)", "2020-02-12"),
        ("Selasa 27 Februari 2024", "2024-02-27"),
        ("6 November 2015", "2015-11-06"),
        ("Rabu (10/05/2023)", "2023-05-10"),
        ("12 Agt 2019", "2019-08-12"),
    ],
)
def test_dates_as_written_read_exactly(written: str, iso: str) -> None:
    reading = read_date(written)
    assert reading.problem is None
    assert reading.value == dt.date.fromisoformat(iso)
    assert not reading.inferred


def test_a_two_digit_year_reads_in_this_century_and_is_inferred() -> None:
    reading = read_date("Jumat (1/12/23)")
    assert reading.value == dt.date(2023, 12, 1)
    assert reading.inferred


@pytest.mark.parametrize(("written", "year"), [("1/1/0001", 1), ("5/2/0099", 99), ("5-2-0024", 24)])
def test_a_four_digit_year_is_read_as_written_even_below_100(written: str, year: int) -> None:
    """Only a year of two digits is taken for this century: ``1/1/0001`` read as 2001-01-01
    would put a date in the registry that the sheet does not hold."""
    reading = read_date(written)
    assert reading.value is not None
    assert reading.value.year == year
    assert not reading.inferred


def test_excel_date_cells_read_as_dates() -> None:
    assert read_date(dt.datetime(2024, 2, 5)).value == dt.date(2024, 2, 5)
    assert read_date(dt.date(2024, 2, 5)).value == dt.date(2024, 2, 5)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("Senin", "only a weekday"),
        ("Senin sore", "only a weekday"),
        ("Rabu (2/12)", "no year"),
        ("Rabu (21-12)", "no year"),
        ("31/2/2024", "not a date of the calendar"),
        ("Rabu tanggal enam belas bulan Desember tahun dua ribu", "no date"),
        ("5/2/2024 dan 6/2/2024", "more than one date"),
        ("5/2/2024 kecuali", "not part of a date"),
    ],
)
def test_what_is_not_a_whole_date_is_a_problem(written: str, words: str) -> None:
    reading = read_date(written)
    assert reading.value is None
    assert reading.problem is not None
    assert reading.problem.rule == "KS301"
    assert words in reading.problem.message


def test_a_weekday_that_disagrees_with_the_date_is_a_problem_not_a_correction() -> None:
    # The source wrote "Senin (27/2/2022)"; 27 February 2022 was a Sunday.
    reading = read_date("Senin (27/2/2022)")
    assert reading.value is None
    assert reading.problem is not None
    assert "Minggu" in reading.problem.message


def test_a_number_is_not_taken_for_a_date() -> None:
    assert read_date(45327).problem is not None


def test_year_candidates_only_where_the_weekday_agrees() -> None:
    assert year_candidates("Senin (18/11)", [2024, 2023]) == ("2024-11-18",)
    assert year_candidates("Selasa (18/11)", [2024]) == ()
    assert year_candidates("18/11", [2024]) == ()  # no weekday: nothing to check against


# --- durations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "count", "unit"),
    [
        ("5 (lima) tahun", 5, "years"),
        ("5 tahun", 5, "years"),
        ("lima tahun", 5, "years"),
        ("Lima (5) Tahun", 5, "years"),
        ("12 bulan", 12, "months"),
        ("berlaku 5 tahun sejak ditandatangani", 5, "years"),
        ("3 years", 3, "years"),
    ],
)
def test_durations_read(written: str, count: int, unit: str) -> None:
    assert read_duration(written) == Duration(count, unit)


@pytest.mark.parametrize(
    "written", ["5 (empat) tahun", "sampai selesai", "berlaku 12 bulan dan dapat diperpanjang"]
)
def test_what_is_not_one_duration_is_a_problem(written: str) -> None:
    assert isinstance(read_duration(written), Problem)


def test_ends_on_is_the_day_before_the_anniversary() -> None:
    assert Duration(5, "years").ends_on(dt.date(2024, 2, 5)) == dt.date(2029, 2, 4)
    assert Duration(1, "years").ends_on(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert Duration(12, "months").ends_on(dt.date(2024, 1, 31)) == dt.date(2025, 1, 30)
    assert Duration(1, "months").ends_on(dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)


# --- document words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind", "inferred"),
    [
        ("KB", "kesepakatan_bersama", False),
        ("Kesepakatan Bersama", "kesepakatan_bersama", False),
        ("Kesepakatan Bersama (MoU)", "kesepakatan_bersama", False),
        ("kesepakatan_bersama", "kesepakatan_bersama", False),
        ("PKS", "perjanjian_kerja_sama", False),
        ("Perjanjian Kerjasama", "perjanjian_kerja_sama", False),
        ("PERJANJIAN KERJA SAMA", "perjanjian_kerja_sama", False),
        ("Perjanjian Kerja Sama (PKS)", "perjanjian_kerja_sama", False),
        ("Nota Kesepakatan", "nota_kesepakatan", False),
        ("addendum", "adendum", False),
        ("MoU", "kesepakatan_bersama", True),
        ("MOU", "kesepakatan_bersama", True),
        ("Memorandum of Understanding (MoU)", "kesepakatan_bersama", True),
        ("Nota Kesepahaman", "kesepakatan_bersama", True),
        ("nota kesepahaman (MoU)", "kesepakatan_bersama", True),
    ],
)
def test_document_words(written: str, kind: str, inferred: bool) -> None:
    reading = read_document(written)
    assert (reading.value, reading.inferred, reading.problem) == (kind, inferred, None)


@pytest.mark.parametrize(
    "written",
    [
        "kerja sama",
        "kesepakatan",
        "naskah bersama",
        "Memorandum of Agreement (MoA)",
        "pakta integritas",
        "Nota Kesepakatan (MoU)",  # two kinds
    ],
)
def test_document_words_that_do_not_read_exactly_are_problems_with_suggestions(
    written: str,
) -> None:
    reading = read_document(written)
    assert reading.value is None
    assert reading.problem is not None
    assert reading.problem.rule == "KS207"
    assert reading.problem.suggestions


def test_sectors_by_key_code_or_alias_and_unknown_ones_with_suggestions() -> None:
    keys, problems = read_sectors("pendidikan, pariwisata dan kesehatan")
    assert keys == ["pendidikan", "pariwisata", "kesehatan"]
    assert problems == []
    keys, problems = read_sectors("pendidkan")
    assert keys == []
    assert problems[0].suggestions[0] == "pendidikan"


# --- parties ---------------------------------------------------------------------------------


def _read(cell: str) -> list[dict[str, object] | str]:
    return [
        r.party if r.party is not None else f"{r.problem.rule}" if r.problem else "?"
        for r in read_party_cell(cell)
    ]


@pytest.mark.parametrize(
    ("cell", "parties"),
    [
        ("Pemkab Muara Enim", [{"region": "16.03"}]),
        ("Pemerintah Kabupaten Muara Enim", [{"region": "16.03"}]),
        ("Bupati Muara Enim", [{"region": "16.03"}]),
        ("Wali Kota Solok", [{"region": "13.72"}]),
        ("Bupati Solok", [{"region": "13.02"}]),
        ("Gubernur Jawa Barat", [{"region": "32"}]),
        ("Pemprov Jabar", [{"region": "32"}]),
        ("Pemerintah Provinsi (Pemprov) Jawa Barat", [{"region": "32"}]),
        ("Kab. Kotim", [{"region": "62.02"}]),
        ("Kutim", [{"region": "64.08"}]),
        ("Pemerintah Kab. Kampar Prov. Riau", [{"region": "14.01"}]),
        ("Pemerintah Kabupaten Luwu Timur Provinsi Sulawesi Selatan", [{"region": "73.24"}]),
        ("Kabupaten Lembata, Nusa Tenggara Timur (NTT)", [{"region": "53.13"}]),
        (
            "Pemprov Jabar, Pemprov Banten; Pemkot Bekasi\nPemkab Bogor dan Kota Depok",
            [
                {"region": "32"},
                {"region": "36"},
                {"region": "32.75"},
                {"region": "32.01"},
                {"region": "32.76"},
            ],
        ),
        (
            "Pemda Provinsi Bengkulu, Pemda Provinsi Jambi, dan Pemda Kota Samarinda",
            [{"region": "17"}, {"region": "15"}, {"region": "64.72"}],
        ),
        (
            "Bupati Muba Dr H Dodi Reza Alex",
            [
                {
                    "region": "16.06",
                    "signatory": {"name": "Dr H Dodi Reza Alex", "position": "Bupati Muba"},
                }
            ],
        ),
        (
            "Bupati Solok, Epyardi Asda",
            [
                {
                    "region": "13.02",
                    "signatory": {"name": "Epyardi Asda", "position": "Bupati Solok"},
                }
            ],
        ),
        ("Universitas Sriwijaya", [{"name": "Universitas Sriwijaya", "kind": "ptn"}]),
        (
            "Universitas Muhammadiyah Malang (UMM)",
            [{"name": "Universitas Muhammadiyah Malang", "kind": "pts"}],
        ),
        ("Politeknik Negeri Sriwijaya", [{"name": "Politeknik Negeri Sriwijaya", "kind": "ptn"}]),
        ("PT Pertamina (Persero)", [{"name": "PT Pertamina (Persero)", "kind": "bumn"}]),
        ("PT Bank Sumsel Babel", [{"name": "PT Bank Sumsel Babel", "kind": "bumd"}]),
        ("Perumda Tirtanadi", [{"name": "Perumda Tirtanadi", "kind": "bumd"}]),
        (
            "Kementerian Dalam Negeri",
            [{"name": "Kementerian Dalam Negeri", "kind": "kementerian_lembaga"}],
        ),
        (
            "PT PLN (Persero) UID Sumatera Selatan, Jambi dan Bengkulu (S2JB)",
            [{"name": "PT PLN (Persero) UID Sumatera Selatan, Jambi dan Bengkulu", "kind": "bumn"}],
        ),
    ],
)
def test_party_cells_read(cell: str, parties: list[dict[str, object]]) -> None:
    assert _read(cell) == parties


@pytest.mark.parametrize(
    ("cell", "rule"),
    [
        ("Kota makasar", "KS201"),
        ("Kab. Dharma swara", "KS201"),
        ("Bolang mongondow", "KS201"),
        ("Bekasi", "KS202"),
        ("Gubernur Khofifah", "KS201"),
        ("Universitas Bandar Lampung (UBL)", "KS210"),  # ptn or pts: not certain
        ("PT Semen Padang", "KS210"),  # bumn, bumd or bums: not certain
        ("Kepala Kejaksaan Negeri Solok", "KS210"),  # a person by office
        ("Kota Jakarta Selatan", "KS203"),
    ],
)
def test_party_cells_that_do_not_read_exactly_are_problems(cell: str, rule: str) -> None:
    assert _read(cell) == [rule]


def test_misspelt_regions_get_suggestions_with_codes() -> None:
    [reading] = read_party_cell("Kota makasar")
    assert reading.problem is not None
    assert reading.problem.suggestions[0] == "73.71 Kota Makassar"


@pytest.mark.parametrize(
    "cell",
    [
        "Kejaksaan Negeri Kepanjen",
        "Kejaksaan Negeri (Kejari) Kabupaten Halmahera Utara",
        "Kantor Pertanahan Kabupaten Kobar",
        "Kantor Pertanahan Kabupaten Konawe Utara",
        "Balai Konservasi Sumber Daya Alam (BKSDA) Sumbar",
    ],
)
def test_look_alikes_of_regions_are_organisations_never_regions(cell: str) -> None:
    [reading] = read_party_cell(cell)
    assert reading.party is not None
    assert "region" not in reading.party
    assert reading.party["kind"] == "kementerian_lembaga"


def test_a_bare_province_after_a_region_elsewhere_is_a_problem_not_a_party() -> None:
    readings = read_party_cell("Kabupaten Lembata, Jawa Barat")
    assert readings[0].party == {"region": "53.13"}
    assert readings[1].party is None
    assert readings[1].problem is not None
    assert readings[1].problem.suggestions == ("32 Provinsi Jawa Barat",)


def test_every_region_written_as_a_list_writes_it_reads_back_as_itself() -> None:
    """Official and display names of all 552 regions, alone and with "Pemerintah": none is
    split on its own "dan" (Kabupaten Pangkajene dan Kepulauan) or read as another region."""
    from kerjasama_cli.gazetteer import load_gazetteer

    wrong = []
    for region in load_gazetteer().regions:
        if not region.can_be_party:
            continue
        for written in (
            region.official_name,
            region.display_name,
            f"Pemerintah {region.official_name}",
        ):
            readings = read_party_cell(written)
            if [r.party for r in readings] != [{"region": region.code}]:
                wrong.append(written)
    assert wrong == []


def test_a_region_name_with_dan_stays_whole_between_other_parties() -> None:
    assert _read("Pemprov Sulsel, Kab. Pangkajene dan Kepulauan dan Kota Makassar") == [
        {"region": "73"},
        {"region": "73.10"},
        {"region": "73.71"},
    ]
