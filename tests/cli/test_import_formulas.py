"""import: a formula cell is read by its saved result; without one (a file written by a program
that does not calculate), or with a spreadsheet's error value, it is a problem of its cell,
never an empty cell read silently."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kerjasama_cli.exchange.workbook import uncalculated_cells
from kerjasama_cli.registry import load_registry
from tests.conftest import Run
from tests.tree import snapshot

HEADER = ["No", "Jenis", "Tentang", "Pihak Pertama", "Pihak Kedua", "Tanggal", "Tanggal Berakhir"]
SHEET = "xl/worksheets/sheet1.xml"


def _xlsx(path: Path, rows: list[list[object]], saved: dict[str, str] | None = None) -> Path:
    """A workbook as openpyxl writes it: formulas without results (``<f>...</f><v />``), the
    date columns formatted as dates. ``saved`` gives results, as Excel saves them: the XML of
    a cell's ``<v>`` by reference."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for column in ("F", "G"):
        for cell in sheet[column][1:]:
            cell.number_format = "dd/mm/yyyy"
    book.save(path)
    if saved:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        xml = parts[SHEET].decode()
        for reference, value in saved.items():
            start = xml.index(f'<c r="{reference}"')
            end = xml.index("</c>", start)
            xml = xml[:start] + xml[start:end].replace("<v />", value) + xml[end:]
        parts[SHEET] = xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def _plan(run: Run, path: Path) -> tuple[int, dict[str, object]]:
    result = run(
        "import", str(path), "--set", "sectors=pekerjaan_umum", "--dry-run", "--format", "json"
    )
    return result.exit_code, json.loads(result.stdout)


ROW = ["PKS", "Jalan tembus", "Pemkab Kaur", "Pemkab Muara Enim"]


def test_a_formula_without_its_result_is_a_problem_of_its_cell_not_an_empty_cell(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = _xlsx(
        tmp_path / "daftar.xlsx",
        [HEADER, ["=ROW()-1", *ROW, "=DATE(2024,2,5)", "=EDATE(F2,60)-1"]],
    )
    before = snapshot(registry)
    status, plan = _plan(run, path)
    assert status == 1
    assert plan["ready"] == 0
    problems = [(p["row"], p["column"], p["rule"], p["value"]) for p in plan["problems"]]  # type: ignore[attr-defined]
    # Once each (not also "Tanggal is empty"); the ignored No column is not read at all.
    assert problems == [
        (2, "Tanggal", "KS206", "=DATE(2024,2,5)"),
        (2, "Tanggal Berakhir", "KS206", "=EDATE(F2,60)-1"),
    ]
    message = plan["problems"][0]["message"]  # type: ignore[index]
    assert "formula (=DATE(2024,2,5)) but not its result" in message
    assert "open it in Excel or LibreOffice, save it, and import it again" in message
    assert run("import", str(path), "--set", "sectors=pekerjaan_umum").exit_code == 1
    assert snapshot(registry) == before


def test_a_formula_with_its_saved_result_reads_the_result(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """As Excel and LibreOffice save them: the result beside the formula (a date as its
    serial number: 45327 is 2024-02-05); a formula whose result is empty text is empty."""
    path = _xlsx(
        tmp_path / "daftar.xlsx",
        [HEADER, [1, *ROW, "=DATE(2024,2,5)", '=IF(TRUE,"","x")']],
        saved={"F2": "<v>45327</v>"},
    )
    xml = zipfile.ZipFile(path).read(SHEET).decode()
    xml = xml.replace('<c r="G2"', '<c r="G2" t="str"', 1)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[SHEET] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    status, plan = _plan(run, path)
    assert [p for p in plan["problems"] if p["severity"] == "error"] == []  # type: ignore[attr-defined]
    assert status == 0
    [record] = plan["records"]  # type: ignore[misc]
    assert record["record"]["signed_on"] == "2024-02-05"
    assert "ends_on" not in record["record"]


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?"])
def test_an_error_cell_is_a_problem_and_text_that_reads_the_same_is_text(
    run: Run, registry: Path, tmp_path: Path, error: str
) -> None:
    """An XLSX cell of the error type (openpyxl writes one for these values) is a problem of
    its cell. Text that reads the same is text: a valid record titled "#N/A" is exported and
    must import back (CSV cannot tell the two apart, so there it is always text)."""
    xlsx = _xlsx(
        tmp_path / "daftar.xlsx", [HEADER, [1, "PKS", error, *ROW[2:], dt.datetime(2024, 2, 5)]]
    )
    assert '<c r="C2" t="e"' in zipfile.ZipFile(xlsx).read(SHEET).decode()
    status, plan = _plan(run, xlsx)
    assert status == 1
    [problem] = [p for p in plan["problems"] if p["severity"] == "error"]  # type: ignore[attr-defined]
    assert (problem["row"], problem["column"], problem["rule"]) == (2, "Tentang", "KS206")
    assert f"the spreadsheet's error {error} (a formula that failed)" in problem["message"]
    csv = tmp_path / "daftar.csv"
    csv.write_text(
        ";".join(HEADER) + "\n" + f"1;PKS;{error};Pemkab Kaur;Pemkab Muara Enim;5/2/2024;\n"
    )
    status, plan = _plan(run, csv)
    assert status == 0, plan["problems"]
    assert plan["records"][0]["record"]["title"] == error  # type: ignore[index]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_record_whose_text_reads_as_an_error_value_makes_the_round_trip(
    run: Run, registry: Path, tmp_path: Path, bundled: Path, suffix: str
) -> None:
    sukamara = "kb-2024-02-05-jawa-barat-sukamara"
    changed = run("set", sukamara, 'title="#REF!"', 'notes="#N/A"', data_dir=bundled)
    assert changed.exit_code == 0, changed.stderr
    sheet = tmp_path / f"all.{suffix}"
    assert run("export", "-o", str(sheet), data_dir=bundled).exit_code == 0
    result = run("import", str(sheet))
    assert result.exit_code == 0, result.stderr
    [imported] = [r for r in load_registry(registry).records if r.id == sukamara]
    assert (imported.title, imported.notes) == ("#REF!", "#N/A")


def test_text_that_only_mentions_an_error_value_is_text(run: Run, tmp_path: Path) -> None:
    csv = tmp_path / "daftar.csv"
    csv.write_text(
        ";".join(HEADER)
        + "\n1;PKS;Perbaikan #REF! di laporan;Pemkab Kaur;Pemkab Muara Enim;5/2/2024;\n"
    )
    status, plan = _plan(run, csv)
    assert status == 0, plan["problems"]


def test_the_problem_is_said_in_indonesian(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    path = _xlsx(tmp_path / "daftar.xlsx", [HEADER, [1, *ROW, "=DATE(2024,2,5)", None]])
    result = run("import", str(path), "--set", "sectors=pekerjaan_umum", "--dry-run")
    assert result.exit_code == 1
    assert (
        "baris 2, kolom F (Tanggal): kesalahan KS206 sel ini berisi rumus (=DATE(2024,2,5)) tetapi "
        "tidak berisi hasilnya" in result.stderr
    )


def test_the_review_file_shows_the_formula_and_says_what_to_do(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = _xlsx(tmp_path / "daftar.xlsx", [HEADER, [1, *ROW, "=DATE(2024,2,5)", None]])
    review = tmp_path / "perbaiki.csv"
    result = run("import", str(path), "--set", "sectors=pekerjaan_umum", "--review", str(review))
    assert result.exit_code == 1
    text = review.read_text(encoding="utf-8-sig")
    assert '"=DATE(2024,2,5)"' in text
    assert "KS206 the cell holds a formula (=DATE(2024,2,5)) but not its result" in text


def _part(tmp_path: Path, body: str) -> tuple[Path, str]:
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(SHEET, body)
    return path, SHEET


def test_cells_without_references_prefixed_names_and_shared_formulas_are_found(
    tmp_path: Path,
) -> None:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    body = (
        f'<x:worksheet xmlns:x="{ns}"><x:sheetData>'
        '<x:row r="3"><x:c><x:v>1</x:v></x:c><x:c><x:f t="shared" ref="B3:B4" si="0">A3*2</x:f>'
        "</x:c></x:row>"
        '<x:row><x:c r="A4"><x:v>2</x:v></x:c><x:c r="B4"><x:f t="shared" si="0"/><x:v>4</x:v>'
        '</x:c><x:c r="C4"><x:f t="shared" si="0"/></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    # The shared formula's other cell holds none of its text.
    assert uncalculated_cells(*_part(tmp_path, body)) == {(3, 2): "=A3*2", (4, 3): "=..."}


def test_a_sheet_without_formulas_or_a_broken_part_finds_none(tmp_path: Path) -> None:
    plain = '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>f</t></is></c></row></sheetData></worksheet>'
    assert uncalculated_cells(*_part(tmp_path, plain)) == {}
    assert uncalculated_cells(*_part(tmp_path, "<worksheet><c><f>1</f>")) == {}
    assert uncalculated_cells(tmp_path / "book.xlsx", "xl/worksheets/other.xml") == {}
    assert uncalculated_cells(tmp_path / "book.xlsx", None) == {}


def test_a_sheet_of_more_formulas_without_results_than_kept_is_refused_whole(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each one is kept in memory until its row is read: bounded, as every count of a sheet
    is; beyond the bound the sheet is refused, saying what to do (exit 2, nothing written)."""
    from kerjasama_cli.exchange import workbook

    monkeypatch.setattr(workbook, "MAX_UNCALCULATED", 2)
    rows: list[list[object]] = [HEADER]
    rows += [[f"=ROW()-{n}", *ROW, "=DATE(2024,2,5)", None] for n in (1, 2)]
    path = _xlsx(tmp_path / "daftar.xlsx", rows)
    result = run("import", str(path), "--set", "sectors=pekerjaan_umum")
    assert result.exit_code == 2
    assert "more than 2 cells hold a formula without its result" in result.stderr
    assert list(registry.rglob("*.yaml")) == []


def test_a_formula_in_the_header_or_in_a_column_never_read(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """A header without its result is a problem at the header (it named no column, and
    --ignore-unknown-columns would have dropped the column without a word); `status`, which
    export computes and import never reads, is not checked."""
    path = _xlsx(
        tmp_path / "daftar.xlsx",
        [
            [*HEADER[:6], '=CONCAT("Tanggal"," Berakhir")', "status"],
            [1, *ROW, dt.datetime(2024, 2, 5), dt.datetime(2029, 2, 4), "=1+1"],
        ],
    )
    status, plan = _plan(run, path)
    assert status == 1
    errors = [(p["row"], p["rule"]) for p in plan["problems"] if p["severity"] == "error"]  # type: ignore[attr-defined]
    assert errors == [(1, "KS206")]
    result = run("import", str(path), "--set", "sectors=pekerjaan_umum", "--ignore-unknown-columns")
    assert result.exit_code == 1
