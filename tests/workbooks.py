"""Workbooks built part by part (zipfile), so that tests can break any part of one.

``workbook()`` returns the bytes of a minimal valid .xlsx: content types, relationships, a
workbook with one sheet (``agreements``), that sheet, shared strings and styles. Each keyword
replaces one part's XML (or, with ``None``, leaves the part out), so a test states exactly what
is hostile about its file instead of checking in a binary.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from kerjasama_cli.exchange.sheets import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CHART_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"

HEADER = ["title", "document", "party_1", "party_2", "sectors", "signed_on"]
ROW = ["Uji", "kb", "Jawa Barat", "Banten", "pendidikan", "2024-01-02"]


def inline_row(number: int, values: Sequence[str]) -> str:
    cells = "".join(
        f'<c r="{column_letter(i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(rows: str | None = None, dimension: str = "A1:F2", prolog: str = "") -> str:
    if rows is None:
        rows = inline_row(1, HEADER) + inline_row(2, ROW)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def workbook_xml(sheets: str = '<sheet name="agreements" sheetId="1" r:id="rId1"/>') -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def shared_strings_xml(strings: Sequence[str] = (), prolog: str = "") -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )


def styles_xml(
    num_fmts: str = "",
    cell_xfs: str = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
) -> str:
    fmts = f"<numFmts>{num_fmts}</numFmts>" if num_fmts else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">{fmts}'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f"<cellXfs>{cell_xfs}</cellXfs>"
        "</styleSheet>"
    )


def workbook(
    *,
    sheet: str | None = None,
    workbook_part: str | None = None,
    shared_strings: str | None = None,
    styles: str | None = None,
    sheet_content_type: str = SHEET_CT,
    sheet_target: str = "worksheets/sheet1.xml",
    leave_out: Sequence[str] = (),
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """The bytes of an .xlsx file; keywords replace parts, ``leave_out`` drops them."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/{sheet_target}" ContentType="{sheet_content_type}"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": workbook_part if workbook_part is not None else workbook_xml(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{RELS}/'
            f'{"chartsheet" if sheet_content_type == CHART_CT else "worksheet"}" '
            f'Target="{sheet_target}"/>'
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        f"xl/{sheet_target}": sheet if sheet is not None else sheet_xml(),
        "xl/sharedStrings.xml": shared_strings
        if shared_strings is not None
        else shared_strings_xml(),
        "xl/styles.xml": styles if styles is not None else styles_xml(),
    }
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if name not in leave_out:
                archive.writestr(name, content)
    return buffer.getvalue()
