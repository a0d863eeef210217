"""`kerjasama validate` through the real CLI: formats, exit codes, paths, rules across files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kerjasama_cli.rules import RULES
from tests.cli.test_examples import _examples, expectations
from tests.conftest import Run, write_record

GOOD = """\
id: {id}
title: Kerja sama
document: {document}
{extra}parties:
  - region: "32"
  - region: "33"
sectors: [pelayanan_publik]
"""


def good(record_id: str, document: str = "kesepakatan_bersama", extra: str = "") -> str:
    return GOOD.format(id=record_id, document=document, extra=extra)


def test_clean_registry_exits_0_and_prints_nothing_on_stdout(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a"), "kb-a", "draf")
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "checked 1 file: 0 errors, 0 warnings"


def test_text_format_is_one_line_per_finding(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a").replace('"33"', "Muara Enimm"), "kb-a", "draf")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout == (
        "data/agreements/draf/kb-a.yaml:6:13: error KS201 "
        "unknown region 'Muara Enimm'; did you mean 'Muara Enim' (16.03)?\n"
    )


def test_json_format_matches_the_contract(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a").replace('"33"', "Muara Enimm"), "kb-a", "draf")
    write_record(registry, good("kb-b"), "kb-b", "draf")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    assert result.json() == {
        "files": 2,
        "errors": 1,
        "warnings": 0,
        "findings": [
            {
                "path": "data/agreements/draf/kb-a.yaml",
                "line": 6,
                "column": 13,
                "key": "parties[1].region",
                "rule": "KS201",
                "severity": "error",
                "message": "unknown region 'Muara Enimm'; did you mean 'Muara Enim' (16.03)?",
            }
        ],
    }


def test_github_format_is_a_workflow_command_per_finding(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a").replace('"33"', "Bekasi"), "kb-a", "draf")
    result = run("validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "::error file=data/agreements/draf/kb-a.yaml,line=6,col=13,title=KS202::"
        "region 'Bekasi' is ambiguous: it could be Kabupaten Bekasi (32.16), Kota Bekasi (32.75)"
    )


def test_warnings_pass_unless_strict(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a", extra="category: ksdpk\n"), "kb-a", "draf")
    assert run("validate").exit_code == 0
    strict = run("validate", "--strict")
    assert strict.exit_code == 1
    assert "warning KS901" in strict.stdout


def test_missing_data_folder_exits_2_with_one_line(tmp_path: Path, run: Run) -> None:
    result = run("validate", data_dir=tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not exist" in result.stderr


def test_unknown_flag_is_a_usage_error(run: Run) -> None:
    assert run("validate", "--bogus").exit_code == 2


def test_named_file_reports_only_that_file_but_sees_the_registry(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-parent"), "kb-parent", "draf")
    child = write_record(
        registry,
        good("pks-child", "perjanjian_kerja_sama", "parent: kb-parent\n"),
        "pks-child",
        "draf",
    )
    write_record(registry, good("kb-bad").replace('"33"', "Nowhere"), "kb-bad", "draf")
    result = run("validate", "--format", "json", str(child))
    assert result.exit_code == 0
    assert result.json()["files"] == 1
    assert result.json()["findings"] == []


def test_one_broken_file_does_not_hide_the_others(registry: Path, run: Run) -> None:
    write_record(registry, "id: [unclosed\n", "kb-a", "draf")
    write_record(registry, good("kb-b").replace('"33"', "Nowhere"), "kb-b", "draf")
    rules = {f["rule"] for f in run("validate", "--format", "json").json()["findings"]}
    assert rules == {"KS102", "KS201"}


# --- rules that need more than one file or something on disk -------------------------------


def test_ks401_duplicate_id_in_two_files(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a"), "kb-a", "draf")
    write_record(registry, good("kb-a"), "kb-a", "2024")
    findings = run("validate", "--format", "json").json()["findings"]
    assert {(f["rule"], f["path"]) for f in findings} >= {
        ("KS401", "data/agreements/draf/kb-a.yaml"),
        ("KS401", "data/agreements/2024/kb-a.yaml"),
    }


def test_ks403_parent_must_be_a_kesepakatan_bersama(registry: Path, run: Run) -> None:
    write_record(registry, good("pks-a", "perjanjian_kerja_sama"), "pks-a", "draf")
    write_record(
        registry, good("pks-b", "perjanjian_kerja_sama", "parent: pks-a\n"), "pks-b", "draf"
    )
    findings = run("validate", "--format", "json").json()["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("KS403", 4, 9)]


def test_ks107_oversized_file_is_refused_without_parsing(registry: Path, run: Run) -> None:
    write_record(registry, "notes: " + "x" * 1_100_000 + "\n", "kb-huge", "draf")
    findings = run("validate", "--format", "json").json()["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("KS107", 1)]


def test_ks108_other_files_under_agreements(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a"), "kb-a", "draf")
    (registry / "agreements" / "draf" / "kb-a.yml").write_text("x: 1\n")
    (registry / "agreements" / "notes.txt").write_text("hello\n")
    (registry / "agreements" / "dir.yaml").mkdir()
    findings = run("validate", "--format", "json").json()["findings"]
    messages = {f["path"]: f["message"] for f in findings if f["rule"] == "KS108"}
    assert "rename 'kb-a.yml' to kb-a.yaml" in messages["data/agreements/draf/kb-a.yml"]
    assert set(messages) == {
        "data/agreements/draf/kb-a.yml",
        "data/agreements/notes.txt",
        "data/agreements/dir.yaml",
    }


def test_ks109_symlink_out_of_the_data_folder_is_not_followed(
    registry: Path, tmp_path: Path, run: Run
) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: [broken\n")
    (registry / "agreements" / "kb-link.yaml").symlink_to(outside)
    findings = run("validate", "--format", "json").json()["findings"]
    assert [f["rule"] for f in findings] == ["KS109"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without permission")
def test_ks100_unreadable_file(registry: Path, run: Run) -> None:
    path = write_record(registry, good("kb-a"), "kb-a", "draf")
    path.chmod(0)
    try:
        findings = run("validate", "--format", "json").json()["findings"]
    finally:
        path.chmod(0o644)
    assert [f["rule"] for f in findings] == ["KS100"]


def test_ks100_unreadable_file_as_root(registry: Path, run: Run) -> None:
    """Root ignores permissions; a dangling symlink inside the folder is unreadable for all."""
    (registry / "agreements" / "kb-gone.yaml").symlink_to(registry / "agreements" / "missing")
    findings = run("validate", "--format", "json").json()["findings"]
    assert [f["rule"] for f in findings] == ["KS100"]


DEDICATED = {"KS100", "KS107", "KS108", "KS109", "KS401", "KS403"}


def test_every_rule_has_a_test_that_makes_it_fire() -> None:
    covered = set(DEDICATED)
    for example in _examples("invalid"):
        covered |= {rule for rule, _, _ in expectations(example)}
    assert covered == set(RULES)


def test_every_rule_code_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(KS\d{3})`", readme))
    assert documented == set(RULES)


def test_a_document_abbreviation_suggests_the_vocabulary_key(registry: Path, run: Run) -> None:
    write_record(registry, good("kb-a", "mou"), "kb-a", "draf")
    findings = run("validate", "--format", "json").json()["findings"]
    assert [f["rule"] for f in findings] == ["KS207"]
    assert findings[0]["message"].endswith("found 'mou'; did you mean 'kesepakatan_bersama'?")
