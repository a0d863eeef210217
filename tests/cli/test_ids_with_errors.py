"""A command asked about an id that has errors says so (issue 14, class J): a forged second
file with the same id is never shown as if it were the agreement."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, write_record

SIGNED = """\
id: kb-a
title: {title}
document: kesepakatan_bersama
parties:
  - region: "32"
  - region: Kaur
sectors: [pendidikan]
signed_on: {year}-01-01
ends_on: {year}-12-31
sources:
  - title: Arsip
"""


def test_show_refuses_an_id_used_by_two_files(registry: Path, run: Run) -> None:
    write_record(registry, SIGNED.format(title="Asli", year=2024), "kb-a", "2024")
    write_record(registry, SIGNED.format(title="Palsu", year=2023), "kb-a", "2023")
    for _ in range(2):  # cold, then from the cache
        result = run("show", "kb-a", "--format", "json")
        assert result.exit_code == 1
        assert result.stdout == ""
        assert "agreements/2023/kb-a.yaml has errors" in result.stderr
        assert "agreements/2024/kb-a.yaml has errors" in result.stderr
        assert "Palsu" not in result.stdout + result.stderr


def test_show_refuses_a_record_whose_parent_does_not_exist(registry: Path, run: Run) -> None:
    text = SIGNED.format(title="Asli", year=2024) + "parent: kb-hilang\n"
    write_record(registry, text, "kb-a", "2024")
    result = run("show", "kb-a")
    assert result.exit_code == 1
    assert "kb-a.yaml has errors" in result.stderr


def test_activity_refuses_an_id_used_by_two_files(registry: Path, run: Run) -> None:
    write_record(registry, SIGNED.format(title="Asli", year=2024), "kb-a", "2024")
    forged = write_record(registry, SIGNED.format(title="Palsu", year=2023), "kb-a", "2023")
    before = forged.read_bytes()
    result = run("activity", "kb-a", "--on", "2024-06-01", "--summary", "Rapat")
    assert result.exit_code == 1
    assert "KS401" in result.stderr
    assert forged.read_bytes() == before


def test_show_of_a_clean_record_is_unchanged(registry: Path, run: Run) -> None:
    write_record(registry, SIGNED.format(title="Asli", year=2024), "kb-a", "2024")
    result = run("show", "kb-a", "--format", "json")
    assert result.exit_code == 0
    assert result.json()["title"] == "Asli"


def test_list_summarise_and_export_leave_out_both_files_of_a_forged_id(
    registry: Path, run: Run
) -> None:
    write_record(registry, SIGNED.format(title="Asli", year=2024), "kb-a", "2024")
    write_record(registry, SIGNED.format(title="Palsu", year=2023), "kb-a", "2023")
    for _ in range(2):  # cold, then from the cache
        listed = run("list", "--format", "ids")
        assert listed.stdout == ""
        assert "2 record files are invalid and left out" in listed.stderr
        assert run("summarise", "--format", "json").json()["total"] == 0
        exported = run("export", "--format", "json")
        assert "Palsu" not in exported.stdout
        assert "2 invalid record files not exported" in exported.stderr


def test_a_record_with_a_duplicate_key_is_not_listed_with_either_value(
    registry: Path, run: Run
) -> None:
    """Readers disagree on which of two values wins; a record with an error is left out."""
    text = SIGNED.format(title="Asli", year=2024) + "ends_on: 2020-01-01\n"
    write_record(registry, text, "kb-a", "2024")
    assert [f["rule"] for f in run("validate", "--format", "json").json()["findings"]] == ["KS103"]
    listed = run("list", "--format", "json")
    assert listed.json() == []
    assert "1 record file is invalid and left out" in listed.stderr
    assert run("summarise", "--by", "status", "--format", "json").json()["total"] == 0
