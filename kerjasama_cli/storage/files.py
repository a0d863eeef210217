"""Record files as bytes and text: finding the data folder, reading a file safely, decoding it.

Nothing here parses YAML, and this module does not import ruamel.yaml: a command whose records
all come from the cache reads no YAML, and should not pay for importing a YAML library.
reading.py parses the text this module gives it.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from kerjasama_cli.errors import DataFolderNotFound
from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import _

AGREEMENTS = "agreements"
MAX_FILE_BYTES = 1_000_000
# A line longer than this is generated or binary content, not something a person typed; long
# text is folded over several lines (``notes: >``). It also bounds the work of suggestions.
MAX_LINE_CHARS = 10_000

# The line breaks libyaml counts, so that our line numbers agree with its marks.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting line breaks as libyaml does."""
    line, start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return line, offset - start + 1


def find_data_dir(
    explicit: Path | None, *, settle_imports: bool = True, creating: bool = False
) -> Path:
    """The data folder: ``--data-dir``, else ``$KERJASAMA_DATA``, else ``./data``.

    It must hold an ``agreements/`` folder (pointing CI at the wrong folder must never pass as
    "0 files, 0 errors"); with ``creating`` (add, import) an existing empty folder will do, as
    they make it a registry. An import into it that was killed is finished or rolled back
    first (storage/journal.py), unless ``settle_imports`` is false (shell completion changes
    nothing)."""
    chosen = explicit or Path(os.environ.get("KERJASAMA_DATA") or "data")
    how = (
        "--data-dir"
        if explicit
        else "KERJASAMA_DATA"
        if "KERJASAMA_DATA" in os.environ
        else _("default")
    )
    if not chosen.is_dir():
        if not explicit and Path(AGREEMENTS).is_dir():  # run inside the data folder itself
            raise DataFolderNotFound(
                _(
                    "data folder {folder!r} ({how}) does not exist, but this folder holds "
                    "agreements/: it is the data folder; pass --data-dir . (or run from the "
                    "folder above it)"
                ).format(folder=str(chosen), how=how)
            )
        raise DataFolderNotFound(
            _(
                "data folder {folder!r} ({how}) does not exist; pass --data-dir PATH or set "
                "KERJASAMA_DATA (kerjasama init makes a new registry)"
            ).format(folder=str(chosen), how=how)
        )
    if not (chosen / AGREEMENTS).is_dir():
        empty = creating and not any(chosen.iterdir())
        if not empty:
            raise DataFolderNotFound(
                _(
                    "data folder {folder!r} ({how}) has no agreements/ folder, so it is not a "
                    "registry; pass the folder that holds agreements/ (kerjasama init makes a "
                    "new registry)"
                ).format(folder=printable(str(chosen)), how=how)
            )
    if settle_imports:
        from kerjasama_cli.storage.journal import recover

        recover(chosen)
    return chosen


def display_path(path: Path) -> str:
    """A path for messages and findings: relative to the current directory, as cli.md asks of
    a finding's ``path`` (``data/agreements/...`` below it, ``../other/agreements/...`` beside
    it, as git shows paths); as given where no relative path leads there (another drive).

    A symbolic link is shown as the link, not its target, and characters that a terminal would
    act on (escape sequences, newlines) or could not print are shown escaped, as in Python.
    """
    here = absolute_path(path)
    try:
        cwd = Path.cwd().resolve()
        try:
            shown = str(here.relative_to(cwd))
        except ValueError:
            shown = os.path.relpath(here, cwd)
    except (ValueError, OSError):
        shown = str(path)
    return printable(shown)


def absolute_path(path: Path) -> Path:
    """``path`` made absolute with its folders resolved but not its last part (a link stays one)."""
    try:
        return path.absolute().parent.resolve() / path.name
    except (OSError, RuntimeError):  # a folder that loops or vanished
        return path.absolute()


def printable(text: str) -> str:
    """``text`` with unprintable characters escaped (``\\x1b``, ``\\n``, lone surrogates)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


@dataclass(slots=True)
class LoadedFile:
    """One record file as read: its data (None when unusable) and the problems found reading it."""

    path: Path
    data: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    digest: bytes | None = None  # of the bytes read, when they could be read (for the cache)


def file_finding(
    path: Path | str, rule: str, message: str, line: int = 1, column: int = 1, key: str = ""
) -> Finding:
    """A finding about the file at ``path`` (shown with display_path, unless already text)."""
    shown = path if isinstance(path, str) else display_path(path)
    return Finding(rule, message, (key,) if key else (), shown, line, column)


def read_text(path: Path) -> tuple[str | None, list[Finding]]:
    """The file's text, or findings saying why it cannot be read as UTF-8 YAML.

    Never reads more than MAX_FILE_BYTES + 1 bytes, whatever the file claims to be, and never
    blocks on a pipe or device.
    """
    raw, findings = read_bytes(path)
    if raw is None:
        return None, findings
    return decode(path, raw)


def read_bytes(path: Path) -> tuple[bytes | None, list[Finding]]:
    """The file's bytes (a regular file of at most MAX_FILE_BYTES), or why they cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except PermissionError:
        return None, [file_finding(path, "KS100", _("file cannot be read: permission denied"))]
    except OSError as exc:
        return None, [_unreadable(path, exc)]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [
                file_finding(
                    path,
                    "KS100",
                    _("not a regular file (a folder, pipe or device); expected a text file"),
                )
            ]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_too_large(path, info.st_size)]
        raw = _read_at_most(fd, MAX_FILE_BYTES + 1, info.st_size + 1)
    except OSError as exc:
        return None, [_unreadable(path, exc)]
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew after fstat, or lies about its size
        return None, [_too_large(path, len(raw))]
    return raw, []


def read_stream_text(stream: BinaryIO, label: str) -> tuple[str | None, list[Finding]]:
    """The text of a record given on a stream (stdin), checked as a record file is: at most
    MAX_FILE_BYTES + 1 bytes are read; size, encoding and line lengths are findings."""
    try:
        raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [
            file_finding(
                label,
                "KS100",
                _("cannot be read: {problem}").format(problem=_os_problem(exc)),
            )
        ]
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(label, len(raw))]
    return decode(label, raw)


def file_digest(raw: bytes) -> bytes:
    """A short fingerprint of a file's content (for the cache, when its time stamps are in doubt)."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def _read_at_most(fd: int, limit: int, expected: int) -> bytes:
    """At most ``limit`` bytes; the first read asks for the ``expected`` size (``os.read``
    allocates what it is asked for: a 1 MB buffer for every 1 KB record cost a third of the
    time of parsing it), later ones for 64 KB at a time, in case the file grew."""
    chunks: list[bytes] = []
    left = limit
    size = max(1, min(expected, 1 << 20))
    while left > 0:
        chunk = os.read(fd, min(left, size))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
        size = 1 << 16
    return b"".join(chunks)


def _os_problem(exc: OSError) -> str:
    """The system's words for why, in the chosen language where the tool has them."""
    from kerjasama_cli.errors import system_reason

    return system_reason(exc)


def _unreadable(path: Path, exc: OSError) -> Finding:
    return file_finding(
        path, "KS100", _("file cannot be read: {problem}").format(problem=_os_problem(exc))
    )


def _too_large(path: Path | str, size: int, *, written: bool = False) -> Finding:
    """KS107 for ``size`` bytes, read (the file was not read) or to be written (refused)."""
    at_least = size == MAX_FILE_BYTES + 1
    if written:
        message = _(
            "file is {size:,} bytes; a record is expected to be under {limit:,} bytes "
            "(it was not written)"
        )
    elif at_least:
        message = _(
            "file is at least {size:,} bytes; a record is expected to be under {limit:,} bytes "
            "(it was not read)"
        )
    else:
        message = _(
            "file is {size:,} bytes; a record is expected to be under {limit:,} bytes "
            "(it was not read)"
        )
    return file_finding(path, "KS107", message.format(size=size, limit=MAX_FILE_BYTES))


def check_writable(path: Path, text: str) -> list[Finding]:
    """What reading ``text`` back from ``path`` would report (its size, encoding, line
    lengths and characters): every writer of a record checks its text with the reader's own
    limits, so that nothing it writes is then refused and vanishes from the registry."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return [
            file_finding(
                path,
                "KS101",
                _(
                    "the text holds U+{code:04X}, which UTF-8 cannot encode (a lone surrogate); "
                    "expected plain text"
                ).format(code=ord(exc.object[exc.start])),
            )
        ]
    if len(raw) > MAX_FILE_BYTES:
        return [_too_large(path, len(raw), written=True)]
    return decode(path, raw)[1]


# Byte-order marks of encodings other than UTF-8; UTF-32 first, as FF FE starts both.
_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(path: Path | str, raw: bytes) -> tuple[str | None, list[Finding]]:
    """The text of a record file: UTF-8, with or without a byte-order mark, any line ends.

    ``path`` is the file, or the text to show for it (``<stdin>``)."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return None, [
                file_finding(
                    path,
                    "KS101",
                    _(
                        "file is {encoding} (it starts with a {encoding} byte-order mark); "
                        "expected UTF-8: save it again choosing the encoding 'UTF-8'"
                    ).format(encoding=name),
                )
            ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    utf16 = utf16_without_bom(raw)
    if utf16:
        return None, [
            file_finding(
                path,
                "KS101",
                _(
                    "file looks like {encoding} without a byte-order mark (every other byte is "
                    "NUL); expected UTF-8: save it again choosing the encoding 'UTF-8'"
                ).format(encoding=utf16),
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = raw[exc.start : exc.start + 1].hex()
        return None, [
            file_finding(
                path,
                "KS101",
                _(
                    "byte 0x{byte} is not UTF-8; expected UTF-8 text (was it saved as "
                    "Windows-1252/Latin-1? save it again choosing 'UTF-8')"
                ).format(byte=byte),
                line,
                column,
            )
        ]
    if "\x00" in text:
        line, column = line_col(text, text.index("\x00"))
        return None, [
            file_finding(
                path,
                "KS101",
                _("file contains a NUL byte; expected UTF-8 text (is it binary, or UTF-16?)"),
                line,
                column,
            )
        ]
    hidden = _HIDDEN_RE.search(text)
    if hidden:
        line, column = line_col(text, hidden.start())
        char = hidden.group()
        return None, [
            file_finding(
                path,
                "KS101",
                _(
                    "file contains U+{code:04X} ({name}); expected plain text: YAML ends a line "
                    "or a comment at a line separator that an editor shows inside one line, and "
                    "a direction control reorders what is shown, so a reviewer would not see "
                    "what is read (remove it; a line break inside a value is written {newline} in "
                    "double quotes)"
                ).format(
                    code=ord(char),
                    name=unicodedata.name(char, None) or _("a control character"),
                    newline="\\n",
                ),
                line,
                column,
            )
        ]
    long_line = _long_line(text)
    if long_line:
        number, length = long_line
        return None, [
            file_finding(
                path,
                "KS110",
                _(
                    "line {number} is {length:,} characters long; expected lines under "
                    "{limit:,} characters (fold long text over several lines with 'notes: >'; "
                    "generated or binary content does not belong in a record)"
                ).format(number=number, length=length, limit=MAX_LINE_CHARS),
                number,
                1,
            )
        ]
    return text, []


# Characters that make what the parser reads differ from what a person sees: NEL and the line
# and paragraph separators (line breaks for YAML, not for most editors and diffs), and the
# bidirectional controls (they reorder text on screen).
_HIDDEN_RE = re.compile("[\u0085\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def utf16_without_bom(raw: bytes) -> str | None:
    """'UTF-16LE'/'UTF-16BE' when the text is mostly ASCII written two bytes a character."""
    sample = raw[:512]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    if odd_nul >= pairs * 0.7 and even_nul <= pairs * 0.1:
        return "UTF-16LE"
    if even_nul >= pairs * 0.7 and odd_nul <= pairs * 0.1:
        return "UTF-16BE"
    return None


def _long_line(text: str) -> tuple[int, int] | None:
    """The number and length of the first line over MAX_LINE_CHARS, if any."""
    if len(text) <= MAX_LINE_CHARS:
        return None
    for number, line in enumerate(LINE_BREAK.split(text), 1):
        if len(line) > MAX_LINE_CHARS:
            return number, len(line)
    return None
