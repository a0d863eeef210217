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
# pushed the rows below the first screen. Here they flow in columns, in smaller type.
STYLE = """\
dl.column-descriptions {
  columns: 18em; column-gap: 2.5em; font-size: 0.85em; margin: 0.5em 0 1em;
}
dl.column-descriptions dt { break-after: avoid; margin-top: 0.3em; }
dl.column-descriptions dd { break-before: avoid; margin: 0 0 0 1em; color: #555; }
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
    return {
        "agreements": {
            "id": _("The record's id (its file name)"),
            "status": _("Computed as of {day} (serve --as-of)").format(day=as_of.isoformat()),
            "effective_category": _("The category given, or derived from the parties"),
            "signed_on": _("Date of signing (empty: a draft)"),
            "starts_on": _("Date it comes into force (empty: the signing date)"),
            "ends_on": _("Date it ends"),
            "ended_on": _("Date it ended early or was cancelled"),
            "parent": _("The agreement this one implements (a PKS under a KB)"),
            "scope": _("Scope items (JSON array)"),
            "notes": _("Free notes"),
        },
        "parties": {
            "name": _("The party as shown (Kab. Muara Enim, or an organisation's name)"),
            "region_code": _("Kemendagri code of a regional government"),
            "kind": _("provinsi, kabupaten, kota, ptn, bumn, ..."),
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
            "facets": ["status", "effective_category", "document"],
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
    static = folder / STATIC_MOUNT
    static.mkdir()
    (static / STYLE_NAME).write_text(STYLE, encoding="utf-8")
    metadata = folder / "datasette.json"
    metadata.write_text(json.dumps(datasette_metadata(as_of), indent=2), encoding="utf-8")
    return database, metadata, registry.invalid_files
