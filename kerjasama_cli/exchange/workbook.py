"""Reading an .xlsx sheet that may be hostile: bounded in size, time and memory.

A workbook is a zip of XML parts. Before openpyxl reads any of it:

- the zip must open, and no part may be larger (uncompressed, as the zip's directory declares
  it; more is never inflated) than a sheet of the largest import could need;
- no XML part may declare a DTD (``<!DOCTYPE``). A workbook never has one; a DTD is how entity
  bombs ("billion laughs") and external entities (``SYSTEM "file:///etc/passwd"``) get in. Only
  each part's prolog is read for this (expat stops at the root element).

defusedxml (which openpyxl would use if installed) is not needed for this: no DTD reaches
openpyxl, and the expat under Python's own XML parsers (2.4 and later) also refuses the
amplification of an entity bomb (tests/cli/test_hostile_xlsx.py checks both).

Then openpyxl reads in read-only mode, which streams the sheet row by row; the rows are handed
on as they are read, never all kept. Its ``<dimension>`` is not believed (a 1 KB file may claim
A1:XFD1048576, and openpyxl pads every row to the claim): rows are as wide as their last cell,
and the values read are bounded (rows, columns, cells, characters per cell). Anything wrong
with the file, whatever openpyxl raises for it, is one usage error (exit 2) that names the file
and the problem.
"""

from __future__ import annotations

import re
import warnings
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kerjasama_cli.errors import UsageError
from kerjasama_cli.exchange.rows import SheetError, Uncalculated
from kerjasama_cli.i18n import _
from kerjasama_cli.storage.files import printable

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# Limits of what an import reads (a national registry is about 100,000 agreements).
MAX_ROWS = 100_000  # data rows, below the header
MAX_COLUMNS = 1_000
MAX_CELLS = 3_000_000  # values kept, all rows together
# Cells the rows span, empty ones included: a sparse sheet with one value far to the right in
# each row is read as rows that wide (100,000 rows of 999 cells is 100 million objects).
MAX_SPANNED = 10_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
EXCEL_LAST_ROW = 1_048_576
MAX_PART_BYTES = 256 * 1024 * 1024  # one XML part, uncompressed
MAX_STRINGS_BYTES = 64 * 1024 * 1024  # the shared strings, all kept in memory by openpyxl
MAX_TOTAL_BYTES = 512 * 1024 * 1024
_PROLOG_CHUNK = 64 * 1024

# What openpyxl (and zipfile, zlib, expat under it) raise for a file that is not a workbook it
# can read: a missing part (KeyError), a bad value or a shared string index out of range
# (ValueError, IndexError, TypeError, AttributeError), broken XML (ParseError, a SyntaxError),
# a truncated or damaged zip (BadZipFile, zlib.error, EOFError, OSError).
_BROKEN: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
    OverflowError,
    RecursionError,
    NotImplementedError,
)


class BrokenWorkbook(UsageError):
    """An .xlsx file that is damaged, hostile or too large to import."""


class _Prolog(Exception):
    """Raised by the prolog scan: the root element started (fine) or a DTD did (refused)."""

    def __init__(self, dtd: bool) -> None:
        super().__init__()
        self.dtd = dtd


def broken(path: Path, problem: str) -> BrokenWorkbook:
    return BrokenWorkbook(
        _("{path} is not a readable .xlsx workbook: {problem}; nothing was written").format(
            path=printable(str(path)), problem=problem
        )
    )


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or _("no detail")
    if isinstance(exc, IndexError):
        text = _("a cell refers to a shared string that does not exist")
    elif isinstance(exc, KeyError):
        text = _("a part it refers to is missing ({detail})").format(detail=text)
    elif isinstance(exc, RecursionError):
        text = _("XML nested too deep")
    text = printable(text)
    return text if len(text) <= 200 else text[:200] + "..."


def check_archive(path: Path) -> bool:
    """Refuse a file that is not a zip, holds parts too large, or XML with a DTD; whether it
    has chart sheets."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise broken(
            path,
            _("not a zip archive, or a truncated one ({detail})").format(detail=_describe(exc)),
        ) from None
    with archive:
        total = 0
        for info in archive.infolist():
            name = printable(info.filename)
            limit = MAX_STRINGS_BYTES if "sharedstrings" in name.casefold() else MAX_PART_BYTES
            if info.file_size > limit:
                raise broken(
                    path,
                    _(
                        "part {name} is {size:,} bytes uncompressed, more than the {limit:,} an "
                        "import reads"
                    ).format(name=name, size=info.file_size, limit=limit),
                )
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise broken(
                    path,
                    _("its parts hold more than {limit:,} bytes").format(limit=MAX_TOTAL_BYTES),
                )
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                try:
                    _refuse_dtd(archive, info)
                except _BROKEN as exc:
                    raise broken(
                        path,
                        _("part {name}: {detail}").format(
                            name=printable(info.filename), detail=_describe(exc)
                        ),
                    ) from None
                except _Prolog:
                    raise broken(
                        path,
                        _(
                            "part {name} declares a DTD (<!DOCTYPE>), which a workbook never "
                            "does (entities are not expanded)"
                        ).format(name=printable(info.filename)),
                    ) from None
        return any("chartsheets/" in name for name in archive.namelist())


def _refuse_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Raise _Prolog(dtd=True) when the part's prolog declares a DTD; read only the prolog."""
    parser = xml.parsers.expat.ParserCreate()

    def root(*_: Any) -> None:
        raise _Prolog(dtd=False)

    def doctype(*_: Any) -> None:
        raise _Prolog(dtd=True)

    parser.StartElementHandler = root
    parser.StartDoctypeDeclHandler = doctype
    try:
        with archive.open(info) as src:
            while chunk := src.read(_PROLOG_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Prolog as seen:
        if seen.dtd:
            raise
    except xml.parsers.expat.ExpatError:
        return  # not well-formed: openpyxl says so if it reads this part


@contextmanager
def open_xlsx_rows(
    path: Path, wanted: str
) -> Iterator[tuple[str, int | None, Iterator[tuple[int, list[Any]]]]]:
    """The name of the sheet read (``wanted``, else the first worksheet), the number of rows
    it claims to have (for a progress bar only; None when it does not say), and its rows with
    their numbers (1-based, the header first), blank rows left out, trailing blanks cut.

    The rows are read as they are iterated, one at a time (openpyxl's read-only mode), and
    checked against the limits as they come: a sheet beyond them is refused (BrokenWorkbook)
    at the row that goes beyond. The workbook is closed when the block ends."""
    charts = check_archive(path)
    # Opened and closed here: the reading may stop at any row (one beyond the limits), and
    # openpyxl would leave a file it opened itself open until its reader is collected.
    with path.open("rb") as fh:
        book = _load(path, fh, charts)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    sheet = _worksheet(path, book, wanted)
                    claimed = _claimed_rows(sheet)
                    sheet.reset_dimensions()  # the <dimension> claim is not believed (see above)
                except BrokenWorkbook:
                    raise
                except _BROKEN as exc:
                    raise broken(path, _describe(exc)) from None
            # openpyxl keeps where the sheet's part is: without it, no formula is checked.
            pending = uncalculated_cells(path, getattr(sheet, "_worksheet_path", None))
            yield str(sheet.title), claimed, _rows(path, sheet, pending)
        finally:
            book.close()


_BROKEN_OR_EXPAT: tuple[type[BaseException], ...] = (*_BROKEN, xml.parsers.expat.ExpatError)
# A formula element (``<f>``, ``<f t="shared" .../>``, or with a prefix: ``<x:f>``), or a cell
# of the error type, anywhere in a sheet's XML; without one, the sheet is not read again.
_FORMULA_ELEMENT = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?f[\s/>]|\st="e"')
# The types of a cell whose formula may rightly give an empty result (text).
_TEXT_TYPES = frozenset(("str", "s", "inlineStr"))
_FORMULA_SHOWN = 60  # characters of a formula quoted in a problem
# Formulas without results kept (about 200 bytes each): two columns of the largest import.
MAX_UNCALCULATED = 2 * MAX_ROWS


class _TooManyUncalculated(Exception):
    """More formulas without results than ``MAX_UNCALCULATED``."""


def uncalculated_cells(path: Path, part: str | None) -> dict[tuple[int, int], str]:
    """The cells of the sheet ``part`` that hold a formula but no saved result
    (``Uncalculated``, the formula shortened), or an error value (``SheetError``), by (row,
    column), 1-based.

    Excel and LibreOffice save each formula's result beside it, and that is what an import
    reads (openpyxl's ``data_only``). A file written by a program that does not calculate
    (openpyxl, most scripts) has none: openpyxl gives None, and the cell would read as empty,
    an agreement's end date silently missing.

    A sheet with more than ``MAX_UNCALCULATED`` of them is refused (BrokenWorkbook), saying
    to save it in a spreadsheet first: keeping each in memory is what bounds this."""
    if not part:
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            if part not in archive.namelist():
                return {}
            with archive.open(part) as src:
                if not _has_formula(src):
                    return {}
            with archive.open(part) as src:
                return _scan_formulas(src)
    except _TooManyUncalculated:
        raise broken(
            path,
            _(
                "more than {limit:,} cells hold a formula without its result (the file was "
                "saved by a program that does not calculate formulas); open it in Excel or "
                "LibreOffice, save it, and import it again"
            ).format(limit=MAX_UNCALCULATED),
        ) from None
    except _BROKEN_OR_EXPAT:
        return {}  # openpyxl reads the part next, and says what is wrong with it


def _has_formula(src: IO[bytes]) -> bool:
    tail = b""
    while chunk := src.read(1024 * 1024):
        if _FORMULA_ELEMENT.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _scan_formulas(src: IO[bytes]) -> dict[tuple[int, int], str]:
    scan = _FormulaScan()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.ParseFile(src)
    return scan.found


class _FormulaScan:
    """The expat handlers of ``uncalculated_cells``: each cell's formula and value, if any."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, int], str] = {}
        self.row = self.column = 0  # where the cell being read is
        self.kind: str | None = None  # its type (``t``)
        self.formula: list[str] | None = None  # its formula's text, when it has one
        self.valued = False  # whether it has a saved result
        self.value: list[str] = []  # the saved result's text, kept for an error cell
        self.inside = ""  # "f" or "v" while their text is read

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            self.row = _number(attrs.get("r"), self.row + 1)
            self.column = 0
        elif local == "c":
            row, column = _coordinate(attrs.get("r"))
            self.row = row or self.row
            self.column = column or self.column + 1
            self.kind, self.formula, self.valued = attrs.get("t"), None, False
            self.value = []
        elif local == "f":
            self.inside, self.formula = local, []
        elif local == "v":
            self.inside = local

    def end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local in ("f", "v"):
            self.inside = ""
        elif local != "c":
            return
        elif self.kind == "e" and self.valued:
            self._found(SheetError("".join(self.value).strip()))
        elif self.formula is not None and not self.valued and self.kind not in _TEXT_TYPES:
            # A shared formula's other cells hold none of its text (``<f t="shared" si="0"/>``).
            formula = "".join(self.formula).strip() or "..."
            if len(formula) > _FORMULA_SHOWN:
                formula = formula[: _FORMULA_SHOWN - 3] + "..."
            self._found(Uncalculated("=" + formula))

    def _found(self, marked: str) -> None:
        if len(self.found) >= MAX_UNCALCULATED:
            raise _TooManyUncalculated
        self.found[self.row, self.column] = marked

    def text(self, data: str) -> None:
        if self.inside == "f" and self.formula is not None:
            if sum(map(len, self.formula)) <= _FORMULA_SHOWN:
                self.formula.append(data)
        elif self.inside == "v" and data.strip():
            self.valued = True
            if self.kind == "e" and len(self.value) < 8:
                self.value.append(data)


def _coordinate(reference: str | None) -> tuple[int, int]:
    """(row, column) of ``B12`` (``(12, 2)``); zeros for what is not a cell's reference."""
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        return coordinate_to_tuple(reference) if reference else (0, 0)
    except (ValueError, TypeError, AttributeError):
        return 0, 0


def _number(text: str | None, default: int) -> int:
    return int(text) if text is not None and text.isdigit() else default


def _load(path: Path, fh: IO[bytes], charts: bool) -> Workbook:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns about what it does not support (extensions, odd styles, dates out of
        # range): the values are still read, and its warnings are not for the person importing.
        warnings.simplefilter("ignore")
        try:
            return load_workbook(fh, read_only=True, data_only=True)
        except _BROKEN as exc:
            # openpyxl reads every chart sheet while opening the workbook, and fails on some.
            if charts:
                problem = _("a chart sheet cannot be read: {detail}").format(detail=_describe(exc))
            else:
                problem = _describe(exc)
            raise broken(path, problem) from None


def _worksheet(path: Path, book: Workbook, wanted: str) -> Any:
    worksheets = book.worksheets
    if wanted in book.sheetnames and not any(s.title == wanted for s in worksheets):
        raise broken(path, _("sheet {name!r} is a chart sheet, not a table").format(name=wanted))
    if not worksheets:
        raise broken(path, _("it has no worksheet (only chart sheets, or a sheet part is missing)"))
    return next((s for s in worksheets if s.title == wanted), worksheets[0])


def _claimed_rows(sheet: Any) -> int | None:
    """The rows the sheet's ``<dimension>`` claims, header included, at most the limit: an
    estimate for a progress bar, never a bound."""
    try:
        claimed = sheet.max_row
    except _BROKEN:
        return None
    return min(claimed, MAX_ROWS + 1) if isinstance(claimed, int) and claimed > 0 else None


def _next_values(path: Path, source: Iterator[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """The next row openpyxl reads (None at the end); whatever it raises is a BrokenWorkbook."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return next(source)
        except StopIteration:
            return None
        except _BROKEN as exc:
            raise broken(path, _describe(exc)) from None


def _marked(value: Any, marked: str | None) -> Any:
    """The value of a cell, or what ``uncalculated_cells`` found it holds (a formula without
    its result, which openpyxl reads as None; an error value, which it reads as text)."""
    if marked is None or (value is not None and not isinstance(marked, SheetError)):
        return value
    return marked


def _rows(
    path: Path, sheet: Any, uncalculated: dict[tuple[int, int], str] | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows, checked against the limits; a cell of ``uncalculated`` (a formula
    without a saved result, which openpyxl reads as empty) as an ``Uncalculated``."""
    source = sheet.iter_rows(values_only=True)
    cells = spanned = 0
    number = 0
    while (values := _next_values(path, source)) is not None:
        number += 1
        if number > EXCEL_LAST_ROW:
            raise broken(
                path,
                _("it has rows beyond row {last:,}, Excel's last").format(last=EXCEL_LAST_ROW),
            )
        if len(values) > MAX_COLUMNS:
            beyond = values[MAX_COLUMNS:]
            if beyond.count(None) != len(beyond):
                raise broken(
                    path,
                    _(
                        "row {number:,} has values beyond column {limit:,}; "
                        "an import reads at most {limit:,} columns"
                    ).format(number=number, limit=MAX_COLUMNS),
                )
            values = values[:MAX_COLUMNS]
        if uncalculated:
            values = tuple(
                _marked(value, uncalculated.get((number, column)))
                for column, value in enumerate(values, 1)
            )
        spanned += len(values)
        if spanned > MAX_SPANNED:
            raise broken(
                path,
                _(
                    "its rows span more than {limit:,} cells, empty ones included (values far "
                    "to the right of mostly empty rows); delete the empty columns or import it "
                    "in parts"
                ).format(limit=MAX_SPANNED),
            )
        kept = [v for v in values if v is not None]
        if not kept:
            continue
        if number > MAX_ROWS + 1:
            raise broken(
                path,
                _("it has more than {limit:,} rows; import it in parts").format(limit=MAX_ROWS),
            )
        cells += len(kept)
        if cells > MAX_CELLS:
            raise broken(
                path,
                _("it has more than {limit:,} filled cells; import it in parts").format(
                    limit=MAX_CELLS
                ),
            )
        for value in kept:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise broken(
                    path,
                    _(
                        "a cell of row {number:,} holds {length:,} characters, more than "
                        "Excel's {limit:,}"
                    ).format(number=number, length=len(value), limit=MAX_CELL_CHARS),
                )
        last = len(values)
        while values[last - 1] is None:
            last -= 1
        yield number, list(values[:last])
