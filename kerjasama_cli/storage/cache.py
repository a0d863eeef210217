"""A cache of parsed and checked record files, so that a large registry is not parsed again.

One cache per data folder, under ``$KERJASAMA_CACHE_DIR`` (default: the user's cache folder,
``$XDG_CACHE_HOME/kerjasama`` or ``~/.cache/kerjasama``), never inside the data folder::

    <cache>/v1/<hash of the data folder's real path>/index.pickle   what each file gave
    <cache>/v1/<hash ...>/records-<token>.bin                        each file's data, appended

A file's row is used only while the file's size, mtime, ctime and inode are those it had when
it was read; a file whose time stamps were within a few seconds of that moment (so that an edit
in the same tick would not show) also keeps a hash of its bytes, checked before the row is used.
The index is replaced atomically; the data file is only ever appended to, and rewritten when
more than half of it is stale. Whatever goes wrong with the cache (missing, corrupt, written by
another version, unwritable) makes it empty, never an error: the files are read instead.

The cache holds plain values only (no classes), and is read with an unpickler that refuses
every global except ``datetime.date``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import pickle
import sys
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kerjasama_cli.storage.discovery import ScannedFile, Stat
from kerjasama_cli.storage.files import file_digest, read_bytes
from kerjasama_cli.storage.writing import atomic_file

CACHE_ENV = "KERJASAMA_CACHE_DIR"
FORMAT = "v1"
# An edit within this long of the moment a file was read might leave its time stamps unchanged
# (FAT keeps 2-second mtimes; others round to their clock tick): such files are also hashed.
DOUBT_NS = 3_000_000_000
_INDEX = "index.pickle"
_MAGIC = b"kerjasama-cache-1\n"
_SUM_BYTES = 32  # the index starts with _MAGIC and a hash of the rest
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


class Row(NamedTuple):
    """What the index keeps of one file. Stored as a plain tuple (the cache holds no classes)
    and made a Row again when the index is read."""

    stat: Stat  # when the file was read
    digest: bytes | None  # of its bytes, kept only when the stat alone could be in doubt
    state: Any  # what the registry kept of the entry (registry.entry.Stored, as a tuple)
    offset: int  # of its pickled data in the data file; -1 when it has none
    length: int
    checksum: bytes


def _row(values: tuple[Any, ...]) -> Row:
    return tuple.__new__(Row, values)


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


def _index_sum(body: bytes | memoryview) -> bytes:
    return hashlib.blake2b(body, digest_size=_SUM_BYTES).digest()


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=8).digest()


def code_fingerprint() -> str:
    """Changes whenever the code that parses and checks records may have changed, every day
    (a record's findings depend on today: KS906, a date after today), and with the language
    (findings are worded in it) and its catalog."""
    import datetime as dt

    import pydantic

    from kerjasama_cli import i18n

    package = Path(__file__).resolve().parent.parent
    parts = [sys.version, pydantic.VERSION, _ruamel_yaml_version(), dt.date.today().isoformat()]
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


class _Blob:
    """The appended data file, read lazily; its descriptor closes with this object."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def read(self, offset: int, length: int, checksum: bytes) -> bytes | None:
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
                weakref.finalize(self, os.close, self._fd)
            if hasattr(os, "pread"):
                payload = os.pread(self._fd, length, offset)
            else:  # Windows
                os.lseek(self._fd, offset, os.SEEK_SET)
                payload = os.read(self._fd, length)
        except OSError:
            return None
        if len(payload) != length or _checksum(payload) != checksum:
            return None
        return payload


@dataclass(slots=True)
class RegistryCache:
    """The cache of one data folder: look rows up, add new ones, save."""

    folder: Path
    key: str  # the data folder's real path
    fingerprint: str
    started_ns: int = field(default_factory=time.time_ns)
    rows: dict[str, Row] = field(default_factory=dict)
    blob_name: str = ""
    garbage: int = 0
    # Whether the registry made of exactly the files of ``rows`` has no cross-file problems
    # (ids, references): a run that finds every one of those files unchanged, and no other,
    # need not check across files again.
    across_clean: bool = False
    hits: int = 0  # lookups that found their file unchanged
    _blob: _Blob | None = None
    _new: dict[str, tuple[Stat, bytes | None, Any, bytes | None]] = field(default_factory=dict)
    _dirty: bool = False
    _reader: threading.Thread | None = None
    _failure: BaseException | None = None

    @classmethod
    def open(cls, data_dir: Path) -> RegistryCache | None:
        """The cache for ``data_dir``, or None when it would have to live inside the data folder.

        The index is read in a thread (reading and hashing it let other work go on meanwhile);
        the first lookup waits for it.
        """
        try:
            real_data = data_dir.resolve()
            root = cache_root().resolve()
        except (OSError, RuntimeError):
            return None
        if root == real_data or root.is_relative_to(real_data):
            return None
        key = str(real_data)
        # os.fsencode: a folder name need not be UTF-8 (its undecodable bytes are surrogates).
        folder = root / FORMAT / hashlib.sha256(os.fsencode(key)).hexdigest()[:24]
        cache = cls(folder, key, "")
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
        self._ready()

    def _ready(self) -> None:
        if self._reader is not None:
            self._reader.join()
            self._reader = None
            if self._failure is not None:
                raise self._failure

    def _read_index(self) -> None:
        try:
            raw = (self.folder / _INDEX).read_bytes()
        except OSError:
            return
        head = len(_MAGIC) + _SUM_BYTES
        body = memoryview(raw)[head:]
        if raw[: len(_MAGIC)] != _MAGIC or raw[len(_MAGIC) : head] != _index_sum(body):
            return  # not ours, truncated or damaged
        try:
            index = loads(body)
        except _UNPICKLE_ERRORS:
            return
        if not (
            isinstance(index, dict)
            and index.get("key") == self.key
            and index.get("fingerprint") == self.fingerprint
            and isinstance(index.get("rows"), dict)
            and isinstance(index.get("blob"), str)
            and isinstance(index.get("garbage"), int)
            and isinstance(index.get("across_clean"), bool)
        ):
            return
        blob_name = index["blob"]
        if (
            os.sep in blob_name
            or (os.altsep and os.altsep in blob_name)
            or blob_name in ("", ".", "..")
        ):
            return
        self.rows = {rel: _row(values) for rel, values in index["rows"].items()}
        self.blob_name = blob_name
        self.garbage = index["garbage"]
        self.across_clean = index["across_clean"]
        self._blob = _Blob(self.folder / blob_name)

    def lookup(self, rel: str, stat: Stat, path: str) -> Row | None:
        """The stored row of a file, if the file is unchanged since."""
        return self.lookup_files([(path, rel, stat, False)])[0]

    def lookup_files(self, files: list[ScannedFile]) -> list[Row | None]:
        """``lookup`` for each file a scan found, in one loop (it runs for every record)."""
        if self._reader is not None:
            self._ready()
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
            self._dirty = True
        return row

    def unchanged(self, looked_up: int) -> bool:
        """Whether ``looked_up`` lookups, all found, were one for each file of the index: the
        registry is the one the index describes, file for file."""
        return looked_up == self.hits and self._every_row_found()

    def _every_row_found(self) -> bool:
        return self.hits == len(self.rows) and not self._new

    def payload(self, row: Row) -> bytes | None:
        """The pickled data stored with a row, or None when it is missing or damaged."""
        if row.length < 0 or self._blob is None:
            return None
        return self._blob.read(row.offset, row.length, row.checksum)

    def _in_doubt(self, stat: Stat) -> bool:
        return self.started_ns - max(stat[1], stat[2]) < DOUBT_NS

    def put(
        self, rel: str, stat: Stat, digest: bytes | None, state: Any, payload: bytes | None
    ) -> None:
        """Remember what a file gave when read with ``stat`` (digest: of the bytes parsed)."""
        self._new[rel] = (stat, digest if self._in_doubt(stat) else None, state, payload)

    def save(self, live: Iterable[str], *, across_clean: bool | None) -> None:
        """Write new rows and drop rows of files that are gone; silently give up on errors.

        ``across_clean``: whether the files of ``live`` (all of them, nothing else) have no
        cross-file problems; None when that is not known (other files were checked with them).
        """
        self._ready()
        if self._every_row_found():
            gone: list[str] = []  # none can be gone
        else:
            live_set = set(live)
            gone = [rel for rel in self.rows if rel not in live_set]
        if across_clean is None:  # what was known of unchanged rows still holds
            across_clean = self.across_clean and not (self._new or gone)
        changed = across_clean != self.across_clean
        self.across_clean = across_clean
        if not (self._new or gone or self._dirty or changed):
            return
        for rel in gone + [rel for rel in self._new if rel in self.rows]:
            self.garbage += max(self.rows.pop(rel).length, 0)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.blob_name or (self.garbage and self.garbage > self._live_bytes()):
                self._compact()
            self._append_new()
            self._write_index()
        except OSError:
            return

    def _live_bytes(self) -> int:
        return sum(max(row.length, 0) for row in self.rows.values())

    def _compact(self) -> None:
        """Copy the live payloads into a new data file and drop the old one."""
        old = self._blob
        name = f"records-{os.urandom(8).hex()}.bin"
        chunks: list[bytes] = []
        position = 0
        kept: dict[str, Row] = {}
        for rel, (stat, digest, state, offset, length, checksum) in self.rows.items():
            payload = old.read(offset, length, checksum) if old and length >= 0 else None
            if length >= 0 and payload is None:
                continue  # unreadable: the file will be read again next time
            if payload is None:
                kept[rel] = Row(stat, digest, state, -1, -1, b"")
                continue
            kept[rel] = Row(stat, digest, state, position, length, checksum)
            chunks.append(payload)
            position += length
        _write_new_file(self.folder / name, b"".join(chunks))
        # The old data file, and any left by an index that was lost or damaged since.
        stale = time.time() - 3600
        for old_file in self.folder.iterdir():
            leftover = old_file.name.startswith("records-") and old_file.name != name
            interrupted = old_file.name.startswith(".tmp-") and _older(old_file, stale)
            if leftover or interrupted:
                with contextlib.suppress(OSError):  # still open elsewhere (Windows): left
                    old_file.unlink()
        self.rows = kept
        self.blob_name = name
        self.garbage = 0
        self._blob = _Blob(self.folder / name)

    def _append_new(self) -> None:
        if not self._new:
            return
        chunks: list[bytes] = []
        placed: list[tuple[str, int, int, bytes]] = []
        position = 0
        for rel, (_, _, _, payload) in self._new.items():
            if payload is None:
                continue
            chunks.append(payload)
            placed.append((rel, position, len(payload), _checksum(payload)))
            position += len(payload)
        start = 0
        if chunks:
            chunk = b"".join(chunks)
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(self.folder / self.blob_name, flags, 0o600)
            try:
                written = os.write(fd, chunk)
                end = os.lseek(fd, 0, os.SEEK_CUR)
            finally:
                os.close(fd)
            if written != len(chunk):
                raise OSError("short write to the cache")
            start = end - len(chunk)
        offsets = {rel: (start + pos, length, checksum) for rel, pos, length, checksum in placed}
        for rel, (stat, digest, state, _) in self._new.items():
            offset, length, checksum = offsets.get(rel, (-1, -1, b""))
            self.rows[rel] = Row(stat, digest, state, offset, length, checksum)
        self._new.clear()

    def _write_index(self) -> None:
        index = {
            "key": self.key,
            "fingerprint": self.fingerprint,
            "blob": self.blob_name,
            "garbage": self.garbage,
            "across_clean": self.across_clean,
            "rows": {rel: tuple(row) for rel, row in self.rows.items()},
        }
        body = dumps(index)
        _write_new_file(self.folder / _INDEX, _MAGIC + _index_sum(body) + body)


def _older(path: Path, than: float) -> bool:
    try:
        return path.stat().st_mtime < than
    except OSError:
        return False


def _write_new_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically, private to the user."""
    with atomic_file(path, mode=0o600) as tmp:
        tmp.write_bytes(content)
