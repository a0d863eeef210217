"""CSV and XLSX files: write the layout's rows, read a sheet back as a header and rows.

XLSX goes through openpyxl, an optional extra (``pip install 'kerjasama[xlsx]'``); asking for
it without openpyxl is a usage error (exit 2) naming the extra.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kerjasama_cli.csvtext import CsvText
from kerjasama_cli.errors import RefusedWrite, UsageError
from kerjasama_cli.exchange.layout import Cell
from kerjasama_cli.i18n import _
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
            _(
                "XLSX needs the openpyxl package, which is not installed; "
                "install it with: pip install 'kerjasama[xlsx]' (or pip install openpyxl), "
                "or use CSV"
            )
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
    delimiter: str = ",",
) -> str:
    """The rows as CSV text: comma-separated (or by ``delimiter``), quoted where needed, dates
    YYYY-MM-DD.

    Text cells go through :func:`escape_formula` (only the already escaped-looking ones
    unless ``escape_formulas``), so that import reads every value back as it was.
    """
    buffer = CsvText(line_end)
    writer = buffer.writer(delimiter)
    writer.writerow(header)

    def cells(row: Sequence[Cell | int]) -> list[str]:
        return [cell_text(v, escape_formulas=escape_formulas) for v in row]

    writer.writerows(map(cells, rows))
    return buffer.getvalue()


# Only a text starting with ' or a formula start can need escaping: the others are left as
# they are without asking (this runs for every cell of an export).
_MAY_ESCAPE = "'" + FORMULA_STARTS


def cell_text(value: Cell | int, *, escape_formulas: bool = False) -> str:
    """A cell as CSV holds it: "" for None, dates YYYY-MM-DD, text through ``escape_formula``
    (only the already escaped-looking ones unless ``escape_formulas``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value and value[0] in _MAY_ESCAPE:
            return escape_formula(value, formulas=escape_formulas)
        return value
    return _plain(value)


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
    """A table being read from a file: raw header cells, and the data rows with their row
    numbers, read one at a time as ``rows`` is iterated (blank rows left out)."""

    path: Path
    header: list[Any]
    rows: Iterator[tuple[int, list[Any]]] = field(default_factory=lambda: iter(()))
    name: str | None = None  # the worksheet read, for XLSX
    estimate: int | None = None  # data rows the file seems to hold (a progress bar's total)
    delimiter: str | None = None  # between a CSV's cells (None for XLSX)


def normalize_header(value: Any) -> str:
    """A header cell as a column name: ``Party 1 Code`` -> ``party_1_code``."""
    text = "" if value is None else str(value)
    return re.sub(r"[\s\-]+", "_", text.strip().casefold()).strip("_")


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


@contextmanager
def open_sheet(path: Path) -> Iterator[Sheet]:
    """Open a .csv or .xlsx file to read its rows as they come; usage error when missing or
    of another kind. A row beyond the import's limits, or one that cannot be read, is refused
    (a usage error or RefusedWrite) when the iteration reaches it."""
    if path.is_dir():
        raise UsageError(_("{path} is a folder; expected a .csv or .xlsx file").format(path=path))
    if not path.is_file():
        raise UsageError(_("no such file: {path}").format(path=path))
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        with _open_csv(path) as sheet:
            yield sheet
    elif suffix in (".xlsx", ".xlsm"):
        with _open_xlsx(path) as sheet:
            yield sheet
    elif suffix == ".xls":
        raise UsageError(
            _("{path}: the old .xls format is not read; save it as .xlsx or CSV UTF-8").format(
                path=path
            )
        )
    else:
        raise UsageError(_("{path}: expected a .csv or .xlsx file").format(path=path))


def _delimiter(head: str) -> str:
    """The delimiter of the first line that has two of one (a header's), else of the first
    that has one: Excel in an Indonesian (or other comma-decimal) locale saves "CSV" with
    semicolons, and a title typed above the headers may have none (``DAFTAR KERJA SAMA``) or
    a comma of its own (``DAFTAR KERJA SAMA KABUPATEN MUARA ENIM, TAHUN 2024``)."""
    lines = head.split("\n")
    for least in (2, 1):
        for line in lines:
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            best = max(counts, key=lambda d: counts[d])
            if counts[best] >= least:
                return best
    return ","


_CHUNK = 1 << 20
_FIRST_LINE_CHARS = 1 << 20  # enough of the header to tell its delimiter
_HEAD_LINES = 12  # the lines looked at for the delimiter: a title's and the header's


@dataclass(slots=True)
class _Scan:
    """What a first pass over a CSV's bytes tells: how to decode it, its first lines (for the
    delimiter) and about how many lines it has."""

    encoding: str
    first_lines: str
    lines: int


def _scan_csv(path: Path, encoding: str) -> _Scan:
    """Decode the whole file in chunks, keeping nothing but its first line. UnicodeDecodeError
    (with ``start`` as the offset in the file) when it is not text in ``encoding``; RefusedWrite
    when it holds NUL bytes."""
    from kerjasama_cli.exchange import workbook as limits

    decoder = codecs.getincrementaldecoder(encoding)()
    head = b""
    first: list[str] = []
    first_done = False
    size = lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if not head:
                head = chunk[:512]
            if size + len(chunk) > limits.MAX_PART_BYTES:
                raise UsageError(
                    _(
                        "{path} is larger than {limit:,} bytes, more than an import reads; "
                        "import it in parts; nothing was written"
                    ).format(path=path, limit=limits.MAX_PART_BYTES)
                )
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                exc.start += size - pending
                raise
            size += len(chunk)
            lines += chunk.count(b"\n")
            if "\x00" in text:
                _refuse_nul(path, head)
            if not first_done:
                first.append(text)
                joined = "".join(first)
                first_done = joined.count("\n") >= _HEAD_LINES or len(joined) >= _FIRST_LINE_CHARS
                if first_done:
                    first = ["\n".join(joined.split("\n")[:_HEAD_LINES])[:_FIRST_LINE_CHARS]]
        try:
            text = decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            exc.start += size - len(exc.object)
            raise
        if "\x00" in text:
            _refuse_nul(path, head)
        if not first_done:
            first.append(text)
    start = "".join(first)
    return _Scan(encoding, "\n".join(start.split("\n")[:_HEAD_LINES])[:_FIRST_LINE_CHARS], lines)


def _refuse_nul(path: Path, head: bytes) -> None:
    utf16 = utf16_without_bom(head)
    if utf16:
        message = _(
            "{path} is {encoding} without a byte-order mark, not UTF-8 text; in Excel use "
            "Save As > 'CSV UTF-8 (Comma delimited)'; nothing was written"
        )
    else:
        message = _(
            "{path} is binary (it has NUL bytes), not UTF-8 text; in Excel use Save As > "
            "'CSV UTF-8 (Comma delimited)'; nothing was written"
        )
    raise RefusedWrite(message.format(path=path, encoding=utf16))


def _csv_encoding(path: Path) -> _Scan:
    with path.open("rb") as fh:
        start = fh.read(2)
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark: unambiguous, so read it too.
    encoding = "utf-16" if start in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        try:
            return _scan_csv(path, encoding)
        except UnicodeDecodeError:
            if encoding == "utf-16":
                raise
            # "CSV (Comma delimited)" of Excel on Windows: the ANSI code page, Windows-1252
            # (Indonesian is written in it). Its five undefined bytes still refuse the file.
            return _scan_csv(path, "cp1252")
    except UnicodeDecodeError as exc:
        raise RefusedWrite(
            _(
                "{path} is not UTF-8 text (byte 0x{byte:02x} at offset {offset}); in Excel use "
                "Save As > 'CSV UTF-8 (Comma delimited)'; nothing was written"
            ).format(path=path, byte=_byte_at(path, exc.start), offset=exc.start)
        ) from None


def _byte_at(path: Path, offset: int) -> int:
    with path.open("rb") as fh:
        fh.seek(max(offset, 0))
        return (fh.read(1) or b"\x00")[0]


@contextmanager
def _open_csv(path: Path) -> Iterator[Sheet]:
    """A CSV read twice: once in chunks to tell its encoding and refuse what is not text,
    then row by row."""
    scan = _csv_encoding(path)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=scan.encoding, newline="")
        delimiter = _delimiter(scan.first_lines)
        reader = csv.reader(text, delimiter=delimiter)
        header = _next_csv_row(path, reader)
        if header is None:
            yield Sheet(path, [], delimiter=delimiter)
            return
        yield Sheet(
            path,
            header,
            _csv_rows(path, reader),
            estimate=max(scan.lines - 1, 0),
            delimiter=delimiter,
        )


def _next_csv_row(path: Path, reader: Iterator[list[str]]) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise RefusedWrite(
                _(
                    "{path}: line {line}: a cell is longer than {limit} characters; expected "
                    "the cells of a list of agreements; nothing was written"
                ).format(
                    path=path,
                    line=getattr(reader, "line_num", "?"),
                    limit=csv.field_size_limit(),
                )
            ) from None
        raise RefusedWrite(
            _("{path}: not readable as CSV ({problem}); nothing was written").format(
                path=path, problem=exc
            )
        ) from None
    except UnicodeDecodeError:
        raise RefusedWrite(
            _("{path} changed while it was read; nothing was written").format(path=path)
        ) from None


def _csv_rows(path: Path, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[Any]]]:
    from kerjasama_cli.exchange import workbook as limits

    number = 1
    while (values := _next_csv_row(path, reader)) is not None:
        number += 1
        if number > limits.MAX_ROWS + 1:
            raise UsageError(
                _(
                    "{path} has more than {limit:,} rows; import it in parts; nothing was written"
                ).format(path=path, limit=limits.MAX_ROWS)
            )
        if not _is_blank(values):
            # Cells escaped by `export --escape-formulas` (or typed '=... in a spreadsheet).
            yield number, [unescape_formula(v) for v in values]


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Sheet]:
    """The sheet ``agreements``, else the first worksheet (bounded and checked: workbook.py)."""
    require_openpyxl()
    from kerjasama_cli.exchange.workbook import open_xlsx_rows

    with open_xlsx_rows(path, AGREEMENTS_SHEET) as (name, claimed, rows):
        first = next(rows, None)
        if first is None:
            yield Sheet(path, [], name=name)
            return
        estimate = None if claimed is None else max(claimed - 1, 0)
        if first[0] == 1:
            # Row 1 is the header.
            yield Sheet(path, first[1], _data_rows(rows), name, estimate)
        else:
            # Row 1 is blank: the columns have no header.
            yield Sheet(path, [None], _data_rows(itertools.chain([first], rows)), name, estimate)


def _data_rows(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    return ((number, values) for number, values in rows if not _is_blank(values))
