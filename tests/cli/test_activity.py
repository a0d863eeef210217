"""`kerjasama activity`: realisation reports appended in place, comments kept, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write_record
from tests.tree import snapshot

SIGNED = """\
# Jalan tembus Padang Guci - Muara Enim
id: pks-jalan
title: Pembangunan jalan tembus   # working title
document: perjanjian_kerja_sama
parties:
  - region: "17.04"  # Kabupaten Kaur
  - region: "16.03"  # Kabupaten Muara Enim
sectors: [pekerjaan_umum]
signed_on: 2020-07-15
ends_on: 2025-07-14
# where we read about it
sources:
  - url: https://example.org/berita
"""


@pytest.fixture
def signed(registry: Path) -> Path:
    return write_record(registry, SIGNED, "pks-jalan", "2020")


def test_activity_is_appended_in_place_keeping_comments(signed: Path, run: Run) -> None:
    result = run(
        "activity",
        "pks-jalan",
        "--on",
        "2021-01-10",
        "--summary",
        "Survei lokasi jalan",
        "--evidence",
        "https://example.org/survei.pdf",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2020/pks-jalan.yaml\n"
    assert result.stderr == "recorded the activity in data/agreements/2020/pks-jalan.yaml\n"
    assert signed.read_text() == SIGNED.replace(
        "# where we read about it\n",
        "activities:\n"
        "  - on: 2021-01-10\n"
        "    summary: Survei lokasi jalan\n"
        '    evidence: ["https://example.org/survei.pdf"]\n'
        "# where we read about it\n",
    ).replace("tembus   # working", "tembus  # working")


def test_second_activity_goes_after_the_first(signed: Path, run: Run) -> None:
    run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", "Survei")
    run("activity", "pks-jalan", "--on", "2022-03-01", "--summary", "Pembangunan tahap 1")
    text = signed.read_text()
    assert "  - on: 2021-01-10\n    summary: Survei\n  - on: 2022-03-01\n" in text
    assert run("validate", "--strict").exit_code == 0


REFUSALS = {
    "before-signing": (
        ("pks-jalan", "--on", "2020-07-14", "--summary", "Rapat persiapan"),
        "error: activity dated 2020-07-14 is before signed_on 2020-07-15 (KS304); "
        "nothing was written\n",
    ),
    "duplicate": (
        ("pks-jalan", "--on", "2021-01-10", "--summary", "Survei"),
        "error: data/agreements/2020/pks-jalan.yaml already lists this activity "
        "(2021-01-10: Survei); nothing was written\n",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused_activity_changes_nothing(
    case: str, signed: Path, registry: Path, run: Run
) -> None:
    run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", "Survei")
    args, message = REFUSALS[case]
    before = snapshot(registry)
    result = run("activity", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == message
    assert snapshot(registry) == before


def test_draft_has_no_activities(registry: Path, run: Run) -> None:
    text = SIGNED.replace("signed_on: 2020-07-15\nends_on: 2025-07-14\n", "")
    write_record(registry, text, "pks-jalan", "draf")
    before = snapshot(registry)
    result = run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", "Survei")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: data/agreements/draf/pks-jalan.yaml is not signed (no signed_on); a draft has "
        "no activities to report (KS305); nothing was written\n"
    )
    assert snapshot(registry) == before


def test_record_with_errors_is_refused_with_its_findings(registry: Path, run: Run) -> None:
    write_record(registry, SIGNED.replace('"17.04"', "Kaurr"), "pks-jalan", "2020")
    before = snapshot(registry)
    result = run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", "Survei")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/agreements/2020/pks-jalan.yaml:6:13: error KS201 unknown region 'Kaurr'; "
        "did you mean 'Kaur' (17.04)?",
        "error: data/agreements/2020/pks-jalan.yaml has errors; fix them first "
        "(kerjasama validate data/agreements/2020/pks-jalan.yaml)",
    ]
    assert snapshot(registry) == before


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "recorded the activity in data/agreements/2020/pks-jalan.yaml "
            "(moved from data/agreements/2019/pks-jalan.yaml)\n",
        ),
        (
            "id",
            "kegiatan dicatat di data/agreements/2020/pks-jalan.yaml "
            "(dipindahkan dari data/agreements/2019/pks-jalan.yaml)\n",
        ),
    ],
)
def test_a_record_in_the_wrong_folder_gets_the_activity_and_moves_to_its_own(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    """Its only fault is its folder (KS211): as set, end and evaluate do, the change is made
    and the file goes where validate asks for it (activity refused it before)."""
    misplaced = write_record(registry, SIGNED, "pks-jalan", "2019")
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    result = run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", "Survei")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2020/pks-jalan.yaml\n"
    assert result.stderr == said
    assert not misplaced.exists()
    moved = registry / "agreements" / "2020" / "pks-jalan.yaml"
    assert "  - on: 2021-01-10\n    summary: Survei\n" in moved.read_text()
    assert run("validate", "--strict").exit_code == 0


def test_a_misplaced_record_with_another_error_is_still_refused(registry: Path, run: Run) -> None:
    write_record(registry, SIGNED.replace('"17.04"', "Kaurr"), "pks-jalan", "2019")
    before = snapshot(registry)
    result = run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", "Survei")
    assert result.exit_code == 1
    assert "error KS201 unknown region 'Kaurr'" in result.stderr
    assert "error KS211 record stored in 2019/" in result.stderr  # all, as validate says
    assert "has errors; fix them first" in result.stderr
    assert snapshot(registry) == before


def test_unknown_id_suggests_close_ones(signed: Path, run: Run) -> None:
    result = run("activity", "pks-jalann", "--on", "2021-01-10", "--summary", "x")
    assert result.exit_code == 2
    assert result.stderr == "error: no record has id 'pks-jalann'; did you mean pks-jalan?\n"


@pytest.mark.parametrize("record_id", ["../pks-jalan", "pks-jalan/../x", ".."])
def test_ids_that_are_not_slugs_find_nothing(signed: Path, run: Run, record_id: str) -> None:
    result = run("activity", record_id, "--on", "2021-01-10", "--summary", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: no record has id {record_id!r}")


def test_bad_date_and_empty_summary_are_usage_errors(signed: Path, run: Run) -> None:
    assert run("activity", "pks-jalan", "--on", "2021-02-30", "--summary", "x").exit_code == 2
    assert run("activity", "pks-jalan", "--on", "2021-02-03", "--summary", " ").exit_code == 2


def test_a_future_activity_is_written_with_a_warning(signed: Path, run: Run) -> None:
    """validate warns about it (KS906) until the day comes; say so when it is written."""
    import datetime as dt

    now = run("activity", "pks-jalan", "--on", "2022-03-01", "--summary", "Tahap 1")
    assert now.exit_code == 0
    assert "KS906" not in now.stderr
    later = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    result = run("activity", "pks-jalan", "--on", later, "--summary", "Rapat")
    assert result.exit_code == 0, result.stderr
    assert f"warning KS906 activity dated {later} is after today" in result.stderr


def test_a_refusal_s_findings_say_error_in_indonesian(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change's findings are for the person making it: "kesalahan", not "error" (validate's
    formats, which tools parse, keep the English word)."""
    write_record(registry, SIGNED.replace('"17.04"', "Kaurr"), "pks-jalan", "2020")
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    result = run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", "Survei")
    assert result.exit_code == 1
    assert "data/agreements/2020/pks-jalan.yaml:6:13: kesalahan KS201 " in result.stderr
    validated = run("validate")
    assert "data/agreements/2020/pks-jalan.yaml:6:13: error KS201 " in validated.stdout


@pytest.mark.parametrize("pasted", ["Survei\r\nlokasi", "Survei\rlokasi"])
def test_a_summary_pasted_with_windows_line_ends_is_recorded(
    signed: Path, run: Run, pasted: str
) -> None:
    """It was refused: "cannot be rewritten safely ... add the activity by hand"."""
    result = run("activity", "pks-jalan", "--on", "2021-01-10", "--summary", pasted)
    assert result.exit_code == 0, result.stderr
    assert "    summary: |-\n      Survei\n      lokasi\n" in signed.read_text()
    evaluated = run(
        "evaluate", "pks-jalan", "--on", "2021-07-15", "--summary", pasted,
        "--recommendation", "lanjutkan",
    )  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.stderr
    assert signed.read_text().count("      Survei\n      lokasi\n") == 2
