"""`kerjasama fmt` through the real CLI: canonical form, comments kept, idempotent, --check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kerjasama_cli.registry import load_registry
from tests.conftest import Run, write_record
from tests.tree import snapshot

MESSY = """\
# yaml-language-server: $schema=../../schema.json
# Kerja sama Kaur - Muara Enim, from the working visit.

title: Kerja sama pembangunan   # as in the invitation
# the kind of document
document: kesepakatan_bersama
sectors: [jalan, "1.06", kebudayaan]  # 7 bidang in the article, 3 so far
parties:
    # Kaur proposed it
    - signatory: {name: Lismidianto, position: Bupati Kaur}
      region: Kaur   # Bengkulu
    - region: Muaraenim
stage: penawaran
# id last, on purpose
id: kb-kaur-muara-enim
notes: >-  # folded on purpose
    Planned after a working visit of Kaur's delegation
    to Muara Enim.
# end of file
"""

CANONICAL = """\
# yaml-language-server: $schema=../../schema.json
# Kerja sama Kaur - Muara Enim, from the working visit.

# id last, on purpose
id: kb-kaur-muara-enim
title: Kerja sama pembangunan  # as in the invitation
# the kind of document
document: kesepakatan_bersama
parties:
  # Kaur proposed it
  - region: "17.04"  # Kabupaten Kaur # Bengkulu
    signatory: {name: Lismidianto, position: Bupati Kaur}
  - region: "16.03"  # Kabupaten Muara Enim
sectors: [pekerjaan_umum, sosial, kebudayaan]  # 7 bidang in the article, 3 so far
stage: penawaran
notes: >-  # folded on purpose
  Planned after a working visit of Kaur's delegation
  to Muara Enim.
# end of file
"""


def test_fmt_rewrites_in_canonical_form_keeping_every_comment(registry: Path, run: Run) -> None:
    path = write_record(registry, MESSY, "kb-kaur-muara-enim", "draf")
    result = run("fmt")
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == CANONICAL
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim.yaml\n"
    assert result.stderr == (
        "reformatted data/agreements/draf/kb-kaur-muara-enim.yaml "
        "(key order, regions as codes, sector keys)\n"
        "fmt: 1 file reformatted, 0 already canonical\n"
    )


def test_top_comment_stays_on_top(registry: Path, run: Run) -> None:
    path = write_record(registry, MESSY, "kb-kaur-muara-enim", "draf")
    run("fmt")
    assert path.read_text().splitlines()[:2] == MESSY.splitlines()[:2]


def test_comments_move_with_their_keys(registry: Path, run: Run) -> None:
    path = write_record(registry, MESSY, "kb-kaur-muara-enim", "draf")
    run("fmt")
    lines = path.read_text().splitlines()
    # The comment above `id:` went up with it; the one above `document:` stayed above it.
    assert lines[lines.index("id: kb-kaur-muara-enim") - 1] == "# id last, on purpose"
    assert lines[lines.index("document: kesepakatan_bersama") - 1] == "# the kind of document"
    # The inline comment of `region: Kaur` stayed on its line although `region` moved up.
    assert '  - region: "17.04"  # Kabupaten Kaur # Bengkulu' in lines


def test_fmt_is_idempotent(registry: Path, run: Run) -> None:
    path = write_record(registry, MESSY, "kb-kaur-muara-enim", "draf")
    run("fmt")
    once = path.read_text()
    again = run("fmt")
    assert again.stdout == ""
    assert again.stderr == "fmt: 0 files reformatted, 1 already canonical\n"
    assert path.read_text() == once


def test_fmt_does_not_change_what_the_record_says(registry: Path, run: Run) -> None:
    write_record(registry, MESSY, "kb-kaur-muara-enim", "draf")
    records_before = load_registry(registry).records
    run("fmt")
    assert load_registry(registry).records == records_before


def test_check_lists_files_that_would_change_and_changes_nothing(registry: Path, run: Run) -> None:
    write_record(registry, MESSY, "kb-kaur-muara-enim", "draf")
    write_record(registry, CANONICAL.replace("kb-kaur-muara-enim", "kb-b"), "kb-b", "draf")
    before = snapshot(registry)
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim.yaml\n"
    assert result.stderr.splitlines()[-1] == (
        "fmt: 1 file would be reformatted, 1 already canonical"
    )
    assert snapshot(registry) == before


def test_check_passes_on_canonical_files(registry: Path, run: Run) -> None:
    write_record(registry, CANONICAL, "kb-kaur-muara-enim", "draf")
    result = run("fmt", "--check")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_bundled_registry_is_canonical(bundled: Path, run: Run) -> None:
    result = run("fmt", "--check", data_dir=bundled)
    assert result.stdout == ""
    assert result.exit_code == 0


def test_file_with_errors_is_left_untouched_and_reported(registry: Path, run: Run) -> None:
    bad = write_record(
        registry, MESSY.replace("Muaraenim", "Muara Enimm"), "kb-kaur-muara-enim", "draf"
    )
    good = write_record(registry, MESSY.replace("kb-kaur-muara-enim", "kb-good"), "kb-good", "draf")
    bad_bytes = bad.read_bytes()
    result = run("fmt")
    assert result.exit_code == 1
    assert bad.read_bytes() == bad_bytes
    assert good.read_text() == CANONICAL.replace("kb-kaur-muara-enim", "kb-good")
    assert result.stdout == "data/agreements/draf/kb-good.yaml\n"
    assert (
        "data/agreements/draf/kb-kaur-muara-enim.yaml:12:15: error KS201 "
        "unknown region 'Muara Enimm'; did you mean 'Muara Enim' (16.03)?"
    ) in result.stderr.splitlines()
    assert "data/agreements/draf/kb-kaur-muara-enim.yaml has errors; left untouched" in (
        result.stderr
    )
    assert result.stderr.splitlines()[-1] == (
        "fmt: 1 file reformatted, 0 already canonical, 1 left untouched"
    )


def test_cross_file_error_also_leaves_the_file_untouched(registry: Path, run: Run) -> None:
    text = MESSY.replace("stage: penawaran", "parent: kb-nowhere")
    path = write_record(registry, text, "kb-kaur-muara-enim", "draf")
    result = run("fmt")
    assert result.exit_code == 1
    assert path.read_text() == text
    assert "error KS402" in result.stderr


def test_unparsable_file_is_left_untouched(registry: Path, run: Run) -> None:
    path = write_record(registry, "id: [unclosed\n", "kb-a", "draf")
    result = run("fmt")
    assert result.exit_code == 1
    assert path.read_text() == "id: [unclosed\n"


def test_warnings_do_not_stop_fmt(registry: Path, run: Run) -> None:
    path = write_record(registry, MESSY + "category: ksdpk\n", "kb-kaur-muara-enim", "draf")
    result = run("fmt")
    assert result.exit_code == 0
    assert "category: ksdpk\n" in path.read_text()


def test_named_files_only(registry: Path, run: Run) -> None:
    one = write_record(registry, MESSY, "kb-kaur-muara-enim", "draf")
    other = write_record(registry, MESSY.replace("kb-kaur-muara-enim", "kb-b"), "kb-b", "draf")
    result = run("fmt", str(one))
    assert result.exit_code == 0
    assert one.read_text() == CANONICAL
    assert other.read_text() == MESSY.replace("kb-kaur-muara-enim", "kb-b")


def test_missing_path_is_a_usage_error(run: Run) -> None:
    result = run("fmt", "nowhere.yaml")
    assert result.exit_code == 2
    assert result.stderr == "error: no such file or folder: nowhere.yaml\n"


def test_indentation_and_layout_only(registry: Path, run: Run) -> None:
    text = (
        "id: kb-a\ntitle:   Kerja sama\ndocument: kesepakatan_bersama\nparties:\n"
        '- region: "32" # Provinsi Jawa Barat\n\n\n- region: "33" # Provinsi Jawa Tengah\n'
        "sectors:\n    - sosial\n"
    )
    path = write_record(registry, text, "kb-a", "draf")
    result = run("fmt")
    assert result.stderr.splitlines()[0] == "reformatted data/agreements/draf/kb-a.yaml (layout)"
    assert path.read_text() == (
        "id: kb-a\ntitle: Kerja sama\ndocument: kesepakatan_bersama\nparties:\n"
        '  - region: "32"  # Provinsi Jawa Barat\n  - region: "33"  # Provinsi Jawa Tengah\n'
        "sectors:\n  - sosial\n"
    )


def test_stale_region_comment_is_replaced_but_a_persons_comment_is_kept(
    registry: Path, run: Run
) -> None:
    text = (
        "id: kb-a\ntitle: Kerja sama\ndocument: kesepakatan_bersama\nparties:\n"
        '  - region: "33" # Provinsi Jawa Barat\n'
        '  - region: "16.03" # Kabupaten Muara Enim # host\n'
        '  - region: "17.04" # the neighbour\n'
        "sectors: [sosial]\n"
    )
    path = write_record(registry, text, "kb-a", "draf")
    run("fmt")
    assert path.read_text().splitlines()[4:7] == [
        '  - region: "33"  # Provinsi Jawa Tengah',
        '  - region: "16.03"  # Kabupaten Muara Enim # host',
        '  - region: "17.04"  # Kabupaten Kaur # the neighbour',
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_record_linking_outside_is_reported_and_not_written(
    tmp_path: Path, registry: Path, run: Run
) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text(MESSY)
    (registry / "agreements" / "kb-kaur-muara-enim.yaml").symlink_to(target)
    result = run("fmt")
    assert result.exit_code == 1
    assert target.read_text() == MESSY
    assert "error KS109 symbolic link leads outside the data folder" in result.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlinked_record_is_not_written_through(registry: Path, run: Run) -> None:
    target = registry / "agreements" / ".kb-kaur-muara-enim.source"
    target.write_text(MESSY)
    link = registry / "agreements" / "kb-kaur-muara-enim.yaml"
    link.symlink_to(target.name)
    result = run("fmt")
    assert result.exit_code == 1
    assert target.read_text() == MESSY
    assert link.is_symlink()
    assert "a symbolic link; format the file it points to; left untouched" in result.stderr


def test_a_tab_before_a_comment_is_formatted_not_refused(registry: Path, run: Run) -> None:
    """libyaml reads the tab as white space (validate passes); ruamel's round-trip scanner did
    not, and fmt and set refused the file with the scanner's words."""
    text = (
        "id: kb-tab\ntitle: Uji\ndocument: kesepakatan_bersama\n"
        "parties:\n  - region: Kaur\t# Bengkulu\n  - region: Lahat\n"
        "sectors: [pendidikan]\t\t# satu saja\n"
    )
    path = write_record(registry, text, "kb-tab", "draf")
    assert run("validate").exit_code == 0
    result = run("fmt")
    assert result.exit_code == 0, result.stdout + result.stderr
    written = path.read_text(encoding="utf-8")
    assert "\t" not in written
    assert '  - region: "17.04"  # Kabupaten Kaur # Bengkulu\n' in written
    assert "sectors: [pendidikan]  # satu saja\n" in written
    assert run("set", "kb-tab", "stage=persiapan").exit_code == 0
