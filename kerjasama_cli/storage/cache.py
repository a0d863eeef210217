"""The registry's index: one SQLite database per data folder, so that a large registry is not
parsed again, and its questions are answered from tables rather than from records.

One database per data folder, under ``$KERJASAMA_CACHE_DIR`` (default: the user's cache folder,
``$XDG_CACHE_HOME/kerjasama`` or ``~/.cache/kerjasama``), never inside the data folder::

    <cache>/v2/<hash of the data folder's real path>/index.sqlite   (+ -wal, -shm)

``files`` has one row per record file: its stat (size, mtime, ctime, inode) when it was read,
a hash of its bytes when that stat alone could be in doubt (the file changed within a few
seconds of being read, so that an edit in the same tick would not show), what the registry
keeps of it (id, the ``Brief``, whether it had data: ``state``), its own findings and those
found across files (NULL when none: nearly always), and its data (pickled) for the commands
that build the record. A valid record also has its rows in the tables of
``exchange.database.INDEX_SCHEMA`` (agreements, parties, sectors, activities, evaluations,
sources, links: the tables ``export --format sqlite`` writes), a row in the full-text table
``search`` (what ``list --search`` looks in), a ``view`` (light.py) for the read commands,
and its row of export's CSV in pieces in ``export_rows`` (exchange/stored_csv.py).

A file whose findings depend on the day (findings.TODAY_RULES: an activity dated after today)
is stored with ``recheck_on``, the next day: from then on it counts as changed and is read
again. Nothing else in the index depends on the day, so a new day costs a registry only those
files, not a rebuild.

A run first compares the stat of every file with the index's. The quick way: ``index_info``
keeps a hash of every (path, stat) of the last complete run (``signature``); when the scan
gives the same hash, no row is read at all, and the findings are read only for the few files
that have any. Otherwise every row's stat is read and compared, and the files that changed
are parsed and written again.

Every write is one SQLite transaction in WAL mode: a process killed while writing leaves the
index as it was before; two processes at once wait for each other (``busy_timeout``). Rows
are self-checking by stat; what is said of the whole registry (the signature, findings across
files) is kept only when no other process wrote in between (``generation``), and a process
answers from the tables only inside a read transaction that sees its own last write. Whatever
goes wrong (missing, damaged, written by another version, locked too long, unwritable) makes
the index empty or unused, never an error: the files are read instead, and the index is
rebuilt when it can be.

Stored values are plain: ``state``, findings and views are ``marshal``led tuples (no classes,
dates as day numbers), the data is pickled and read with an unpickler that refuses every
global except ``datetime.date``.
"""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import hashlib
import importlib.util
import io
import itertools
import marshal
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kerjasama_cli.storage.discovery import ScannedFile, Stat
from kerjasama_cli.storage.files import file_digest, read_bytes
from kerjasama_cli.storage.locking import tell_waiting

CACHE_ENV = "KERJASAMA_CACHE_DIR"
FORMAT = "v1"  # of the cache folder's other users (the import journals' names)
INDEX_FOLDER = "v2"  # the SQLite indexes (v1 held the pickle cache)
INDEX_NAME = "index.sqlite"
INDEX_VERSION = "kerjasama-index-6"
# An edit within this long of the moment a file was read might leave its time stamps unchanged
# (FAT keeps 2-second mtimes; others round to their clock tick): such files are also hashed.
DOUBT_NS = 3_000_000_000
# How long a process waits for another one's write before giving up on the index for this run.
BUSY_TIMEOUT_MS = 20_000
QUIET_WAIT_MS = 300
_ALLOWED_GLOBALS = {("datetime", "date")}
# Everything a broken or foreign pickle can raise while being read.
_UNPICKLE_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    ImportError,
    OverflowError,
    MemoryError,
    RecursionError,
)
# What a damaged marshal can raise.
_MARSHAL_ERRORS = (EOFError, ValueError, TypeError)

FILES_SCHEMA = """
CREATE TABLE index_info (
  key TEXT PRIMARY KEY,
  value
);
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  rel TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  ctime_ns INTEGER NOT NULL,
  inode INTEGER NOT NULL,
  digest BLOB,
  state BLOB NOT NULL,
  findings BLOB,
  across BLOB,
  listed INTEGER NOT NULL DEFAULT 0,
  recheck_on INTEGER,
  data BLOB
);
CREATE INDEX files_recheck ON files(recheck_on) WHERE recheck_on IS NOT NULL;
CREATE INDEX files_doubt ON files(id) WHERE digest IS NOT NULL;
CREATE INDEX files_found ON files(id) WHERE findings IS NOT NULL OR across IS NOT NULL;
-- The valid records' files, without reading the large rows of files (read commands join it).
CREATE INDEX files_listed ON files(listed, id);
CREATE VIRTUAL TABLE search USING fts5(text, tokenize='trigram');
CREATE TABLE export_rows (
  file INTEGER PRIMARY KEY,
  parties INTEGER NOT NULL,
  sources INTEGER NOT NULL,
  activities INTEGER NOT NULL,
  evaluations INTEGER NOT NULL,
  head TEXT NOT NULL,
  rest TEXT NOT NULL,
  party_cells TEXT NOT NULL,
  source_cells TEXT NOT NULL,
  activity_cells TEXT NOT NULL,
  evaluation_cells TEXT NOT NULL,
  lossy TEXT
);
"""


def cache_root() -> Path:
    """``$KERJASAMA_CACHE_DIR``, else the platform's user cache folder + ``kerjasama``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "kerjasama"


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def loads(raw: bytes | memoryview) -> Any:
    """Unpickle plain values (and dates) only."""
    return _PlainUnpickler(io.BytesIO(raw)).load()


def load_payload(raw: bytes) -> Any | None:
    """A stored payload's value, or None when it cannot be read back."""
    try:
        return loads(raw)
    except _UNPICKLE_ERRORS:
        return None


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def code_fingerprint() -> str:
    """Changes whenever the code that parses and checks records may have changed, and with the
    language (findings are worded in it) and its catalog. Not with the day: the few files
    whose findings depend on it are checked again the next day (``recheck_on``)."""

    import pydantic

    from kerjasama_cli import i18n

    package = Path(__file__).resolve().parent.parent
    parts = [sys.version, pydantic.VERSION, _ruamel_yaml_version()]
    parts.append(f"lang:{i18n.language()}")
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".csv", ".mo") and "__pycache__" not in path.parts:
            st = path.stat()
            parts.append(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256(os.fsencode("\n".join(parts))).hexdigest()


def _ruamel_yaml_version() -> str:
    """ruamel.yaml's version, without importing ruamel.yaml (a run served from the cache parses
    no YAML, and importing it would cost more than a tenth of that run).

    The version is written in the package's ``__init__.py``, so a hash of that small file changes
    with it, and is the same whether ruamel.yaml was imported or not. ``find_spec`` only imports
    the parent ``ruamel``, an empty namespace package (and, for the C parser, nothing).
    """
    try:
        spec = importlib.util.find_spec("ruamel.yaml")
        content = Path(spec.origin).read_bytes() if spec and spec.origin else b""
        # The C parser (ruamel.yaml.clib) is released on its own: its file's size and time.
        clib = importlib.util.find_spec("_ruamel_yaml")
        if clib and clib.origin:
            st = Path(clib.origin).stat()
            content += os.fsencode(f"\n{clib.origin}:{st.st_size}:{st.st_mtime_ns}")
    except (ImportError, ValueError, OSError) as exc:  # then parsing will fail and say why
        return f"ruamel.yaml: {exc!r}"
    return "ruamel.yaml " + hashlib.sha256(content).hexdigest()


class Row(NamedTuple):
    """What the index keeps of one file, as a run reads it (``state`` and data on demand)."""

    file: int  # the file's number in the index
    stat: Stat  # when the file was read
    digest: bytes | None  # of its bytes, kept only when the stat alone could be in doubt
    findings: tuple[Any, ...]  # its own (registry.entry.StoredFinding), then those across files
    own: int  # how many of ``findings`` are its own


class Parsed(NamedTuple):
    """What a parsed file gives the index (registry.entry.pack)."""

    state: tuple[Any, ...]  # (raw_id, brief with day numbers, has_data)
    findings: tuple[Any, ...]  # its own, before the cross-file rules
    data: bytes | None  # pickled
    digest: bytes | None  # of the bytes parsed
    rows: Any  # exchange.database.record_rows, with the view and the search text; or None


def signature(key: str, fingerprint: str, files: Sequence[ScannedFile]) -> bytes:
    """A hash of every file's path and stat, as the scan gave them."""
    digest = hashlib.blake2b(os.fsencode(key + "\0" + fingerprint), digest_size=16)
    digest.update(os.fsencode("\0".join([f[1] for f in files])))
    stats = [f[2] or (-1, -1, -1, -1) for f in files]
    digest.update(array.array("q", itertools.chain.from_iterable(stats)).tobytes())
    return digest.digest()


def _unmarshal(raw: bytes | None) -> Any:
    if raw is None:
        return None
    try:
        return marshal.loads(raw)
    except _MARSHAL_ERRORS:
        return None


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite said another connection holds the lock (``SQLITE_BUSY``)."""
    return exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


def _begin_write(db: sqlite3.Connection, *, wait: bool = True) -> None:
    """``BEGIN IMMEDIATE``: at once when no other process is writing, else after saying so
    (``locking.on_wait``), waiting as long as ``busy_timeout`` allows (then
    ``sqlite3.OperationalError``, said too). Without ``wait``, only a moment's wait, unsaid."""
    db.execute(f"PRAGMA busy_timeout = {QUIET_WAIT_MS}")  # a moment's wait goes unsaid
    try:
        db.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as exc:
        if not wait or not _busy(exc):
            raise
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    tell_waiting(gave_up=False)
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            tell_waiting(gave_up=True)
        raise


# Every index opened in this process, closed at the end of the command (cli/app.py): its
# read transaction must not outlive the command (nor wait for the cyclic collector).
_OPEN: list[RegistryCache] = []


def close_all() -> None:
    """Close every index opened in this process."""
    while _OPEN:
        _OPEN.pop().close()


@dataclass(slots=True)
class RegistryCache:
    """The index of one data folder (see the module's docstring)."""

    path: Path
    key: str  # the data folder's real path
    fingerprint: str
    connection: sqlite3.Connection
    started_ns: int = field(default_factory=time.time_ns)
    today: int = field(default_factory=lambda: dt.date.today().toordinal())
    generation: int = -1  # of the index when this run read it
    signature: bytes | None = None  # of the last complete run
    rows: dict[str, Row] = field(default_factory=dict)
    hits: int = 0
    # True when the tables describe exactly the files of this run (its own write, or nothing
    # changed), inside the read transaction that the answers come from.
    current: bool = False
    _new: dict[str, tuple[Stat, Parsed]] = field(default_factory=dict)
    _cleared: list[str] = field(default_factory=list)  # rows in doubt, confirmed and out of it
    _states: dict[str, tuple[Any, ...]] | None = None
    _ids: dict[str, int] | None = None

    @classmethod
    def open(cls, data_dir: Path) -> RegistryCache | None:
        """The index of ``data_dir``, or None when it would have to live inside the data folder
        or cannot be opened at all (then the files are read)."""
        try:
            real_data = data_dir.resolve()
            root = cache_root().resolve()
        except (OSError, RuntimeError):
            return None
        if root == real_data or root.is_relative_to(real_data):
            return None
        key = str(real_data)
        # os.fsencode: a folder name need not be UTF-8 (its undecodable bytes are surrogates).
        folder = root / INDEX_FOLDER / hashlib.sha256(os.fsencode(key)).hexdigest()[:24]
        fingerprint = code_fingerprint()
        for attempt in range(2):
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                return cls._connect(folder / INDEX_NAME, key, fingerprint)
            except sqlite3.OperationalError:  # locked for too long, read-only, cannot open
                return None
            except sqlite3.DatabaseError:
                if attempt == 0:  # damaged beyond what SQLite reads: start again
                    _remove_index(folder / INDEX_NAME)
            except (OSError, sqlite3.Error):
                return None
        return None

    @classmethod
    def _connect(cls, path: Path, key: str, fingerprint: str) -> RegistryCache:
        connection = connect(path)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            cache = cls(path, key, fingerprint, connection)
            _OPEN.append(cache)
            if not cache._read_info():
                cache._rebuild()
                if not cache._read_info():
                    raise sqlite3.DatabaseError("the index could not be made")
        except BaseException:
            connection.close()
            raise
        return cache

    def _read_info(self) -> bool:
        """Start the read transaction of this run; False when the index is not this version's
        index of this folder (then it is rebuilt)."""
        db = self.connection
        db.execute("BEGIN")
        try:
            info = dict(db.execute("SELECT key, value FROM index_info"))
        except sqlite3.OperationalError:  # no such table: a new file, or not ours
            db.execute("ROLLBACK")
            return False
        if (
            info.get("version") != INDEX_VERSION
            or info.get("key") != os.fsencode(self.key)
            or info.get("fingerprint") != self.fingerprint
            or not isinstance(info.get("generation"), int)
        ):
            db.execute("ROLLBACK")
            return False
        self.generation = info["generation"]
        signature = info.get("signature")
        self.signature = signature if isinstance(signature, bytes) else None
        return True

    def _rebuild(self) -> None:
        """Empty the index and make its tables again (another version's, or another folder's)."""
        from kerjasama_cli.exchange.database import INDEX_SCHEMA, run_script

        db = self.connection
        _begin_write(db)
        try:
            tables = db.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for kind, name in tables:
                with contextlib.suppress(sqlite3.OperationalError):  # FTS shadow tables go
                    db.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')  # with their table
            run_script(db, FILES_SCHEMA)
            run_script(db, INDEX_SCHEMA)
            db.executemany(
                "INSERT INTO index_info VALUES (?, ?)",
                [
                    ("version", INDEX_VERSION),
                    ("key", os.fsencode(self.key)),  # the path need not be UTF-8
                    ("fingerprint", self.fingerprint),
                    ("generation", 0),
                ],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # --- reading -------------------------------------------------------------------------

    def quick(self, files: Sequence[ScannedFile]) -> list[Row] | None:
        """Every file's row, when the files are those of the last complete run (by the
        signature, and the content of the files stored in doubt): read without reading the
        rows of the files that have no findings. None otherwise."""
        if self.signature is None or self.signature != signature(self.key, self.fingerprint, files):
            return None
        try:
            due = self.connection.execute(
                "SELECT 1 FROM files WHERE recheck_on <= ? LIMIT 1", (self.today,)
            ).fetchone()
            if due is not None:  # a file whose findings depend on the day, read on another
                return None
            doubtful = self.connection.execute(
                "SELECT rel, digest FROM files WHERE digest IS NOT NULL"
            ).fetchall()
            for rel, digest in doubtful:
                raw, _ = read_bytes(self._file_path(files, rel))
                if raw is None or file_digest(raw) != digest:
                    return None
                self._cleared.append(rel)
            found = {
                rel: (file, own, across)
                for rel, file, own, across in self.connection.execute(
                    "SELECT rel, id, findings, across FROM files "
                    "WHERE findings IS NOT NULL OR across IS NOT NULL"
                )
            }
        except sqlite3.Error:
            return None
        empty = Row(0, (0, 0, 0, 0), None, (), 0)
        rows: list[Row] = []
        for _, rel, stat, _ in files:
            kept = found.get(rel)
            if kept is None:
                rows.append(empty)
            else:
                own = _unmarshal(kept[1]) or ()
                found_across = _unmarshal(kept[2]) or ()
                rows.append(Row(kept[0], stat or (0, 0, 0, 0), None, own + found_across, len(own)))
        self.hits = len(files)
        self.current = True
        return rows

    @staticmethod
    def _file_path(files: Sequence[ScannedFile], rel: str) -> Path:
        return Path(next(f[0] for f in files if f[1] == rel))

    def read_rows(self) -> None:
        """Every file's row (the slow way: something changed since the last complete run)."""
        try:
            for file, rel, size, mtime, ctime, inode, digest, own in self.connection.execute(
                "SELECT id, rel, size, mtime_ns, ctime_ns, inode, digest, findings FROM files "
                "WHERE recheck_on IS NULL OR recheck_on > ?",  # the others are read again
                (self.today,),
            ):
                findings = _unmarshal(own) or ()
                self.rows[rel] = Row(
                    file, (size, mtime, ctime, inode), digest, findings, len(findings)
                )
        except sqlite3.Error:
            self.rows.clear()

    def lookup_files(self, files: Sequence[ScannedFile]) -> list[Row | None]:
        """The stored row of each file, if the file is unchanged since (by stat, and by content
        for a row stored in doubt)."""
        get = self.rows.get
        found: list[Row | None] = []
        for path, rel, stat, _ in files:
            row = get(rel)
            if row is None or row.stat != stat:
                row = None
            elif row.digest is not None:  # stored in doubt: compare the content too
                raw, _ = read_bytes(Path(path))
                if raw is None or file_digest(raw) != row.digest:
                    row = None
                elif not self._in_doubt(row.stat):
                    self._cleared.append(rel)
            if row is not None:
                self.hits += 1
            found.append(row)
        return found

    def state(self, rel: str) -> tuple[Any, ...] | None:
        """What the registry kept of a file (raw id, brief, has data): every file's, read at
        once the first time one is asked for."""
        if self._states is None:
            states: dict[str, tuple[Any, ...]] = {}
            try:
                for name, raw in self.connection.execute("SELECT rel, state FROM files"):
                    value = _unmarshal(raw)
                    if isinstance(value, tuple) and len(value) == 3:
                        states[name] = value
            except sqlite3.Error:
                pass
            self._states = states
        return self._states.get(rel)

    def payload(self, rel: str) -> bytes | None:
        """The pickled data of a file, or None when it is missing."""
        try:
            row = self.connection.execute("SELECT data FROM files WHERE rel = ?", (rel,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row and isinstance(row[0], bytes) else None

    def unlisted(self) -> int | None:
        """How many files are no record to list (invalid), when the index can say."""
        try:
            return int(
                self.connection.execute("SELECT count(*) FROM files WHERE listed = 0").fetchone()[0]
            )
        except sqlite3.Error:
            return None

    def file_ids(self) -> dict[str, int]:
        if self._ids is None:
            try:
                self._ids = dict(self.connection.execute("SELECT rel, id FROM files"))
            except sqlite3.Error:
                self._ids = {}
        return self._ids

    def _in_doubt(self, stat: Stat) -> bool:
        return self.started_ns - max(stat[1], stat[2]) < DOUBT_NS

    # --- writing -------------------------------------------------------------------------

    def put(self, rel: str, stat: Stat, parsed: Parsed) -> None:
        """Remember what a file gave when read with ``stat``."""
        self._new[rel] = (stat, parsed)

    def save(
        self,
        files: Sequence[ScannedFile],
        across: dict[str, tuple[Any, ...]] | None,
        listed: dict[str, bool] | None,
    ) -> None:
        """Write the new rows, drop those of files that are gone, in one transaction; silently
        give up on errors (the index is then not used for this run's answers).

        ``across``: the findings across files of each file that has any, and ``listed``: whether
        each file is a record to list; both None when not known of exactly these files (other
        files were checked with them). Known, and no other process having written since this
        run read the index, they are kept with the signature of ``files``.
        """
        if self.current and not self._new and not self._cleared:
            return
        db = self.connection
        # Only files stored in doubt confirmed unchanged: a write worth doing, not worth waiting
        # for another process's (they are read again next time instead).
        optional = self.current and not self._new
        self.current = False
        try:
            if db.in_transaction:
                db.execute("COMMIT")
            new = bool(self._new)
            try:
                _begin_write(db, wait=not optional)
            except sqlite3.OperationalError as exc:
                if not (optional and _busy(exc)):
                    raise
                db.execute("BEGIN")  # the answers from a snapshot as the run read it, or none
                now = db.execute("SELECT value FROM index_info WHERE key = 'generation'").fetchone()
                self.current = now == (self.generation,)
                return
            try:
                generation = db.execute(
                    "SELECT value FROM index_info WHERE key = 'generation'"
                ).fetchone()
                alone = generation is not None and generation[0] == self.generation
                self._write(files, across if alone else None, listed if alone else None)
                db.execute("UPDATE index_info SET value = value + 1 WHERE key = 'generation'")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self.generation += 1
            self._new.clear()
            self._cleared.clear()
            self._states = self._ids = None
            # The answers come from a snapshot that is this write, or none.
            db.execute("BEGIN")
            now = db.execute("SELECT value FROM index_info WHERE key = 'generation'").fetchone()
            known = across is not None or not new  # else: what is known across files is gone
            self.current = alone and known and now == (self.generation,)
        except (sqlite3.Error, OSError, UnicodeEncodeError):  # a file name that is not UTF-8
            with contextlib.suppress(sqlite3.Error):
                if db.in_transaction:
                    db.execute("ROLLBACK")
            self.current = False

    def _write(
        self,
        files: Sequence[ScannedFile],
        across: dict[str, tuple[Any, ...]] | None,
        listed: dict[str, bool] | None,
    ) -> None:
        from kerjasama_cli.exchange.database import ITEM_TABLES

        db = self.connection
        if self._cleared:
            db.executemany(
                "UPDATE files SET digest = NULL WHERE rel = ?", [(r,) for r in self._cleared]
            )
        live = {f[1] for f in files if f[2] is not None}
        gone = [
            (file,)
            for rel, file in db.execute("SELECT rel, id FROM files")
            if rel not in live or rel in self._new
        ]
        if gone:
            for table in ("agreements", *ITEM_TABLES):
                db.executemany(f"DELETE FROM {table} WHERE file = ?", gone)
            db.executemany("DELETE FROM search WHERE rowid = ?", gone)
            db.executemany("DELETE FROM export_rows WHERE file = ?", gone)
            db.executemany("DELETE FROM files WHERE id = ?", gone)
        self._insert_new()
        if across is None or listed is None:
            if self._new or gone:  # no longer the files of the last complete run
                db.execute("UPDATE index_info SET value = NULL WHERE key = 'signature'")
            return
        db.execute("UPDATE files SET across = NULL WHERE across IS NOT NULL")
        db.executemany(
            "UPDATE files SET across = ? WHERE rel = ?",
            [(marshal.dumps(found), rel) for rel, found in across.items()],
        )
        db.execute("UPDATE files SET listed = 0 WHERE listed = 1")
        db.executemany(
            "UPDATE files SET listed = 1 WHERE rel = ?",
            [(rel,) for rel, ok in listed.items() if ok],
        )
        db.execute(
            "INSERT OR REPLACE INTO index_info VALUES ('signature', ?)",
            (signature(self.key, self.fingerprint, files),),
        )

    def _insert_new(self) -> None:
        """The rows of the files read in this run, a table at a time (``executemany`` over
        every file: a statement per row made filling 100,000 files take twice as long)."""
        from kerjasama_cli.exchange.database import ITEM_TABLES

        db = self.connection
        first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM files").fetchone()[0]
        from kerjasama_cli.findings import TODAY_RULES

        tomorrow = self.today + 1
        files: list[tuple[Any, ...]] = []
        agreements: list[tuple[Any, ...]] = []
        items: list[list[tuple[Any, ...]]] = [[] for _ in ITEM_TABLES]
        search: list[tuple[int, str]] = []
        csv_rows: list[tuple[Any, ...]] = []
        for file, (rel, (stat, parsed)) in enumerate(self._new.items(), start=first):
            files.append(
                (
                    file,
                    rel,
                    *stat,
                    parsed.digest if self._in_doubt(stat) else None,
                    marshal.dumps(parsed.state),
                    marshal.dumps(parsed.findings) if parsed.findings else None,
                    tomorrow if any(f[0] in TODAY_RULES for f in parsed.findings) else None,
                    parsed.data,
                )
            )
            if parsed.rows is None:
                continue
            (agreement, record_items), columns, text, csv_row = parsed.rows
            agreements.append((file, *agreement, *columns))
            for rows, table_rows in zip(items, record_items, strict=True):
                rows.extend((file, *row) for row in table_rows)
            search.append((file, text))
            if csv_row is not None:
                csv_rows.append((file, *csv_row))
        db.executemany(
            "INSERT INTO files (id, rel, size, mtime_ns, ctime_ns, inode, digest, state, "
            "findings, recheck_on, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            files,
        )
        for table, rows in (("agreements", agreements), *zip(ITEM_TABLES, items, strict=True)):
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        db.executemany("INSERT INTO search (rowid, text) VALUES (?, ?)", search)
        db.executemany(
            "INSERT INTO export_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", csv_rows
        )

    def close(self) -> None:
        """Close the connection; the index is not used for answers after."""
        self.current = False
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to the index at ``path`` (in autocommit mode: transactions are explicit)."""
    target = f"{path.absolute().as_uri()}?mode=ro" if read_only else str(path)
    return sqlite3.connect(
        target,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
        uri=read_only,
    )


def _remove_index(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()
