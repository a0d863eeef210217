"""The only module that touches record files and ruamel.yaml.

Loading is done in two speeds. The fast path composes the YAML with libyaml (ruamel's C
parser) and turns nodes into plain values itself, so that dates stay text (the model parses
them, and an impossible date becomes a finding, not a crash), duplicate keys are caught and
every file is read once. Positions (line and column of each key path) are computed only for
files that have findings, by walking the nodes again.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import Resolver
from ruamel.yaml.tag import Tag

from kerjasama_cli.errors import DataFolderNotFound
from kerjasama_cli.findings import Finding, Loc, format_loc
from kerjasama_cli.storage.syntax import LINE_BREAK, describe_syntax_error, line_col

AGREEMENTS = "agreements"
MAX_FILE_BYTES = 1_000_000
# A line longer than this is generated or binary content, not something a person typed; long
# text is folded over several lines (``notes: >``). It also bounds the work of suggestions.
MAX_LINE_CHARS = 10_000
MAX_DEPTH = 32
# Nesting deeper than this many structural characters is measured before libyaml composes
# the file: its composer recurses in C and would overflow the stack on ~100k levels. Below it,
# the node walker stops at MAX_DEPTH.
_DEPTH_SCAN_THRESHOLD = 2_000
_TAG = "tag:yaml.org,2002:"

Position = tuple[int, int]


def find_data_dir(explicit: Path | None) -> Path:
    """The data folder: ``--data-dir``, else ``$KERJASAMA_DATA``, else ``./data``."""
    chosen = explicit or Path(os.environ.get("KERJASAMA_DATA") or "data")
    if not chosen.is_dir():
        how = (
            "--data-dir"
            if explicit
            else "KERJASAMA_DATA"
            if "KERJASAMA_DATA" in os.environ
            else "default"
        )
        raise DataFolderNotFound(
            f"data folder {str(chosen)!r} ({how}) does not exist; "
            "pass --data-dir PATH or set KERJASAMA_DATA"
        )
    return chosen


def display_path(path: Path) -> str:
    """A path for messages: relative to the current directory when below it, else absolute.

    A symbolic link is shown as the link, not its target, and characters that a terminal would
    act on (escape sequences, newlines) or could not print are shown escaped, as in Python.
    """
    here = absolute_path(path)
    try:
        shown = str(here.relative_to(Path.cwd().resolve()))
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


def _finding(
    path: Path | str,
    rule: str,
    message: str,
    line: int = 1,
    column: int = 1,
    key: str = "",
    severity: str = "error",
) -> Finding:
    shown = path if isinstance(path, str) else display_path(path)
    return Finding(shown, line, column, key, rule, severity, message)  # type: ignore[arg-type]


# ruamel's resolver makes a new Tag object for every typed scalar, which then has to be turned
# back into a string: a third of the parse time. The same YAML 1.2 rules (ruamel's own table and
# regular expressions, in the same order) are applied here with one Tag per type, so that a
# scalar's type is known by identity.
_TAGS: dict[str, Tag] = {}


def _tag(name: str) -> Tag:
    return _TAGS.setdefault(name, Tag(suffix=name))


_STR_TAG: Tag = _TAGS.setdefault(str(Resolver.DEFAULT_SCALAR_TAG), Resolver.DEFAULT_SCALAR_TAG)
_SEQ_TAG: Tag = Resolver.DEFAULT_SEQUENCE_TAG
_MAP_TAG: Tag = Resolver.DEFAULT_MAPPING_TAG
_IMPLICIT: dict[str | None, list[tuple[Tag, Any]]] = {
    first: [(_tag(name), regexp.match) for name, regexp in rules]
    for first, rules in Resolver.yaml_implicit_resolvers.items()
}
_ANY_FIRST = _IMPLICIT.pop(None, [])
assert not Resolver.yaml_path_resolvers, "path resolvers would change how scalars are typed"


class _Composer(CParser, Resolver):  # type: ignore[misc]
    """libyaml's parser and composer with the YAML 1.2 resolver (``yes``/``no`` are strings)."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        Resolver.__init__(self)

    def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> Tag:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, match in _IMPLICIT.get(value[:1], ()):
                    if match(value):
                        return tag
                for tag, match in _ANY_FIRST:
                    if match(value):
                        return tag
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


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
        return None, [_finding(path, "KS100", "file cannot be read: permission denied")]
    except OSError as exc:
        return None, [_finding(path, "KS100", f"file cannot be read: {_os_problem(exc)}")]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [
                _finding(
                    path,
                    "KS100",
                    "not a regular file (a folder, pipe or device); expected a text file",
                )
            ]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_too_large(path, info.st_size)]
        raw = _read_at_most(fd, MAX_FILE_BYTES + 1, info.st_size + 1)
    except OSError as exc:
        return None, [_finding(path, "KS100", f"file cannot be read: {_os_problem(exc)}")]
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew after fstat, or lies about its size
        return None, [_too_large(path, len(raw))]
    return raw, []


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
    return (exc.strerror or type(exc).__name__).lower()


def _too_large(path: Path, size: int) -> Finding:
    at_least = "at least " if size == MAX_FILE_BYTES + 1 else ""
    return _finding(
        path,
        "KS107",
        f"file is {at_least}{size:,} bytes; a record is expected to be under "
        f"{MAX_FILE_BYTES:,} bytes (it was not read)",
    )


# Byte-order marks of encodings other than UTF-8; UTF-32 first, as FF FE starts both.
_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Finding]]:
    """The text of a record file: UTF-8, with or without a byte-order mark, any line ends."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return None, [
                _finding(
                    path,
                    "KS101",
                    f"file is {name} (it starts with a {name} byte-order mark); expected UTF-8: "
                    "save it again choosing the encoding 'UTF-8'",
                )
            ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return None, [
            _finding(
                path,
                "KS101",
                f"file looks like {utf16} without a byte-order mark (every other byte is NUL); "
                "expected UTF-8: save it again choosing the encoding 'UTF-8'",
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
            _finding(
                path,
                "KS101",
                f"byte 0x{byte} is not UTF-8; expected UTF-8 text "
                "(was it saved as Windows-1252/Latin-1? save it again choosing 'UTF-8')",
                line,
                column,
            )
        ]
    if "\x00" in text:
        line, column = line_col(text, text.index("\x00"))
        return None, [
            _finding(
                path,
                "KS101",
                "file contains a NUL byte; expected UTF-8 text (is it binary, or UTF-16?)",
                line,
                column,
            )
        ]
    long_line = _long_line(text)
    if long_line:
        number, length = long_line
        return None, [
            _finding(
                path,
                "KS110",
                f"line {number} is {length:,} characters long; expected lines under "
                f"{MAX_LINE_CHARS:,} characters (fold long text over several lines with "
                "'notes: >'; generated or binary content does not belong in a record)",
                number,
                1,
            )
        ]
    return text, []


def _utf16_without_bom(raw: bytes) -> str | None:
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


def load_file(path: Path) -> LoadedFile:
    """Read and parse one record file into plain values, collecting problems as findings."""
    raw, findings = read_bytes(path)
    if raw is None:
        return LoadedFile(path, None, findings)
    text, findings = decode(path, raw)
    loaded = LoadedFile(path, None, findings) if text is None else parse_text(path, text)
    loaded.digest = file_digest(raw)
    return loaded


def parse_text(path: Path, text: str) -> LoadedFile:
    """Parse the text of one record file into plain values, collecting problems as findings."""
    findings = _scan_events(path, text)
    if findings:
        return LoadedFile(path, None, findings)
    try:
        node = _Composer(text).get_single_node()
    except (MarkedYAMLError, ReaderError, YAMLError) as exc:
        return LoadedFile(path, None, [_syntax_finding(path, text, exc)])
    if node is None or (isinstance(node, ScalarNode) and node.value == "" and not node.style):
        what = (
            "is empty"
            if not text.strip()
            else "holds only comments"
            if node is None
            else "holds an empty document"
        )
        message = f"file {what}; expected a mapping of record keys (id: ..., title: ..., ...)"
        return LoadedFile(path, None, [_finding(path, "KS106", message)])
    if not isinstance(node, MappingNode):
        what = "a list" if isinstance(node, SequenceNode) else f"a single value, {_shown(node)}"
        line, col = _mark(node)
        return LoadedFile(
            path,
            None,
            [
                _finding(
                    path,
                    "KS106",
                    f"the document is {what}; expected a mapping of record keys "
                    "(id: ..., title: ..., ...)",
                    line,
                    col,
                )
            ],
        )
    builder = _Builder(path, positions=False)
    try:
        data = builder.build(node, ())
    except _TooDeep as exc:
        return LoadedFile(path, None, [_too_deep(path, *exc.position)])
    return LoadedFile(path, data, builder.findings)


def _shown(node: ScalarNode) -> str:
    value = str(node.value)
    return repr(value) if len(value) <= 40 else repr(value[:40] + "...")


def _too_deep(path: Path, line: int, col: int) -> Finding:
    return _finding(
        path,
        "KS106",
        f"structure is nested more than {MAX_DEPTH} levels deep; "
        "a record is at most a few levels deep",
        line,
        col,
    )


def _shown_tag(tag: str) -> str:
    """A tag as it is written in YAML: ``!!binary`` rather than ``tag:yaml.org,2002:binary``."""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _scan_events(path: Path, text: str) -> list[Finding]:
    """Refuse anchors, aliases, tags and absurd nesting before composing the file.

    Only the parser runs here (events, no nodes), so an alias is never expanded (a "billion
    laughs" file costs nothing), a tag is never resolved to a constructor, and a file nested
    100,000 levels deep is stopped at level MAX_DEPTH + 1 instead of overflowing libyaml's
    recursive composer.
    """
    structural = sum(text.count(c) for c in "[{-:?")
    if structural < _DEPTH_SCAN_THRESHOLD and not any(c in text for c in "&*!"):
        return []
    findings: list[Finding] = []
    depth = 0
    parser = _Composer(text)
    try:
        while len(findings) < 5:
            event = parser.get_event()
            kind = type(event).__name__
            if kind == "StreamEndEvent":
                break
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            if kind == "AliasEvent":
                findings.append(
                    _finding(
                        path,
                        "KS104",
                        f"YAML alias '*{event.anchor}' is not allowed; records are plain data: "
                        "write the value out in full",
                        line,
                        col,
                    )
                )
                continue
            anchor = getattr(event, "anchor", None)
            if anchor:
                findings.append(
                    _finding(
                        path,
                        "KS104",
                        f"YAML anchor '&{anchor}' is not allowed; records are plain data: "
                        "write each value out in full",
                        line,
                        col,
                    )
                )
            tag = getattr(event, "tag", None)
            if tag is not None:  # libyaml gives plain, untagged nodes no tag at all
                findings.append(
                    _finding(
                        path,
                        "KS105",
                        f"YAML tag {_shown_tag(str(tag))!r} is not allowed; records are plain "
                        "data (tags make YAML loaders build objects or run code): write a plain "
                        "value, in quotes to keep it text",
                        line,
                        col,
                    )
                )
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    findings.append(_too_deep(path, line, col))
                    break
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except (MarkedYAMLError, ReaderError, YAMLError) as exc:
        findings.append(_syntax_finding(path, text, exc))
    return findings


def _syntax_finding(path: Path, text: str, exc: Exception) -> Finding:
    rule, message, line, col = describe_syntax_error(text, exc)
    return _finding(path, rule, message, line, col)


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


_INT_RE = re.compile(r"^[-+]?[0-9_]+$")


def _tag_of(node: Node) -> str:
    ctag = node.ctag
    # A resolved (implicit) tag has no handle: its suffix is the tag, no need to decode it.
    if ctag is not None and ctag.handle is None and isinstance(ctag.suffix, str):
        return ctag.suffix
    return str(node.tag)


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if node.ctag is _STR_TAG:
        return value
    tag = _tag_of(node)
    if not tag.startswith(_TAG):
        return value
    kind = tag[len(_TAG) :]
    try:
        if kind == "int":
            return int(value.replace("_", ""), 10 if _INT_RE.match(value) else 0)
        if kind == "float":
            lowered = value.lower().replace("_", "")
            if lowered in (".inf", "+.inf"):
                return float("inf")
            if lowered == "-.inf":
                return float("-inf")
            if lowered == ".nan":
                return float("nan")
            return float(lowered)
    except ValueError:  # also a number of more than 4,300 digits
        return value
    if kind == "bool":
        return value.lower() == "true"
    if kind == "null":
        return None
    return value  # str, timestamp (kept as text on purpose), merge keys and the rest


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH, found while building (files too small for the pre-scan)."""

    def __init__(self, position: Position) -> None:
        super().__init__(position)
        self.position = position


class _Builder:
    """Turns composed nodes into dicts, lists and scalars; finds duplicate keys; maps positions."""

    def __init__(self, path: Path, *, positions: bool) -> None:
        self.path = path  # shown (display_path) only in a finding: most files have none
        # The positions pass is for files whose findings parse_text has already reported.
        self.report = not positions
        self.findings: list[Finding] = []
        self.positions: dict[Loc, Position] | None = {} if positions else None
        self.key_positions: dict[Loc, Position] | None = {} if positions else None

    def build(self, node: Node, loc: Loc) -> Any:
        if self.positions is not None:
            self.positions[loc] = _mark(node)
        elif node.__class__ is ScalarNode:  # most nodes: the fast way out
            return _scalar(node)
        if isinstance(node, MappingNode | SequenceNode) and len(loc) >= MAX_DEPTH:
            raise _TooDeep(_mark(node))
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if not isinstance(node, MappingNode):
            return _scalar(node)  # type: ignore[arg-type]
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._report(
                    key_node,
                    "KS106",
                    "a mapping key must be a plain word, not a list or mapping",
                    format_loc(loc),
                )
                continue
            key = str(_scalar(key_node))
            if key in out:
                where = f" in {format_loc(loc)}" if loc else ""
                self._report(
                    key_node,
                    "KS103",
                    f"duplicate key {key!r}{where}; each key may appear once in a mapping "
                    "(the later value would silently win)",
                    format_loc((*loc, key)),
                )
                continue
            if self.key_positions is not None:
                self.key_positions[(*loc, key)] = _mark(key_node)
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _report(self, node: Node, rule: str, message: str, key: str) -> None:
        if self.report:
            line, col = _mark(node)
            self.findings.append(_finding(self.path, rule, message, line, col, key))


@dataclass(slots=True)
class SourceMap:
    """Line and column of every key path of one file (values and keys)."""

    text: str
    values: dict[Loc, Position]
    keys: dict[Loc, Position]
    _lines: list[str] | None = None

    def locate(self, loc: Loc, *, key: bool = False) -> Position:
        """Where ``loc`` is, or its nearest ancestor that exists."""
        table = self.keys if key else self.values
        probe = loc
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def token_at(self, position: Position) -> str:
        """The source text of the plain scalar that starts at ``position`` (for messages)."""
        if self._lines is None:
            self._lines = LINE_BREAK.split(self.text)
        line, col = position
        if not 0 < line <= len(self._lines):
            return ""
        rest = self._lines[line - 1][col - 1 : col + 200]
        return re.split(r"\s+#|,\s|[\]}]", rest, maxsplit=1)[0].strip()


def load_source_map(path: Path) -> SourceMap | None:
    """Re-read a file that has findings and map its key paths to positions."""
    text, _ = read_text(path)
    if text is None:
        return None
    return source_map_of(path, text)


def source_map_of(path: Path, text: str) -> SourceMap | None:
    """Positions of every key path of ``text`` (read from ``path``, or stdin), if it parses.

    The text is pre-scanned like parse_text's: nothing with anchors, tags or absurd nesting is
    ever composed.
    """
    if _scan_events(path, text):
        return None
    try:
        node = _Composer(text).get_single_node()
    except (MarkedYAMLError, ReaderError, YAMLError):
        return None
    if node is None:
        return None
    builder = _Builder(path, positions=True)
    try:
        builder.build(node, ())
    except _TooDeep:
        return None
    assert builder.positions is not None and builder.key_positions is not None
    return SourceMap(text, builder.positions, builder.key_positions)
