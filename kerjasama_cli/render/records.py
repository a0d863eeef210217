"""Output of `list`: Rich tables, plain text, JSON, CSV and ids; the JSON shape of a record."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from typing import TYPE_CHECKING, Any

from kerjasama_cli.catalog import Catalog
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.light import PartyLike, ReadRecord
from kerjasama_cli.model import KEY_ORDER, Party, Record
from kerjasama_cli.render import is_terminal, stdout, tsv, write, write_json
from kerjasama_cli.storage import display_path
from kerjasama_cli.vocab import DOCUMENT_ABBREVIATIONS

if TYPE_CHECKING:  # Rich is imported only for a terminal: piped output is plain text
    from rich.table import Table
    from rich.text import Text

STATUS_STYLES = {
    "aktif": "green",
    "akan_berakhir": "yellow",
    "belum_berlaku": "cyan",
    "kedaluwarsa": "red",
    "berakhir": "dim",
    "dibatalkan": "dim red",
    "draf": "magenta",
}

PLAIN_HEADER = ["id", "status", "document", "parties", "sectors", "signed_on", "ends_on"]
CSV_HEADER = [
    "id",
    "title",
    "document",
    "category",
    "status",
    "signed_on",
    "starts_on",
    "ends_on",
    "sectors",
    "parties",
    "region_codes",
    "path",
]


def date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def party_dict(party: PartyLike, *, full: bool = False) -> dict[str, Any]:
    """A party for JSON: ``code``, ``name``, ``kind`` (+ official name) for a region."""
    out: dict[str, Any]
    if party.region is not None:
        region = load_gazetteer().by_code[party.region]
        out = {
            "code": region.code,
            "name": region.name,
            "kind": region.kind,
            "official_name": region.official_name,
        }
    else:
        out = {"name": party.name, "kind": party.kind}
        if party.country:
            out["country"] = party.country
    if full and isinstance(party, Party):
        if party.signatory:
            out["signatory"] = party.signatory.model_dump(mode="json", exclude_none=True)
        if party.number:
            out["number"] = party.number
    return out


def record_item(record: ReadRecord, catalog: Catalog, *, full: bool = False) -> dict[str, Any]:
    """One agreement as `list --format json` prints it (cli.md)."""
    return {
        "id": record.id,
        "title": record.title,
        "document": record.document,
        "category": record.effective_category,
        "status": catalog.status(record),
        "signed_on": date_text(record.signed_on),
        "starts_on": date_text(record.start_date),
        "ends_on": date_text(record.ends_on),
        "sectors": list(record.sectors),
        "parties": [party_dict(p, full=full) for p in record.parties],
        "path": display_path(catalog.path_of(record)),
    }


def record_document(record: Record, catalog: Catalog) -> dict[str, Any]:
    """One agreement in full for `show --format json`: the list shape, every stored key, links."""
    out = record_item(record, catalog, full=True)
    out["category_derived"] = record.category is None
    out["as_of"] = catalog.context.as_of.isoformat()
    stored = record.model_dump(mode="json", exclude_none=True)
    for key in KEY_ORDER:
        if key in stored and key not in out:
            out[key] = stored[key]
    out["links"] = catalog.links(record).as_dict()
    return out


def document_short(document: str) -> str:
    abbr = DOCUMENT_ABBREVIATIONS[document]
    return abbr.upper() if len(abbr) <= 3 else abbr.capitalize()


def dash(value: str | None) -> str:
    return value or "-"


# --- list ------------------------------------------------------------------------------------


def render_list(
    records: list[ReadRecord], catalog: Catalog, fmt: str, *, excel: bool = False
) -> None:
    """The selected agreements as a table (Rich or tab-separated), JSON, CSV or ids."""
    if fmt == "json":
        write_json([record_item(r, catalog) for r in records])
    elif fmt == "ids":
        if records:
            write("\n".join(r.id for r in records))
    elif fmt == "csv":
        _write_csv(records, catalog, excel=excel)
    elif is_terminal():
        stdout().print(_list_table(records, catalog, stdout().width), soft_wrap=False)
    else:
        rows = [
            [
                r.id,
                catalog.status(r),
                r.document,
                "; ".join(p.label for p in r.parties),
                ", ".join(r.sectors),
                date_text(r.signed_on) or "",
                date_text(r.ends_on) or "",
            ]
            for r in records
        ]
        write(tsv([PLAIN_HEADER, *rows]))


def _write_csv(records: list[ReadRecord], catalog: Catalog, *, excel: bool) -> None:
    buffer = io.StringIO()
    # Excel wants CRLF and a byte-order mark to read UTF-8; everyone else gets plain lines.
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(CSV_HEADER)
    for r in records:
        writer.writerow(
            [
                r.id,
                r.title,
                r.document,
                r.effective_category,
                catalog.status(r),
                date_text(r.signed_on) or "",
                date_text(r.start_date) or "",
                date_text(r.ends_on) or "",
                "; ".join(r.sectors),
                "; ".join(p.label for p in r.parties),
                "; ".join(r.region_codes),
                display_path(catalog.path_of(r)),
            ]
        )
    if excel:
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue().encode("utf-8-sig"))
        sys.stdout.buffer.flush()
    else:
        write(buffer.getvalue())


def _list_table(records: list[ReadRecord], catalog: Catalog, width: int) -> Table:
    """One line per agreement: parties and sectors share what the other columns leave."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    total = catalog.total
    as_of = catalog.context.as_of.isoformat()
    rows: list[list[str | Text]] = []
    for r in records:
        status = catalog.status(r)
        rows.append(
            [
                r.id,
                Text(status, style=STATUS_STYLES[status]),
                document_short(r.document),
                ", ".join(p.label for p in r.parties),
                ", ".join(r.sectors),
                dash(date_text(r.signed_on)),
                dash(date_text(r.ends_on)),
            ]
        )
    id_width, status_width, doc_width, signed_width, ends_width = (
        max([len(h), *(len(str(row[i])) for row in rows)]) for i, h in _FIXED_COLUMNS
    )
    # Edges and gaps between columns take 2 per column; parties and sectors share the rest. A
    # narrow terminal drops the sectors first; only then do the ids wrap.
    fixed = status_width + doc_width + signed_width + ends_width
    left = width - id_width - fixed - 2 * 7 - 1
    with_sectors = left >= 40
    if not with_sectors:
        left += 2
        if left < 16:
            id_width = max(15, id_width - (16 - left))
            left = 16
    parties_width = _share(rows, left) if with_sectors else left
    table = Table(
        box=box.SIMPLE_HEAD,
        caption=f"{len(records)} of {total} agreements, status as of {as_of}",
        caption_justify="left",
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("ID", overflow="fold", style="bold", width=id_width)
    table.add_column("Status", no_wrap=True)
    table.add_column("Doc", no_wrap=True)
    table.add_column("Parties", max_width=parties_width, no_wrap=True, overflow="ellipsis")
    if with_sectors:
        table.add_column(
            "Sectors", max_width=left - parties_width, no_wrap=True, overflow="ellipsis"
        )
    else:
        rows = [row[:4] + row[5:] for row in rows]
    table.add_column("Signed", no_wrap=True)
    table.add_column("Ends", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return table


def _share(rows: list[list[str | Text]], room: int) -> int:
    """The parties' part of ``room``; the sectors get the rest, and at least a quarter."""
    parties = max([7, *(len(str(row[3])) for row in rows)])
    sectors = max([7, *(len(str(row[4])) for row in rows)])
    return room - min(sectors, max(room - parties, room // 4))


_FIXED_COLUMNS = [(0, "ID"), (1, "Status"), (2, "Doc"), (5, "Signed"), (6, "Ends")]
