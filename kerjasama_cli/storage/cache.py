"""The registry's index: one SQLite database per data folder, so that a large registry is not
parsed again and its questions are answered in SQL.

One database per data folder, under ``$KERJASAMA_CACHE_DIR`` (default: the user's cache folder,
``$XDG_CACHE_HOME/kerjasama`` or ``~/.cache/kerjasama``), never inside the data folder::

    <cache>/v2/<hash of the data folder's real path>/index.sqlite   (+ -wal, -shm while in use)

Table ``files`` keeps what each file gave: its stat (size, mtime, ctime, inode) when it was
read, a hash of its bytes when that stat alone could be in doubt (the file changed within a few
seconds of being read, so an edit in the same tick would not show), what the registry kept of
it (``registry.entry.Stored``: id, brief, findings, pickled) and its data (pickled). A row is
used only while the file's stat is the one stored (and, in doubt, its bytes have the hash).

Every write is one SQLite transaction in WAL mode: a process killed while writing leaves the
database as it was before that transaction, and two processes at once wait for each other
instead of overwriting each other's work. Rows are self-checking (by stat), so a row written
by another process is as good as one's own; the one statement about the whole registry
(``across_clean``: the files of the index have no problems across files) is kept only when no
other process wrote in between (``generation``). Whatever goes wrong with the index (missing,
corrupt, written by another version of kerjasama, locked for too long, unwritable) makes it
empty, never an error: the files are read instead, and the index is rebuilt when it can be.

Pickled values are plain values only (no classes), read with an unpickler that refuses every
global except ``datetime.date``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import pickle
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kerjasama_cli.storage.discovery import ScannedFile, Stat
from kerjasama_cli.storage.files import file_digest, read_bytes

__all__ = ["RegistryCache", "Row", "cache_root", "dumps", "file_digest", "load_payload", "loads"]

CACHE_ENV = "KERJASAMA_CACHE_DIR"
FORMAT = "v1"  # of the cache folder's other users (the import journal's name)
INDEX_FORMAT = "v2"  # the folder of the SQLite indexes; v1 held the pickle cache
INDEX_NAME = "index.sqlite"
# An edit within this long of the moment a file was read might leave its time stamps unchanged
# (FAT keeps 2-second mtimes; others round to their clock tick): such files are also hashed.
DOUBT_NS = 3_000_000_000
# How long a process waits for another one's write transaction before giving up on the index.
BUSY_TIMEOUT_S = 20.0
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

CACHE_SCHEMA = """
CREATE TABLE index_info (
  key TEXT PRIMARY KEY,
  value TEXT
);
CREATE TABLE files (
  rel TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  ctime_ns INTEGER NOT NULL,
  inode INTEGER NOT NULL,
  digest BLOB,
  state BLOB NOT NULL,
  stamp INTEGER NOT NULL
);
CREATE TABLE file_data (
  rel TEXT PRIMARY KEY,
  stamp INTEGER NOT NULL,
  data BLOB
);
CREATE TABLE file_views (
  rel TEXT PRIMARY KEY,
  stamp INTEGER NOT NULL,
  view BLOB NOT NULL
);
"""


class Row(NamedTuple):
    """What the index keeps of one file (its pickled data is read only when asked for)."""

    rel: str
    stat: Stat  # when the file was read
    digest: bytes | None  # of its bytes, kept only when the stat alone could be in doubt
    state: Any  # what the registry kept of the entry (registry.entry.Stored, as a tuple)
    stamp: int  # this version of the row, also on its data and view (kept in their own tables
    # so that reading every file's row does not read every file's data)


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
    """Changes whenever the code that parses and checks records may have changed."""
    import pydantic

    package = Path(__file__).resolve().parent.parent
    parts = [sys.version, pydantic.VERSION, _ruamel_yaml_version()]
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
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


@dataclass(slots=True)
class RegistryCache:
    """The index of one data folder: look rows up, add new ones, save."""

    folder: Path
    key: str  # the data folder's real path
    fingerprint: str
    started_ns: int = field(default_factory=time.time_ns)
    rows: dict[str, Row] = field(default_factory=dict)
    # Whether the registry made of exactly the files of ``rows`` has no cross-file problems
    # (ids, references): a run that finds every one of those files unchanged, and no other,
    # need not check across files again.
    across_clean: bool = False
    hits: int = 0  # lookups that found their file unchanged
    generation: int = -1  # of the index when it was read; -1: not read (missing or not ours)
    broken: bool = False  # the file is no SQLite database (or a damaged one): replace it
    _new: dict[str, tuple[Stat, bytes | None, Any, bytes | None, bytes | None]] = field(
        default_factory=dict
    )
    _confirmed_rows: list[Row] = field(default_factory=list)
    _reader: threading.Thread | None = None
    _failure: BaseException | None = None
    _connection: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        return self.folder / INDEX_NAME

    @classmethod
    def open(cls, data_dir: Path) -> RegistryCache | None:
        """The index for ``data_dir``, or None when it would have to live inside the data folder.

        The index is read in a thread (SQLite lets other work go on meanwhile); the first
        lookup waits for it.
        """
        folder = index_folder(data_dir)
        if folder is None:
            return None
        cache = cls(folder, str(data_dir.resolve()), "")
        cache._reader = threading.Thread(target=cache._read_in_thread, daemon=True)
        cache._reader.start()
        return cache

    def _read_in_thread(self) -> None:
        try:
            self.fingerprint = code_fingerprint()
            self._read_index()
        except BaseException as exc:  # handed to the thread that waits, not swallowed
            self._failure = exc

    def ready(self) -> None:
        """Wait until the index is read (before forking: no thread may be running then)."""
        if self._reader is not None:
            self._reader.join()
            self._reader = None
            if self._failure is not None:
                raise self._failure

    def _read_index(self) -> None:
        if not self.path.is_file():
            return
        try:
            connection = _connect(self.path, readonly=True)
        except sqlite3.Error:
            self.broken = True
            return
        try:
            connection.execute("BEGIN")  # one snapshot: the rows of the generation read
            info = _info(connection)
            if not self._ours(info):
                return
            rows: dict[str, Row] = {}
            for rel, size, mtime, ctime, inode, digest, state, stamp in connection.execute(
                "SELECT rel, size, mtime_ns, ctime_ns, inode, digest, state, stamp FROM files"
            ):
                value = load_payload(state)
                if isinstance(value, tuple):
                    rows[rel] = Row(rel, (size, mtime, ctime, inode), digest, value, stamp)
            self.rows = rows
            self.across_clean = info.get("across_clean") == "1"
            self.generation = int(info.get("generation") or 0)
        except sqlite3.DatabaseError as exc:
            self.rows = {}
            self.broken = not isinstance(exc, sqlite3.OperationalError)
        finally:
            connection.close()

    def _ours(self, info: dict[str, str]) -> bool:
        return (
            info.get("format") == INDEX_FORMAT
            and info.get("key") == self.key
            and info.get("fingerprint") == self.fingerprint
        )

    def lookup(self, rel: str, stat: Stat, path: str) -> Row | None:
        """The stored row of a file, if the file is unchanged since."""
        return self.lookup_files([(path, rel, stat, False)])[0]

    def lookup_files(self, files: list[ScannedFile]) -> list[Row | None]:
        """``lookup`` for each file a scan found, in one loop (it runs for every record)."""
        self.ready()
        get = self.rows.get
        found: list[Row | None] = []
        for path, rel, stat, _ in files:
            row = get(rel)
            if row is None or row.stat != stat:
                row = None
            elif row.digest is not None:  # stored in doubt: compare the content too
                row = self._confirmed(rel, row, path)
            if row is not None:
                self.hits += 1
            found.append(row)
        return found

    def _confirmed(self, rel: str, row: Row, path: str) -> Row | None:
        """A row stored in doubt, if the file's bytes still have its digest (then trusted on
        its stat alone from now on, once out of doubt)."""
        raw, _ = read_bytes(Path(path))
        if raw is None or file_digest(raw) != row.digest:
            return None
        if not self._in_doubt(row.stat):
            self.rows[rel] = row = row._replace(digest=None)
            self._confirmed_rows.append(row)
        return row

    def unchanged(self, looked_up: int) -> bool:
        """Whether ``looked_up`` lookups, all found, were one for each file of the index: the
        registry is the one the index describes, file for file."""
        return looked_up == self.hits and self._every_row_found()

    def _every_row_found(self) -> bool:
        return self.hits == len(self.rows) and not self._new

    def payload(self, row: Row) -> bytes | None:
        """The pickled data stored with a row (still of the same stat), or None."""
        try:
            if self._connection is None:
                self._connection = _connect(self.path, readonly=True)
            found = self._connection.execute(
                "SELECT data FROM file_data WHERE rel = ? AND stamp = ?", (row.rel, row.stamp)
            ).fetchone()
        except sqlite3.Error:
            return None
        return found[0] if found and isinstance(found[0], bytes) else None

    def _in_doubt(self, stat: Stat) -> bool:
        return self.started_ns - max(stat[1], stat[2]) < DOUBT_NS

    def put(
        self,
        rel: str,
        stat: Stat,
        digest: bytes | None,
        state: Any,
        payload: bytes | None,
        view: bytes | None = None,
    ) -> None:
        """Remember what a file gave when read with ``stat`` (digest: of the bytes parsed;
        view: the pickled ``light.view_of`` of its record, when it is a valid one)."""
        self._new[rel] = (stat, digest if self._in_doubt(stat) else None, state, payload, view)

    def views(self, rels: list[str] | None = None) -> dict[str, Any]:
        """The stored view (``light.view_of``) of the rows read (of ``rels``, else of all),
        by file; a view missing, unreadable or of another version of its row is left out."""
        out: dict[str, Any] = {}
        rows = self.rows
        query = "SELECT rel, stamp, view FROM file_views"
        try:
            if self._connection is None:
                self._connection = _connect(self.path, readonly=True)
            if rels is None:
                found = self._connection.execute(query).fetchall()
            else:
                found = []
                for rel in rels:
                    found += self._connection.execute(query + " WHERE rel = ?", (rel,))
        except sqlite3.Error:
            return out
        for rel, stamp, view in found:
            row = rows.get(rel)
            if row is None or row.stamp != stamp:
                continue
            value = load_payload(view)
            if isinstance(value, tuple):
                out[rel] = value
        return out

    def save(self, live: Iterable[str], *, across_clean: bool | None) -> None:
        """Write new rows and drop rows of files that are gone; silently give up on errors.

        ``across_clean``: whether the files of ``live`` (all of them, nothing else) have no
        cross-file problems; None when that is not known (other files were checked with them).
        """
        self.ready()
        if self._every_row_found():
            gone: list[str] = []  # none can be gone
        else:
            live_set = set(live)
            gone = [rel for rel in self.rows if rel not in live_set]
        if across_clean is None:  # what was known of unchanged rows still holds
            across_clean = self.across_clean and not (self._new or gone)
        changed = across_clean != self.across_clean
        if not (self._new or gone or self._confirmed_rows or changed):
            return
        with contextlib.suppress(OSError, sqlite3.Error):
            self._write(gone, across_clean)

    def _write(self, gone: list[str], across_clean: bool) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.broken:
            remove_index(self.path)
        connection = _connect(self.path, readonly=False)
        try:
            with _write_transaction(connection):
                info = _info(connection) if _has_tables(connection) else {}
                fresh = not self._ours(info)
                if fresh:
                    _drop_everything(connection)
                    connection.executescript(_create_script())
                    _set_info(connection, format=INDEX_FORMAT, key=self.key)
                    _set_info(connection, fingerprint=self.fingerprint, generation="0")
                generation = int(_info(connection).get("generation") or 0)
                # A new index holds only this run's rows; else it must be the one read.
                consistent = self.generation == -1 if fresh else generation == self.generation
                if not consistent:
                    # Another process wrote since this one read: rows are as good as ours
                    # (each is checked by stat), but what is known across files is not.
                    across_clean = False
                    gone = []  # its rows are of files it saw; they are checked by stat anyway
                for table in ("files", "file_data", "file_views"):
                    connection.executemany(
                        f"DELETE FROM {table} WHERE rel = ?",
                        [(r,) for r in gone],
                    )
                connection.executemany(
                    "UPDATE files SET digest = NULL WHERE rel = ? AND size = ? AND mtime_ns = ? "
                    "AND ctime_ns = ? AND inode = ?",
                    [(row.rel, *row.stat) for row in self._confirmed_rows],
                )
                written = [
                    (rel, int.from_bytes(os.urandom(7), "big"), new)
                    for rel, new in self._new.items()
                ]
                connection.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (rel, *stat, digest, dumps(state), stamp)
                        for rel, stamp, (stat, digest, state, _, _) in written
                    ],
                )
                connection.executemany(
                    "INSERT OR REPLACE INTO file_data VALUES (?, ?, ?)",
                    [(rel, stamp, new[3]) for rel, stamp, new in written],
                )
                connection.executemany(
                    "INSERT OR REPLACE INTO file_views VALUES (?, ?, ?)",
                    [(rel, stamp, new[4]) for rel, stamp, new in written if new[4] is not None],
                )
                connection.executemany(
                    "DELETE FROM file_views WHERE rel = ?",
                    [(rel,) for rel, _, new in written if new[4] is None],
                )
                _set_info(
                    connection,
                    across_clean="1" if across_clean else "0",
                    generation=str(generation + 1),
                )
        finally:
            connection.close()
        self._new.clear()
        self._confirmed_rows.clear()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def index_folder(data_dir: Path) -> Path | None:
    """Where the index of ``data_dir`` lives; None when that would be inside the data folder."""
    try:
        real_data = data_dir.resolve()
        root = cache_root().resolve()
    except (OSError, RuntimeError):
        return None
    if root == real_data or root.is_relative_to(real_data):
        return None
    # os.fsencode: a folder name need not be UTF-8 (its undecodable bytes are surrogates).
    name = hashlib.sha256(os.fsencode(str(real_data))).hexdigest()[:24]
    return root / INDEX_FORMAT / name


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection to the index; ``readonly`` opens an existing file and never creates one."""
    if readonly:
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
        )
    else:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
    return connection


@contextlib.contextmanager
def _write_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (BEGIN IMMEDIATE): everything or nothing."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _has_tables(connection: sqlite3.Connection) -> bool:
    found = connection.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'index_info'"
    ).fetchone()
    return bool(found[0])


def _info(connection: sqlite3.Connection) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in connection.execute("SELECT key, value FROM index_info")}
    except sqlite3.OperationalError:  # no such table: not ours
        return {}


def _set_info(connection: sqlite3.Connection, **values: str) -> None:
    connection.executemany("INSERT OR REPLACE INTO index_info VALUES (?, ?)", list(values.items()))


def _create_script() -> str:
    return CACHE_SCHEMA


def _drop_everything(connection: sqlite3.Connection) -> None:
    """Drop every table, view and trigger (of another version, or of something else)."""
    found = connection.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table', 'trigger') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table'"
    ).fetchall()
    connection.execute("PRAGMA defer_foreign_keys = ON")
    for kind, name in found:
        quoted = '"' + str(name).replace('"', '""') + '"'
        with contextlib.suppress(sqlite3.OperationalError):  # a shadow table dropped with its owner
            connection.execute(f"DROP {kind} IF EXISTS {quoted}")


def remove_index(path: Path) -> None:
    """Remove a damaged index file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()
