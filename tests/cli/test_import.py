"""`kerjasama import`: CSV/XLSX rows checked first, then written all or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

from kerjasama_cli.registry import load_registry
from tests.conftest import BUNDLED, EXAMPLES, Run

HEADER = "id,title,document,party_1,party_2,sectors,signed_on,ends_on,source_1_title"
GOOD = "kb-baik,Kerja sama baik,kb,Muara Enim,Lahat,pendidikan,2024-03-01,2026-02-28,Berita"


def _sheet(tmp_path: Path, *lines: str, name: str = "new.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _written(registry: Path) -> list[str]:
    return sorted(p.relative_to(registry).as_posix() for p in registry.rglob("*.yaml"))


def _full_registry(tmp_path: Path) -> Path:
    """The bundled registry plus the valid examples, which use every key of the format, each
    in the folder its signed_on asks for (a signed one under draf/ is invalid, KS211, and
    export would leave it out)."""
    source = tmp_path / "source"
    shutil.copytree(BUNDLED, source)
    for example in sorted((EXAMPLES / "valid").glob("*.yaml")):
        signed = re.search(r"^signed_on: (\d{4})-", example.read_text(encoding="utf-8-sig"), re.M)
        folder = source / "agreements" / (signed[1] if signed else "draf")
        folder.mkdir(exist_ok=True)
        shutil.copyfile(example, folder / example.name)
    assert run_validate_clean(source)
    return source


def run_validate_clean(source: Path) -> bool:
    """Whether every file of ``source`` is a valid record (none left out of an export)."""
    registry = load_registry(source)
    return len(registry.records) == len(list((source / "agreements").rglob("*.yaml")))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_registry_reproduces_the_records(
    run: Run, registry: Path, tmp_path: Path, suffix: str
) -> None:
    source = _full_registry(tmp_path)
    sheet = tmp_path / f"all.{suffix}"
    assert run("export", "-o", str(sheet), data_dir=source).exit_code == 0
    result = run("import", str(sheet))
    assert result.exit_code == 0, result.stderr
    count = len(load_registry(source).records)
    assert result.stderr == f"imported {count} agreements from {sheet.name}\n"
    original = {r.id: r for r in load_registry(source).records}
    imported = {r.id: r for r in load_registry(registry).records}
    assert imported == original
    assert run("validate").exit_code == 0


def test_a_bad_row_writes_nothing_and_each_problem_names_row_and_column(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        HEADER,
        GOOD,
        "kb-region,Wilayah salah,kb,Muara Enimm,Lahat,pendidikan,2024-03-01,2026-02-28,Berita",
        "kb-date,Tanggal salah,kb,Muara Enim,Kaur,pendidikan,2024-02-30,2026-02-28,Berita",
        "kb-title,,kb,Muara Enim,Kaur,pendidikan,2024-03-01,2026-02-28,Berita",
    )
    result = run("import", str(sheet))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "new.csv: row 3, column D (party_1): error KS201 unknown region 'Muara Enimm'; "
        "did you mean 'Muara Enim' (16.03)?\n"
        "new.csv: row 4, column G (signed_on): error KS301 '2024-02-30' is not a real calendar "
        "date (February 2024 has 29 days); expected YYYY-MM-DD\n"
        "new.csv: row 5, column B (title): error KS200 title is empty; it is required\n"
        "error: 3 errors in 3 rows of new.csv; nothing was written\n"
    )
    assert _written(registry) == []


def test_duplicate_ids_within_the_sheet_and_against_the_registry_are_errors(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    first = _sheet(tmp_path, HEADER, GOOD, name="first.csv")
    assert run("import", str(first)).exit_code == 0
    again = GOOD.replace("Lahat", "Kaur")
    twice = "kb-dua,Dua,kb,Muara Enim,Kaur,pendidikan,,,"
    sheet = _sheet(tmp_path, HEADER, again, twice, twice)
    result = run("import", str(sheet))
    assert result.exit_code == 1
    never = (
        "; a record is never overwritten: if the row is that agreement (a sheet exported from "
        "this registry), leave the row out or change the record with kerjasama set; if it is "
        "another agreement, choose another id or leave it empty to generate one"
    )
    assert result.stderr.splitlines()[:2] == [
        "new.csv: row 2, column A (id): error KS401 id 'kb-baik' is already used by "
        "data/agreements/2024/kb-baik.yaml" + never,
        "new.csv: row 4, column A (id): error KS401 id 'kb-dua' is also the id of row 3; "
        "choose another id, or leave it empty to generate one",
    ]
    assert _written(registry) == ["agreements/2024/kb-baik.yaml"]


def test_dry_run_shows_what_would_be_written_and_writes_nothing(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, HEADER, GOOD, "kb-draf,Draf,kb,Seruyan,Kotim,kependudukan,,,")
    result = run("import", str(sheet), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == (
        "row\tid\tfile\n"
        "2\tkb-baik\tdata/agreements/2024/kb-baik.yaml\n"
        "3\tkb-draf\tdata/agreements/draf/kb-draf.yaml\n"
    )
    assert result.stderr == "dry run: would write 2 agreements from new.csv; nothing was written\n"
    assert _written(registry) == []


def test_region_names_are_resolved_through_the_gazetteer(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "id,title,document,party_1,party_2,party_3,party_3_kind,sectors",
        "kb-nama,Nama daerah,kb,Pemkab Muara Enim,Kotim,Bekasi,kota,pendidikan",
    )
    assert run("import", str(sheet)).exit_code == 0
    (record,) = load_registry(registry).records
    assert record.region_codes == ["16.03", "62.02", "32.75"]


def test_a_row_may_name_another_row_as_its_parent(run: Run, registry: Path, tmp_path: Path) -> None:
    sheet = _sheet(
        tmp_path,
        "id,title,document,parent,party_1,party_2,sectors",
        "pks-anak,Anak,pks,kb-induk,Seruyan,Kotim,pendidikan",
        "kb-induk,Induk,kb,,Seruyan,Kotim,pendidikan",
        "pks-yatim,Yatim,pks,kb-tidak-ada,Seruyan,Kotim,pendidikan",
    )
    result = run("import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "new.csv: row 4, column D (parent): error KS402 parent names 'kb-tidak-ada', "
        "which is neither in the registry nor in this sheet"
    )


def test_unknown_and_missing_columns_are_reported_on_the_header_row(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, "titel,document,party_1,party_2,sectors", "X,kb,Kaur,Lahat,sosial")
    result = run("import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr == (
        "new.csv: row 1: error KS200 no title column; every agreement needs one\n"
        "new.csv: row 1, column A (titel): error KS205 unknown column 'titel'; "
        "did you mean 'title'?\n"
        "error: 2 errors in 1 row of new.csv; nothing was written\n"
    )


def test_semicolon_csv_from_excel_with_bom_is_read(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    text = "Title;Document;Party 1;Party 2;Sectors\r\nKerja sama;KB;Kaur;Lahat;sosial, 1.01\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run("import", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].split("\t")[0] == "2"


def test_hand_made_sheet_may_list_parties_in_one_column(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path, "id,title,document,parties,sectors", 'kb-satu,Satu,kb,"Kaur; Muara Enim",sosial'
    )
    assert run("import", str(sheet)).exit_code == 0
    assert load_registry(registry).records[0].region_codes == ["17.04", "16.03"]


def test_computed_parties_column_that_disagrees_with_the_party_columns_is_an_error(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "id,title,document,parties,party_1,party_2,sectors",
        'kb-satu,Satu,kb,"Kab. Kaur\nKab. Lahat",Kaur,Muara Enim,sosial',
    )
    result = run("import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "new.csv: row 2, column D (parties): error KS201 parties does not match party_1, "
        "party_2; parties is computed on export: change the party columns, or clear it"
    )


def test_xlsx_rows_with_date_cells_and_a_code_read_as_a_number(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "title", "document", "party_1_code", "party_2", "sectors", "signed_on"])
    sheet.append(["kb-a", "A", "kb", "16.03", "Lahat", "sosial", dt.datetime(2024, 3, 1)])
    sheet.append(["kb-b", "B", "kb", 16.1, "Lahat", "sosial", dt.datetime(2024, 3, 1)])
    path = tmp_path / "new.xlsx"
    book.save(path)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert (
        "new.xlsx: row 3, column D (party_1_code): error KS206 expected a region code as text; "
        "found the number 16.1 (the spreadsheet read the code as a number and may have dropped "
        "a zero: format the column as Text and write it again, e.g. 16.10)"
    ) in result.stderr.splitlines()
    sheet["D3"] = "16.10"
    book.save(path)
    assert run("import", str(path)).exit_code == 0
    signed = {r.id: r.signed_on for r in load_registry(registry).records}
    assert signed == {"kb-a": dt.date(2024, 3, 1), "kb-b": dt.date(2024, 3, 1)}


def test_import_xlsx_without_openpyxl_is_a_usage_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.xlsx"
    path.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "pip install 'kerjasama[xlsx]'" in result.stderr


def test_csv_in_the_windows_code_page_is_read(run: Run, registry: Path, tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    row = GOOD.replace("Kerja sama baik", "Kerja sama caf\xe9 \u2013 uji")
    path.write_bytes(f"{HEADER}\n{row}\n".encode("cp1252"))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    [record] = load_registry(registry).records
    assert record.title == "Kerja sama caf\xe9 \u2013 uji"


def test_csv_that_is_neither_utf8_nor_the_windows_code_page_is_refused_with_the_excel_remedy(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = tmp_path / "binary.csv"
    row = GOOD.replace("baik", "caf\xe9")
    path.write_bytes(f"{HEADER}\n{row}\n".encode("cp1252") + b"\x81\x8d")  # undefined in cp1252
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "is not UTF-8 text" in result.stderr
    assert "'CSV UTF-8 (Comma delimited)'" in result.stderr


def test_a_failed_write_removes_what_was_written(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.storage import canonical

    real = canonical.create_exclusive
    calls: list[Path] = []

    def failing(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(canonical, "create_exclusive", failing)
    sheet = _sheet(tmp_path, HEADER, GOOD, GOOD.replace("kb-baik", "kb-lain"))
    result = run("import", str(sheet))
    assert result.exit_code == 2  # the file system refused, as for every writer (README)
    assert result.stderr == (
        "error: could not write data/agreements/2024/kb-lain.yaml (no space left on device); "
        "removed the 1 file(s) written before it: nothing was imported\n"
    )
    assert _written(registry) == []


def test_generated_ids_follow_add_with_suffixes_after_the_registry_and_the_sheet(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    taken = "kb-2024-02-05-jawa-barat-bengkulu-tengah"
    first = _sheet(
        tmp_path,
        "id,title,document,party_1,party_2,sectors,signed_on",
        f"{taken},Ada,kb,Jawa Barat,Bengkulu Tengah,sosial,2024-02-05",
        name="first.csv",
    )
    assert run("import", str(first)).exit_code == 0
    sheet = _sheet(
        tmp_path,
        "id,title,document,party_1,party_2,sectors,signed_on",
        ",Kerja sama,kb,Jawa Barat,Bengkulu Tengah,sosial,2024-02-05",
        ",Kerja sama lagi,kb,Jawa Barat,Bengkulu Tengah,sosial,2024-02-05",
        f"{taken}-3,Dengan id,kb,Jawa Barat,Bengkulu Tengah,sosial,2024-02-05",
    )
    result = run("import", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\t"))
    assert [r[1] for r in rows[1:]] == [
        f"{taken}-2 (generated)",
        f"{taken}-4 (generated)",
        f"{taken}-3",
    ]


def test_an_interrupted_import_removes_what_was_written(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.storage import canonical

    real = canonical.create_exclusive
    calls: list[Path] = []

    def interrupted(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(path, text)

    monkeypatch.setattr(canonical, "create_exclusive", interrupted)
    sheet = _sheet(tmp_path, HEADER, GOOD, GOOD.replace("kb-baik", "kb-lain"))
    result = run("import", str(sheet))
    assert result.exit_code != 0
    assert len(calls) == 2
    assert _written(registry) == []
    assert not (registry / "agreements" / "2024").exists()


def test_evaluation_columns_appear_only_when_a_record_has_an_evaluation(
    run: Run, tmp_path: Path
) -> None:
    """An export of records without evaluations keeps the header it had before evaluations
    were columns; one with them gets evaluation_N_on, _summary, _recommendation, _score."""
    plain = run("export", "--format", "csv", data_dir=BUNDLED).stdout.splitlines()[0]
    assert "evaluation_" not in plain
    assert plain.endswith("activity_1_on,activity_1_summary,activity_1_evidence")
    source = _full_registry(tmp_path)
    header = run("export", "--format", "csv", data_dir=source).stdout.splitlines()[0]
    assert header.endswith(
        "activity_1_evidence,evaluation_1_on,evaluation_1_summary,evaluation_1_recommendation,"
        "evaluation_1_score,evaluation_2_on,evaluation_2_summary,evaluation_2_recommendation,"
        "evaluation_2_score"
    )


@pytest.mark.parametrize("score", ["lima", "0", "6"])
def test_an_evaluation_score_that_is_not_1_to_5_is_a_problem_of_its_cell(
    run: Run, registry: Path, tmp_path: Path, score: str
) -> None:
    sheet = _sheet(
        tmp_path,
        HEADER + ",evaluation_1_on,evaluation_1_summary,evaluation_1_recommendation,"
        "evaluation_1_score",
        GOOD + f",2025-03-01,Evaluasi,lanjutkan,{score}",
    )
    result = run("import", str(sheet))
    assert result.exit_code == 1
    assert "column M (evaluation_1_score)" in result.stderr, result.stderr
    assert list(registry.rglob("*.yaml")) == []


def test_an_evaluation_in_a_sheet_is_imported(run: Run, registry: Path, tmp_path: Path) -> None:
    sheet = _sheet(
        tmp_path,
        HEADER + ",evaluation_1_on,evaluation_1_summary,evaluation_1_recommendation,"
        "evaluation_1_score",
        GOOD + ",2025-03-01,Evaluasi tahun pertama,perpanjang,5",
    )
    assert run("import", str(sheet)).exit_code == 0
    [record] = load_registry(registry).records
    [evaluation] = record.evaluations or []
    assert (evaluation.on, evaluation.summary, evaluation.recommendation, evaluation.score) == (
        dt.date(2025, 3, 1),
        "Evaluasi tahun pertama",
        "perpanjang",
        5,
    )
