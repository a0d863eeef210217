"""`kerjasama summarise`: counts on a registry counted by hand (tests/cli/summary_fixture.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli import summary_fixture
from tests.cli.summary_fixture import AS_OF, record
from tests.conftest import Run, write_record


@pytest.fixture
def counted(registry: Path) -> Path:
    summary_fixture.install(registry)
    return registry


def by(run: Run, *args: str) -> dict[str, Any]:
    result = run("summarise", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = result.json()
    return data


def test_by_year_counts_unsigned_records_under_null(counted: Path, run: Run) -> None:
    assert by(run, "--by", "year") == {
        "as_of": "2025-06-30",
        "total": 8,
        "by": ["year"],
        "rows": [
            {"year": 2020, "count": 1},
            {"year": 2021, "count": 1},
            {"year": 2023, "count": 2},
            {"year": 2024, "count": 3},
            {"year": None, "count": 1},
        ],
    }


def test_by_region_counts_a_record_under_each_of_its_regions(counted: Path, run: Run) -> None:
    data = by(run, "--by", "region")
    assert data["total"] == 8
    assert data["rows"] == [
        {"region": "16", "region_name": "Sumatera Selatan", "count": 1},
        {"region": "16.03", "region_name": "Muara Enim", "count": 7},
        {"region": "16.04", "region_name": "Lahat", "count": 2},
        {"region": "16.74", "region_name": "Prabumulih", "count": 1},
        {"region": "32", "region_name": "Jawa Barat", "count": 1},
        {"region": "32.73", "region_name": "Bandung", "count": 1},
    ]


def test_by_province_counts_a_record_once_per_province(counted: Path, run: Run) -> None:
    # kb-a has two regions in Sumatera Selatan: it counts once there.
    assert by(run, "--by", "province")["rows"] == [
        {"province": "16", "province_name": "Sumatera Selatan", "count": 8},
        {"province": "32", "province_name": "Jawa Barat", "count": 2},
    ]


def test_by_sector_rows_follow_the_vocabulary_order(counted: Path, run: Run) -> None:
    assert by(run, "--by", "sector")["rows"] == [
        {"sector": "pendidikan", "count": 2},
        {"sector": "kesehatan", "count": 2},
        {"sector": "pekerjaan_umum", "count": 2},
        {"sector": "pariwisata", "count": 1},
        {"sector": "energi_sdm", "count": 2},
        {"sector": "perdagangan", "count": 1},
    ]


def test_by_status_category_document_party_kind(counted: Path, run: Run) -> None:
    assert by(run, "--by", "status")["rows"] == [
        {"status": "dibatalkan", "count": 1},
        {"status": "draf", "count": 1},
        {"status": "kedaluwarsa", "count": 1},
        {"status": "akan_berakhir", "count": 2},
        {"status": "aktif", "count": 3},
    ]
    assert by(run, "--by", "category")["rows"] == [
        {"category": "ksdd", "count": 5},
        {"category": "ksdpk", "count": 2},
        {"category": "sinergi", "count": 1},
    ]
    assert by(run, "--by", "document")["rows"] == [
        {"document": "kesepakatan_bersama", "count": 6},
        {"document": "perjanjian_kerja_sama", "count": 1},
        {"document": "nota_kesepakatan", "count": 1},
    ]
    assert by(run, "--by", "party-kind")["rows"] == [
        {"party_kind": "provinsi", "count": 2},
        {"party_kind": "kabupaten", "count": 8},
        {"party_kind": "kota", "count": 2},
        {"party_kind": "kementerian_lembaga", "count": 1},
        {"party_kind": "ptn", "count": 1},
        {"party_kind": "bumn", "count": 2},
    ]


def test_by_two_fields_counts_each_combination(counted: Path, run: Run) -> None:
    data = by(run, "--by", "year,category")
    assert data["by"] == ["year", "category"]
    assert data["rows"] == [
        {"year": 2020, "category": "ksdd", "count": 1},
        {"year": 2021, "category": "sinergi", "count": 1},
        {"year": 2023, "category": "ksdd", "count": 1},
        {"year": 2023, "category": "ksdpk", "count": 1},
        {"year": 2024, "category": "ksdd", "count": 2},
        {"year": 2024, "category": "ksdpk", "count": 1},
        {"year": None, "category": "ksdd", "count": 1},
    ]


def test_by_accepts_repeated_flags_like_a_comma_list(counted: Path, run: Run) -> None:
    assert by(run, "--by", "year", "--by", "category") == by(run, "--by", "year,category")


def test_filters_narrow_what_is_counted(counted: Path, run: Run) -> None:
    data = by(run, "--by", "document", "--region", "Lahat")
    assert data["total"] == 2
    assert data["rows"] == [{"document": "kesepakatan_bersama", "count": 2}]


def test_cross_tab_margins_count_agreements_not_cells(counted: Path, run: Run) -> None:
    # 2024 has three agreements in four year x sector cells (kb-c has two sectors).
    result = run("summarise", "--as-of", AS_OF, "--by", "year,sector")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = lines.index("Agreements by year x sector")
    table = [line.split("\t") for line in lines[start + 2 :]]
    assert table == [
        [
            "Year \\ Sector",  # labels, not keys
            "Education",
            "Health",
            "Public Works and Spatial Planning",
            "Tourism",
            "Energy and Mineral Resources",
            "Trade",
            "Total",
        ],
        ["2020", "0", "0", "0", "1", "0", "0", "1"],
        ["2021", "0", "0", "1", "0", "0", "0", "1"],
        ["2023", "1", "1", "0", "0", "1", "0", "2"],
        ["2024", "1", "1", "1", "0", "1", "0", "3"],
        ["(unsigned)", "0", "0", "0", "0", "0", "1", "1"],
        ["Total", "2", "2", "2", "1", "2", "1", "8"],
    ]


def test_unknown_by_field_is_a_usage_error(counted: Path, run: Run) -> None:
    result = run("summarise", "--by", "yaer")
    assert result.exit_code == 2
    assert "unknown field 'yaer'; did you mean 'year'?" in result.stderr
    assert result.stdout == ""


def test_same_by_field_twice_is_a_usage_error(counted: Path, run: Run) -> None:
    result = run("summarise", "--by", "year,year")
    assert result.exit_code == 2
    assert "--by: field 'year' given twice" in result.stderr


def test_summarize_is_an_alias(counted: Path, run: Run) -> None:
    british = run("summarise", "--as-of", AS_OF, "--by", "year", "--format", "json")
    american = run("summarize", "--as-of", AS_OF, "--by", "year", "--format", "json")
    assert american.exit_code == 0
    assert american.stdout == british.stdout


def test_alias_is_hidden_from_help(run: Run) -> None:
    result = run("--help")
    assert "summarise" in result.stdout
    assert "summarize" not in result.stdout


def test_invalid_files_are_left_out_with_a_warning(counted: Path, run: Run) -> None:
    write_record(counted, "id: broken\ntitle: [unclosed\n", "broken")
    result = run("summarise", "--as-of", AS_OF, "--by", "year", "--format", "json")
    assert result.exit_code == 0
    assert result.json()["total"] == 8
    assert "1 record file is invalid and left out" in result.stderr


def test_missing_data_folder_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("summarise", data_dir=tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_record_without_a_regional_party_counts_under_no_region(registry: Path, run: Run) -> None:
    parties = ["{name: Universitas A, kind: ptn}", "{name: PT B, kind: bums}"]
    write_record(
        registry, record("kb-z", "kesepakatan_bersama", parties, ["pendidikan"]), "kb-z", "draf"
    )
    data = by(run, "--by", "province")
    assert data["rows"] == [{"province": None, "province_name": None, "count": 1}]
    plain = run("summarise", "--as-of", AS_OF, "--by", "province").stdout
    assert "\t(no region)\t1\t" in plain
