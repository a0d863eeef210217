"""The registry as a normalised SQLite database, for SQL, Datasette and pandas.

Tables: ``agreements`` (one row per agreement, computed status included, with the year it was
signed and its parties' provinces as a JSON array, for faceting), ``parties``,
``sectors``, ``activities``, ``sources`` and ``links`` (one row per agreement and item), and the
reference tables ``regions`` (the whole gazetteer) and ``sector_names``; ``export_info`` says
when and as of which date the file was made. References are declared as foreign keys and
indexed; lists without a table of their own (scope, units, funding, tags, evidence) are JSON
arrays. Dates are text YYYY-MM-DD; booleans are 0/1. ``agreements_fts`` is a full-text index
(FTS5) over title, scope, notes and the parties' names, rowid for rowid with ``agreements``;
the views ``agreements_with_parties`` (each agreement with its parties' names in one row) and
``agreements_per_province_year`` answer the common questions.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kerjasama_cli import __version__
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.model import Record
from kerjasama_cli.status import StatusContext
from kerjasama_cli.vocab import SECTORS

CACHE = "KERJASAMA_CACHE_DIR"

SCHEMA = """
CREATE TABLE export_info (
  key TEXT PRIMARY KEY,
  value TEXT
);
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  official_name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  province_code TEXT NOT NULL REFERENCES regions(code),
  administrative INTEGER NOT NULL
);
CREATE TABLE sector_names (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  code TEXT
);
CREATE TABLE agreements (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  document TEXT NOT NULL,
  status TEXT NOT NULL,
  category TEXT,
  effective_category TEXT NOT NULL,
  obligation TEXT,
  stage TEXT,
  signed_on TEXT,
  signed_at TEXT,
  starts_on TEXT,
  ends_on TEXT,
  ended_on TEXT,
  ended_reason TEXT,
  parent TEXT REFERENCES agreements(id),
  dprd_required INTEGER,
  dprd_number TEXT,
  dprd_on TEXT,
  scope TEXT,
  units TEXT,
  funding TEXT,
  tags TEXT,
  notes TEXT,
  provinces TEXT,
  year INTEGER GENERATED ALWAYS AS (CAST(substr(signed_on, 1, 4) AS INTEGER)) VIRTUAL
);
CREATE TABLE parties (
  agreement_id TEXT NOT NULL REFERENCES agreements(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  region_code TEXT REFERENCES regions(code),
  kind TEXT NOT NULL,
  country TEXT,
  signatory_name TEXT,
  signatory_position TEXT,
  number TEXT,
  PRIMARY KEY (agreement_id, position)
);
CREATE TABLE sectors (
  agreement_id TEXT NOT NULL REFERENCES agreements(id),
  position INTEGER NOT NULL,
  sector TEXT NOT NULL REFERENCES sector_names(key),
  PRIMARY KEY (agreement_id, position)
);
CREATE TABLE activities (
  agreement_id TEXT NOT NULL REFERENCES agreements(id),
  position INTEGER NOT NULL,
  on_date TEXT NOT NULL,
  summary TEXT NOT NULL,
  evidence TEXT,
  PRIMARY KEY (agreement_id, position)
);
CREATE TABLE sources (
  agreement_id TEXT NOT NULL REFERENCES agreements(id),
  position INTEGER NOT NULL,
  url TEXT,
  title TEXT,
  publisher TEXT,
  published_on TEXT,
  PRIMARY KEY (agreement_id, position)
);
CREATE TABLE links (
  agreement_id TEXT NOT NULL REFERENCES agreements(id),
  relation TEXT NOT NULL CHECK (relation IN ('supersedes', 'related')),
  target_id TEXT NOT NULL REFERENCES agreements(id),
  PRIMARY KEY (agreement_id, relation, target_id)
);
CREATE INDEX regions_province ON regions(province_code);
CREATE INDEX agreements_document ON agreements(document);
CREATE INDEX agreements_status ON agreements(status);
CREATE INDEX agreements_signed_on ON agreements(signed_on);
CREATE INDEX agreements_parent ON agreements(parent);
CREATE INDEX parties_region ON parties(region_code);
CREATE INDEX parties_kind ON parties(kind);
CREATE INDEX sectors_sector ON sectors(sector);
CREATE INDEX links_target ON links(target_id);
CREATE VIRTUAL TABLE agreements_fts USING fts5(
  title, scope, notes, parties, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIEW agreements_with_parties AS
SELECT agreements.id, agreements.title, agreements.document, agreements.effective_category,
  agreements.status, agreements.signed_on, agreements.ends_on,
  (SELECT group_concat(name, '; ') FROM
    (SELECT name FROM parties WHERE parties.agreement_id = agreements.id ORDER BY position)
  ) AS parties
FROM agreements;
CREATE VIEW agreements_per_province_year AS
SELECT province.code AS province_code, province.name AS province, agreements.year,
  COUNT(DISTINCT agreements.id) AS agreements
FROM agreements
JOIN parties ON parties.agreement_id = agreements.id
JOIN regions AS region ON region.code = parties.region_code
JOIN regions AS province ON province.code = region.province_code
GROUP BY province.code, agreements.year;
"""

# The full-text index: title, scope, notes, and each party's names (as shown, and for a region
# its name and official name too), one row per agreement with the agreement's rowid.
FILL_FTS = """
INSERT INTO agreements_fts (rowid, title, scope, notes, parties)
SELECT agreements.rowid, title, scope, notes,
  (SELECT group_concat(names, ' ; ') FROM
    (SELECT parties.name || coalesce(' ' || regions.name || ' ' || regions.official_name, '')
       AS names
     FROM parties LEFT JOIN regions ON regions.code = parties.region_code
     WHERE parties.agreement_id = agreements.id ORDER BY position))
FROM agreements
"""

# An example for the README and the tests: agreements per province (a party is the province
# or one of its kabupaten/kota; an agreement counts once per province).
AGREEMENTS_PER_PROVINCE = """
SELECT province.code, province.name, COUNT(DISTINCT parties.agreement_id) AS agreements
FROM parties
JOIN regions AS region ON region.code = parties.region_code
JOIN regions AS province ON province.code = region.province_code
GROUP BY province.code
ORDER BY agreements DESC, province.code
"""


def _json_list(items: Sequence[str] | None) -> str | None:
    return json.dumps(list(items), ensure_ascii=False) if items else None


def _date(value: object) -> str | None:
    return None if value is None else str(value)


def _provinces(record: Record) -> list[str]:
    """The provinces of the agreement's regional parties (a province, or a kabupaten/kota's)."""
    by_code = load_gazetteer().by_code
    return list(dict.fromkeys(by_code[code].province for code in record.region_codes))


def write_sqlite(path: Path, records: Sequence[Record], ctx: StatusContext) -> None:
    """Create the database at ``path`` (which must not hold another database's tables)."""
    gazetteer = load_gazetteer()
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        with connection:
            connection.executemany(
                "INSERT INTO export_info VALUES (?, ?)",
                [
                    ("as_of", ctx.as_of.isoformat()),
                    ("expiry_window_days", str(ctx.window_days)),
                    ("agreements", str(len(records))),
                    ("generated_by", f"kerjasama {__version__}"),
                ],
            )
            connection.executemany(
                "INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.code,
                        r.name,
                        r.kind,
                        r.official_name,
                        r.display_name,
                        r.province,
                        int(r.administrative),
                    )
                    for r in gazetteer.regions
                ],
            )
            connection.executemany(
                "INSERT INTO sector_names VALUES (?, ?, ?)",
                [(s.key, s.label, s.code) for s in SECTORS],
            )
            for record in records:
                _insert(connection, record, ctx)
            connection.execute(FILL_FTS)
    finally:
        connection.close()


def _insert(connection: sqlite3.Connection, record: Record, ctx: StatusContext) -> None:
    dprd = record.dprd_approval
    connection.execute(
        "INSERT INTO agreements VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.id,
            record.title,
            record.document,
            ctx.status(record),
            record.category,
            record.effective_category,
            record.obligation,
            record.stage,
            _date(record.signed_on),
            record.signed_at,
            _date(record.starts_on),
            _date(record.ends_on),
            _date(record.ended.on) if record.ended else None,
            record.ended.reason if record.ended else None,
            record.parent,
            int(dprd.required) if dprd else None,
            dprd.number if dprd else None,
            _date(dprd.on) if dprd else None,
            _json_list(record.scope),
            _json_list(record.units),
            _json_list(record.funding),
            _json_list(record.tags),
            record.notes,
            _json_list(_provinces(record)),
        ),
    )
    connection.executemany(
        "INSERT INTO parties VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                record.id,
                position,
                party.label,
                party.region,
                party.party_kind,
                party.country,
                party.signatory.name if party.signatory else None,
                party.signatory.position if party.signatory else None,
                party.number,
            )
            for position, party in enumerate(record.parties, 1)
        ],
    )
    connection.executemany(
        "INSERT INTO sectors VALUES (?, ?, ?)",
        [(record.id, position, key) for position, key in enumerate(record.sectors, 1)],
    )
    connection.executemany(
        "INSERT INTO activities VALUES (?, ?, ?, ?, ?)",
        [
            (record.id, position, _date(a.on), a.summary, _json_list(a.evidence))
            for position, a in enumerate(record.activities or [], 1)
        ],
    )
    connection.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)",
        [
            (record.id, position, s.url, s.title, s.publisher, _date(s.published_on))
            for position, s in enumerate(record.sources or [], 1)
        ],
    )
    links = {("supersedes", t) for t in record.supersedes or []}
    links |= {("related", t) for t in record.related or []}
    connection.executemany(
        "INSERT INTO links VALUES (?, ?, ?)",
        [(record.id, relation, target) for relation, target in sorted(links)],
    )


SERVED_NAME = "kerjasama"  # the database's name in Datasette's addresses (/kerjasama/agreements)

_COLUMNS = {
    "agreements": {
        "id": "The record's id (its file name)",
        "title": "What the agreement is about",
        "document": "Kind of document: kesepakatan_bersama (KB), perjanjian_kerja_sama (PKS), ...",
        "status": "Status computed as of the date in export_info (never stored in the files)",
        "category": "Category as written in the record (empty: derived)",
        "effective_category": "Category given, or derived from the parties' kinds",
        "signed_on": "Date of signing (empty: a draft)",
        "starts_on": "Date it comes into force (empty: the signing date)",
        "ends_on": "Date it ends",
        "ended_on": "Date it ended early or was cancelled",
        "parent": "The agreement this one implements (a PKS under a KB)",
        "scope": "Scope items (JSON array)",
        "notes": "Free notes",
        "provinces": "Provinces of the regional parties (JSON array)",
        "year": "Year of signing",
    },
    "parties": {
        "name": "The party as shown (Kab. Muara Enim, or an organisation's name)",
        "region_code": "Kemendagri code of a regional government",
        "kind": "provinsi, kabupaten, kota, ptn, bumn, ...",
    },
}
_TABLES = {
    "agreements": "One row per agreement",
    "parties": "The parties of each agreement, in order",
    "sectors": "The sectors (urusan) of each agreement",
    "activities": "What was done under each agreement (realisation)",
    "sources": "Where each record's facts come from",
    "links": "Supersession and related agreements",
    "regions": "The Kemendagri gazetteer",
    "sector_names": "Sector keys, names and codes",
    "export_info": "When, and as of which date, this database was made",
    "agreements_with_parties": "Each agreement with its parties' names in one row",
    "agreements_per_province_year": "Agreements per province (a party in it) and year of signing",
}


def datasette_metadata(as_of: dt.date) -> dict[str, Any]:
    """Datasette's metadata: descriptions, default facets, and the full-text search."""
    tables: dict[str, Any] = {}
    for name, description in _TABLES.items():
        table: dict[str, Any] = {"description": description}
        if name in _COLUMNS:
            table["columns"] = _COLUMNS[name]
        tables[name] = table
    tables["agreements"].update(
        {
            "facets": ["status", "effective_category", "document", "year", {"array": "provinces"}],
            "fts_table": "agreements_fts",
            "fts_pk": "rowid",
            "sort_desc": "signed_on",
        }
    )
    tables["agreements_fts"] = {"hidden": True}
    return {
        "title": "kerjasama: regional cooperation agreements",
        "description": f"Read-only; status computed as of {as_of.isoformat()}.",
        "databases": {SERVED_NAME: {"tables": tables}},
    }


def prepare_served(data_dir: Path, as_of: dt.date, *, use_cache: bool = True) -> tuple[Path, Path]:
    """The database and metadata `serve` serves, made from the files now (in the index's
    folder, never inside the data folder)."""
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.storage.cache import cache_root, index_folder
    from kerjasama_cli.storage.writing import atomic_file

    registry = load_registry(data_dir, use_cache=use_cache)
    records = registry.records
    ctx = StatusContext.for_records(records, as_of)
    folder = index_folder(data_dir)
    if folder is None:
        raise UsageError(f"the cache folder {cache_root()} is inside the data folder; set {CACHE}")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        database = folder / f"{SERVED_NAME}.db"
        with atomic_file(database, mode=0o600) as tmp:
            tmp.unlink()  # sqlite3 creates the file
            write_sqlite(tmp, records, ctx)
        metadata = folder / "datasette.json"
        with atomic_file(metadata, mode=0o600) as tmp:
            tmp.write_text(json.dumps(datasette_metadata(as_of), indent=2), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write the served database in {folder}: {exc}") from None
    return database, metadata
