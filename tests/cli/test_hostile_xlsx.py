"""XLSX import of damaged, hostile and huge workbooks (issue 14, class G).

Every workbook is built here, part by part (tests/workbooks.py), so each case says what is
wrong with it. A broken workbook is a usage error (exit 2) with one line naming the file and
the problem, and nothing is written. The files that once ran for minutes and took gigabytes
run in a subprocess whose address space is capped, so a regression fails instead of taking
the machine down.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kerjasama_cli.exchange import workbook as xlsx
from tests.conftest import Result, Run
from tests.workbooks import (
    CHART_CT,
    HEADER,
    ROW,
    inline_row,
    shared_strings_xml,
    sheet_xml,
    styles_xml,
    workbook,
    workbook_xml,
)

REPO = Path(__file__).resolve().parents[2]

# Nine levels of ten: 10**9 copies of "aaaaaaaaaa" if expanded.
BOMB_DTD = (
    '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    + "]>"
)
SHARED_CELL = '<row r="2"><c r="A2" t="s"><v>{}</v></c></row>'


def sheet_with(row2: str, **kwargs: str) -> str:
    return sheet_xml(inline_row(1, HEADER) + row2, **kwargs)


def assert_broken(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "unexpected" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "is not a readable .xlsx workbook" in lines[0]
    assert lines[0].endswith("nothing was written")
    for word in words:
        assert word in lines[0]


def import_file(run: Run, tmp_path: Path, content: bytes, *args: str) -> Result:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(content)
    return run("import", str(path), *args)


HOSTILE = {
    "truncated-file": (workbook()[:1200], "truncated"),
    "empty-file": (b"", "not a zip archive"),
    "zip-of-nothing": (b"PK\x05\x06" + b"\x00" * 18, "is missing"),
    "truncated-sheet-xml": (workbook(sheet=sheet_xml()[:300]), "no element found"),
    "malformed-workbook-xml": (workbook(workbook_part="<workbook><sheets><sheet name="), "token"),
    "workbook-xml-not-xml": (workbook(workbook_part="hello"), "syntax error"),
    "dtd-internal-entity": (
        workbook(
            sheet=sheet_with(
                '<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>',
                prolog='<!DOCTYPE worksheet [<!ENTITY x "Uji">]>',
            )
        ),
        "declares a DTD",
    ),
    "dtd-external-entity": (
        workbook(
            sheet=sheet_with(
                '<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>',
                prolog='<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            )
        ),
        "declares a DTD",
    ),
    "dtd-in-workbook-xml": (
        workbook(
            workbook_part=workbook_xml().replace("?>", '?><!DOCTYPE workbook [<!ENTITY y "z">]>', 1)
        ),
        "xl/workbook.xml declares a DTD",
    ),
    "billion-laughs-shared-strings": (
        workbook(
            shared_strings=shared_strings_xml(["&j;"], prolog=BOMB_DTD).replace("&amp;j;", "&j;"),
            sheet=sheet_with(SHARED_CELL.format(0)),
        ),
        "xl/sharedStrings.xml declares a DTD",
    ),
    "missing-sheet-part": (
        workbook(leave_out=["xl/worksheets/sheet1.xml"]),
        "a sheet part is missing",
    ),
    "missing-workbook-part": (workbook(leave_out=["xl/workbook.xml"]), "is missing"),
    "missing-content-types": (workbook(leave_out=["[Content_Types].xml"]), "is missing"),
    "shared-string-index-out-of-range": (
        workbook(
            sheet=sheet_with(SHARED_CELL.format(99)), shared_strings=shared_strings_xml(["a"])
        ),
        "a cell refers to a shared string that does not exist",
    ),
    "shared-string-index-not-a-number": (
        workbook(
            sheet=sheet_with(SHARED_CELL.format("x")), shared_strings=shared_strings_xml(["a"])
        ),
        "invalid literal",
    ),
    "broken-chart-sheet": (
        workbook(
            sheet='<?xml version="1.0"?><chartsheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            "</chartsheet>",
            sheet_content_type=CHART_CT,
            sheet_target="chartsheets/sheet1.xml",
        ),
        "a chart sheet cannot be read",
    ),
    "cell-beyond-column-zzz": (
        workbook(
            sheet=sheet_with('<row r="2"><c r="ZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>')
        ),
        "not a valid column name",
    ),
    "cell-at-xfd1048576": (
        workbook(
            sheet=sheet_xml(
                '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
                dimension="A1:XFD1048576",
            )
        ),
        "values beyond column 1,000",
    ),
    "row-beyond-excel": (
        workbook(
            sheet=sheet_with(
                '<row r="9999999999"><c r="A9999999999" t="inlineStr"><is><t>x</t></is></c></row>'
            )
        ),
        "beyond row 1,048,576",
    ),
}


@pytest.mark.parametrize(("content", "words"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_broken_or_hostile_workbook_is_a_usage_error_with_one_line(
    registry: Path, run: Run, tmp_path: Path, content: bytes, words: str
) -> None:
    for args in (("--dry-run",), ()):
        assert_broken(import_file(run, tmp_path, content, *args), words)
    assert not list((registry / "agreements").rglob("*"))


@pytest.mark.parametrize(
    "styles",
    [
        styles_xml(
            num_fmts='<numFmt numFmtId="164" formatCode="[[[[yyyy;;;@@@"/>',
            cell_xfs='<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        ),
        styles_xml(cell_xfs='<xf numFmtId="999" fontId="0" fillId="0" borderId="0" xfId="0"/>'),
        styles_xml(cell_xfs='<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0"/>'),
        "<styleSheet/>",
    ],
    ids=["nonsense-format-code", "unknown-format-id", "date-format", "empty-styles"],
)
def test_bad_number_formats_make_row_problems_not_a_crash(
    registry: Path, run: Run, tmp_path: Path, styles: str
) -> None:
    """A number under a broken or date format (1e308, a serial beyond year 9999) is a value
    the row reports, or text; never an exception, never one of openpyxl's warnings."""
    cells = (
        '<row r="2"><c r="A2" s="0"><v>1e308</v></c><c r="B2" s="0"><v>-99999999</v></c>'
        '<c r="F2" s="0"><v>99999999999</v></c></row>'
    )
    result = import_file(run, tmp_path, workbook(styles=styles, sheet=sheet_with(cells)))
    assert result.exit_code in (1, 2), result.stderr
    assert "unexpected" not in result.stderr
    assert "Warning" not in result.stderr
    assert not list((registry / "agreements").rglob("*.yaml"))


def test_a_dimension_claim_is_not_believed_and_the_rows_import(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    """<dimension ref="A1:XFD1048576"> on a two-row sheet: the rows are read as they are."""
    content = workbook(sheet=sheet_xml(dimension="A1:XFD1048576"))
    result = import_file(run, tmp_path, content)
    assert result.exit_code == 0, result.stderr
    assert len(list((registry / "agreements").rglob("*.yaml"))) == 1


def test_styled_empty_cells_far_to_the_right_are_not_values(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    row2 = inline_row(2, ROW).replace("</row>", '<c r="XFD2" s="0"/></row>')
    result = import_file(run, tmp_path, workbook(sheet=sheet_with(row2)))
    assert result.exit_code == 0, result.stderr


def _real_chart_workbook(tmp_path: Path, *, with_table: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    data = book.active
    assert data is not None
    data.title = "data" if not with_table else "agreements"
    data.append(HEADER)
    data.append(ROW)
    chart = BarChart()
    chart.add_data(Reference(data, min_col=1, min_row=1, max_row=2))
    charts = book.create_chartsheet("agreements" if not with_table else "chart")
    charts.add_chart(chart)
    if not with_table:
        book.remove(data)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_of_only_a_chart_sheet_is_a_usage_error(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    content = _real_chart_workbook(tmp_path, with_table=False)
    assert_broken(import_file(run, tmp_path, content), "chart sheet")


def test_a_chart_sheet_beside_the_agreements_sheet_is_left_alone(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    content = _real_chart_workbook(tmp_path, with_table=True)
    result = import_file(run, tmp_path, content)
    assert result.exit_code == 0, result.stderr


def test_a_zip_that_lies_about_a_part_size_is_a_usage_error(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    """The zip's directory says the sheet is 100 bytes: zipfile inflates no more, and the
    checksum of those 100 bytes does not match."""
    content = bytearray(workbook())
    name = b"xl/worksheets/sheet1.xml"
    real = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(name.decode()).file_size
    for at in [i for i in range(len(content)) if content.startswith(name, i)]:
        for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            start = content.rfind(header, 0, at)
            field = start + offset
            if int.from_bytes(content[field : field + 4], "little") == real:
                content[field : field + 4] = (100).to_bytes(4, "little")
    assert_broken(import_file(run, tmp_path, bytes(content)))


# --- limits --------------------------------------------------------------------------------


def _rows(count: int, width: int = len(HEADER)) -> str:
    return "".join(inline_row(n, [f"v{n}-{c}" for c in range(width)]) for n in range(2, count + 2))


@pytest.mark.parametrize(
    ("limit", "value", "sheet", "words"),
    [
        ("MAX_ROWS", 5, sheet_with(_rows(6)), "more than 5 rows"),
        ("MAX_COLUMNS", 4, sheet_with(""), "values beyond column 4"),
        ("MAX_CELLS", 20, sheet_with(_rows(3)), "more than 20 filled cells"),
        (
            "MAX_CELL_CHARS",
            10,
            sheet_with(inline_row(2, ["x" * 11])),
            "holds 11 characters",
        ),
        ("MAX_PART_BYTES", 1000, sheet_with(_rows(20)), "xl/worksheets/sheet1.xml is"),
        (
            "MAX_STRINGS_BYTES",
            100,
            sheet_with(SHARED_CELL.format(0)),
            "xl/sharedStrings.xml is",
        ),
        ("MAX_TOTAL_BYTES", 5000, sheet_with(_rows(20)), "more than 5,000 bytes"),
    ],
    ids=["rows", "columns", "cells", "characters", "part", "shared-strings", "total"],
)
def test_each_limit_refuses_a_workbook_that_goes_beyond_it(
    registry: Path,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
    value: int,
    sheet: str,
    words: str,
) -> None:
    """Lowered so that the test files stay small; the same code checks the real limits."""
    monkeypatch.setattr(xlsx, limit, value)
    strings = shared_strings_xml(["s" * 200])
    assert_broken(import_file(run, tmp_path, workbook(sheet=sheet, shared_strings=strings)), words)


def test_a_sheet_just_within_the_limits_imports(
    registry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 1)
    monkeypatch.setattr(xlsx, "MAX_COLUMNS", len(HEADER))
    monkeypatch.setattr(xlsx, "MAX_CELLS", 2 * len(HEADER))
    result = import_file(run, tmp_path, workbook())
    assert result.exit_code == 0, result.stderr


# --- in a subprocess with a memory cap --------------------------------------------------------

ADDRESS_SPACE = 768 * 1024 * 1024


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "words"),
    [HOSTILE["cell-at-xfd1048576"], HOSTILE["billion-laughs-shared-strings"]],
    ids=["cell-at-xfd1048576", "billion-laughs"],
)
def test_hostile_workbooks_are_refused_within_a_small_memory_cap(
    registry: Path, tmp_path: Path, content: bytes, words: str
) -> None:
    """1 KB files that once took minutes and gigabytes: refused with 768 MB of address space
    (the timeout only keeps a regression from hanging the test run)."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(content)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    env["KERJASAMA_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "import", str(path), "--data-dir", str(registry)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        preexec_fn=_capped,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_stdlib_expat_stops_an_entity_bomb_by_itself() -> None:
    """Why defusedxml is not needed besides the DTD check: the expat under Python's XML
    parsers (2.4 and later) refuses the amplification of a billion laughs on its own."""
    import xml.etree.ElementTree as ET

    bomb = f'<?xml version="1.0"?>{BOMB_DTD}<sst>&j;</sst>'
    with pytest.raises(ET.ParseError, match="amplification"):
        ET.fromstring(bomb)


# --- the same bounds for CSV ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "value", "words"),
    [("MAX_ROWS", 2, "more than 2 rows"), ("MAX_PART_BYTES", 100, "larger than 100 bytes")],
    ids=["rows", "bytes"],
)
def test_a_csv_beyond_the_import_limits_is_a_usage_error(
    registry: Path,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
    value: int,
    words: str,
) -> None:
    monkeypatch.setattr(xlsx, limit, value)
    source = tmp_path / "baru.csv"
    source.write_text(
        ",".join(HEADER) + "\n" + "\n".join(",".join(ROW) for _ in range(3)) + "\n",
        encoding="utf-8",
    )
    result = run("import", str(source))
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.slow
def test_a_sparse_sheet_with_values_far_to_the_right_is_refused_quickly(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    """Within every limit of rows, columns and filled cells, but read as rows 999 cells wide:
    refused once the rows span ten million cells, not read for minutes into gigabytes."""
    far = "".join(f'<row r="{n}"><c r="ALK{n}"><v>{n}</v></c></row>' for n in range(2, 12_002))
    content = workbook(sheet=sheet_xml(inline_row(1, HEADER) + far))
    assert_broken(import_file(run, tmp_path, content, "--dry-run"), "span more than 10,000,000")
    assert not list((registry / "agreements").rglob("*"))
