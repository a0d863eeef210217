"""What import prints about a sheet never carries the sheet's control characters (issue 14, H).

Headers and cells are quoted in problems on stderr: a header with terminal escapes, or a
UTF-16 file without a byte-order mark (read as text full of NULs), printed raw control bytes.
They are shown escaped (``\\x1b``), as file names are everywhere, and each problem stays one
line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kerjasama_cli import render
from tests.conftest import Run
from tests.workbooks import HEADER, ROW, inline_row, sheet_xml, workbook

# Anything a terminal acts on, other than the line feed that ends each line.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

CSV_HEADERS = {
    "colour": "\x1b[31mmerah\x1b[0m",
    "hyperlink": "\x1b]8;;https://evil.example/\x07klik\x1b]8;;\x07",
    "clear-screen": "\x1b[2J\x1b[H",
    "bell-and-backspace": "judul\x07\x08\x08",
    "carriage-return": "judul\rpalsu",
    "bidi-override": "\u202ejudul",
}


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": row " in line]


@pytest.mark.parametrize("header", CSV_HEADERS.values(), ids=CSV_HEADERS.keys())
def test_a_csv_header_with_control_characters_is_shown_escaped(
    registry: Path, run: Run, tmp_path: Path, header: str
) -> None:
    source = tmp_path / "baru.csv"
    source.write_bytes(
        (",".join([*HEADER, f'"{header}"']) + "\n" + ",".join([*ROW, "x"]) + "\n").encode()
    )
    result = run("import", str(source))
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(result.stderr), repr(result.stderr)
    [unknown] = [line for line in problem_lines(result.stderr) if "KS205" in line]
    assert "column G (" in unknown


def test_a_header_with_control_characters_is_escaped_at_a_terminal_too(
    registry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR")
    render.stderr.cache_clear()
    source = tmp_path / "baru.csv"
    header = CSV_HEADERS["hyperlink"]
    source.write_bytes((",".join([*HEADER, header]) + "\n" + ",".join([*ROW, "x"])).encode())
    try:
        result = run("import", str(source))
    finally:
        render.stderr.cache_clear()
    assert result.exit_code == 1
    assert "\x1b]8;" not in result.stderr  # no hyperlink
    assert "\\x1b]8;;https://evil.example/\\x07klik" in result.stderr


def test_an_xlsx_header_with_line_breaks_and_direction_overrides_is_shown_escaped(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    """XML cannot hold ESC, but it can hold CR, NEL, U+2028 and U+202E."""
    header = "a&#13;b\u0085c\u2028d\u202ee"
    rows = inline_row(1, HEADER).replace("</row>", "") + (
        f'<c r="G1" t="inlineStr"><is><t>{header}</t></is></c></row>'
    )
    rows += inline_row(2, [*ROW, "x"])
    source = tmp_path / "baru.xlsx"
    source.write_bytes(workbook(sheet=sheet_xml(rows)))
    result = run("import", str(source))
    assert result.exit_code == 1, result.stderr
    assert not RAW_CONTROL.search(result.stderr), repr(result.stderr)
    assert "a\\rb\\x85c\\u2028d\\u202ee" in result.stderr


@pytest.mark.parametrize(
    ("encoding", "name"), [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")]
)
def test_a_utf16_csv_without_a_byte_order_mark_is_refused_in_one_line(
    registry: Path, run: Run, tmp_path: Path, encoding: str, name: str
) -> None:
    source = tmp_path / "baru.csv"
    source.write_bytes((",".join(HEADER) + "\n" + ",".join(ROW) + "\n").encode(encoding))
    result = run("import", str(source))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert f"is {name} without a byte-order mark" in result.stderr
    assert "\x00" not in result.stderr
    assert not list((registry / "agreements").rglob("*.yaml"))


def test_a_csv_with_nul_bytes_is_refused_as_binary(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "baru.csv"
    source.write_bytes((",".join(HEADER) + "\n").encode() + b"Uji\x00,kb\x00\n")
    result = run("import", str(source))
    assert result.exit_code == 1
    assert "binary (it has NUL bytes)" in result.stderr
    assert "\x00" not in result.stderr


def test_a_utf16_csv_with_a_byte_order_mark_is_still_read(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "baru.csv"
    text = ",".join([*HEADER, "ends_on"]) + "\n" + ",".join([*ROW, "2026-01-01"]) + "\n"
    source.write_bytes(text.encode("utf-16"))
    result = run("import", str(source))
    assert result.exit_code == 0, result.stderr


def test_cell_values_with_escapes_are_quoted_escaped(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "baru.csv"
    row = ["\x1b[2JUji\x1b]8;;x\x07", *ROW[1:]]
    source.write_bytes((",".join(HEADER) + "\n" + ",".join(row) + "\n").encode())
    result = run("import", str(source))
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(result.stderr), repr(result.stderr)
    assert len(problem_lines(result.stderr)) >= 1
