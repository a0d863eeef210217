"""`kerjasama set`, `sign`, `end` and `evaluate`: changes checked against the registry, written
in place keeping comments, files moved to the folder signed_on asks for, refusals that write
nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, record_text, write_record
from tests.tree import snapshot

DRAFT = """\
# Jalan tembus Padang Guci - Muara Enim
id: kb-jalan
title: Pembangunan jalan tembus  # working title
document: kesepakatan_bersama
parties:
  - region: "17.04"  # Kabupaten Kaur
  - region: "16.03"  # Kabupaten Muara Enim
sectors: [pekerjaan_umum]
"""

SIGNED = """\
id: pks-jalan
title: Jalan
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
def draft(registry: Path) -> Path:
    return write_record(registry, DRAFT, "kb-jalan")


@pytest.fixture
def signed(registry: Path) -> Path:
    return write_record(registry, SIGNED, "pks-jalan")


def test_sign_moves_a_draft_to_its_year_keeping_comments(
    draft: Path, registry: Path, run: Run
) -> None:
    result = run(
        "sign", "kb-jalan", "--on", "2024-02-29", "--years", "5",
        "--number", "Kaur=180/12/2024", "--number", "2=120/45", "--at", "Bintuhan",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2024/kb-jalan.yaml\n"
    assert result.stderr == (
        "signed data/agreements/2024/kb-jalan.yaml "
        "(moved from data/agreements/draf/kb-jalan.yaml)\n"
    )
    assert not draft.exists()
    moved = registry / "agreements" / "2024" / "kb-jalan.yaml"
    assert moved.read_text() == DRAFT.replace(
        '"17.04"  # Kabupaten Kaur\n', '"17.04"  # Kabupaten Kaur\n    number: 180/12/2024\n'
    ).replace(
        '"16.03"  # Kabupaten Muara Enim\n',
        '"16.03"  # Kabupaten Muara Enim\n    number: 120/45\n',
    ) + (
        # five years from 29 February: the anniversary is 28 February, the term ends a day before
        "signed_on: 2024-02-29\nsigned_at: Bintuhan\nends_on: 2029-02-27\n"
    )
    assert run("validate").exit_code == 0


def test_sign_with_ends_on(draft: Path, registry: Path, run: Run) -> None:
    result = run("sign", "kb-jalan", "--on", "2024-02-05", "--ends-on", "2026-02-04")
    assert result.exit_code == 0, result.stderr
    text = (registry / "agreements" / "2024" / "kb-jalan.yaml").read_text()
    assert text.endswith("signed_on: 2024-02-05\nends_on: 2026-02-04\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--on", "05/02/2024"), "--on: expected a date YYYY-MM-DD, got '05/02/2024'; if it "
         "means day 5 of month 2 (the Indonesian order), write 2024-02-05"),
        (("--on", "2024-02-05", "--years", "abc"),
         "--years: expected a whole number of years (1, 2, 5), got 'abc'"),
        (("--on", "2024-02-05", "--years", "2", "--ends-on", "2026-02-04"),
         "--ends-on and --years say the same thing; give one of them"),
        (("--on", "2024-02-05", "--number", "Lahat=1"), "--number: no party is 'Lahat'; "
         "expected a position or a party: 1 (Kab. Kaur), 2 (Kab. Muara Enim)"),
        (("--on", "2024-02-05", "--number", "3=1"),
         "--number: there is no party 3; the record has 2 parties"),
        (("--on", "2024-02-05", "--number", "12/2024"),
         "--number: expected PARTY=NUMBER"),
    ],
)  # fmt: skip
def test_sign_usage_errors_write_nothing(
    draft: Path, registry: Path, run: Run, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(registry)
    result = run("sign", "kb-jalan", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert "Traceback" not in result.stderr
    assert snapshot(registry) == before


def test_sign_refuses_a_signed_record(signed: Path, registry: Path, run: Run) -> None:
    before = snapshot(registry)
    result = run("sign", "pks-jalan", "--on", "2021-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: data/agreements/2020/pks-jalan.yaml is already signed (signed_on 2020-07-15); "
        "expected a draft (to correct the date: kerjasama set pks-jalan signed_on=DATE); "
        "nothing was written\n"
    )
    assert snapshot(registry) == before


def test_sign_refuses_ends_on_before_signing(draft: Path, registry: Path, run: Run) -> None:
    before = snapshot(registry)
    result = run("sign", "kb-jalan", "--on", "2024-02-05", "--ends-on", "2023-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "error KS302 ends_on: ends_on 2023-01-01 is before signed_on 2024-02-05; expected a "
        "later end date\n"
        "error: data/agreements/draf/kb-jalan.yaml would not be a valid record (1 error); "
        "nothing was written\n"
    )
    assert snapshot(registry) == before


def test_set_changes_keys_in_place_keeping_comments(signed: Path, run: Run) -> None:
    result = run(
        "set", "pks-jalan", "stage=pelaksanaan", "parties[2].number=\"16.03\"",
        "parties[1].signatory.name=Gusril Pausi", "parties[1].signatory.position=Bupati Kaur",
        "sectors=[pekerjaan umum, pendidikan]", "notes=Dicatat",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2020/pks-jalan.yaml\n"
    assert signed.read_text() == (
        SIGNED.replace(
            '"17.04"  # Kabupaten Kaur\n',
            '"17.04"  # Kabupaten Kaur\n'
            "    signatory: {name: Gusril Pausi, position: Bupati Kaur}\n",
        )
        .replace('"16.03"  # Kabupaten Muara Enim\n', '"16.03"  # Kabupaten Muara Enim\n'
                 "    number: '16.03'\n")
        .replace("[pekerjaan_umum]\n", "[pekerjaan_umum, pendidikan]\nstage: pelaksanaan\n")
        + "notes: Dicatat\n"
    )  # fmt: skip


def test_set_with_nothing_after_the_key_removes_it(signed: Path, run: Run) -> None:
    assert run("set", "pks-jalan", "ends_on=").exit_code == 0
    assert "ends_on" not in signed.read_text()


@pytest.mark.parametrize("value", ["#N/A", "null", "~", " # a comment"])
def test_set_to_what_yaml_reads_as_no_value_is_refused_not_an_erased_key(
    signed: Path, registry: Path, run: Run, value: str
) -> None:
    """`notes=#N/A` read as YAML is a comment: it wrote `notes:` with nothing, erasing the
    notes and saying "changed". A key is removed only by `KEY=`."""
    assert run("set", "pks-jalan", "notes=Dicatat").exit_code == 0
    before = snapshot(registry)
    result = run("set", "pks-jalan", f"notes={value}")
    assert result.exit_code == 2
    assert "reads as no value" in result.stderr
    assert "to remove the key write notes=" in result.stderr
    assert snapshot(registry) == before
    assert run("set", "pks-jalan", 'notes="#N/A"').exit_code == 0
    assert "#N/A" in signed.read_text()


@pytest.mark.parametrize(
    ("value", "dropped"),
    [
        ("Rapat #2: disepakati", "#2: disepakati"),
        ("Kerja Sama #1", "#1"),
        ("[pendidikan, kesehatan] # dua bidang", "# dua bidang"),
        ("2029-02-04\t# lima tahun", "# lima tahun"),
        # inside a list or mapping, on one line or several, and after a block's "|"
        ("[pendidikan, # komentar\n kesehatan]", "# komentar"),
        ('{name: "Bey", # Pj.\n position: Gubernur}', "# Pj."),
        ("\n  name: Bey Triadi # Pj.\n  position: Gubernur", "# Pj."),
        ("| # komentar\n  teks", "# komentar"),
        # where YAML starts a comment with no space before it, or ends the document
        ("[pendidikan,#kesehatan\n]", "#kesehatan"),
        ('"Rapat"#2 disepakati', "#2 disepakati"),
        ("|#catatan\n  Rapat kedua", "#catatan"),
        ("Rapat\u2028#2 disepakati", "#2 disepakati"),
        ("Rapat pertama\n...", "..."),
    ],
)
def test_set_never_writes_a_value_cut_at_a_comment(
    signed: Path, registry: Path, run: Run, value: str, dropped: str
) -> None:
    """`notes=Rapat #2: disepakati` wrote `notes: Rapat` and said "changed": ' #' starts a
    YAML comment. It is refused, saying what would be lost and how to quote it."""
    assert run("set", "pks-jalan", "notes=Dicatat").exit_code == 0
    before = snapshot(registry)
    result = run("set", "pks-jalan", f"notes={value}")
    assert result.exit_code == 2
    assert f"would be written without {dropped!r}" in result.stderr
    assert snapshot(registry) == before
    quoted = 'notes="Rapat #2: disepakati"'
    if value.startswith(("[", "{", "\n", "|")):  # quoting it whole would make other text
        assert "leave the comment out, or put the '#' inside quoted text" in result.stderr
        assert "quote the whole text" not in result.stderr
    if value == "Rapat #2: disepakati":
        assert f"quote the whole text, '{quoted}', or leave the comment out" in result.stderr
        assert run("set", "pks-jalan", quoted).exit_code == 0
        assert "notes: 'Rapat #2: disepakati'" in signed.read_text()


def test_set_keeps_a_hash_that_starts_no_comment(signed: Path, run: Run) -> None:
    assert run("set", "pks-jalan", "notes=No.#12/2024", "title=Jalan C#").exit_code == 0
    text = signed.read_text()
    assert "notes: No.#12/2024\n" in text and "title: Jalan C#\n" in text
    block = "|\n  baris satu # bukan komentar\n  https://x.go.id/a#b"
    assert run("set", "pks-jalan", f"notes={block}", "scope=['a #1', b]").exit_code == 0
    text = signed.read_text()
    assert "baris satu # bukan komentar" in text and "https://x.go.id/a#b" in text
    assert "'a #1'" in text


def test_a_date_with_a_comment_is_not_advised_to_be_quoted_whole(signed: Path, run: Run) -> None:
    result = run("set", "pks-jalan", "ends_on=2029-01-01 #lima tahun")
    assert result.exit_code == 2
    assert "leave the comment out" in result.stderr
    assert "quote the whole text" not in result.stderr


def test_set_signed_on_of_another_year_moves_the_file(
    signed: Path, registry: Path, run: Run
) -> None:
    result = run("set", "pks-jalan", "signed_on=2021-01-04")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2021/pks-jalan.yaml\n"
    assert not signed.exists()
    assert run("validate").exit_code == 0


def test_removing_signed_on_moves_the_record_back_to_draf(
    signed: Path, registry: Path, run: Run
) -> None:
    result = run("set", "pks-jalan", "signed_on=", "ends_on=")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/pks-jalan.yaml\n"


@pytest.mark.parametrize(
    ("assignment", "code", "message"),
    [
        ("ends_on=2019-01-01", 1, "error KS302 ends_on: ends_on 2019-01-01 is before signed_on "
         "2020-07-15; expected a later end date"),
        ("stage=selesai", 1, "error KS207 stage: "),
        ("remarks=x", 1, "error KS205 remarks: "),
        ("parties[1].region=Atlantis", 1, "error KS201 parties[1].region: "),  # as set counts
        ("parties[3].number=1", 2, "error: parties[3].number: there is no parties[3]; parties "
         "has 2 items (positions start at 1)"),
        ("parties[0].number=1", 2, "error: parties[0].number: positions start at 1"),
        ("ends_on", 2, "error: 'ends_on': expected KEY=VALUE"),
        ("id=pks-baru", 2, "error: id: the id of a record never changes"),
        ("notes=a: b", 2, "error: notes: 'a: b' is not one YAML value"),
        ("Parties.x=1", 2, "error: 'Parties.x' is not a key path"),
    ],
)  # fmt: skip
def test_set_refusals_write_nothing(
    signed: Path, registry: Path, run: Run, assignment: str, code: int, message: str
) -> None:
    before = snapshot(registry)
    result = run("set", "pks-jalan", assignment)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith(message), result.stderr
    if code == 1:
        assert result.stderr.endswith(
            "error: data/agreements/2020/pks-jalan.yaml would not be a valid record (1 error); "
            "nothing was written\n"
        )
    assert "Traceback" not in result.stderr
    assert snapshot(registry) == before


def test_unknown_id_exits_2_with_close_ids(signed: Path, run: Run) -> None:
    result = run("set", "pks-jalann", "stage=pelaksanaan")
    assert result.exit_code == 2
    assert result.stderr == "error: no record has id 'pks-jalann'; did you mean pks-jalan?\n"


def test_set_checks_the_records_that_name_it_as_parent(registry: Path, run: Run) -> None:
    write_record(registry, record_text("kb-induk"), "kb-induk")
    child = record_text(
        "pks-anak", document="perjanjian_kerja_sama", before_parties={"parent": "kb-induk"}
    )
    write_record(registry, child, "pks-anak")
    before = snapshot(registry)
    result = run("set", "kb-induk", "document=perjanjian_kerja_sama")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error KS403 document: data/agreements/draf/pks-anak.yaml names this record as its "
        "parent, and a parent must be a kesepakatan_bersama or nota_kesepakatan"
    )
    assert snapshot(registry) == before


def test_set_refuses_a_reference_to_an_unknown_id(signed: Path, registry: Path, run: Run) -> None:
    result = run("set", "pks-jalan", "related=[kb-tidak-ada]")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error KS402 related[1]: related[1] names 'kb-tidak-ada', which is not in the registry"
    )


def test_a_record_in_the_wrong_folder_is_moved_by_any_change(registry: Path, run: Run) -> None:
    misplaced = write_record(registry, SIGNED, "pks-jalan", "draf")
    assert run("validate").exit_code == 1
    result = run("set", "pks-jalan", "stage=pelaksanaan")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2020/pks-jalan.yaml\n"
    assert not misplaced.exists()
    assert run("validate").exit_code == 0


def test_a_file_already_in_the_target_folder_is_never_replaced(
    signed: Path, registry: Path, run: Run
) -> None:
    other = write_record(registry, "not a record of ours\n", "pks-jalan", "2021")
    other.rename(other.with_name("pks-jalan.yaml"))
    before = snapshot(registry)
    result = run("set", "pks-jalan", "signed_on=2021-01-04")
    assert result.exit_code == 1
    assert snapshot(registry) == before


def test_end_sets_ended(signed: Path, run: Run) -> None:
    result = run("end", "pks-jalan", "--on", "2023-05-01", "--reason", "tujuan_tercapai")
    assert result.exit_code == 0, result.stderr
    assert "ended: {on: 2023-05-01, reason: tujuan_tercapai}\n" in signed.read_text()
    again = run("end", "pks-jalan", "--on", "2023-05-02", "--reason", "dibatalkan")
    assert again.exit_code == 1
    assert "has already ended (ended.on 2023-05-01, reason tujuan_tercapai)" in again.stderr


@pytest.mark.parametrize(
    ("on", "said"),
    [
        # before signing: the record would break KS307
        ("2019-01-01", "error KS307 ended.on: ended.on 2019-01-01 is before signed_on 2020-07-15"),
        # after it expired by its term: nothing left to end early
        ("2030-01-01", "runs until 2025-07-14 (ends_on): it expires by itself then"),
    ],
)
def test_end_refuses_a_date_outside_the_agreements_term(
    signed: Path, registry: Path, run: Run, on: str, said: str
) -> None:
    before = snapshot(registry)
    result = run("end", "pks-jalan", "--on", on, "--reason", "kesepakatan_para_pihak")
    assert result.exit_code == 1
    assert said in result.stderr
    assert snapshot(registry) == before
    # the last day of the term is still a day to end it on
    assert run("end", "pks-jalan", "--on", "2025-07-14", "--reason", "dibatalkan").exit_code == 0


def test_a_cancelled_draft_is_not_signed(draft: Path, registry: Path, run: Run) -> None:
    assert run("end", "kb-jalan", "--on", "2024-01-10", "--reason", "dibatalkan").exit_code == 0
    before = snapshot(registry)
    result = run("sign", "kb-jalan", "--on", "2024-02-01", "--years", "5")
    assert result.exit_code == 1
    assert "has ended (ended.on 2024-01-10, reason dibatalkan); to sign it after all, first " in (
        result.stderr
    )
    assert "kerjasama set kb-jalan ended=" in result.stderr
    assert snapshot(registry) == before
    assert run("set", "kb-jalan", "ended=").exit_code == 0
    assert run("sign", "kb-jalan", "--on", "2024-02-01", "--years", "5").exit_code == 0


def test_end_names_the_reasons(signed: Path, registry: Path, run: Run) -> None:
    result = run("end", "pks-jalan", "--on", "2023-05-01", "--reason", "selesai")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --reason: unknown value 'selesai'")


def test_evaluate_appends_an_evaluation(signed: Path, run: Run) -> None:
    result = run(
        "evaluate", "pks-jalan", "--on", "2022-12-15", "--recommendation", "perpanjang",
        "--summary", "Jalan selesai 60%", "--score", "4",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "recorded the evaluation in data/agreements/2020/pks-jalan.yaml\n"
    assert signed.read_text() == SIGNED.replace(
        "# where we read about it\n",
        "evaluations:\n"
        "  - on: 2022-12-15\n"
        "    summary: Jalan selesai 60%\n"
        "    recommendation: perpanjang\n"
        "    score: 4\n"
        "# where we read about it\n",
    )
    twice = run(
        "evaluate", "pks-jalan", "--on", "2022-12-15", "--recommendation", "lanjutkan",
        "--summary", "Jalan selesai 60%",
    )  # fmt: skip
    assert twice.exit_code == 1
    assert "already lists this evaluation" in twice.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--on", "2019-01-01"), 1, "error KS306 evaluations[1].on: evaluation dated 2019-01-01 "
         "is before signed_on 2020-07-15"),
        (("--on", "2022-01-01", "--score", "6"), 2,
         "error: --score: expected a whole number from 1 to 5, got '6'"),
        (("--on", "2022-01-01", "--recommendation", "stop"), 2,
         "error: --recommendation: unknown value 'stop'"),
    ],
)  # fmt: skip
def test_evaluate_refusals(
    signed: Path, registry: Path, run: Run, args: tuple[str, ...], code: int, message: str
) -> None:
    before = snapshot(registry)
    defaults = {"--recommendation": "revisi", "--summary": "Baik"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    options = [x for k, v in {**defaults, **given}.items() for x in (k, v)]
    result = run("evaluate", "pks-jalan", *options)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert snapshot(registry) == before


def test_evaluate_refuses_a_draft(draft: Path, registry: Path, run: Run) -> None:
    result = run(
        "evaluate", "kb-jalan", "--on", "2022-01-01", "--recommendation", "revisi",
        "--summary", "Baik",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "error: data/agreements/draf/kb-jalan.yaml is not signed (no signed_on); expected a "
        "signed agreement: a draft has nothing to evaluate (KS306); nothing was written\n"
    )


def test_a_change_to_an_invalid_record_names_what_is_wrong(registry: Path, run: Run) -> None:
    broken = record_text("kb-x", parties=("region: Atlantis  # salah", "region: Kaur"))
    path = write_record(registry, broken, "kb-x")
    refused = run("set", "kb-x", "notes=Catatan")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error KS201 parties[1].region: unknown region 'Atlantis'")
    assert path.read_text() == broken
    fixed = run("set", "kb-x", "parties[1].region=Lahat")
    assert fixed.exit_code == 0, fixed.stderr
    assert run("validate").exit_code == 0


def test_show_lists_the_evaluations(signed: Path, run: Run) -> None:
    run(
        "evaluate", "pks-jalan", "--on", "2022-12-15", "--recommendation", "perpanjang",
        "--summary", "Jalan selesai 60%", "--score", "4",
    )  # fmt: skip
    shown = run("show", "pks-jalan")
    assert (
        "Evaluations\n15 December 2022  Extend the agreement, score 4/5\n                    Jalan selesai 60%\n"
        in (shown.stdout)
    )


def test_show_keeps_an_evaluations_and_an_activitys_lines_indented(signed: Path, run: Run) -> None:
    summary = "Baris pertama.\n" + "Baris kedua, panjang sehingga dilipat. " * 12
    run(
        "evaluate", "pks-jalan", "--on", "2022-12-15", "--recommendation", "perpanjang",
        "--summary", summary.strip(),
    )  # fmt: skip
    run(
        "activity", "pks-jalan", "--on", "2022-12-20", "--summary", "Rapat",
        "--evidence", "https://example.go.id/" + "laporan-kegiatan-" * 12,
    )  # fmt: skip
    shown = run("show", "pks-jalan").stdout
    evaluation = shown.split("Evaluations\n")[1].split("\n\n")[0].splitlines()
    activity = shown.split("Activities\n")[1].split("\n\n")[0].splitlines()
    assert evaluation[0] == "15 December 2022  Extend the agreement"
    assert activity[0] == "20 December 2022  Rapat"
    # every line of the summary, written or wrapped, and of the evidence, two columns in
    assert len(evaluation) > 3 and len(activity) > 2
    for line in evaluation[1:] + activity[1:]:
        assert line.startswith(" " * 20) and line[20] != " ", line


def test_a_party_name_that_fits_two_parties_is_asked_by_position(registry: Path, run: Run) -> None:
    text = record_text("kb-bekasi", parties=('region: "32.16"', 'region: "32.75"'))
    write_record(registry, text, "kb-bekasi")
    before = snapshot(registry)
    result = run("sign", "kb-bekasi", "--on", "2024-02-05", "--number", "Bekasi=1")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --number: 'Bekasi' could be party 1 (Kab. Bekasi), 2 (Kota Bekasi); give the "
        "party's position instead\n"
    )
    assert snapshot(registry) == before


def test_evaluate_moving_a_record_to_its_folder_says_where_from(registry: Path, run: Run) -> None:
    """A record directly in agreements/ goes to its year's folder with its evaluation, and
    the message says so, as set's and end's do (it moved without a word)."""
    write_record(registry, SIGNED, "pks-jalan", "")
    result = run(
        "evaluate", "pks-jalan", "--on", "2021-07-15", "--summary", "Baik",
        "--recommendation", "lanjutkan",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2020/pks-jalan.yaml\n"
    assert "(moved from data/agreements/pks-jalan.yaml)" in result.stderr


def test_set_says_each_keys_value_before_and_after(signed: Path, run: Run) -> None:
    """`set sectors=[...]` replaced the list with no word of what it held: each key's old and
    new value is said, a long one cut short."""
    run("set", "pks-jalan", "sectors=[pekerjaan_umum]")
    result = run(
        "set", "pks-jalan", "sectors=[pendidikan, kesehatan]", "notes=" + "panjang " * 20,
        "stage=pelaksanaan", "sectors=[pendidikan, kesehatan]",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()[1:]
    assert lines[0] == "  sectors: [pekerjaan_umum] → [pendidikan, kesehatan]"
    assert lines[1].startswith("  notes: (none) → panjang panjang")
    assert lines[1].endswith("…") and len(lines[1]) < 100
    assert lines[2] == "  stage: (none) → pelaksanaan"
    assert lines[3] == "  sectors: [pendidikan, kesehatan] (unchanged)"


def test_an_ending_after_the_agreement_expired_is_a_warning_when_set(
    signed: Path, run: Run
) -> None:
    """`end` refuses a date after ends_on; `set ended=...` gets round it, and the record is
    then told KS907 (the agreement had expired by then)."""
    result = run("set", "pks-jalan", "ended={on: 2026-01-01, reason: kesepakatan_para_pihak}")
    assert result.exit_code == 0
    assert (
        "warning KS907 ended.on: ended.on 2026-01-01 is after ends_on 2025-07-14" in result.stderr
    )


def test_a_yaml_error_in_a_value_points_into_the_value_as_typed(signed: Path, run: Run) -> None:
    """The value is parsed after `value: `: its columns were 7 too many ("column 8")."""
    result = run("set", "pks-jalan", "scope=[a, b")
    assert result.exit_code == 2
    assert "is the [ on line 1, column 1 closed" in result.stderr
