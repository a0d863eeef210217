"""Interactive `add` (issue 16): answers checked as they are typed (date order, parent ids, a
picker for ambiguous regions), and kept when the record is refused, for `add --resume`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, record_text, write_record
from tests.tree import snapshot


@pytest.fixture(autouse=True)
def interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERJASAMA_INTERACTIVE", "1")


def _input(*answers: str) -> str:
    return "\n".join(answers) + "\n"


def test_an_ambiguous_region_is_chosen_from_its_candidates(registry: Path, run: Run) -> None:
    answers = _input("kb", "Jalan", "Bekasi", "2", "Kaur", "", "", "sosial", "", "", "", "y")
    result = run("add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/kb-kota-bekasi-kaur.yaml\n"
    assert "'Bekasi' could be:\n    1) Kabupaten Bekasi (32.16)\n    2) Kota Bekasi (32.75)\n" in (
        result.stderr
    )


def test_dates_are_checked_against_each_other_as_they_are_typed(registry: Path, run: Run) -> None:
    answers = _input(
        "kb", "Jalan", "Kaur", "", "Lahat", "", "", "sosial",
        "05/02/2024",  # the Indonesian order: asked again, with the hint
        "2024-02-05",  # signed on
        "",  # signed at
        "2024-01-01",  # starts before signing: asked again
        "2024-03-01",  # starts on
        "2024-02-20",  # ends before the start: asked again
        "2026-02-28",  # ends on
        "", "", "y",
    )  # fmt: skip
    result = run("add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert (
        "'05/02/2024' is not a date; write it YYYY-MM-DD (e.g. 2024-02-05); if it means day 5 "
        "of month 2 (the Indonesian order), write 2024-02-05" in result.stderr
    )
    assert "2024-01-01 is before signed_on 2024-02-05; expected 2024-02-05 or later" in (
        result.stderr
    )
    assert "2024-02-20 is before starts_on 2024-03-01; expected 2024-03-01 or later" in (
        result.stderr
    )
    text = (registry / "agreements" / "2024" / "kb-2024-02-05-kaur-lahat.yaml").read_text()
    assert "starts_on: 2024-03-01\nends_on: 2026-02-28\n" in text


def test_the_parent_is_checked_as_it_is_typed(registry: Path, run: Run) -> None:
    write_record(registry, record_text("kb-induk"), "kb-induk")
    write_record(registry, record_text("pks-lain", document="perjanjian_kerja_sama"), "pks-lain")
    answers = _input(
        "pks", "Jalan", "Kaur", "", "Lahat", "", "", "sosial", "", "",
        "kb-indukk",  # no such id: asked again, with the closest
        "pks-lain",  # not a KB: asked again
        "kb-induk", "", "y",
    )  # fmt: skip
    result = run("add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "no record has id 'kb-indukk'; did you mean kb-induk?" in result.stderr
    assert (
        "pks-lain is a perjanjian_kerja_sama; expected a kesepakatan_bersama or nota_kesepakatan"
        in result.stderr
    )
    text = (registry / "agreements" / "draf" / "pks-kaur-lahat.yaml").read_text()
    assert "parent: kb-induk\n" in text


def test_a_refused_record_keeps_the_answers_for_resume(registry: Path, run: Run) -> None:
    answers = _input("Jalan", "Kaur", "", "Lahat", "", "", "sosial", "", "", "", "")
    before = snapshot(registry)
    refused = run("add", "--document", "pks", "--parent", "kb-tidak-ada", input=answers)
    assert refused.exit_code == 1
    assert "error KS402 parent (--parent): parent names 'kb-tidak-ada'" in refused.stderr
    assert "kerjasama add --resume starts from them (asking again for parent)\n" in (refused.stderr)
    assert snapshot(registry) == before
    # Only the refused answer is asked again: the parent (none this time), then the record.
    resumed = run("add", "--resume", input=_input("", "y"))
    assert resumed.exit_code == 0, resumed.stderr
    assert resumed.stdout == "data/agreements/draf/pks-kaur-lahat.yaml\n"
    assert "Title" not in resumed.stderr
    text = (registry / "agreements" / "draf" / "pks-kaur-lahat.yaml").read_text()
    assert "title: Jalan\n" in text
    # Written: the answers are forgotten.
    again = run("add", "--resume", input=_input("y"))
    assert again.exit_code == 2
    assert again.stderr.startswith("error: no answers are kept for this data folder")


def test_a_duplicate_refused_at_the_end_can_be_resumed_with_allow_duplicate(
    registry: Path, run: Run
) -> None:
    write_record(registry, record_text("kb-kaur-lahat", title="Jalan", parties=(
        'region: "17.04"', 'region: "16.04"')), "kb-kaur-lahat")  # fmt: skip
    answers = _input("kb", "Jalan", "Kaur", "", "Lahat", "", "", "sosial", "", "", "")
    refused = run("add", input=answers)
    assert refused.exit_code == 1
    assert "the registry already has this agreement: kb-kaur-lahat" in refused.stderr
    assert (
        "kerjasama add --resume asks again for document, parties, title, and kerjasama add "
        "--resume --allow-duplicate writes it as it is\n" in refused.stderr
    )
    resumed = run("add", "--resume", "--allow-duplicate", input=_input("y"))
    assert resumed.exit_code == 0, resumed.stderr
    assert resumed.stdout == "data/agreements/draf/kb-kaur-lahat-2.yaml\n"


def test_a_duplicate_resumed_asks_again_for_what_made_it_one(registry: Path, run: Run) -> None:
    """cli.md: `add --resume` starts again from the kept answers; after a duplicate it used to
    be refused again at once, every time (found by the contract audit)."""
    write_record(registry, record_text("kb-kaur-lahat", title="Jalan", parties=(
        'region: "17.04"', 'region: "16.04"')), "kb-kaur-lahat")  # fmt: skip
    answers = _input("kb", "Jalan", "Kaur", "", "Lahat", "", "", "sosial", "", "", "")
    assert run("add", input=answers).exit_code == 1
    # Asked again: the document, the title (another one now), the parties; then written.
    again = _input("kb", "Jalan Tembus", "Kaur", "", "Lahat", "", "", "y")
    resumed = run("add", "--resume", input=again)
    assert resumed.exit_code == 0, resumed.stderr
    assert "Title (what the agreement is about)" in resumed.stderr
    assert "Party 1" in resumed.stderr and "Sector" not in resumed.stderr  # sectors were kept
    written = registry / "agreements" / "draf" / "kb-kaur-lahat-2.yaml"
    assert resumed.stdout == "data/agreements/draf/kb-kaur-lahat-2.yaml\n"
    assert "title: Jalan Tembus\n" in written.read_text(encoding="utf-8")


def test_resume_without_kept_answers_is_a_usage_error(registry: Path, run: Run) -> None:
    result = run("add", "--resume")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no answers are kept for this data folder; --resume continues an interactive "
        "add that was refused or stopped\n"
    )


@pytest.mark.parametrize("written", ["5 Februari 2024", "5 Feb 2024", "Senin, 5 Februari 2024"])
def test_a_date_written_with_the_month_s_name_is_taken(
    written: str, registry: Path, run: Run
) -> None:
    answers = _input(
        "kb", "Jalan", "Kaur", "", "Lahat", "", "", "sosial", written, "", "", "", "", "", "y"
    )
    result = run("add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "read as 2024-02-05" in result.stderr
    assert result.stdout == "data/agreements/2024/kb-2024-02-05-kaur-lahat.yaml\n"


def test_a_named_date_that_is_no_date_is_asked_again(registry: Path, run: Run) -> None:
    answers = _input(
        "kb", "Jalan", "Kaur", "", "Lahat", "", "", "sosial",
        "31 Februari 2024",  # no such day: asked again
        "2024-02-05", "", "", "", "", "", "y",
    )  # fmt: skip
    result = run("add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "'31 Februari 2024' is not a date" in result.stderr
    assert "read as" not in result.stderr


def test_findings_name_no_flag_for_what_was_typed_at_a_prompt(registry: Path, run: Run) -> None:
    """Interactively, a finding named a flag the user never typed ("signed_on (--signed-on)");
    a value given as a flag is still named by its flag."""
    answers = _input(
        "Jalan", "Kaur", "", "Lahat", "", "", "sosial",
        "2024-02-05", "", "", "2026-02-04", "", "", "y",
    )  # fmt: skip
    result = run("add", "--document", "kb", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "warning KS904 signed_on: signed record with no sources" in result.stderr
    assert "(--signed-on)" not in result.stderr


def test_the_last_question_offers_the_letters_of_the_language_in_force(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = ("kb", "Jalan", "Kaur", "", "Lahat", "", "", "sosial", "", "", "")
    english = run("add", input=_input(*answers, "x", "n"))
    assert "Write data/agreements/draf/kb-kaur-lahat.yaml? [y/n] (y): " in english.stderr
    assert "Please enter Y or N" in english.stderr
    assert english.exit_code == 1
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    before = snapshot(registry)
    # "t" is tidak; an unknown answer is asked again with the letters of the language
    indonesian = run("add", input=_input(*answers, "x", "t"))
    assert indonesian.exit_code == 1, indonesian.stderr  # declined: nothing written
    assert "Tulis data/agreements/draf/kb-kaur-lahat.yaml? [y/t] (y): " in indonesian.stderr
    assert "Ketik y (ya) atau t (tidak)" in indonesian.stderr
    assert "[y/n]" not in indonesian.stderr
    assert snapshot(registry) == before
