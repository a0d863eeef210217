"""What `kerjasama serve` serves: the exported database, made now, and Datasette's metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kerjasama_cli.i18n import _

SERVED_NAME = "kerjasama"


def _tables() -> dict[str, str]:
    return {
        "agreements": _("One row per agreement, with its status as of the day it was made"),
        "parties": _("The parties of each agreement, in order"),
        "sectors": _("The sectors (urusan) of each agreement"),
        "activities": _("What was done under each agreement (realisation)"),
        "evaluations": _("The evaluations (monitoring dan evaluasi) of each agreement"),
        "sources": _("Where each record's facts come from"),
        "links": _("Supersession and related agreements"),
        "regions": _("The Kemendagri gazetteer"),
        "sector_names": _("Sector keys, names and codes"),
        "export_info": _("When, and as of which date, this database was made"),
        "agreements_with_parties": _("Each agreement with its parties' names in one row"),
        "agreements_per_province_year": _(
            "Agreements per province (a party in it) and year of signing"
        ),
    }


def _columns() -> dict[str, dict[str, str]]:
    return {
        "agreements": {
            "id": _("The record's id (its file name)"),
            "status": _("Computed as of the day the database was made"),
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
    columns = _columns()
    tables: dict[str, Any] = {}
    for name, description in _tables().items():
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
    }


def served_folder(data_dir: Path) -> Path | None:
    """Where the served database of ``data_dir`` is made: beside its index, never inside the
    data folder (None when the cache folder is inside it)."""
    from kerjasama_cli.storage.cache import INDEX_FOLDER, cache_root

    real = data_dir.resolve()
    root = cache_root().resolve()
    if root == real or root.is_relative_to(real):
        return None
    return root / INDEX_FOLDER / hashlib.sha256(os.fsencode(str(real))).hexdigest()[:24]


def prepare_served(data_dir: Path, as_of: dt.date, *, use_cache: bool = True) -> tuple[Path, Path]:
    """The database and metadata `serve` serves, made from the files now (copied from the
    index when there is one), with their status as of ``as_of``."""
    from typing import cast

    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.exchange.export import write_export
    from kerjasama_cli.indexed import from_index
    from kerjasama_cli.model import Record
    from kerjasama_cli.query import sort_records
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.status import StatusContext
    from kerjasama_cli.storage.cache import CACHE_ENV, cache_root
    from kerjasama_cli.storage.writing import atomic_file

    folder = served_folder(data_dir)
    if folder is None:
        raise UsageError(
            _("the cache folder {folder} is inside the data folder; set {name}").format(
                folder=cache_root(), name=CACHE_ENV
            )
        )
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
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        database = folder / f"{SERVED_NAME}.db"
        write_export(records, ctx, "sqlite", database, copy=copy)
        metadata = folder / "datasette.json"
        with atomic_file(metadata, mode=0o600) as tmp:
            tmp.write_text(json.dumps(datasette_metadata(as_of), indent=2), encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            _("cannot write the served database in {folder}: {problem}").format(
                folder=folder, problem=exc
            )
        ) from None
    return database, metadata
