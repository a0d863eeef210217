"""The registry as a normalised SQLite database, for SQL, Datasette and pandas.

Tables: ``agreements`` (one row per agreement, computed status included), ``parties``,
``sectors``, ``activities``, ``evaluations``, ``sources`` and ``links`` (one row per agreement
and item), and the reference tables ``regions`` (the whole gazetteer) and ``sector_names``;
``export_info`` says when and as of which date the file was made. References are declared as
foreign keys and indexed; lists without a table of their own (scope, units, funding, tags,
evidence) are JSON arrays. Dates are text YYYY-MM-DD; booleans are 0/1. Beside them: the
full-text table ``agreements_fts`` (title, scope, notes, party names; trigram, so any part of
a word matches) and the views ``agreements_with_parties`` and ``agreements_per_province_year``.

The registry's index (storage/cache.py) keeps the same tables, one set of rows per record
file (``file`` is the index's number of the file, ``agreements`` has no ``status``, which
depends on the date asked about): ``export --format sqlite`` then copies the selected rows
from the index (``copy_from_index``) instead of building them from records, and the rows
themselves are made by one function, ``record_rows``, for both.
"""

from __future__ import annotations

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
  notes TEXT
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
CREATE TABLE evaluations (
  agreement_id TEXT NOT NULL REFERENCES agreements(id),
  position INTEGER NOT NULL,
  on_date TEXT NOT NULL,
  summary TEXT NOT NULL,
  recommendation TEXT NOT NULL,
  score INTEGER,
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


# The index's copies of the tables above (storage/cache.py): the same columns, less the status
# of agreements, plus the file each row came from, without the constraints that two files
# with the same id (an error, until one is renamed) would break.
INDEX_SCHEMA = """
CREATE TABLE agreements (
  file INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  title TEXT NOT NULL,
  document TEXT NOT NULL,
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
  parent TEXT,
  dprd_required INTEGER,
  dprd_number TEXT,
  dprd_on TEXT,
  scope TEXT,
  units TEXT,
  funding TEXT,
  tags TEXT,
  notes TEXT,
  derived_category TEXT NOT NULL,
  regions TEXT,
  sector_keys TEXT NOT NULL,
  activity_days TEXT,
  party_view BLOB NOT NULL,
  view BLOB NOT NULL
);
CREATE TABLE parties (
  file INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  region_code TEXT,
  kind TEXT NOT NULL,
  country TEXT,
  signatory_name TEXT,
  signatory_position TEXT,
  number TEXT
);
CREATE TABLE sectors (
  file INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  sector TEXT NOT NULL
);
CREATE TABLE activities (
  file INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  on_date TEXT NOT NULL,
  summary TEXT NOT NULL,
  evidence TEXT
);
CREATE TABLE evaluations (
  file INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  on_date TEXT NOT NULL,
  summary TEXT NOT NULL,
  recommendation TEXT NOT NULL,
  score INTEGER
);
CREATE TABLE sources (
  file INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  url TEXT,
  title TEXT,
  publisher TEXT,
  published_on TEXT
);
CREATE TABLE links (
  file INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  relation TEXT NOT NULL,
  target_id TEXT NOT NULL
);
CREATE INDEX agreements_document ON agreements(document);
CREATE INDEX agreements_signed_on ON agreements(signed_on);
CREATE INDEX agreements_parent ON agreements(parent);
CREATE INDEX parties_file ON parties(file);
CREATE INDEX parties_region ON parties(region_code);
CREATE INDEX parties_kind ON parties(kind);
CREATE INDEX sectors_file ON sectors(file);
CREATE INDEX sectors_sector ON sectors(sector);
CREATE INDEX activities_file ON activities(file);
CREATE INDEX evaluations_file ON evaluations(file);
CREATE INDEX sources_file ON sources(file);
CREATE INDEX links_file ON links(file);
CREATE INDEX links_target ON links(target_id);
"""
# The tables of a record (in INDEX_SCHEMA and SCHEMA), in the order record_rows gives them.
ITEM_TABLES = ("parties", "sectors", "activities", "evaluations", "sources", "links")

# Full-text search and views of the exported database (made from its tables, the same SQL
# whichever way the tables were filled).
EXTRAS = """
CREATE VIRTUAL TABLE agreements_fts USING fts5(
  title, scope, notes, parties, content='', tokenize='trigram'
);
INSERT INTO agreements_fts (rowid, title, scope, notes, parties)
SELECT a.rowid, a.title, a.scope, a.notes,
  (SELECT group_concat(name, '; ') FROM (
     SELECT p.name || coalesce('; ' || r.name || '; ' || r.official_name, '') AS name
     FROM parties AS p LEFT JOIN regions AS r ON r.code = p.region_code
     WHERE p.agreement_id = a.id ORDER BY p.position))
FROM agreements AS a;
CREATE VIEW agreements_with_parties AS
SELECT a.id, a.title, a.document, a.status, a.signed_on, a.ends_on,
  (SELECT group_concat(name, '; ') FROM (
     SELECT p.name FROM parties AS p WHERE p.agreement_id = a.id ORDER BY p.position))
    AS parties,
  (SELECT group_concat(code, '; ') FROM (
     SELECT p.region_code AS code FROM parties AS p
     WHERE p.agreement_id = a.id AND p.region_code IS NOT NULL ORDER BY p.position))
    AS party_codes
FROM agreements AS a;
CREATE VIEW agreements_per_province_year AS
SELECT province.code AS province_code, province.name AS province,
  CAST(substr(a.signed_on, 1, 4) AS INTEGER) AS year,
  COUNT(DISTINCT a.id) AS agreements
FROM agreements AS a
JOIN parties AS p ON p.agreement_id = a.id
JOIN regions AS region ON region.code = p.region_code
JOIN regions AS province ON province.code = region.province_code
GROUP BY province.code, year
ORDER BY province.code, year;
"""

# Agreements per year, for the README and the benchmark's reference line.
AGREEMENTS_PER_YEAR = """
SELECT substr(signed_on, 1, 4) AS year, COUNT(*) AS agreements
FROM agreements GROUP BY year ORDER BY year
"""


def _json_list(items: Sequence[str] | None) -> str | None:
    return json.dumps(list(items), ensure_ascii=False) if items else None


def _date(value: object) -> str | None:
    return None if value is None else str(value)


Rows = tuple[tuple[Any, ...], tuple[list[tuple[Any, ...]], ...]]


def record_rows(record: Record) -> Rows:
    """A record's rows: its ``agreements`` row without the status, and its rows of each of
    ITEM_TABLES, each starting with the agreement's id."""
    dprd = record.dprd_approval
    rid = record.id
    agreement = (
        rid,
        record.title,
        record.document,
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
    )
    parties = [
        (
            rid,
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
    ]
    sectors = [(rid, position, key) for position, key in enumerate(record.sectors, 1)]
    activities = [
        (rid, position, _date(a.on), a.summary, _json_list(a.evidence))
        for position, a in enumerate(record.activities or [], 1)
    ]
    evaluations = [
        (rid, position, _date(e.on), e.summary, e.recommendation, e.score)
        for position, e in enumerate(record.evaluations or [], 1)
    ]
    sources = [
        (rid, position, s.url, s.title, s.publisher, _date(s.published_on))
        for position, s in enumerate(record.sources or [], 1)
    ]
    links = {("supersedes", t) for t in record.supersedes or []}
    links |= {("related", t) for t in record.related or []}
    link_rows = [(rid, relation, target) for relation, target in sorted(links)]
    return agreement, (parties, sectors, activities, evaluations, sources, link_rows)


def run_script(connection: sqlite3.Connection, script: str) -> None:
    """Each statement of ``script``, inside the transaction in progress (``executescript``
    would commit it first)."""
    statement = ""
    for part in script.split(";"):
        statement += part + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                connection.execute(statement)
            statement = ""


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _start(connection: sqlite3.Connection, count: int, ctx: StatusContext, filters: str) -> None:
    """The schema, export_info and the reference tables."""
    gazetteer = load_gazetteer()
    run_script(connection, SCHEMA)
    connection.executemany(
        "INSERT INTO export_info VALUES (?, ?)",
        [
            ("as_of", ctx.as_of.isoformat()),
            ("expiry_window_days", str(ctx.window_days)),
            ("agreements", str(count)),
            ("filters", filters),  # the flags of list that chose them; "" for every one
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


def write_sqlite(
    path: Path, records: Sequence[Record], ctx: StatusContext, filters: str = ""
) -> None:
    """Create the database at ``path`` (which must not hold another database's tables);
    ``filters``: the flags that chose the records, for ``export_info``."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        _start(connection, len(records), ctx, filters)
        for record in records:
            agreement, items = record_rows(record)
            status = ctx.status(record)
            connection.execute(
                f"INSERT INTO agreements VALUES ({_marks(len(agreement) + 1)})",
                (*agreement[:3], status, *agreement[3:]),
            )
            for table, rows in zip(ITEM_TABLES, items, strict=True):
                if rows:
                    connection.executemany(
                        f"INSERT INTO {table} VALUES ({_marks(len(rows[0]))})", rows
                    )
        run_script(connection, EXTRAS)
        connection.execute("COMMIT")
    finally:
        connection.close()


def copy_from_index(
    path: Path,
    index: Path,
    chosen: Sequence[tuple[int, str]],
    ctx: StatusContext,
    filters: str = "",
) -> bool:
    """Create the database at ``path`` from the rows the index keeps of the ``chosen`` files
    (each with its status, in the order of the export), as ``write_sqlite`` would. False
    when the index no longer has them all (another process rewrote some meanwhile)."""
    connection = sqlite3.connect(str(Path(path).absolute()), isolation_level=None, uri=True)
    try:
        connection.execute("ATTACH DATABASE ? AS idx", (index.resolve().as_uri() + "?mode=ro",))
        connection.execute("BEGIN")
        _start(connection, len(chosen), ctx, filters)
        connection.execute(
            "CREATE TEMP TABLE chosen (ord INTEGER PRIMARY KEY, file INTEGER, status TEXT)"
        )
        connection.executemany("INSERT INTO temp.chosen (file, status) VALUES (?, ?)", chosen)
        columns = [row[1] for row in connection.execute("PRAGMA main.table_info(agreements)")]
        picked = ", ".join("c.status" if c == "status" else f"a.{c}" for c in columns)
        connection.execute(
            f"INSERT INTO main.agreements SELECT {picked} FROM temp.chosen AS c "
            "JOIN idx.agreements AS a ON a.file = c.file ORDER BY c.ord"
        )
        for table in ITEM_TABLES:
            columns = [row[1] for row in connection.execute(f"PRAGMA main.table_info({table})")]
            order = "t.relation, t.target_id" if table == "links" else "t.position"
            connection.execute(
                f"INSERT INTO main.{table} SELECT {', '.join('t.' + c for c in columns)} "
                f"FROM temp.chosen AS c JOIN idx.{table} AS t ON t.file = c.file "
                f"ORDER BY c.ord, {order}"
            )
        copied = connection.execute("SELECT count(*) FROM main.agreements").fetchone()[0]
        if copied != len(chosen):
            connection.execute("ROLLBACK")
            return False
        run_script(connection, EXTRAS)
        connection.execute("COMMIT")
        connection.execute("DETACH DATABASE idx")
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return True
