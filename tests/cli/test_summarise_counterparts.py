"""`summarise --by counterpart_kind|counterpart_group`, and the report's realisation section.

Counted by hand on the registry of summary_fixture (as of 2025-06-30), where Muara Enim is a
party to kb-a (Lahat), pks-a (Prov. Sumsel), kb-b (Prov. Jawa Barat), kb-c (Unsri, PT Bukit
Asam), kb-d (Kota Bandung), nk-e (Kementerian PUPR) and kb-g (PT Bukit Asam).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from kerjasama_cli.summary import COUNTERPART_GROUPS, GROUP_ORDER
from kerjasama_cli.vocab import PARTY_KINDS
from tests.cli import summary_fixture
from tests.cli.summary_fixture import AS_OF, MUARA_ENIM, PTBA, record
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


def test_every_party_kind_has_a_counterpart_group() -> None:
    assert set(COUNTERPART_GROUPS) == set(PARTY_KINDS)
    assert set(COUNTERPART_GROUPS.values()) == set(GROUP_ORDER)
    assert GROUP_ORDER == (
        "pemerintah_daerah",
        "kementerian_lembaga",
        "perguruan_tinggi",
        "badan_usaha",
        "luar_negeri",
        "lainnya",
    )


def test_counterpart_groups_count_agreements(counted: Path, run: Run) -> None:
    data = by(run, "--by", "counterpart_group", "--region", "Muara Enim")
    assert data["total"] == 7
    assert data["counterparts_of"] == {"code": "16.03", "name": "Muara Enim"}
    assert data["rows"] == [
        {"counterpart_group": "pemerintah_daerah", "count": 4},
        {"counterpart_group": "kementerian_lembaga", "count": 1},
        {"counterpart_group": "perguruan_tinggi", "count": 1},
        {"counterpart_group": "badan_usaha", "count": 2},
    ]


def test_an_agreement_with_two_companies_counts_once(counted: Path, run: Run) -> None:
    text = record(
        "kb-h", "kesepakatan_bersama",
        [MUARA_ENIM, PTBA, "{name: PT Bank Sumsel Babel, kind: bumd}"], ["penanaman_modal"],
        "2024-03-01",
    )  # fmt: skip
    write_record(counted, text, "kb-h")
    rows = by(run, "--by", "counterpart_group", "--region", "16.03")["rows"]
    assert {"counterpart_group": "badan_usaha", "count": 3} in rows
    kinds = by(run, "--by", "counterpart_kind", "--region", "16.03")["rows"]
    assert {"counterpart_kind": "bumn", "count": 3} in kinds
    assert {"counterpart_kind": "bumd", "count": 1} in kinds


def test_the_region_is_not_its_own_counterpart(counted: Path, run: Run) -> None:
    # Muara Enim is a kabupaten: only Lahat (kb-a) is a kabupaten counterpart.
    data = by(run, "--by", "counterpart_kind", "--region", "Muara Enim")
    assert data["total"] == 7
    assert data["rows"] == [
        {"counterpart_kind": "provinsi", "count": 2},
        {"counterpart_kind": "kabupaten", "count": 1},
        {"counterpart_kind": "kota", "count": 1},
        {"counterpart_kind": "kementerian_lembaga", "count": 1},
        {"counterpart_kind": "ptn", "count": 1},
        {"counterpart_kind": "bumn", "count": 2},
    ]


def test_counterparts_as_a_cross_tab_with_year(counted: Path, run: Run) -> None:
    data = by(run, "--by", "counterpart_group,year", "--region", "Muara Enim")
    assert {"counterpart_group": "badan_usaha", "year": 2024, "count": 1} in data["rows"]
    assert {"counterpart_group": "badan_usaha", "year": 2023, "count": 1} in data["rows"]
    result = run(
        "summarise", "--as-of", AS_OF, "--by", "counterpart_group,year", "--region", "Muara Enim"
    )
    assert result.exit_code == 0
    assert "Enterprises (BUMN/BUMD/private)\t" in result.stdout


@pytest.mark.parametrize("regions", [(), ("Muara Enim", "Lahat")])
@pytest.mark.parametrize("field", ["counterpart_kind", "counterpart_group"])
def test_counterpart_fields_need_exactly_one_region(
    counted: Path, run: Run, regions: tuple[str, ...], field: str
) -> None:
    args = [a for r in regions for a in ("--region", r)]
    result = run("summarise", "--by", field, *args)
    assert result.exit_code == 2
    assert f"--by {field} counts the counterparts of one region" in result.stderr
    assert "--region" in result.stderr
    assert result.stdout == ""


def test_counterpart_groups_in_every_format(counted: Path, run: Run) -> None:
    args = ("summarise", "--as-of", AS_OF, "--by", "counterpart_group", "--region", "Muara Enim")
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    assert rows[0] == {"counterpart_group": "pemerintah_daerah", "count": "4"}
    markdown = run(*args, "--format", "markdown").stdout
    assert "| Regional governments | 4 |" in markdown
    assert "- **Counterparts of:** Kabupaten Muara Enim" in markdown
    html = run(*args, "--format", "html").stdout
    assert "<td>Enterprises (BUMN/BUMD/private)</td>" in html
    plain = run(*args).stdout
    assert plain.splitlines()[0] == (
        "Regional cooperation of Kabupaten Muara Enim as of 30 June 2025: "
        "agreements by counterpart group"
    )


def test_the_realisation_section(counted: Path, run: Run) -> None:
    # nk-e expired on 2024-01-31, before 2024-06-30 (a year before --as-of): left out; kb-g
    # was cancelled on 2024-12-01: in; kb-d is a draft: out. Not reported on first.
    data = by(run)
    assert [
        (r["id"], r["status"], r["activities"], r["last_activity_on"], r["last_activity"])
        for r in data["realisation"]
    ] == [
        ("kb-b", "aktif", 0, None, None),
        ("kb-g", "dibatalkan", 0, None, None),
        ("kb-a", "aktif", 0, None, None),
        ("kb-c", "aktif", 0, None, None),
        ("kb-f", "akan_berakhir", 0, None, None),
        ("pks-a", "akan_berakhir", 1, "2024-03-01", "Pelatihan bidan"),
    ]
    assert data["realisation"][1]["ended_on"] == "2024-12-01"


@pytest.mark.parametrize(
    ("ends_on", "listed"),
    [
        ("2024-06-29", False),  # ended more than a year before --as-of
        ("2024-06-30", True),  # a year to the day
        ("2025-06-29", True),
    ],
)
def test_realisation_keeps_agreements_ended_within_a_year(
    registry: Path, run: Run, ends_on: str, listed: bool
) -> None:
    text = record(
        "kb-x", "kesepakatan_bersama", [MUARA_ENIM, 'region: "16.04"'], ["pendidikan"],
        "2020-01-10", ends_on,
    )  # fmt: skip
    write_record(registry, text, "kb-x")
    ids = [r["id"] for r in by(run)["realisation"]]
    assert ids == (["kb-x"] if listed else [])


def test_realisation_counts_only_activities_up_to_as_of(registry: Path, run: Run) -> None:
    activities = (
        "activities:\n"
        "  - {on: 2024-02-01, summary: Survei lokasi}\n"
        "  - {on: 2025-03-01, summary: Rapat koordinasi}\n"
        "  - {on: 2025-03-01, summary: Penyusunan rencana kerja}\n"
        "  - {on: 2025-07-01, summary: Belum terjadi}\n"
    )
    text = record(
        "kb-x", "kesepakatan_bersama", [MUARA_ENIM, 'region: "16.04"'], ["pendidikan"],
        "2024-01-10", "2028-12-31", extra=activities,
    )  # fmt: skip
    write_record(registry, text, "kb-x")
    (line,) = by(run)["realisation"]
    assert line["activities"] == 3
    assert line["last_activity_on"] == "2025-03-01"
    assert line["last_activity"] == "Penyusunan rencana kerja"  # of one day, the last written
    later = by(run, "--as-of", "2025-07-01")["realisation"][0]
    assert (later["activities"], later["last_activity"]) == (4, "Belum terjadi")
    before = by(run, "--as-of", "2024-01-31")["realisation"][0]
    assert (before["activities"], before["last_activity_on"]) == (0, None)


def test_realisation_in_the_human_formats(counted: Path, run: Run) -> None:
    markdown = run("summarise", "--as-of", AS_OF, "--format", "markdown").stdout
    assert "## Realisation" in markdown
    assert "| pks-a | Kerja sama pks-a | Expiring soon | 1 | 1 March 2024 | Pelatihan bidan |" in (
        markdown
    )
    assert "| kb-b | Kerja sama kb-b | In force | 0 | - | No activity reported |" in markdown
    assert "- **Reported on:** 1 of 6" in markdown
    html = run("summarise", "--as-of", AS_OF, "--format", "html").stdout
    assert '<table data-section="realisation" class="wide">' in html
    csv_text = run("summarise", "--as-of", AS_OF, "--format", "csv").stdout
    assert "realisation,akan_berakhir,pks-a,Kerja sama pks-a,1,2024-03-01" in csv_text


def test_report_title_names_the_region_and_the_date(counted: Path, run: Run) -> None:
    plain = run("summarise", "--as-of", AS_OF, "--region", "Muara Enim").stdout
    assert (
        plain.splitlines()[0] == "Regional cooperation of Kabupaten Muara Enim as of 30 June 2025"
    )
    assert run("summarise", "--as-of", AS_OF).stdout.splitlines()[0] == (
        "Regional cooperation as of 30 June 2025"
    )
    html = run("summarise", "--as-of", AS_OF, "--region", "Muara Enim", "--format", "html").stdout
    assert "<title>Regional cooperation of Kabupaten Muara Enim as of 30 June 2025</title>" in html
    assert '<html lang="en">' in html


def test_the_report_in_indonesian(counted: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Headings, labels and dates as a Bagian Kerja Sama writes them; JSON keys and ISO dates
    unchanged."""
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    args = ("summarise", "--as-of", AS_OF, "--region", "Muara Enim")
    markdown = run(*args, "--format", "markdown").stdout
    assert markdown.startswith(
        "# Kerja Sama Daerah Kabupaten Muara Enim per tanggal 30 Juni 2025\n"
    )
    assert "## Realisasi" in markdown
    assert "## Hanya di atas kertas" in markdown
    assert "| pks-a | Kerja sama pks-a | Akan berakhir | 1 | 1 Maret 2024 | Pelatihan bidan |" in (
        markdown
    )
    assert "Belum ada kegiatan yang dilaporkan" in markdown
    assert "| Pemerintah daerah | 4 |" in markdown
    html = run(*args, "--format", "html").stdout
    assert '<html lang="id">' in html
    data = run(*args, "--format", "json").json()
    assert data["realisation"][-1]["last_activity_on"] == "2024-03-01"
    assert data["realisation"][-1]["status"] == "akan_berakhir"
