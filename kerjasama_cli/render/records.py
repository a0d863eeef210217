"""Output of `list` and `show`: Rich tables, plain text, JSON, CSV and ids."""

from __future__ import annotations

import csv
import io
import sys
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kerjasama_cli.catalog import Catalog
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.model import KEY_ORDER, Party, Record
from kerjasama_cli.render import stdout, tsv, write, write_json
from kerjasama_cli.storage import display_path
from kerjasama_cli.vocab import (
    CATEGORY_LABELS,
    DOCUMENT_ABBREVIATIONS,
    DOCUMENT_LABELS,
    SECTORS_BY_KEY,
)

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


def _date(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def party_dict(party: Party, *, full: bool = False) -> dict[str, Any]:
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
    if full:
        if party.signatory:
            out["signatory"] = party.signatory.model_dump(mode="json", exclude_none=True)
        if party.number:
            out["number"] = party.number
    return out


def record_item(record: Record, catalog: Catalog, *, full: bool = False) -> dict[str, Any]:
    """One agreement as `list --format json` prints it (cli.md)."""
    return {
        "id": record.id,
        "title": record.title,
        "document": record.document,
        "category": record.effective_category,
        "status": catalog.status(record),
        "signed_on": _date(record.signed_on),
        "starts_on": _date(record.start_date),
        "ends_on": _date(record.ends_on),
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


def _document_short(document: str) -> str:
    abbr = DOCUMENT_ABBREVIATIONS[document]
    return abbr.upper() if len(abbr) <= 3 else abbr.capitalize()


def _dash(value: str | None) -> str:
    return value or "-"


# --- list ------------------------------------------------------------------------------------


def render_list(records: list[Record], catalog: Catalog, fmt: str, *, excel: bool = False) -> None:
    """The selected agreements as a table (Rich or tab-separated), JSON, CSV or ids."""
    if fmt == "json":
        write_json([record_item(r, catalog) for r in records])
    elif fmt == "ids":
        if records:
            write("\n".join(r.id for r in records))
    elif fmt == "csv":
        _write_csv(records, catalog, excel=excel)
    elif stdout().is_terminal:
        stdout().print(_list_table(records, catalog, stdout().width), soft_wrap=False)
    else:
        rows = [
            [
                r.id,
                catalog.status(r),
                r.document,
                "; ".join(p.label for p in r.parties),
                ", ".join(r.sectors),
                _date(r.signed_on) or "",
                _date(r.ends_on) or "",
            ]
            for r in records
        ]
        write(tsv([PLAIN_HEADER, *rows]))


def _write_csv(records: list[Record], catalog: Catalog, *, excel: bool) -> None:
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
                _date(r.signed_on) or "",
                _date(r.start_date) or "",
                _date(r.ends_on) or "",
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


def _list_table(records: list[Record], catalog: Catalog, width: int) -> Table:
    """One line per agreement: parties and sectors share what the other columns leave."""
    total = len(catalog.records)
    as_of = catalog.context.as_of.isoformat()
    rows: list[list[str | Text]] = []
    for r in records:
        status = catalog.status(r)
        rows.append(
            [
                r.id,
                Text(status, style=STATUS_STYLES[status]),
                _document_short(r.document),
                ", ".join(p.label for p in r.parties),
                ", ".join(r.sectors),
                _dash(_date(r.signed_on)),
                _dash(_date(r.ends_on)),
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


# --- show ------------------------------------------------------------------------------------


def render_record(record: Record, catalog: Catalog, fmt: str, text: str | None = None) -> None:
    """One agreement in full: readable (Rich or plain), JSON, or its YAML ``text`` as stored."""
    if fmt == "json":
        write_json(record_document(record, catalog))
    elif fmt == "yaml":
        write(text or "")
    elif stdout().is_terminal:
        stdout().print(_record_view(record, catalog, terminal=True), soft_wrap=False)
    else:
        with stdout().capture() as captured:
            stdout().print(_record_view(record, catalog, terminal=False), soft_wrap=False)
        write("\n".join(line.rstrip() for line in captured.get().splitlines()))


def _fields(rows: list[tuple[str, str | Text]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def _section(title: str, terminal: bool) -> Text:
    return Text(f"\n{title}", style="bold underline" if terminal else "")


def _sub_table(headers: list[str], rows: list[list[str]], terminal: bool) -> Table:
    """A table without box drawing when piped; columns that are empty in every row are left out."""
    keep = [i for i in range(len(headers)) if any(row[i] for row in rows)]
    table = Table(
        *(headers[i] for i in keep),
        box=box.SIMPLE_HEAD if terminal else None,
        pad_edge=False,
        show_edge=False,
    )
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    return table


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def _status_line(record: Record, catalog: Catalog) -> Text:
    status = catalog.status(record)
    as_of = catalog.context.as_of
    line = Text(status, style=STATUS_STYLES[status])
    detail = f" as of {as_of.isoformat()}"
    start = record.start_date
    if record.ends_on and status in ("aktif", "akan_berakhir"):
        detail += f" (ends in {_days((record.ends_on - as_of).days)})"
    elif start and status == "belum_berlaku":
        detail += f" (starts in {_days((start - as_of).days)})"
    elif record.ends_on and status == "kedaluwarsa":
        detail += f" (expired {_days((as_of - record.ends_on).days)} ago)"
    superseded_by = catalog.links(record).superseded_by
    if status == "berakhir" and superseded_by and not record.ended:
        detail += f" (superseded by {', '.join(superseded_by)})"
    line.append(detail)
    return line


def _sector_line(key: str) -> str:
    sector = SECTORS_BY_KEY[key]
    line = key if sector.code is None else f"{key} {sector.code}"
    return line if sector.label == key.replace("_", " ") else f"{line} ({sector.label})"


def _overview(record: Record, catalog: Catalog) -> list[tuple[str, str | Text]]:
    category = f"{record.effective_category} ({CATEGORY_LABELS[record.effective_category]})"
    if record.category is None:
        category += ", derived from the parties"
    rows: list[tuple[str, str | Text]] = [
        ("id", record.id),
        ("document", f"{DOCUMENT_LABELS[record.document]} [{record.document}]"),
        ("category", category),
        ("status", _status_line(record, catalog)),
    ]
    if record.obligation:
        rows.append(("obligation", record.obligation))
    if record.stage:
        rows.append(("stage", record.stage))
    signed = _dash(_date(record.signed_on)) if record.signed_on else "not signed (draft)"
    if record.signed_at:
        signed += f" at {record.signed_at}"
    rows.append(("signed", signed))
    if record.starts_on:
        rows.append(("starts", record.starts_on.isoformat()))
    rows.append(("ends", _dash(_date(record.ends_on))))
    if record.ended:
        rows.append(("ended", f"{record.ended.on.isoformat()} ({record.ended.reason})"))
    rows.append(("sectors", "\n".join(_sector_line(s) for s in record.sectors)))
    if record.scope:
        rows.append(("scope", "\n".join(f"- {s}" for s in record.scope)))
    if record.units:
        rows.append(("units", ", ".join(record.units)))
    if record.funding:
        rows.append(("funding", ", ".join(record.funding)))
    if record.dprd_approval:
        dprd = record.dprd_approval
        parts = ["required" if dprd.required else "not required"]
        if dprd.number:
            parts.append(f"number {dprd.number}")
        if dprd.on:
            parts.append(f"on {dprd.on.isoformat()}")
        rows.append(("DPRD approval", ", ".join(parts)))
    if record.tags:
        rows.append(("tags", ", ".join(record.tags)))
    if record.notes:
        rows.append(("notes", record.notes))
    rows.append(("file", display_path(catalog.path_of(record))))
    return rows


def _party_rows(record: Record) -> list[list[str]]:
    rows = []
    for number, party in enumerate(record.parties, 1):
        if party.region is not None:
            region = load_gazetteer().by_code[party.region]
            name, code, kind = region.display_name, region.code, region.kind
        else:
            name, code, kind = party.label, party.country or "", party.party_kind
        signatory = ""
        if party.signatory:
            signatory = party.signatory.name
            if party.signatory.position:
                signatory += f", {party.signatory.position}"
        rows.append([str(number), name, code, kind, signatory, party.number or ""])
    return rows


def _link_rows(record: Record, catalog: Catalog) -> list[list[str]]:
    links = catalog.links(record)
    groups = [
        ("parent", [links.parent] if links.parent else []),
        ("implemented by", list(links.implemented_by)),
        ("supersedes", list(links.supersedes)),
        ("superseded by", list(links.superseded_by)),
        ("related", list(links.related)),
    ]
    rows = []
    for label, ids in groups:
        for linked_id in ids:
            other = catalog.get(linked_id)
            if other is None:
                rows.append([label, linked_id, "", "(not in the registry)"])
            else:
                rows.append(
                    [label, linked_id, _document_short(other.document), catalog.status(other)]
                )
    return rows


def _activity_rows(record: Record) -> list[tuple[str, str | Text]]:
    rows: list[tuple[str, str | Text]] = []
    for activity in record.activities or []:
        lines = [activity.summary, *(f"  {e}" for e in activity.evidence)]
        rows.append((activity.on.isoformat(), "\n".join(lines)))
    return rows


def _source_rows(record: Record) -> list[tuple[str, str | Text]]:
    rows: list[tuple[str, str | Text]] = []
    for number, source in enumerate(record.sources or [], 1):
        lines = [source.title or source.url or ""]
        about = ", ".join(x for x in (source.publisher, _date(source.published_on)) if x)
        if about:
            lines.append(f"  {about}")
        if source.url and source.title:
            lines.append(f"  {source.url}")
        rows.append((f"{number}.", "\n".join(lines)))
    return rows


def _record_view(record: Record, catalog: Catalog, *, terminal: bool) -> Group:
    parts: list[RenderableType] = [
        Text(record.title, style="bold" if terminal else ""),
        Text(""),
        _fields(_overview(record, catalog)),
        _section("Parties", terminal),
        _sub_table(
            ["#", "party", "code", "kind", "signatory", "number"], _party_rows(record), terminal
        ),
    ]
    links = _link_rows(record, catalog)
    if links:
        parts += [
            _section("Linked records", terminal),
            _sub_table(["link", "id", "document", "status"], links, terminal),
        ]
    if record.activities:
        parts += [_section("Activities", terminal), _fields(_activity_rows(record))]
    if record.sources:
        parts += [_section("Sources", terminal), _fields(_source_rows(record))]
    return Group(*parts)
