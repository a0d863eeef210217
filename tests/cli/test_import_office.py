"""`import` of an office's own sheet: its headers, --columns, --set, --skip-invalid, --review
and the --dry-run --format json plan (README, "Importing an office's own sheet")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from kerjasama_cli.registry import load_registry
from tests.conftest import Run

OFFICE_HEADER = (
    "No;Jenis Dokumen;Tentang;Pihak Pertama;Pihak Kedua;Tanggal Penandatanganan;"
    "Jangka Waktu;Tempat;Keterangan;Sumber"
)
GOOD_ROW = (
    "1;Kesepakatan Bersama (MoU);Pengembangan potensi daerah;Pemprov Jabar;"
    "Pemkab Bengkulu Tengah;Senin, 5 Februari 2024;5 (lima) tahun;Gedung Sate;"
    "ditandatangani Pj Gubernur;https://example.org/berita/1"
)
BAD_ROW = (
    "2;MoU;Pelayanan publik;Pemprov Jawa Barat;Kota makasar;Rabu, 9-5-2018;;;;"
    "https://example.org/berita/2"
)


def _sheet(tmp_path: Path, *lines: str, name: str = "daftar.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    text = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _plan(run: Run, *args: str) -> dict[str, object]:
    result = run("import", *args, "--dry-run", "--format", "json")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_an_office_sheet_imports_with_its_own_headers(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, OFFICE_HEADER, GOOD_ROW, bom=True)
    result = run("import", str(sheet), "--set", "sectors=pemerintahan_umum")
    assert result.exit_code == 0, result.stderr
    [record] = load_registry(registry).records
    assert record.document == "kesepakatan_bersama"
    assert record.title == "Pengembangan potensi daerah"
    assert record.region_codes == ["32", "17.09"]
    assert record.signed_on == dt.date(2024, 2, 5)
    assert record.ends_on == dt.date(2029, 2, 4)
    assert record.signed_at == "Gedung Sate"
    assert record.notes == "ditandatangani Pj Gubernur"
    assert [str(s.url) for s in record.sources or []] == ["https://example.org/berita/1"]
    assert record.sectors == ["pemerintahan_umum"]


def test_the_plan_has_the_contract_shape_with_inferred_and_suggestions(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, OFFICE_HEADER, GOOD_ROW, BAD_ROW)
    plan = _plan(run, str(sheet), "--set", "sectors=pemerintahan_umum")
    assert plan["file"] == "daftar.csv"
    assert (plan["rows"], plan["ready"], plan["needs_review"]) == (2, 1, 1)
    assert plan["columns"] == {
        "No": "ignore",
        "Jenis Dokumen": "document",
        "Tentang": "title",
        "Pihak Pertama": "parties",
        "Pihak Kedua": "parties",
        "Tanggal Penandatanganan": "signed_on",
        "Jangka Waktu": "duration",
        "Tempat": "signed_at",
        "Keterangan": "notes",
        "Sumber": "sources",
    }
    [record] = plan["records"]  # type: ignore[misc]
    assert record["row"] == 2
    assert record["id"] == "kb-2024-02-05-jawa-barat-bengkulu-tengah"
    assert record["path"] == "data/agreements/2024/kb-2024-02-05-jawa-barat-bengkulu-tengah.yaml"
    assert record["record"]["parties"] == [{"region": "32"}, {"region": "17.09"}]
    assert record["record"]["signed_on"] == "2024-02-05"
    assert record["inferred"] == ["ends_on"]
    [problem] = [p for p in plan["problems"] if p["severity"] == "error"]  # type: ignore[attr-defined]
    assert problem == {
        "row": 3,
        "column": "Pihak Kedua",
        "value": "Kota makasar",
        "rule": "KS201",
        "severity": "error",
        "message": problem["message"],
        "suggestions": ["73.71 Kota Makassar"],
    }
    assert "Makassar" in problem["message"]
    assert not list((registry / "agreements").rglob("*.yaml"))


def test_a_press_word_for_the_document_is_listed_as_inferred(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    row = GOOD_ROW.replace("Kesepakatan Bersama (MoU)", "MoU")
    plan = _plan(run, str(_sheet(tmp_path, OFFICE_HEADER, row)), "--set", "sectors=pendidikan")
    assert plan["records"][0]["inferred"] == ["document", "ends_on"]  # type: ignore[index]


def test_default_is_all_or_none(run: Run, registry: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, OFFICE_HEADER, GOOD_ROW, BAD_ROW)
    result = run("import", str(sheet), "--set", "sectors=pemerintahan_umum")
    assert result.exit_code == 1
    assert "row 3, column E (Pihak Kedua): error KS201" in result.stderr
    assert "nothing was written" in result.stderr
    assert load_registry(registry).records == []


def test_unknown_headers_are_reported_named_with_columns_or_ignored(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    header = OFFICE_HEADER + ";Penanggung Jawab;Uraian Singkat"
    row = GOOD_ROW.replace("Pengembangan potensi daerah", "") + ";Biro Pemerintahan;Judul lain"
    sheet = _sheet(tmp_path, header, row)
    refused = run("import", str(sheet), "--set", "sectors=pendidikan")
    assert refused.exit_code == 1
    assert "unknown column 'Penanggung Jawab'" in refused.stderr
    assert "--columns" in refused.stderr
    named = run(
        "import",
        str(sheet),
        "--set",
        "sectors=pendidikan",
        "--columns",
        "Uraian Singkat=title,Penanggung Jawab=units",
        "--dry-run",
    )
    assert named.exit_code == 0, named.stderr
    ignored = _plan(
        run,
        str(sheet),
        "--set",
        "sectors=pendidikan",
        "--columns",
        "uraian singkat=title",
        "--ignore-unknown-columns",
    )
    assert ignored["ready"] == 1
    assert ignored["records"][0]["record"]["title"] == "Judul lain"  # type: ignore[index]
    assert "units" not in ignored["records"][0]["record"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--columns", "Tentang"], "HEADER=key"),
        (["--columns", "Tentang=judul"], "not a key"),
        (["--set", "sectors=ngawur"], "--set sectors"),
        (["--set", "id=x"], "cannot be set"),
        (["--format", "yaml"], "--format"),
    ],
)
def test_bad_option_values_are_usage_errors(
    run: Run, registry: Path, tmp_path: Path, option: list[str], message: str
) -> None:
    result = run("import", str(_sheet(tmp_path, OFFICE_HEADER, GOOD_ROW)), *option)
    assert result.exit_code == 2
    assert message in result.stderr


def test_headers_that_name_two_things_and_english_headers(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "Document,Title/Judul,First Party,Second Party,Date Signed,Jangka Waktu/Tanggal Berakhir,Sector",
        "PKS,Air minum,Pemkab Muara Enim,PT Pertamina (Persero),2024-03-01,2026-02-28,pekerjaan umum",
    )
    plan = _plan(run, str(sheet))
    assert plan["ready"] == 1, plan["problems"]
    record = plan["records"][0]["record"]  # type: ignore[index]
    assert record["parties"] == [
        {"region": "16.03"},
        {"name": "PT Pertamina (Persero)", "kind": "bumn"},
    ]
    assert record["ends_on"] == "2026-02-28"
    assert plan["records"][0]["inferred"] == ["parties[1].kind"]  # type: ignore[index]


def test_a_look_alike_of_a_region_never_becomes_the_region(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        OFFICE_HEADER,
        "1;KB;Pendampingan hukum;Pemkab Malang;Kejaksaan Negeri Kepanjen;Rabu (22/6/2022);;;;",
    )
    plan = _plan(run, str(sheet), "--set", "sectors=trantibum")
    record = plan["records"][0]["record"]  # type: ignore[index]
    assert record["parties"] == [
        {"region": "35.07"},
        {"name": "Kejaksaan Negeri Kepanjen", "kind": "kementerian_lembaga"},
    ]


@pytest.mark.parametrize(
    "content",
    ["", "\n\n", OFFICE_HEADER],
    ids=["empty", "blank-lines", "header-only"],
)
def test_an_empty_sheet_or_a_header_only_writes_nothing(
    run: Run, registry: Path, tmp_path: Path, content: str
) -> None:
    sheet = tmp_path / "kosong.csv"
    sheet.write_text(content, encoding="utf-8")
    result = run("import", str(sheet), "--set", "sectors=pendidikan")
    if content.strip():
        assert result.exit_code == 0, result.stderr
        assert "imported 0 agreements" in result.stderr
    else:
        assert result.exit_code == 1
        assert "the sheet is empty" in result.stderr
    assert load_registry(registry).records == []


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


XLSX_HEADER = [
    "No",
    "Jenis Dokumen",
    "Tentang",
    "Pihak Pertama",
    "Pihak Kedua",
    "Tanggal",
    "Bidang",
]


def test_xlsx_date_cells_numbers_and_a_formula_cell(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = _xlsx(
        tmp_path / "daftar.xlsx",
        [
            XLSX_HEADER,
            [
                1,
                "KB",
                "Pariwisata",
                "Pemprov Sumsel",
                "Pemkab Lahat",
                dt.datetime(2024, 2, 5),
                "pariwisata",
            ],
            [2, "KB", "Pendidikan", "Pemprov Sumsel", "Pemkab OKU", "=TODAY()", "pendidikan"],
        ],
    )
    plan = _plan(run, str(path))
    assert plan["ready"] == 1
    assert plan["records"][0]["record"]["signed_on"] == "2024-02-05"  # type: ignore[index]
    # A formula saved without its value (openpyxl does not compute): a problem of its cell,
    # saying so (tests/cli/test_import_formulas.py), neither an empty date nor a draft.
    [problem] = [p for p in plan["problems"] if p["row"] == 3]  # type: ignore[attr-defined]
    assert problem["column"] == "Tanggal"
    assert problem["rule"] == "KS206"
    assert problem["value"] == "=TODAY()"


def test_merged_cells_leave_the_cells_below_empty_and_those_rows_need_review(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = tmp_path / "merged.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(XLSX_HEADER)
    sheet.append(
        [1, "KB", "Pariwisata", "Pemprov Sumsel", "Pemkab Lahat", "5/2/2024", "pariwisata"]
    )
    sheet.append([2, None, "Pendidikan", None, "Pemkab OKU", "6/2/2024", "pendidikan"])
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("D2:D3")  # one party cell for both rows, as offices lay it out
    book.save(path)
    plan = _plan(run, str(path))
    assert (plan["ready"], plan["needs_review"]) == (1, 1)
    columns = {p["column"] for p in plan["problems"] if p["row"] == 3}  # type: ignore[attr-defined]
    assert "Jenis Dokumen" in columns


def test_review_loop_end_to_end_with_xlsx(run: Run, registry: Path, tmp_path: Path) -> None:
    source = _xlsx(
        tmp_path / "daftar.xlsx",
        [
            XLSX_HEADER,
            [
                1,
                "KB",
                "Pariwisata",
                "Pemprov Sumsel",
                "Pemkab Lahat",
                dt.datetime(2024, 2, 5),
                "pariwisata",
            ],
            [
                2,
                "MoU",
                "Air minum",
                "Pemprov Sumsel",
                "Kota makasar",
                "Rabu, 9-5-2018",
                "pekerjaan umum",
            ],
            [
                3,
                "kerja sama",
                "Pendidikan",
                "Bupati Solok",
                "Wali Kota Solok",
                "5 Februari 2024",
                "pendidikan",
            ],
            [
                4,
                "PKS",
                "Kesehatan",
                "Pemprov Jabar",
                "Pemkab Bogor",
                dt.datetime(2023, 1, 9),
                "kesehatan",
            ],
        ],
    )
    review = tmp_path / "review.xlsx"
    first = run("import", str(source), "--skip-invalid", "--review", str(review))
    assert first.exit_code == 1  # rows were left for review
    assert "2 rows of daftar.xlsx not ready" in first.stderr
    assert len(load_registry(registry).records) == 2

    book = openpyxl.load_workbook(review)
    sheet = book.active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [*XLSX_HEADER, "problems"]
    assert [r[0] for r in rows[1:]] == [2, 3]
    assert "KS201" in str(rows[1][-1])
    assert "73.71 Kota Makassar" in str(rows[1][-1])
    assert "KS207" in str(rows[2][-1])
    # The person corrects the two cells in the spreadsheet and imports the file again.
    sheet["E2"] = "Kota Makassar"
    sheet["B3"] = "Kesepakatan Bersama"
    book.save(review)

    second = run("import", str(review))
    assert second.exit_code == 0, second.stderr
    records = load_registry(registry).records
    assert len(records) == 4
    assert len({r.id for r in records}) == 4
    codes = {tuple(r.region_codes) for r in records}
    assert codes == {("16", "16.04"), ("16", "73.71"), ("13.02", "13.72"), ("32", "32.01")}

    # Importing the first sheet again adds nothing twice: its rows are in the registry.
    again = run("import", str(source), "--skip-invalid")
    assert again.exit_code == 1
    assert "already in the registry" in again.stderr
    assert len(load_registry(registry).records) == 4


def test_review_as_csv_keeps_the_original_columns(run: Run, registry: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, OFFICE_HEADER, GOOD_ROW, BAD_ROW)
    review = tmp_path / "review.csv"
    result = run(
        "import",
        str(sheet),
        "--skip-invalid",
        "--review",
        str(review),
        "--set",
        "sectors=pendidikan",
    )
    assert result.exit_code == 1
    raw = review.read_bytes()
    # For Excel, where it is corrected: a byte-order mark, CRLF, and the sheet's own ";"
    # (Excel in an Indonesian locale opens a "," file in one column, its letters garbled).
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 2
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == OFFICE_HEADER + ";problems"
    assert lines[1].startswith("2;MoU;Pelayanan publik;Pemprov Jawa Barat;Kota makasar;")
    assert len(lines) == 2
    assert len(load_registry(registry).records) == 1


def test_an_indonesian_review_file_names_its_columns_in_indonesian_and_comes_back_in(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    monkeypatch.chdir(tmp_path)
    sheet = _sheet(tmp_path, OFFICE_HEADER, GOOD_ROW, BAD_ROW)
    args = ("--review", "periksa.csv", "--set", "sectors=pendidikan", "--data-dir", str(registry))
    result = run("import", str(sheet), "--skip-invalid", *args)
    assert result.exit_code == 1
    # what to do next, said where the file is named
    assert "perbaiki di sana, lalu: kerjasama import periksa.csv" in " ".join(result.stderr.split())
    review = tmp_path / "periksa.csv"
    lines = review.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == OFFICE_HEADER + ";problems"  # the contract's name, in every language
    # corrected and imported again: the problems column is not read as data
    fixed = (
        lines[1].replace("Kota makasar", "Kota Makassar").replace("Rabu, 9-5-2018", "9 Mei 2018")
    )
    review.write_text("\n".join([lines[0], fixed]) + "\n", encoding="utf-8")
    again = run("import", "periksa.csv", "--set", "sectors=pendidikan", "--data-dir", str(registry))
    assert again.exit_code == 0, again.stderr
    assert len(load_registry(registry).records) == 2


def test_a_review_file_of_a_comma_separated_sheet_is_comma_separated(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    row = BAD_ROW.replace("Rabu, ", "").replace(";", ",")
    sheet = _sheet(tmp_path, OFFICE_HEADER.replace(";", ","), row)
    review = tmp_path / "review.csv"
    run("import", str(sheet), "--review", str(review), "--set", "sectors=pendidikan")
    lines = review.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == OFFICE_HEADER.replace(";", ",") + ",problems"


def test_the_review_file_is_never_the_sheet_itself(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, OFFICE_HEADER, BAD_ROW)
    result = run("import", str(sheet), "--skip-invalid", "--review", str(sheet))
    assert result.exit_code == 2
    assert sheet.read_text(encoding="utf-8").startswith("No;")


def test_the_readme_lists_every_header_import_recognises() -> None:
    from kerjasama_cli.exchange.office import header_lists

    readme = (Path(__file__).parent.parent.parent / "README.md").read_text("utf-8")
    for key, headers in header_lists().items():
        assert f"| `{key}` | {', '.join(headers)} |" in readme, key


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli import render

    sheet = _sheet(tmp_path, OFFICE_HEADER, GOOD_ROW)
    piped = run("import", str(sheet), "--set", "sectors=pendidikan", "--dry-run")
    assert "checking rows" not in piped.stderr
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR")
    render.stderr.cache_clear()
    try:
        shown = run("import", str(sheet), "--set", "sectors=pendidikan", "--dry-run")
    finally:
        render.stderr.cache_clear()
    assert shown.exit_code == 0, shown.stderr
    assert "checking rows" in shown.stderr


def test_a_duration_that_ends_after_the_last_date_is_a_finding(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """31/12/9999 + 5 tahun has no date: a located KS301, not "unexpected ValueError"."""
    sheet = _sheet(
        tmp_path,
        "Judul,Pihak Pertama,Pihak Kedua,Tanggal,Bidang,Jenis Dokumen,Jangka Waktu",
        "t,Kaur,Lahat,31/12/9999,pendidikan,KB,5 tahun",
    )
    result = run("import", str(sheet), "--dry-run")
    assert result.exit_code == 1
    assert (
        "row 2, column G (Jangka Waktu): error KS301 '5 tahun' from 9999-12-31 ends after "
        "9999-12-31" in result.stdout + result.stderr
    )
    assert "unexpected" not in result.stderr


def test_a_cell_beyond_the_csv_field_limit_is_said_with_its_line(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = _sheet(
        tmp_path,
        "Judul,Pihak Pertama,Pihak Kedua,Tanggal,Bidang",
        '"' + "x" * 200_000 + '",Kaur,Lahat,2024-01-01,pendidikan',
    )
    result = run("import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "line 2: a cell is longer than 131072 characters; expected the cells of a list of "
        "agreements; nothing was written\n"
    )
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    said = run("import", str(sheet)).stderr
    assert "baris 2: ada sel yang lebih panjang dari 131072 karakter" in said
    assert "field limit" not in said


def test_a_day_the_month_does_not_have_says_how_many_it_has(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "Judul,Pihak Pertama,Pihak Kedua,Tanggal,Bidang,Jenis Dokumen",
        "t,Kaur,Lahat,29 Februari 2023,pendidikan,KB",
    )
    result = run("import", str(sheet), "--dry-run")
    said = result.stdout + result.stderr
    assert (
        "error KS301 '29 Februari 2023' is not a date of the calendar: month 2 of 2023 has 28 "
        "days; expected a day from 1 to 28" in said
    )


def test_an_organisation_s_kind_may_follow_its_name_in_brackets(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """KS210 for a company whose kind its name does not tell says how to give it in the
    office's own sheet (there is no kind column there): after the name, in brackets."""
    header = "No;Jenis;Tentang;Pihak Pertama;Pihak Kedua;Tanggal;Bidang;Sumber"
    row = "1;KB;Batubara;Pemkab Muara Enim;{party};5/2/2024;energi;https://example.org/b"
    unknown = _plan(run, str(_sheet(tmp_path, header, row.format(party="PT Bukit Asam Tbk"))))
    [problem] = [p for p in unknown["problems"] if p["severity"] == "error"]  # type: ignore[attr-defined]
    assert problem["rule"] == "KS210"
    assert (
        "give its kind after the name in brackets, e.g. 'PT Bukit Asam Tbk (bumn)'"
        in (problem["message"])
    )
    given = _plan(run, str(_sheet(tmp_path, header, row.format(party="PT Bukit Asam Tbk (BUMN)"))))
    assert given["ready"] == 1
    [record] = given["records"]  # type: ignore[misc]
    assert record["record"]["parties"][1] == {"name": "PT Bukit Asam Tbk", "kind": "bumn"}
    assert "parties[1].kind" not in record["inferred"]  # written, not derived
    # Brackets that hold no kind are part of the name, as before.
    other = _plan(
        run, str(_sheet(tmp_path, header, row.format(party="PT Bukit Asam (Persero) Tbk")))
    )
    assert other["records"][0]["record"]["parties"][1]["kind"] == "bumn"  # type: ignore[index]


@pytest.mark.parametrize("party", ["( (bumn)", "- (bumn)", "Kota Batu (ptn)"])
def test_brackets_with_a_kind_after_no_name_or_a_region_make_no_organisation(
    run: Run, tmp_path: Path, party: str
) -> None:
    header = "No;Jenis;Tentang;Pihak Pertama;Pihak Kedua;Tanggal;Bidang;Sumber"
    row = f"1;KB;Batubara;Pemkab Muara Enim;{party};5/2/2024;energi;https://example.org/b"
    plan = _plan(run, str(_sheet(tmp_path, header, row)))
    records = plan["records"]
    assert not any(  # type: ignore[attr-defined]
        "kind" in p
        for r in records
        for p in r["record"]["parties"]  # type: ignore[index]
    )


def test_a_title_above_the_header_and_a_total_row_are_not_agreements(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """Office sheets start with a title and a blank row, and end with JUMLAH: the header is
    found below the title, the total is left out, and both are said; rows keep their numbers."""
    sheet = _sheet(
        tmp_path,
        "DAFTAR KERJA SAMA DAERAH PROVINSI JAWA BARAT TAHUN 2024;;;;;;;;;",
        ";;;;;;;;;",
        OFFICE_HEADER,
        GOOD_ROW,
        "JUMLAH;1 kerja sama;;;;;;;;",
    )
    plan = _plan(run, str(sheet), "--set", "sectors=pemerintahan_umum")
    assert plan["header_row"] == 3 and plan["totals"] == [5]
    assert plan["ready"] == 1 and plan["needs_review"] == 0 and plan["problems"] == []
    assert [r["row"] for r in plan["records"]] == [4]  # type: ignore[index]
    result = run("import", str(sheet), "--set", "sectors=pemerintahan_umum")
    assert result.exit_code == 0, result.stderr
    assert "the header is row 3; the rows above it (a title) are not read" in result.stderr
    assert "row 5 reads as a total (JUMLAH, TOTAL) and is not imported" in result.stderr
    assert len(load_registry(registry).records) == 1


def test_a_broken_header_below_a_title_is_reported_at_its_own_row(run: Run, tmp_path: Path) -> None:
    # a title with no delimiter at all: the header's own (;) is still found
    header = OFFICE_HEADER + ";Kolom Aneh"
    sheet = _sheet(tmp_path, "DAFTAR KERJA SAMA", header, GOOD_ROW + ";x")
    plan = _plan(run, str(sheet), "--set", "sectors=pemerintahan_umum")
    assert plan["header_row"] == 2
    problems = plan["problems"]
    assert {(p["row"], p["rule"]) for p in problems} == {(2, "KS205")}  # type: ignore[union-attr]
    assert any(p["column"] == "Kolom Aneh" for p in problems)  # type: ignore[union-attr]


def test_a_sheet_without_any_header_still_says_so_at_row_1(run: Run, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "DAFTAR KERJA SAMA;;", "1;a;b", "2;c;d")
    plan = _plan(run, str(sheet))
    assert plan["header_row"] == 1
    assert any(p["rule"] == "KS200" and p["row"] == 1 for p in plan["problems"])  # type: ignore[union-attr]


def test_an_empty_office_party_column_is_named_by_its_header(run: Run, tmp_path: Path) -> None:
    header = "No;Judul Kerja Sama;Jenis;Mitra;Tanggal;Bidang"
    sheet = _sheet(tmp_path, header, "1;Air bersih;KB;;5 Februari 2024;pu")
    result = run("import", str(sheet), "--dry-run")
    assert result.exit_code == 1
    assert "row 2, column D (Mitra): error KS200 Mitra is empty; it is required" in result.stderr
    assert "party_codes" not in result.stderr


def test_tgl_ttd_is_a_signing_date_and_a_near_miss_header_is_named(
    run: Run, tmp_path: Path
) -> None:
    header = "No;Judul;Jenis;Mitra;Tgl. TTD;Tanggal Berahir;Bidang"
    row = "1;Air bersih;KB;Pemkab Muara Enim, Pemkab Lahat;5 Februari 2024;4 Februari 2029;pu"
    plan = _plan(run, str(_sheet(tmp_path, header, row)))
    assert plan["columns"]["Tgl. TTD"] == "signed_on"  # type: ignore[index]
    [problem] = [p for p in plan["problems"] if p["severity"] == "error"]  # type: ignore[union-attr]
    assert (problem["row"], problem["rule"]) == (1, "KS205")
    assert problem["message"].startswith(
        "unknown column 'Tanggal Berahir'; did you mean 'Tanggal Berakhir'?"
    )


def test_an_end_date_that_does_not_read_is_one_problem_not_two(run: Run, tmp_path: Path) -> None:
    """KS902 ("signed record without ends_on") beside the cell that gave an unreadable end
    date said the same mistake twice."""
    header = "No;Judul;Jenis;Mitra;Tanggal;Berakhir;Bidang"
    row = "1;Air bersih;KB;Pemkab Muara Enim, Pemkab Lahat;5 Februari 2024;5 tahun;pu"
    plan = _plan(run, str(_sheet(tmp_path, header, row)))
    rules = [(p["rule"], p["column"]) for p in plan["problems"]]  # type: ignore[index]
    assert ("KS301", "Berakhir") in rules
    assert "KS902" not in [rule for rule, _column in rules]
    # with no end date given at all, the warning stays
    plan = _plan(run, str(_sheet(tmp_path, header, row.replace("5 tahun", ""))))
    assert "KS902" in [p["rule"] for p in plan["problems"]]  # type: ignore[index]


@pytest.mark.parametrize(
    "above",
    [
        ("", ""),  # blank lines: not "the sheet is empty"
        ("DAFTAR KERJA SAMA KABUPATEN MUARA ENIM, TAHUN 2024", ""),  # a comma of its own
    ],
    ids=["blank-lines", "title-with-a-comma"],
)
def test_the_header_below_a_title_or_blank_lines_is_the_one_read(
    run: Run, tmp_path: Path, above: tuple[str, str]
) -> None:
    # "No" is a column import does not read: it is not a column "without a header"
    sheet = _sheet(tmp_path, *above, OFFICE_HEADER, GOOD_ROW)
    plan = _plan(run, str(sheet), "--set", "sectors=pemerintahan_umum")
    assert plan["header_row"] == 3
    assert plan["problems"] == [] and plan["ready"] == 1


def test_an_agreement_is_never_taken_for_a_total_row(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """A row whose first cell is "Total" but that names an agreement was left out as a
    total, with exit 0: a total row holds nothing but counts besides its word."""
    header = "Pihak Pertama;Judul;Jenis;Pihak Kedua;Tanggal;Bidang"
    rows = (
        "Kab. Muara Enim;Kerja sama CSR;pks;Kab. Lahat;2024-03-01;pendidikan",
        "Total;Kerja sama CSR;pks;Kab. Kaur;2024-03-01;pendidikan",
        "JUMLAH;2 kerja sama;;;;",
        "Total:;;;;;12",
    )
    plan = _plan(run, str(_sheet(tmp_path, header, *rows)))
    assert plan["totals"] == [4, 5]
    assert {p["row"] for p in plan["problems"] if p["severity"] == "error"} == {3}  # type: ignore[index]
