"""`kerjasama regions` through the real CLI: listing, filters, lookups, formats, exit codes."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import Run


def test_no_query_lists_all_552_regions(run: Run) -> None:
    result = run("regions", "--format", "json")
    assert result.exit_code == 0
    regions = result.json()
    assert len(regions) == 552
    assert regions[0] == {
        "code": "11",
        "name": "Aceh",
        "kind": "provinsi",
        "province": "11",
        "official_name": "Provinsi Aceh",
    }


def test_piped_list_is_tab_separated_with_a_header(run: Run) -> None:
    result = run("regions", "--kind", "kota", "--within", "Jawa Barat")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Code\tKind\tName\tOfficial name\tProvince"
    assert lines[1] == "32.71\tkota\tBogor\tKota Bogor\t32"
    assert [line.split("\t")[0] for line in lines[1:]] == [f"32.{n}" for n in range(71, 80)]


def test_kind_filters_and_repeats(run: Run) -> None:
    assert len(run("regions", "--kind", "provinsi", "--format", "json").json()) == 38
    both = run("regions", "--kind", "provinsi", "--kind", "kota", "--format", "json").json()
    assert {r["kind"] for r in both} == {"provinsi", "kota"}
    assert len(both) == 38 + sum(
        1 for r in run("regions", "--format", "json").json() if r["kind"] == "kota"
    )


def test_within_a_province_includes_the_province_itself(run: Run) -> None:
    regions = run("regions", "--within", "Sumsel", "--format", "json").json()
    assert regions[0]["code"] == "16"
    assert len(regions) == 18  # the province, 13 kabupaten, 4 kota
    assert all(r["province"] == "16" for r in regions)


def test_csv_has_a_header_row(run: Run) -> None:
    result = run("regions", "--within", "Kota Bandung", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["code", "kind", "name", "official_name", "province"],
        ["32.73", "kota", "Bandung", "Kota Bandung", "32"],
    ]


def test_query_json_matches_the_contract(run: Run) -> None:
    result = run("regions", "Bekasi", "--format", "json")
    assert result.exit_code == 1  # ambiguous
    assert result.json() == [
        {
            "query": "Bekasi",
            "matches": [
                {
                    "code": "32.16",
                    "name": "Bekasi",
                    "kind": "kabupaten",
                    "province": "32",
                    "official_name": "Kabupaten Bekasi",
                },
                {
                    "code": "32.75",
                    "name": "Bekasi",
                    "kind": "kota",
                    "province": "32",
                    "official_name": "Kota Bekasi",
                },
            ],
            "suggestions": [],
        }
    ]


def test_unknown_query_gets_suggestions_best_first(run: Run) -> None:
    result = run("regions", "Muara Enimm", "--format", "json")
    assert result.exit_code == 1
    assert result.json() == [
        {"query": "Muara Enimm", "matches": [], "suggestions": ["Kabupaten Muara Enim"]}
    ]


@pytest.mark.parametrize(
    ("queries", "code"),
    [
        (["16.03"], 0),
        (["Kab. Muara Enim", "Kotim", "Kota Bekasi", "jabar"], 0),
        (["Bekasi"], 1),
        (["Muara Enim", "Bekasi"], 1),
        (["Atlantis"], 1),
        (["99.99"], 1),
    ],
)
def test_exit_0_only_when_every_query_resolves(run: Run, queries: list[str], code: int) -> None:
    assert run("regions", *queries).exit_code == code


def test_kind_can_settle_an_ambiguous_query(run: Run) -> None:
    result = run("regions", "Bekasi", "--kind", "kota", "--format", "json")
    assert result.exit_code == 0
    assert [m["code"] for m in result.json()[0]["matches"]] == ["32.75"]


def test_piped_query_output_is_tab_separated(run: Run) -> None:
    result = run("regions", "Bekasi", "Muara Enimm", "Kotim")
    assert result.stdout == (
        "Query\tResult\tCode\tKind\tName\tOfficial name\tProvince\n"
        "Bekasi\tambiguous\t32.16\tkabupaten\tBekasi\tKabupaten Bekasi\t32\n"
        "Bekasi\tambiguous\t32.75\tkota\tBekasi\tKota Bekasi\t32\n"
        "Muara Enimm\tunknown\t\t\tdid you mean: Kabupaten Muara Enim (16.03)\t\t\n"
        "Kotim\tresolves\t62.02\tkabupaten\tKotawaringin Timur\tKabupaten Kotawaringin Timur\t62\n"
    )


def test_piped_output_is_in_the_chosen_language_and_csv_keeps_keys(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cli.md: human tables in Indonesian; CSV column names and vocabulary values never change."""
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    result = run("regions", "Bekasi", "Muara Enimm")
    assert result.stdout == (
        "Kata pencarian\tHasil\tKode\tJenis\tNama\tNama resmi\tProvinsi\n"
        "Bekasi\tambigu\t32.16\tkabupaten\tBekasi\tKabupaten Bekasi\t32\n"
        "Bekasi\tambigu\t32.75\tkota\tBekasi\tKota Bekasi\t32\n"
        "Muara Enimm\ttidak dikenal\t\t\tmaksud Anda: Kabupaten Muara Enim (16.03)\t\t\n"
    )
    listed = run("regions", "--kind", "provinsi").stdout.splitlines()
    assert listed[0] == "Kode\tJenis\tNama\tNama resmi\tProvinsi"
    csv = run("regions", "Bekasi", "--format", "csv").stdout.splitlines()
    assert csv[0] == "query,result,code,kind,name,official_name,province"
    assert csv[1].startswith("Bekasi,ambiguous,32.16,")


def test_an_unknown_within_exits_2(run: Run) -> None:
    result = run("regions", "--within", "Atlantis")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --within: unknown region 'Atlantis'")


def test_an_unknown_kind_exits_2(run: Run) -> None:
    assert run("regions", "--kind", "desa").exit_code == 2


def test_officials_titles_resolve_in_regions_and_in_region_filters(run: Run) -> None:
    import json

    result = run("regions", "Bupati Solok", "Wali Kota Solok", "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = [[m["code"] for m in q["matches"]] for q in json.loads(result.stdout)]
    assert found == [["13.02"], ["13.72"]]
    assert run("list", "--region", "Gubernur Sumatra Selatan").exit_code == 0
