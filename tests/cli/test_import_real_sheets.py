"""The real sheets (tests/sheets/real: 100 rows from press reports, SOURCES.md) against what a
careful person reads from each row (expected.json, EXPECTED.md).

Every row that comes in ready must agree with that reading: its document kind, signing date,
end date (where a duration is given) and parties (region codes; organisations by kind). A
wrong region code written into a record is the worst outcome; a row left for review is not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kerjasama_cli.exchange.importing import plan_import
from kerjasama_cli.exchange.review import plan_json

REAL = Path(__file__).parent.parent / "sheets" / "real"
SHEETS = sorted(REAL.glob("0*.csv"))
EXPECTED: dict[str, dict[str, Any]] = {
    row["row"]: row for row in json.loads((REAL / "expected.json").read_text("utf-8"))["rows"]
}
# Where the sheet's cell, read exactly as written, differs from the careful reading because
# the reader used another source: 01:10's cell says "Selasa (19/11/2024)", the date of a
# statement; another report of the same event puts the signing on the 18th (EXPECTED.md).
AS_WRITTEN = {("01:10", "signed_on"): "2024-11-19"}
# Ready rows and rows needing review per sheet, as measured (README, "Measured on real lists").
COUNTS = {
    "01_kerja_sama_antardaerah_jawa.csv": (18, 5),
    "02_rekap_kerja_sama_pemprov_dki.csv": (13, 0),
    "03_mou_pemda_perguruan_tinggi.csv": (18, 0),
    "04_kerja_sama_instansi_vertikal_bumn_bumd.csv": (26, 8),
    "05_kerja_sama_antardaerah_luar_jawa.csv": (25, 13),
}


def _plan(registry: Path, sheet: Path) -> dict[str, Any]:
    plan = plan_import(
        registry, sheet, settings={"sectors": ["pemerintahan_umum"]}, records_json=True
    )
    return plan_json(plan)


def _party_key(party: dict[str, Any]) -> str:
    return str(party.get("region") or f"~{party.get('kind')}")


@pytest.mark.parametrize("sheet", SHEETS, ids=[s.stem[:2] for s in SHEETS])
def test_every_ready_row_agrees_with_the_careful_reading(registry: Path, sheet: Path) -> None:
    plan = _plan(registry, sheet)
    wrong: list[str] = []
    for item in plan["records"]:
        where = f"{sheet.name[:2]}:{item['row'] - 1}"
        expected = EXPECTED[where]
        record = item["record"]
        read = {
            "document": record["document"],
            "signed_on": record.get("signed_on"),
            "parties": sorted(_party_key(p) for p in record["parties"]),
        }
        wanted = {
            "document": expected["document"],
            "signed_on": AS_WRITTEN.get((where, "signed_on"), expected["signed_on"]),
            "parties": sorted(_party_key(p) for p in expected["parties"]),
        }
        if "ends_on" in expected:
            read["ends_on"] = record.get("ends_on")
            wanted["ends_on"] = expected["ends_on"]
        if read != wanted:
            wrong.append(f"{where}: read {read}, expected {wanted}")
    assert wrong == []
    assert (plan["rows"], plan["ready"]) == COUNTS[sheet.name]
    assert plan["ready"] + plan["needs_review"] == plan["rows"]


@pytest.mark.parametrize("sheet", SHEETS, ids=[s.stem[:2] for s in SHEETS])
def test_no_look_alike_of_a_region_is_read_as_the_region(registry: Path, sheet: Path) -> None:
    """Kejaksaan Negeri Kepanjen is not Kabupaten Malang's government, and so on (NOTES.md 4)."""
    plan = _plan(registry, sheet)
    for item in plan["records"]:
        where = f"{sheet.name[:2]}:{item['row'] - 1}"
        regions = {p["region"] for p in item["record"]["parties"] if "region" in p}
        expected = {p["region"] for p in EXPECTED[where]["parties"] if "region" in p}
        assert regions <= expected, where


def test_every_problem_is_located_and_misspelt_regions_have_suggestions(registry: Path) -> None:
    problems = [p for sheet in SHEETS for p in _plan(registry, sheet)["problems"]]
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors
    assert all(p["row"] > 1 and p["column"] for p in errors)
    makulu = [p for p in errors if "Makulu Utara" in str(p["message"])]
    assert makulu
    assert makulu[0]["suggestions"] == ["82 Provinsi Maluku Utara"]
