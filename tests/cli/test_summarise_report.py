"""The standard report of `summarise`: totals, expiring, only on paper, counterparts."""

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


def report(run: Run, *args: str, as_of: str = AS_OF) -> dict[str, Any]:
    result = run("summarise", "--as-of", as_of, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = result.json()
    return data


def test_report_totals_fill_missing_years_with_zero(counted: Path, run: Run) -> None:
    data = report(run)
    assert data["as_of"] == "2025-06-30"
    assert data["total"] == 8
    assert data["totals"] == {
        "year": [
            {"year": 2020, "count": 1},
            {"year": 2021, "count": 1},
            {"year": 2022, "count": 0},
            {"year": 2023, "count": 2},
            {"year": 2024, "count": 3},
            {"year": None, "count": 1},
        ],
        "category": [
            {"category": "ksdd", "count": 5},
            {"category": "ksdpk", "count": 2},
            {"category": "sinergi", "count": 1},
        ],
        "document": [
            {"document": "kesepakatan_bersama", "count": 6},
            {"document": "perjanjian_kerja_sama", "count": 1},
            {"document": "nota_kesepakatan", "count": 1},
        ],
        "status": [
            {"status": "dibatalkan", "count": 1},
            {"status": "draf", "count": 1},
            {"status": "kedaluwarsa", "count": 1},
            {"status": "akan_berakhir", "count": 2},
            {"status": "aktif", "count": 3},
        ],
    }
    assert data["counterparts"] == []


def test_report_lists_agreements_expiring_within_the_window(counted: Path, run: Run) -> None:
    expiring = report(run)["expiring"]
    assert expiring["within_days"] == 90
    assert [(a["id"], a["ends_on"], a["days_left"]) for a in expiring["agreements"]] == [
        ("kb-f", "2025-07-15", 15),
        ("pks-a", "2025-08-31", 62),
    ]
    assert expiring["agreements"][0]["parties"] == ["Kab. Lahat", "Kota Prabumulih"]


def test_expiry_window_follows_the_selection(counted: Path, run: Run) -> None:
    expiring = report(run, "--expiry-window", "30")["expiring"]
    assert expiring["within_days"] == 30
    assert [a["id"] for a in expiring["agreements"]] == ["kb-f"]


def test_report_lists_agreements_only_on_paper(counted: Path, run: Run) -> None:
    # kb-b has a PKS (pks-a), pks-a has an activity, kb-c is exactly one year old,
    # kb-d is unsigned, kb-f is younger than a year.
    paper = report(run)["only_on_paper"]
    assert paper["signed_before"] == "2024-06-30"
    assert paper["count"] == 3
    assert [(a["id"], a["signed_on"], a["status"]) for a in paper["agreements"]] == [
        ("nk-e", "2021-02-01", "kedaluwarsa"),
        ("kb-g", "2023-01-01", "dibatalkan"),
        ("kb-a", "2023-03-01", "aktif"),
    ]


def test_a_draft_pks_pointing_to_an_agreement_takes_it_off_paper(counted: Path, run: Run) -> None:
    draft = record(
        "pks-draft", "perjanjian_kerja_sama", ['region: "16.03"', 'region: "16.04"'],
        ["pendidikan"], extra="parent: kb-a\n",
    )  # fmt: skip
    write_record(counted, draft, "pks-draft", "draf")
    ids = [a["id"] for a in report(run)["only_on_paper"]["agreements"]]
    assert ids == ["nk-e", "kb-g"]


def test_a_pks_filtered_out_still_counts_as_a_pks(counted: Path, run: Run) -> None:
    # --document kb leaves pks-a out of the report, but kb-b still has its PKS.
    ids = [a["id"] for a in report(run, "--document", "kb")["only_on_paper"]["agreements"]]
    assert ids == ["kb-g", "kb-a"]


@pytest.mark.parametrize(
    ("signed", "as_of", "on_paper"),
    [
        ("2024-05-10", "2025-05-10", False),  # exactly one year: not more than a year
        ("2024-05-10", "2025-05-11", True),  # a year and a day
        ("2024-05-11", "2025-05-11", False),
        ("2024-02-29", "2025-02-28", False),  # anniversary of 29 February is 28 February
        ("2024-02-29", "2025-03-01", True),
        ("2023-02-28", "2024-02-29", True),  # a year and a day, across a leap day
        ("2023-03-01", "2024-02-29", False),
        ("2024-02-28", "2025-02-28", False),
        ("2024-03-01", "2025-03-01", False),
        ("2024-03-01", "2025-03-02", True),
    ],
)
def test_only_on_paper_boundary(
    registry: Path, run: Run, signed: str, as_of: str, on_paper: bool
) -> None:
    text = record(
        "kb-x", "kesepakatan_bersama", ['region: "16.03"', 'region: "16.04"'], ["pendidikan"],
        signed, "2029-12-31",
    )  # fmt: skip
    write_record(registry, text, "kb-x", signed[:4])
    ids = [a["id"] for a in report(run, as_of=as_of)["only_on_paper"]["agreements"]]
    assert ids == (["kb-x"] if on_paper else [])


def test_counterparts_of_a_kabupaten(counted: Path, run: Run) -> None:
    data = report(run, "--region", "Muara Enim")
    assert data["total"] == 7
    (muara_enim,) = data["counterparts"]
    assert muara_enim["region"]["code"] == "16.03"
    assert muara_enim["agreements"] == 7
    assert muara_enim["regional_governments"] == 4
    assert muara_enim["with_regional_governments"] == 4
    assert muara_enim["inside_province"] == {
        "count": 1,
        "party_count": 1,
        "parties": [
            {
                "code": "16.04",
                "name": "Lahat",
                "official_name": "Kabupaten Lahat",
                "agreements": 1,
                "ids": ["kb-a"],
            }
        ],
    }
    assert [p["code"] for p in muara_enim["provinces"]["parties"]] == ["16", "32"]
    assert [p["code"] for p in muara_enim["outside_province"]["parties"]] == ["32.73"]
    others = muara_enim["other_parties"]
    assert others["count"] == 3  # parties
    assert others["agreements"] == 3  # nk-e, kb-c, kb-g
    # Agreements, not parties: PT Bukit Asam signed two.
    assert [(k["kind"], k["count"], k["party_count"]) for k in others["kinds"]] == [
        ("kementerian_lembaga", 1, 1),
        ("ptn", 1, 1),
        ("bumn", 2, 1),
    ]
    assert muara_enim["groups"] == [
        {"counterpart_group": "pemerintah_daerah", "count": 4},
        {"counterpart_group": "kementerian_lembaga", "count": 1},
        {"counterpart_group": "perguruan_tinggi", "count": 1},
        {"counterpart_group": "badan_usaha", "count": 2},
    ]
    assert others["kinds"][2]["parties"] == [
        {"name": "PT Bukit Asam", "agreements": 2, "ids": ["kb-c", "kb-g"]}
    ]


def test_counterparts_of_a_province_group_inside_and_outside(registry: Path, run: Run) -> None:
    jabar = 'region: "32"'
    texts = {
        "kb-1": [jabar, 'region: "32.01"'],  # Kab. Bogor: inside
        "kb-2": [jabar, 'region: "32.73"', 'region: "16"'],  # Kota Bandung inside; Sumsel
        "kb-3": [jabar, 'region: "16.03"'],  # Muara Enim: outside
        "kb-4": [jabar, 'region: "32.01"'],  # Bogor again: one counterpart, two agreements
        "kb-5": [jabar, "{name: Institut Teknologi Bandung, kind: ptn}"],
        "kb-6": ['region: "32.01"', 'region: "32.73"'],  # Jawa Barat is not a party
    }
    for record_id, parties in texts.items():
        text = record(record_id, "kesepakatan_bersama", parties, ["pendidikan"], "2024-02-05")
        write_record(registry, text, record_id)
    (jb,) = report(run, "--region", "Jabar")["counterparts"]
    assert jb["agreements"] == 5
    assert jb["regional_governments"] == 4
    inside = jb["inside_province"]
    assert inside["count"] == 3  # agreements: kb-1, kb-2, kb-4
    assert inside["party_count"] == 2  # Bogor and Bandung
    assert [(p["code"], p["agreements"]) for p in inside["parties"]] == [
        ("32.01", 2),
        ("32.73", 1),
    ]
    assert [p["code"] for p in jb["provinces"]["parties"]] == ["16"]
    assert [p["code"] for p in jb["outside_province"]["parties"]] == ["16.03"]
    assert jb["other_parties"]["kinds"][0]["parties"][0]["name"] == "Institut Teknologi Bandung"


def test_counterparts_in_the_plain_report(registry: Path, run: Run) -> None:
    for record_id, other in (("kb-1", '"32.01"'), ("kb-2", '"32.01"'), ("kb-3", '"16.03"')):
        text = record(
            record_id, "kesepakatan_bersama", ['region: "32"', f"region: {other}"],
            ["pendidikan"], "2024-02-05",
        )  # fmt: skip
        write_record(registry, text, record_id)
    result = run("summarise", "--as-of", AS_OF, "--region", "32")
    lines = result.stdout.splitlines()
    start = lines.index("Counterparts of Prov. Jawa Barat")
    assert lines[start + 1].startswith("Prov. Jawa Barat is a party to 3 agreements. ")
    assert lines[start + 2 : start + 6] == [
        "Counterparts\tAgreements\t\tNames",
        "Kabupaten/kota inside Jawa Barat\t2\t##############################\tKab. Bogor (2)",
        "Provinces\t0\t\t",
        "Kabupaten/kota outside Jawa Barat\t1\t###############\tKab. Muara Enim",
    ]


def test_unknown_region_is_a_usage_error(counted: Path, run: Run) -> None:
    result = run("summarise", "--region", "Muara Enimm")
    assert result.exit_code == 2
    assert "unknown region 'Muara Enimm'" in result.stderr


def test_empty_registry_gives_an_empty_report(registry: Path, run: Run) -> None:
    data = report(run)
    assert data["total"] == 0
    assert data["totals"]["year"] == []
    assert data["expiring"]["agreements"] == []
    assert data["only_on_paper"]["agreements"] == []


@pytest.mark.parametrize(
    ("activity_on", "on_paper"),
    [
        ("2025-06-01", False),  # reported before --as-of
        ("2025-06-30", False),  # on --as-of itself
        ("2025-07-01", True),  # after --as-of: it had not happened yet
    ],
)
def test_an_activity_after_as_of_does_not_take_an_agreement_off_paper(
    registry: Path, run: Run, activity_on: str, on_paper: bool
) -> None:
    text = record(
        "kb-x", "kesepakatan_bersama", ['region: "16.03"', 'region: "16.04"'], ["pendidikan"],
        "2023-01-10", "2027-12-31",
        extra=f"activities:\n  - on: {activity_on}\n    summary: Rapat\n",
    )  # fmt: skip
    write_record(registry, text, "kb-x", "2023")
    ids = [a["id"] for a in report(run, as_of="2025-06-30")["only_on_paper"]["agreements"]]
    assert ids == (["kb-x"] if on_paper else [])
