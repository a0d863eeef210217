"""What `kerjasama serve` serves: the exported database, made now, and Datasette's metadata."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from kerjasama_cli.i18n import _

SERVED_NAME = "kerjasama"
# Served by Datasette at /kerjasama-static/ (``serve --static``), from the server's own folder.
STATIC_MOUNT = "kerjasama-static"
STYLE_NAME = "kerjasama.css"
# Datasette lists the column descriptions one below the other above the table: 23 of them
# pushed the rows below the first screen. Here they are a grid of "name: description" pairs,
# three a row on a wide screen, in smaller type (each column header's menu shows its
# description too).
STYLE = """\
dl.column-descriptions {
  display: grid; grid-template-columns: repeat(3, max-content minmax(0, 1fr));
  gap: 0.2em 0.4em; align-items: baseline; font-size: 0.8em; line-height: 1.3;
  margin: 0.4em 0 0.8em;
}
dl.column-descriptions dt { font-weight: bold; }
dl.column-descriptions dt::after { content: ":"; }
dl.column-descriptions dd { margin: 0; padding: 0 1.5em 0 0; color: #555; white-space: normal; }
@media (max-width: 1000px) {
  dl.column-descriptions { grid-template-columns: repeat(2, max-content minmax(0, 1fr)); }
}
@media (max-width: 640px) {
  dl.column-descriptions { grid-template-columns: max-content minmax(0, 1fr); }
}
"""


def _tables(as_of: dt.date) -> dict[str, str]:
    return {
        "agreements": _("One row per agreement, with its status as of {day}").format(
            day=as_of.isoformat()
        ),
        "parties": _("The parties of each agreement, in order"),
        "sectors": _("The sectors (urusan) of each agreement"),
        "activities": _("What was done under each agreement (realisation)"),
        "evaluations": _("The evaluations (monitoring dan evaluasi) of each agreement"),
        "sources": _("Where each record's facts come from"),
        "links": _("Supersession and related agreements"),
        "regions": _("The Kemendagri gazetteer"),
        "sector_names": _("Sector keys, names and codes"),
        "export_info": _(
            "As of which date this database was made, by which version, and with which "
            "filters (empty: every agreement)"
        ),
        "agreements_with_parties": _("Each agreement with its parties' names in one row"),
        "agreements_per_province_year": _(
            "Agreements per province (a party in it) and year of signing"
        ),
    }


def _columns(as_of: dt.date) -> dict[str, dict[str, str]]:
    """A description of every column of every table and view served."""
    position = _("Its place in the agreement's list, from 1")
    agreement = _("The agreement's id")
    listed = _("(JSON array)")
    agreements = {
        "id": _("The record's id (its file name)"),
        "title": _("What the agreement is about"),
        "document": _(
            "The kind of document: kesepakatan_bersama, perjanjian_kerja_sama, "
            "nota_kesepakatan, ..."
        ),
        "status": _(
            "Its status on {day}: draf, belum_berlaku, aktif, akan_berakhir, kedaluwarsa, "
            "berakhir or dibatalkan"
        ).format(day=as_of.isoformat()),
        "category": _("The legal category as written in the record (empty: not given)"),
        "effective_category": _("The category given, or derived from the parties"),
        "obligation": _("wajib or sukarela (between regions only)"),
        "stage": _("Where an unsigned or running agreement stands (PP 28/2018)"),
        "signed_on": _("Date of signing (empty: a draft)"),
        "signed_at": _("Place of signing"),
        "starts_on": _("Date it comes into force (empty: the signing date)"),
        "ends_on": _("Date it ends"),
        "ended_on": _("Date it ended early or was cancelled"),
        "ended_reason": _("Why it ended early"),
        "parent": _("The agreement this one implements (a PKS under a KB)"),
        "dprd_required": _("1 when the DPRD's approval is required, 0 when not"),
        "dprd_number": _("The number of the DPRD's approval"),
        "dprd_on": _("Date of the DPRD's approval"),
        "scope": _("Scope items (ruang lingkup)") + " " + listed,
        "units": _("Implementing units (perangkat daerah)") + " " + listed,
        "funding": _("Sources of money: apbd, apbn, pihak_ketiga, hibah, lainnya") + " " + listed,
        "tags": _("Free labels") + " " + listed,
        "notes": _("Free notes"),
    }
    agreements.update(
        {
            "year": _("Year of signing (empty: a draft)"),
            "provinces": _(
                "The provinces of its regional parties (each province, or the province of "
                "each kabupaten or kota)"
            )
            + " "
            + listed,
        }
    )
    shown = ("id", "title", "document", "status", "signed_on", "ends_on")
    return {
        "agreements": agreements,
        "parties": {
            "agreement_id": agreement,
            "position": position,
            "name": _("The party as shown (Kab. Muara Enim, or an organisation's name)"),
            "region_code": _("Kemendagri code of a regional government"),
            "kind": _("provinsi, kabupaten, kota, ptn, bumn, ..."),
            "country": _("A foreign party's country (ISO 3166 two letters)"),
            "signatory_name": _("Who signed for the party"),
            "signatory_position": _("The signatory's office"),
            "number": _("The party's number of the document"),
        },
        "sectors": {
            "agreement_id": agreement,
            "position": position,
            "sector": _("The sector's key (see sector_names)"),
        },
        "activities": {
            "agreement_id": agreement,
            "position": position,
            "on_date": _("Date of the activity"),
            "summary": _("What was done"),
            "evidence": _("Where it is shown (documents, links)") + " " + listed,
        },
        "evaluations": {
            "agreement_id": agreement,
            "position": position,
            "on_date": _("Date of the evaluation"),
            "summary": _("What was judged"),
            "recommendation": _("lanjutkan, perpanjang, revisi or hentikan"),
            "score": _("A score from 1 to 5 (empty: none given)"),
        },
        "sources": {
            "agreement_id": agreement,
            "position": position,
            "url": _("The source's address"),
            "title": _("The source's title"),
            "publisher": _("Who published it"),
            "published_on": _("Date of publication"),
        },
        "links": {
            "agreement_id": agreement,
            "relation": _("supersedes (renews or replaces) or related"),
            "target_id": _("The other agreement's id"),
        },
        "regions": {
            "code": _("Kemendagri code"),
            "name": _("The name without its kind"),
            "kind": _("provinsi, kabupaten or kota"),
            "official_name": _("The name in full (Kabupaten Muara Enim)"),
            "display_name": _("The name as lists show it (Kab. Muara Enim)"),
            "province_code": _("The code of its province"),
            "administrative": _(
                "1 for Jakarta's administrative kota and kabupaten, which sign nothing"
            ),
        },
        "sector_names": {
            "key": _("The key records use"),
            "name": _("The urusan's official name (UU 23/2014)"),
            "code": _("The urusan's code (1.01 is pendidikan)"),
        },
        "export_info": {"key": _("What is described"), "value": _("Its value")},
        "agreements_with_parties": {
            **{name: agreements[name] for name in shown},
            "parties": _("The parties' names, in order, separated by semicolons"),
            "party_codes": _("The regional parties' codes, in order, separated by semicolons"),
        },
        "agreements_per_province_year": {
            "province_code": _("Kemendagri code of the province"),
            "province": _(
                "A province with a party in the agreement (itself or one of its regions)"
            ),
            "year": _("Year of signing"),
            "agreements": _("How many agreements"),
        },
    }


def datasette_metadata(as_of: dt.date) -> dict[str, Any]:
    """Datasette's metadata: descriptions, default facets, and the full-text search."""
    columns = _columns(as_of)
    tables: dict[str, Any] = {}
    for name, description in _tables(as_of).items():
        table: dict[str, Any] = {"description": description}
        if name in columns:
            table["columns"] = columns[name]
        tables[name] = table
    tables["agreements"].update(
        {
            "facets": [
                "status",
                "effective_category",
                "document",
                "year",
                {"array": "provinces"},
            ],
            # The first few values of each facet ("..." shows the rest): 38 provinces and a
            # dozen years would push the rows far down.
            "facet_size": 8,
            "fts_table": "agreements_fts",
            "fts_pk": "rowid",
            "sort_desc": "signed_on",
        }
    )
    tables["parties"]["facets"] = ["kind"]
    tables["agreements_per_province_year"]["facets"] = ["province", "year"]
    tables["agreements_fts"] = {"hidden": True}
    return {
        "title": _("kerjasama: regional cooperation agreements"),
        "description": _("Read-only; status computed as of {day}.").format(day=as_of.isoformat()),
        "databases": {SERVED_NAME: {"tables": tables}},
        "extra_css_urls": [f"/{STATIC_MOUNT}/{STYLE_NAME}"],
    }


def add_served_columns(database: Path) -> None:
    """Add to the exported ``agreements`` of ``database`` what its facets count by beyond the
    export's columns: ``year`` (of signing) and ``provinces`` (a JSON array of the names of
    the provinces its regional parties are in, in the parties' order, each once)."""
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        with connection:
            connection.execute("ALTER TABLE agreements ADD COLUMN year INTEGER")
            connection.execute("ALTER TABLE agreements ADD COLUMN provinces TEXT")
            connection.execute(
                "UPDATE agreements SET year = CAST(substr(signed_on, 1, 4) AS INTEGER) "
                "WHERE signed_on IS NOT NULL"
            )
            names: dict[str, list[str]] = {}
            for agreement, name in connection.execute(
                "SELECT p.agreement_id, province.name FROM parties AS p "
                "JOIN regions AS region ON region.code = p.region_code "
                "JOIN regions AS province ON province.code = region.province_code "
                "ORDER BY p.agreement_id, p.position"
            ):
                found = names.setdefault(agreement, [])
                if name not in found:
                    found.append(name)
            connection.executemany(
                "UPDATE agreements SET provinces = ? WHERE id = ?",
                [(json.dumps(found, ensure_ascii=False), key) for key, found in names.items()],
            )
    finally:
        connection.close()


def prepare_served(
    data_dir: Path, as_of: dt.date, folder: Path, *, use_cache: bool = True
) -> tuple[Path, Path, int]:
    """The database and metadata `serve` serves (and its style sheet, in ``folder`` /
    ``STATIC_MOUNT``), made in ``folder`` (this process's own) from
    the files now (copied from the index when there is one), with their status as of
    ``as_of``; and how many record files are invalid (not in it)."""
    from typing import cast

    from kerjasama_cli.exchange.export import write_export
    from kerjasama_cli.indexed import from_index
    from kerjasama_cli.model import Record
    from kerjasama_cli.query import sort_records
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.status import StatusContext

    registry = load_registry(data_dir, use_cache=use_cache)
    indexed = from_index(registry)
    copy = None
    if indexed is not None and registry.index is not None:
        records = cast("list[Record]", indexed.records)
        ctx = StatusContext(as_of, superseded=indexed.superseded)
        file_of = {id(r): f for r, f in zip(records, indexed.files, strict=True)}
        records = sort_records(records, "signed_on", ctx)
        copy = (registry.index.path, [file_of[id(r)] for r in records])
    else:
        records = registry.records
        ctx = StatusContext.for_records(records, as_of)
        records = sort_records(records, "signed_on", ctx)
    database = folder / f"{SERVED_NAME}.db"
    write_export(records, ctx, "sqlite", database, copy=copy)
    add_served_columns(database)
    static = folder / STATIC_MOUNT
    static.mkdir()
    (static / STYLE_NAME).write_text(STYLE, encoding="utf-8")
    metadata = folder / "datasette.json"
    metadata.write_text(json.dumps(datasette_metadata(as_of), indent=2), encoding="utf-8")
    return database, metadata, registry.invalid_files
