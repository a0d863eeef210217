"""CSV and XLSX files: write the layout's rows, read a sheet back as a header and rows.

XLSX goes through openpyxl, an optional extra (``pip install 'kerjasama[xlsx]'``); asking for
it without openpyxl is a usage error (exit 2) naming the extra.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kerjasama_cli.errors import RefusedWrite, UsageError
from kerjasama_cli.exchange.layout import Cell
from kerjasama_cli.storage.files import utf16_without_bom

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

AGREEMENTS_SHEET = "agreements"
PARTIES_SHEET = "parties"
_MAX_WIDTH = 60
_HEADER_FILL = "1F4E78"


def require_openpyxl() -> None:
    """Raise a usage error (exit 2) when the xlsx extra is not installed."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise UsageError(
            "XLSX needs the openpyxl package, which is not installed; "
            "install it with: pip install 'kerjasama[xlsx]' (or pip install openpyxl), "
            "or use CSV"
        ) from None


def _plain(value: Cell | int) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = "=+-@\t\r"
# What escape_formula changes and unescape_formula reads back: apostrophes before a formula start.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def escape_formula(text: str, *, formulas: bool = True) -> str:
    """``text`` with a ``'`` in front when a spreadsheet would run it (``=HYPERLINK(...)``).

    Spreadsheets show ``'=x`` as the text ``=x``. A text that already starts with apostrophes
    before a formula start gets one more, so that :func:`unescape_formula` gives back exactly
    the original; with ``formulas=False`` only those are changed (the export stays lossless
    when formulas are left as they are).
    """
    pattern = _FORMULA if formulas else _ESCAPED_FORMULA
    return "'" + text if pattern.match(text) else text


def unescape_formula(text: str) -> str:
    """The inverse of :func:`escape_formula`: one leading ``'`` less before a formula start."""
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


def csv_text(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell | int]],
    line_end: str = "\n",
    *,
    escape_formulas: bool = False,
) -> str:
    """The rows as CSV text: comma-separated, quoted where needed, dates YYYY-MM-DD.

    Text cells go through :func:`escape_formula` (only the already escaped-looking ones
    unless ``escape_formulas``), so that import reads every value back as it was.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(header)
    # Only a text starting with ' or a formula start can need escaping: the others are left
    # as they are without asking (this runs for every cell of an export).
    starts = "'" + FORMULA_STARTS

    def cells(row: Sequence[Cell | int]) -> list[str]:
        out: list[str] = []
        for v in row:
            if v is None:
                out.append("")
            elif isinstance(v, str):
                out.append(
                    escape_formula(v, formulas=escape_formulas) if v and v[0] in starts else v
                )
            else:
                out.append(_plain(v))
        return out

    writer.writerows(map(cells, rows))
    return buffer.getvalue()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _fill_sheet(
    sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Cell | int]]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    widths = [len(name) + 2 for name in header]
    for col, name in enumerate(header, 1):
        cell = sheet.cell(row=1, column=col, value=name)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                # Text that starts with "=" stays text: a record is data, never a formula.
                cell.data_type = "s"
                cell.alignment = wrap if "\n" in value else top
                longest = max(len(line) for line in value.splitlines() or [""])
            else:
                cell.alignment = top
                longest = 10
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            widths[c - 1] = max(widths[c - 1], min(longest + 2, _MAX_WIDTH))
    for col, width in enumerate(widths):
        sheet.column_dimensions[column_letter(col)].width = width
    sheet.freeze_panes = "B2"  # the header row and the first column (the id) stay in view
    last = f"{column_letter(len(header) - 1)}{max(len(rows) + 1, 2)}"
    sheet.auto_filter.ref = f"A1:{last}"


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Cell | int]]]],
) -> None:
    """A workbook with one sheet per (name, header, rows): styled, frozen, filterable header."""
    require_openpyxl()
    from openpyxl import Workbook

    book = Workbook()
    first = True
    for name, header, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        _fill_sheet(sheet, header, rows)
        first = False
    book.properties.creator = "kerjasama"
    book.save(path)


# --- reading -------------------------------------------------------------------------------


@dataclass(slots=True)
class Sheet:
    """A table read from a file: raw header cells, and data rows with their row numbers."""

    path: Path
    header: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    name: str | None = None  # the worksheet read, for XLSX


def normalize_header(value: Any) -> str:
    """A header cell as a column name: ``Party 1 Code`` -> ``party_1_code``."""
    text = "" if value is None else str(value)
    return re.sub(r"[\s\-]+", "_", text.strip().casefold()).strip("_")


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_sheet(path: Path) -> Sheet:
    """Read a .csv or .xlsx file; usage error when missing or of another kind."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise UsageError(f"{path}: the old .xls format is not read; save it as .xlsx or CSV UTF-8")
    raise UsageError(f"{path}: expected a .csv or .xlsx file")


def _delimiter(first_line: str) -> str:
    # Excel in an Indonesian (or other comma-decimal) locale saves "CSV" with semicolons.
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path) -> Sheet:
    from kerjasama_cli.exchange import workbook as limits

    chunks: list[bytes] = []
    size = 0
    with path.open("rb") as fh:  # bounded, as a workbook's parts are
        # In chunks: read(256 MB) would allocate its whole buffer for a sheet of 1 KB.
        while size <= limits.MAX_PART_BYTES and (chunk := fh.read(1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
    raw = b"".join(chunks)
    del chunks
    if len(raw) > limits.MAX_PART_BYTES:
        raise UsageError(
            f"{path} is larger than {limits.MAX_PART_BYTES:,} bytes, more than an import reads; "
            "import it in parts; nothing was written"
        )
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark: unambiguous, so read it too.
    encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-16":
                raise
            # "CSV (Comma delimited)" of Excel on Windows: the ANSI code page, Windows-1252
            # (Indonesian is written in it). Its five undefined bytes still refuse the file.
            text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise RefusedWrite(
            f"{path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "in Excel use Save As > 'CSV UTF-8 (Comma delimited)'; nothing was written"
        ) from None
    if "\x00" in text:
        utf16 = utf16_without_bom(raw)
        kind = f"{utf16} without a byte-order mark" if utf16 else "binary (it has NUL bytes)"
        raise RefusedWrite(
            f"{path} is {kind}, not UTF-8 text; in Excel use Save As > "
            "'CSV UTF-8 (Comma delimited)'; nothing was written"
        )
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise RefusedWrite(f"{path}: not readable as CSV ({exc}); nothing was written") from None
    if not rows:
        return Sheet(path, [])
    if len(rows) > limits.MAX_ROWS + 1:
        raise UsageError(
            f"{path} has more than {limits.MAX_ROWS:,} rows; import it in parts; "
            "nothing was written"
        )
    sheet = Sheet(path, rows[0])
    for number, values in enumerate(rows[1:], 2):
        if not _is_blank(values):
            # Cells escaped by `export --escape-formulas` (or typed '=... in a spreadsheet).
            sheet.rows.append((number, [unescape_formula(v) for v in values]))
    return sheet


def _read_xlsx(path: Path) -> Sheet:
    """The sheet ``agreements``, else the first worksheet (bounded and checked: workbook.py)."""
    require_openpyxl()
    from kerjasama_cli.exchange.workbook import read_xlsx_rows

    name, rows = read_xlsx_rows(path, AGREEMENTS_SHEET)
    if not rows:
        return Sheet(path, [], name=name)
    header: list[Any] = [None]  # row 1 is blank: the columns have no header
    if rows[0][0] == 1:
        header = rows[0][1]
        rows = rows[1:]
    out = Sheet(path, header, name=name)
    out.rows = [(number, values) for number, values in rows if not _is_blank(values)]
    return out
