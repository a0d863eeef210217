"""`kerjasama validate` through the real CLI: formats, exit codes, paths, rules across files."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kerjasama_cli.rules import RULES
from tests.cli.test_examples import rules_fired_by_examples
from tests.conftest import Run, record_text, write_record


def test_clean_registry_exits_0_and_prints_nothing_on_stdout(registry: Path, run: Run) -> None:
    write_record(registry, record_text("kb-a"), "kb-a", "draf")
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "checked 1 file: 0 errors, 0 warnings"


def test_text_format_is_one_line_per_finding(registry: Path, run: Run) -> None:
    write_record(
        registry,
        record_text("kb-a", parties=('region: "32"', "region: Muara Enimm")),
        "kb-a",
        "draf",
    )
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout == (
        "data/agreements/draf/kb-a.yaml:6:13: error KS201 "
        "unknown region 'Muara Enimm'; did you mean 'Muara Enim' (16.03)?\n"
    )


def test_a_terminal_gets_one_line_per_finding_however_long(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract's one line per finding holds in a terminal too (styled): an editor's
    problem matcher runs the command in one and reads each message to the end of its line.
    Errors on stderr are wrapped between words there (tests/unit/test_render_note.py)."""
    from kerjasama_cli import render
    from tests.conftest import ANSI

    write_record(registry, record_text("kb-a", sectors=("pelayanan_publikk",)), "kb-a", "draf")
    render.stdout.cache_clear()
    piped = run("validate").stdout
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # a terminal, as the fixture `terminal` makes
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("FORCE_COLOR", "1")
    render.stdout.cache_clear()
    shown = run("validate").stdout
    render.stdout.cache_clear()
    assert len(piped.splitlines()) == 1
    assert len(piped) > 60
    assert ANSI.sub("", shown) == piped
    assert "\x1b[" in shown  # styled


def test_json_format_matches_the_contract(registry: Path, run: Run) -> None:
    write_record(
        registry,
        record_text("kb-a", parties=('region: "32"', "region: Muara Enimm")),
        "kb-a",
        "draf",
    )
    write_record(registry, record_text("kb-b"), "kb-b", "draf")
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
    write_record(
        registry, record_text("kb-a", parties=('region: "32"', "region: Bekasi")), "kb-a", "draf"
    )
    result = run("validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "::error file=data/agreements/draf/kb-a.yaml,line=6,col=13,title=KS202::"
        "region 'Bekasi' is ambiguous: it could be Kabupaten Bekasi (32.16), Kota Bekasi (32.75)"
    )


def test_warnings_pass_unless_strict(registry: Path, run: Run) -> None:
    write_record(
        registry, record_text("kb-a", before_parties={"category": "ksdpk"}), "kb-a", "draf"
    )
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
    write_record(registry, record_text("kb-parent"), "kb-parent", "draf")
    child = write_record(
        registry,
        record_text(
            "pks-child", document="perjanjian_kerja_sama", before_parties={"parent": "kb-parent"}
        ),
        "pks-child",
        "draf",
    )
    write_record(
        registry,
        record_text("kb-bad", parties=('region: "32"', "region: Nowhere")),
        "kb-bad",
        "draf",
    )
    result = run("validate", "--format", "json", str(child))
    assert result.exit_code == 0
    assert result.json()["files"] == 1
    assert result.json()["findings"] == []


def test_one_broken_file_does_not_hide_the_others(registry: Path, run: Run) -> None:
    write_record(registry, "id: [unclosed\n", "kb-a", "draf")
    write_record(
        registry, record_text("kb-b", parties=('region: "32"', "region: Nowhere")), "kb-b", "draf"
    )
    rules = {f["rule"] for f in run("validate", "--format", "json").json()["findings"]}
    assert rules == {"KS102", "KS201"}


# --- rules that need more than one file or something on disk -------------------------------
#
# An example file (tests/examples/invalid/) is one record; the rules below need several files,
# a link, a permission or a size that a committed example cannot carry. Each case builds its
# registry in code and states every finding it gives, as an example file does; the test below
# runs every case, so the rule coverage computed from this table cannot claim a case that does
# not pass.

Found = tuple[str, str, int, int]  # rule, path, line, column


@dataclass(frozen=True)
class OnDisk:
    build: Callable[[Path, Path], None]  # (registry, tmp_path)
    findings: list[Found]  # exactly these, in this order
    skip: str | None = None  # why the case cannot run here (it then covers nothing)


def _unreadable_file(registry: Path, tmp_path: Path) -> None:
    write_record(registry, record_text("kb-a"), "kb-a", "draf").chmod(0)


def _dangling_link(registry: Path, tmp_path: Path) -> None:
    """Root ignores permissions; a dangling symlink inside the folder is unreadable for all."""
    (registry / "agreements" / "kb-gone.yaml").symlink_to(registry / "agreements" / "missing")


def _oversized_file(registry: Path, tmp_path: Path) -> None:
    write_record(registry, "notes: " + "x" * 1_100_000 + "\n", "kb-huge", "draf")


def _other_files(registry: Path, tmp_path: Path) -> None:
    write_record(registry, record_text("kb-a"), "kb-a", "draf")
    (registry / "agreements" / "draf" / "kb-a.yml").write_text("x: 1\n")
    (registry / "agreements" / "notes.txt").write_text("hello\n")
    (registry / "agreements" / "dir.yaml").mkdir()


def _link_out_of_the_data_folder(registry: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: [broken\n")
    (registry / "agreements" / "kb-link.yaml").symlink_to(outside)


def _duplicate_id(registry: Path, tmp_path: Path) -> None:
    write_record(registry, record_text("kb-a"), "kb-a", "draf")
    write_record(registry, _SIGNED_A, "kb-a", "2024")


_SIGNED_A = record_text(
    "kb-a", signed_on="2024-02-05", ends_on="2026-02-04", sources="\n  - title: Arsip"
)


def _signed_record_in_draf(registry: Path, tmp_path: Path) -> None:
    write_record(registry, _SIGNED_A, "kb-a", "draf")


def _draft_in_a_year_folder(registry: Path, tmp_path: Path) -> None:
    write_record(registry, record_text("kb-a"), "kb-a", "2024")


def _records_in_a_folder_inside_the_right_one(registry: Path, tmp_path: Path) -> None:
    """In a folder inside the year's or draf/: not where they belong. Directly in agreements/
    (a flat folder, as the first version of the format allowed): not judged."""
    write_record(registry, _SIGNED_A, "kb-a", "")
    write_record(registry, record_text("kb-b"), "kb-b", "")
    write_record(registry, _SIGNED_A.replace("kb-a", "kb-c"), "kb-c", "2024/lama")
    write_record(registry, record_text("kb-d"), "kb-d", "draf/lama")


def _parent_not_a_kesepakatan_bersama(registry: Path, tmp_path: Path) -> None:
    write_record(registry, record_text("pks-a", document="perjanjian_kerja_sama"), "pks-a", "draf")
    write_record(
        registry,
        record_text("pks-b", document="perjanjian_kerja_sama", before_parties={"parent": "pks-a"}),
        "pks-b",
        "draf",
    )


ON_DISK: dict[str, OnDisk] = {
    "ks100-unreadable-file": OnDisk(
        _unreadable_file,
        [("KS100", "data/agreements/draf/kb-a.yaml", 1, 1)],
        skip="root can read files without permission" if os.geteuid() == 0 else None,
    ),
    "ks100-dangling-link": OnDisk(
        _dangling_link, [("KS100", "data/agreements/kb-gone.yaml", 1, 1)]
    ),
    "ks107-oversized-file-is-refused-without-parsing": OnDisk(
        _oversized_file, [("KS107", "data/agreements/draf/kb-huge.yaml", 1, 1)]
    ),
    "ks108-other-files-under-agreements": OnDisk(
        _other_files,
        [
            ("KS108", "data/agreements/dir.yaml", 1, 1),
            ("KS108", "data/agreements/draf/kb-a.yml", 1, 1),
            ("KS108", "data/agreements/notes.txt", 1, 1),
        ],
    ),
    "ks109-link-out-of-the-data-folder-is-not-followed": OnDisk(
        _link_out_of_the_data_folder, [("KS109", "data/agreements/kb-link.yaml", 1, 1)]
    ),
    "ks401-duplicate-id-in-two-files": OnDisk(
        _duplicate_id,
        [
            ("KS401", "data/agreements/2024/kb-a.yaml", 1, 5),
            ("KS401", "data/agreements/draf/kb-a.yaml", 1, 5),
        ],
    ),
    "ks211-signed-record-in-draf": OnDisk(
        _signed_record_in_draf, [("KS211", "data/agreements/draf/kb-a.yaml", 8, 12)]
    ),
    "ks211-draft-in-a-year-folder": OnDisk(
        _draft_in_a_year_folder, [("KS211", "data/agreements/2024/kb-a.yaml", 1, 5)]
    ),
    "ks211-records-in-a-folder-inside-their-year-or-draf-folder": OnDisk(
        _records_in_a_folder_inside_the_right_one,
        [
            ("KS211", "data/agreements/2024/lama/kb-c.yaml", 8, 12),
            ("KS211", "data/agreements/draf/lama/kb-d.yaml", 1, 5),
        ],
    ),
    "ks403-parent-must-be-a-kesepakatan-bersama": OnDisk(
        _parent_not_a_kesepakatan_bersama, [("KS403", "data/agreements/draf/pks-b.yaml", 4, 9)]
    ),
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, id=name, marks=[pytest.mark.skip(reason=case.skip)] if case.skip else [])
        for name, case in ON_DISK.items()
    ],
)
def test_on_disk_case_gives_exactly_its_findings(
    case: OnDisk, registry: Path, tmp_path: Path, run: Run
) -> None:
    case.build(registry, tmp_path)
    try:
        result = run("validate", "--format", "json")
    finally:  # let pytest remove what a case made unreadable
        for path in registry.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
    found = [(f["rule"], f["path"], f["line"], f["column"]) for f in result.json()["findings"]]
    assert found == case.findings
    assert result.exit_code == 1


def test_ks211_names_the_folder_a_misplaced_record_is_in(registry: Path, run: Run) -> None:
    _records_in_a_folder_inside_the_right_one(registry, registry.parent)
    messages = {
        f["path"]: f["message"] for f in run("validate", "--format", "json").json()["findings"]
    }
    assert messages["data/agreements/2024/lama/kb-c.yaml"].startswith(
        "record stored in 2024/lama/ but signed_on is 2024-02-05; expected it under "
        "agreements/2024/"
    )
    assert messages["data/agreements/draf/lama/kb-d.yaml"].startswith(
        "record stored in draf/lama/ but it has no signed_on; expected it under agreements/draf/"
    )


def test_ks108_suggests_the_yaml_name_for_a_yml_file(registry: Path, run: Run) -> None:
    _other_files(registry, registry.parent)
    findings = run("validate", "--format", "json").json()["findings"]
    messages = {f["path"]: f["message"] for f in findings if f["rule"] == "KS108"}
    assert "rename 'kb-a.yml' to kb-a.yaml" in messages["data/agreements/draf/kb-a.yml"]


def test_every_rule_has_a_case_that_makes_it_fire() -> None:
    """Computed from the example files and the table above, each of them run by a test."""
    covered = rules_fired_by_examples() | {
        rule for case in ON_DISK.values() if case.skip is None for rule, *_ in case.findings
    }
    assert sorted(set(RULES) - covered) == []
    assert covered <= set(RULES)


def test_every_rule_code_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(KS\d{3})`", readme))
    assert documented == set(RULES)


def test_a_document_abbreviation_suggests_the_vocabulary_key(registry: Path, run: Run) -> None:
    write_record(registry, record_text("kb-a", document="mou"), "kb-a", "draf")
    findings = run("validate", "--format", "json").json()["findings"]
    assert [f["rule"] for f in findings] == ["KS207"]
    assert findings[0]["message"].endswith("found 'mou'; did you mean 'kesepakatan_bersama'?")


def test_a_finding_path_is_relative_to_the_current_directory_when_outside_it(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cli.md: "`path` is relative to the current directory", also for a data folder beside
    it (it was absolute then)."""
    write_record(registry, _SIGNED_A, "kb-a", "draf")
    elsewhere = registry.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("validate", "--format", "json", "--data-dir", str(registry))
    (finding,) = result.json()["findings"]
    assert finding["path"] == "../data/agreements/draf/kb-a.yaml"
    assert (elsewhere / finding["path"]).resolve() == (
        registry / "agreements" / "draf" / "kb-a.yaml"
    ).resolve()
    text = run("validate", "--data-dir", str(registry))
    assert text.stdout.startswith("../data/agreements/draf/kb-a.yaml:8:12: error KS211 ")


def test_one_wrong_type_does_not_hide_the_other_findings_of_the_record(
    registry: Path, run: Run
) -> None:
    """The rules that read none of the refused keys still run ("every finding of a file"):
    a wrong `units` and an unknown region beside a misplaced record that ends before it
    starts. Those that read a refused key do not (no KS904 from the refused parties)."""
    write_record(
        registry,
        "id: kb-multi\ntitle: Uji\ndocument: kesepakatan_bersama\nparties:\n"
        "  - region: Kaur\n  - region: Lahatt\nsectors: [pendidikan]\n"
        "signed_on: 2024-03-01\nends_on: 2024-01-01\nunits: x\n",
        "kb-multi",
        "draf",
    )
    found = run("validate", "--format", "json").json()["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [
        ("KS201", 6, 13),
        ("KS211", 8, 12),
        ("KS302", 9, 10),
        ("KS206", 10, 8),
    ]


def test_beside_a_wrong_type_a_rule_runs_unless_the_missing_key_would_make_one_up(
    registry: Path, run: Run
) -> None:
    """`activities: "rapat"` does not hide a future evaluation (KS906); a `starts_on` of the
    wrong type does not hide an end before signing (KS302); an `ends_on` of the wrong type
    makes no "signed record without ends_on" (KS902)."""
    signed = record_text("kb-x", signed_on="2024-02-05", sources="\n  - title: Arsip")
    write_record(
        registry,
        signed.replace("kb-x", "kb-a")
        + 'ends_on: 2026-02-04\nactivities: "rapat"\nevaluations:\n'
        + "  - {on: 2099-01-01, summary: Baik, recommendation: lanjutkan}\n",
        "kb-a",
        "2024",
    )
    write_record(
        registry,
        signed.replace("kb-x", "kb-b") + "ends_on: 2024-01-01\nstarts_on: [2024-03-01]\n",
        "kb-b",
        "2024",
    )
    write_record(registry, signed.replace("kb-x", "kb-c") + "ends_on: [2026]\n", "kb-c", "2024")
    found = run("validate", "--format", "json").json()["findings"]
    rules = {(f["path"].rsplit("/", 1)[1], f["rule"]) for f in found}
    assert rules == {
        ("kb-a.yaml", "KS206"),
        ("kb-a.yaml", "KS906"),
        ("kb-b.yaml", "KS302"),
        ("kb-b.yaml", "KS301"),
        ("kb-c.yaml", "KS301"),
    }
