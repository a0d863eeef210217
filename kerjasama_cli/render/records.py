"""Output of `list`: Rich tables, plain text, JSON, CSV and ids; the JSON shape of a record."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kerjasama_cli.catalog import Catalog
from kerjasama_cli.csvtext import CsvText
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import N_, _, format_date, ngettext
from kerjasama_cli.labels import label, short_label
from kerjasama_cli.model import KEY_ORDER, Party, Record
from kerjasama_cli.render import is_terminal, stdout, tsv, write, write_json
from kerjasama_cli.storage import display_path
from kerjasama_cli.vocab import DOCUMENT_ABBREVIATIONS

if TYPE_CHECKING:  # Rich is imported only for a terminal: piped output is plain text
    from rich.console import RenderableType
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

# The piped table: one agreement a line, tab-separated, with labels and dates as people write
# them (scripts read --format csv, json or ids, which keep keys and ISO dates).
PLAIN_HEADER = (
    N_("ID"),
    N_("Status"),
    N_("Document"),
    N_("Parties"),
    N_("Sectors"),
    N_("Signed on"),
    N_("Ends on"),
)
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
    records: list[Record],
    catalog: Catalog,
    fmt: str,
    *,
    excel: bool = False,
    asked: tuple[str, ...] = (),
) -> None:
    """The selected agreements as a table (Rich or tab-separated), JSON, CSV or ids.

    ``asked``: the regions of ``--region``; in a terminal's table, where the parties are cut
    short to fit, each agreement's other parties come first (its partners, what is asked)."""
    if fmt == "json":
        write_json([record_item(r, catalog) for r in records])
    elif fmt == "ids":
        if records:
            write("\n".join(r.id for r in records))
    elif fmt == "csv":
        _write_csv(records, catalog, excel=excel)
    elif is_terminal():
        table = _list_table(records, catalog, stdout().width, asked)
        if table is None:  # too narrow for ids and parties side by side
            stdout().print(_stacked_list(records, catalog, asked), soft_wrap=False)
        else:
            stdout().print(table, soft_wrap=False)
    else:
        write(_plain_list(records, catalog))


class _Memo(dict[Any, str]):
    """``function(key)`` for each key, made the first time it is asked for: a list of 100,000
    agreements has a few hundred labels and dates."""

    def __init__(self, function: Callable[[Any], str]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> str:
        value = self[key] = self.function(key)
        return value


def _plain_list(records: list[Record], catalog: Catalog) -> str:
    """The tab-separated table of ``list`` on a pipe (``tsv`` of its rows)."""
    statuses = _Memo(lambda key: label("status", key))
    documents = _Memo(lambda key: label("document", key))
    sector = _Memo(lambda key: label("sector", key))
    sectors = _Memo(lambda keys: ", ".join([sector[s] for s in keys]))
    dates = _Memo(format_date)
    status = catalog.status
    rows = [
        [
            r.id,
            statuses[status(r)],
            documents[r.document],
            "; ".join([p.label for p in r.parties]),
            sectors[tuple(r.sectors)],
            dates[r.signed_on],
            dates[r.ends_on],
        ]
        for r in records
    ]
    return tsv([[_(h) for h in PLAIN_HEADER], *rows])


def _write_csv(records: list[Record], catalog: Catalog, *, excel: bool) -> None:
    # Excel wants CRLF and a byte-order mark to read UTF-8; everyone else gets plain lines.
    buffer = CsvText("\r\n" if excel else "\n")
    writer = buffer.writer()
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


_HEADERS = ("ID", "Status", "Doc", "Parties", "Sectors", "Signed", "Ends")
# What each column is called on screen (the names above are the columns' own names).
_TITLES = {
    "ID": N_("ID"),
    "Status": N_("Status"),
    "Doc": N_("Doc"),
    "Parties": N_("Parties"),
    "Sectors": N_("Sectors"),
    "Signed": N_("Signed"),
    "Ends": N_("Ends"),
}
# Left out, in this order, while the table is wider than the terminal: as `gh` does, a narrow
# terminal shows fewer columns rather than wrapping each line over several.
_DROP_ORDER = ("Sectors", "Ends", "Doc", "Signed")
# Columns cut short with an ellipsis rather than left out, down to this width.
_SHRINKABLE = {"Parties": 12, "Sectors": 12}
_GAP = 2  # between columns (and one at the end)
# The least width of the parties column for a one-line table: narrower, the list is stacked.
_PARTIES_READABLE = 30


def _list_table(
    records: list[Record], catalog: Catalog, width: int, asked: tuple[str, ...] = ()
) -> Table | None:
    """One line per agreement: the less important columns are left out first (sectors, end
    date, document, signing date), then the parties are cut short. None when even then the
    ids would be cut, or the parties cut shorter than ``_PARTIES_READABLE`` (an 80-column
    terminal showed "kb-muara-enim-kementerian-pariwisata-dan-ekonomi-kre…" beside "Kab.
    Muara …"): the list is stacked instead (``_stacked_list``)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    rows: list[list[str | Text]] = []
    for r in records:
        status = catalog.status(r)
        rows.append(
            [
                r.id,
                Text(label("status", status), style=STATUS_STYLES[status]),
                short_label("document", r.document),
                ", ".join(_partners_first(r, asked)),
                ", ".join(label("sector", s) for s in r.sectors),
                dash(format_date(r.signed_on, short=True)),
                dash(format_date(r.ends_on, short=True)),
            ]
        )
    titles = {h: _(t) for h, t in _TITLES.items()}
    natural = {
        h: max([len(titles[h]), *(len(str(row[i])) for row in rows)])
        for i, h in enumerate(_HEADERS)
    }
    shown = list(_HEADERS)

    def fixed(columns: list[str]) -> int:
        return sum(natural[c] for c in columns if c not in _SHRINKABLE) + _GAP * len(columns) + 1

    def least(columns: list[str]) -> int:
        return fixed(columns) + sum(
            min(natural[c], _SHRINKABLE[c]) for c in columns if c in _SHRINKABLE
        )

    readable = min(natural["Parties"], _PARTIES_READABLE)

    def parties_width(columns: list[str]) -> int:
        room = width - fixed(columns)
        if "Sectors" in columns:
            return _share(natural["Parties"], natural["Sectors"], room)
        return room

    for column in _DROP_ORDER:
        if least(shown) <= width and parties_width(shown) >= readable:
            break
        shown.remove(column)
    room = width - fixed(shown)  # for the shrinkable columns
    if room < readable:
        return None
    widths = {"Parties": room}
    if "Sectors" in shown:
        parties = _share(natural["Parties"], natural["Sectors"], room)
        widths = {"Parties": parties, "Sectors": room - parties}
    table = Table(
        box=box.SIMPLE_HEAD,
        caption=_caption(records, catalog),
        caption_justify="left",
        pad_edge=False,
        collapse_padding=True,
    )
    for header in shown:
        if header == "ID":
            table.add_column(titles[header], style="bold", no_wrap=True)
        elif header in widths:
            table.add_column(
                titles[header], max_width=widths[header], no_wrap=True, overflow="ellipsis"
            )
        else:
            table.add_column(titles[header], no_wrap=True)
    keep = [_HEADERS.index(h) for h in shown]
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    return table


def _stacked_list(
    records: list[Record], catalog: Catalog, asked: tuple[str, ...] = ()
) -> RenderableType:
    """Each agreement on two lines or more, for a terminal too narrow for a table: its id
    whole and its status, then, indented, its parties in full and its dates."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    width = stdout().width
    blocks: list[RenderableType] = []
    for r in records:
        status = catalog.status(r)
        said = label("status", status)
        head = Text(r.id, style="bold", overflow="fold")
        beside = len(r.id) + 2 + len(said) <= width  # else the status would split the id
        if beside:
            head.append("  ")
            head.append(said, style=STATUS_STYLES[status])
        parties = "; ".join(_partners_first(r, asked))
        dates = " - ".join(
            d
            for d in (format_date(r.signed_on, short=True), format_date(r.ends_on, short=True))
            if d
        )
        body = Text() if beside else Text(said + "  ", style=STATUS_STYLES[status])
        body.append(parties)
        if dates:
            body.append(f"  ({dates})", style="dim")
        blocks += [head, Padding(body, (0, 0, 0, 2))]
    blocks += [Text(""), Text(_caption(records, catalog))]
    return Group(*blocks)


def _caption(records: list[Record], catalog: Catalog) -> str:
    """Below a terminal's list: how many of the registry's agreements, and as of when."""
    return ngettext(
        "{shown} of {total} agreement, status as of {date}",
        "{shown} of {total} agreements, status as of {date}",
        catalog.total,
    ).format(shown=len(records), total=catalog.total, date=format_date(catalog.context.as_of))


def _partners_first(record: Record, asked: tuple[str, ...]) -> list[str]:
    """The parties' labels, the regions of ``--region`` last: in a terminal, what is asked
    is each agreement's partners."""
    return [p.label for p in sorted(record.parties, key=lambda p: p.region in asked)]


def _share(parties: int, sectors: int, room: int) -> int:
    """The parties' part of ``room``; the sectors get the rest, and at least a quarter."""
    return room - min(max(sectors, 7), max(room - max(parties, 7), room // 4))
