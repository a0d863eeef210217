"""Parsing record files: a file's YAML text into plain values, findings and positions.

Reading a file (its size, encoding and line lengths) is done by files.py, which does not import
ruamel.yaml; this module does, so it is imported only where YAML is parsed (a command whose
records all come from the cache never imports it).

Loading is done in two speeds. The fast path composes the YAML with libyaml (ruamel's C
parser) and turns nodes into plain values itself, so that dates stay text (the model parses
them, and an impossible date becomes a finding, not a crash), duplicate keys are caught and
every file is read once. Positions (line and column of each key path) are computed only for
files that have findings, by walking the nodes again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import Resolver
from ruamel.yaml.tag import Tag

from kerjasama_cli.findings import Finding, Loc, format_loc
from kerjasama_cli.i18n import _
from kerjasama_cli.storage.files import (
    LINE_BREAK,
    LoadedFile,
    decode,
    file_digest,
    file_finding,
    read_bytes,
    read_text,
)
from kerjasama_cli.storage.syntax import describe_syntax_error

MAX_DEPTH = 32
# Nesting deeper than this many structural characters is measured before libyaml composes
# the file: its composer recurses in C and would overflow the stack on ~100k levels. Below it,
# the node walker stops at MAX_DEPTH.
_DEPTH_SCAN_THRESHOLD = 2_000
_TAG = "tag:yaml.org,2002:"

Position = tuple[int, int]


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


def load_file(path: Path) -> LoadedFile:
    """Read and parse one record file into plain values, collecting problems as findings."""
    raw, findings = read_bytes(path)
    if raw is None:
        return LoadedFile(path, None, findings)
    text, findings = decode(path, raw)
    loaded = LoadedFile(path, None, findings) if text is None else parse_text(path, text)
    loaded.digest = file_digest(raw)
    return loaded


# What may stand between a value's scalars besides white space: YAML's indicators of lists
# and mappings. Anything else there is a comment (or a document's end, ``...``), which YAML
# reads past without a word.
_STRUCTURE = frozenset("[]{},:-?")
_BLOCK_HEADER = re.compile(r"[|>][+\-0-9]*")


def comment_after(value: str) -> str | None:
    """The first text YAML would drop from ``value`` written after a key, or None when it drops
    nothing: a comment after the value (``Rapat #2: disepakati`` is the text ``Rapat``), right
    after a quote or a bracket (``"Rapat"#2``, ``[a,#b]``), between the items of a list or
    mapping, after a block scalar's ``|``, after a Unicode line break, or a document's end
    (``...``). The value must be one that parses (``parse_text`` of ``value: ...`` without
    findings). Text inside a scalar (``No.#12``, quoted text, a block's lines) is the value's."""
    text = f"value: {value}\n"
    root = _Composer(text).get_single_node()
    inside = bytearray(len(text))  # 1 where a scalar's own text is
    pending = [root.value[0][1]]
    while pending:
        node = pending.pop()
        if isinstance(node, ScalarNode):
            start, end = node.start_mark.index, node.end_mark.index
            if node.style in ("|", ">"):
                line_end = min(
                    (i for i in (text.find(c, start) for c in "\n\r\x85\u2028\u2029") if i >= 0),
                    default=end,
                )
                header = _BLOCK_HEADER.match(text, start, line_end)
                rest = text[header.end() if header else start : line_end]
                if rest.strip():
                    return rest.strip()
            inside[start:end] = b"\x01" * (end - start)
        elif isinstance(node, MappingNode):
            pending += [part for pair in node.value for part in pair]
        else:
            pending += list(node.value)
    for i in range(len("value: "), len(text)):
        if inside[i] or text[i].isspace() or text[i] in _STRUCTURE:
            continue
        rest = text[i:]
        return rest.splitlines()[0].strip() if rest.splitlines() else rest.strip()
    return None


def parse_text(path: Path, text: str, *, first_line_shift: int = 0) -> LoadedFile:
    """Parse the text of one record file into plain values, collecting problems as findings.
    ``first_line_shift``: characters put before what the person wrote on the first line, left
    out of the columns a syntax error says (`set` parses its value as ``value: VALUE``)."""
    findings = _scan_events(path, text, first_line_shift)
    if findings:
        return LoadedFile(path, None, findings)
    try:
        node = _Composer(text).get_single_node()
    except (MarkedYAMLError, ReaderError, YAMLError) as exc:
        return LoadedFile(path, None, [_syntax_finding(path, text, exc, first_line_shift)])
    if node is None or (isinstance(node, ScalarNode) and node.value == "" and not node.style):
        message = (
            _("file is empty; expected a mapping of record keys (id: ..., title: ..., ...)")
            if not text.strip()
            else _(
                "file holds only comments; expected a mapping of record keys "
                "(id: ..., title: ..., ...)"
            )
            if node is None
            else _(
                "file holds an empty document; expected a mapping of record keys "
                "(id: ..., title: ..., ...)"
            )
        )
        return LoadedFile(path, None, [file_finding(path, "KS106", message)])
    if not isinstance(node, MappingNode):
        message = (
            _(
                "the document is a list; expected a mapping of record keys (id: ..., title: ..., ...)"
            )
            if isinstance(node, SequenceNode)
            else _(
                "the document is a single value, {value}; expected a mapping of record keys "
                "(id: ..., title: ..., ...)"
            ).format(value=_shown(node))
        )
        line, col = _mark(node)
        return LoadedFile(path, None, [file_finding(path, "KS106", message, line, col)])
    builder = _NodeReader(path, positions=False)
    try:
        data = builder.build(node, ())
    except _TooDeep as exc:
        return LoadedFile(path, None, [_too_deep(path, *exc.position)])
    return LoadedFile(path, data, builder.findings)


def _shown(node: ScalarNode) -> str:
    value = str(node.value)
    return repr(value) if len(value) <= 40 else repr(value[:40] + "...")


def _too_deep(path: Path, line: int, col: int) -> Finding:
    return file_finding(
        path,
        "KS106",
        _(
            "structure is nested more than {depth} levels deep; a record is at most a few "
            "levels deep"
        ).format(depth=MAX_DEPTH),
        line,
        col,
    )


def _shown_tag(tag: str) -> str:
    """A tag as it is written in YAML: ``!!binary`` rather than ``tag:yaml.org,2002:binary``."""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _scan_events(path: Path, text: str, first_line_shift: int = 0) -> list[Finding]:
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
                    file_finding(
                        path,
                        "KS104",
                        _(
                            "YAML alias '*{alias}' is not allowed; records are plain data: "
                            "write the value out in full"
                        ).format(alias=event.anchor),
                        line,
                        col,
                    )
                )
                continue
            anchor = getattr(event, "anchor", None)
            if anchor:
                findings.append(
                    file_finding(
                        path,
                        "KS104",
                        _(
                            "YAML anchor '&{anchor}' is not allowed; records are plain data: "
                            "write each value out in full"
                        ).format(anchor=anchor),
                        line,
                        col,
                    )
                )
            tag = getattr(event, "tag", None)
            if tag is not None:  # libyaml gives plain, untagged nodes no tag at all
                findings.append(
                    file_finding(
                        path,
                        "KS105",
                        _(
                            "YAML tag {tag!r} is not allowed; records are plain data (tags make "
                            "YAML loaders build objects or run code): write a plain value, in "
                            "quotes to keep it text"
                        ).format(tag=_shown_tag(str(tag))),
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
        findings.append(_syntax_finding(path, text, exc, first_line_shift))
    return findings


def _syntax_finding(path: Path, text: str, exc: Exception, first_line_shift: int = 0) -> Finding:
    rule, message, line, col = describe_syntax_error(text, exc, first_line_shift)
    return file_finding(path, rule, message, line, col)


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


# A whole number as people write one: decimal digits, no sign but "-", no leading zero, no "_",
# no 0x/0o. Other forms YAML calls integers (063, 0x20, 0o40, 3_2, +32) are kept as the text
# they are, so that what a reviewer sees is what is read: "region: 0x20" is not Jawa Barat.
_DECIMAL_RE = re.compile(r"^-?(0|[1-9][0-9]*)$")


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
            return int(value) if _DECIMAL_RE.match(value) else value
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


class _NodeReader:
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
                    _("a mapping key must be a plain word, not a list or mapping"),
                    format_loc(loc),
                )
                continue
            # As written: `null:` is the key 'null', not 'None' (and `1.50:` is '1.50', `true:`
            # 'true'); the same text comments.py and the round-trip reader give the key.
            key = str(key_node.value)
            if key in out:
                duplicate = (
                    _(
                        "duplicate key {key!r} in {where}; each key may appear once in a "
                        "mapping (the later value would silently win)"
                    )
                    if loc
                    else _(
                        "duplicate key {key!r}; each key may appear once in a mapping (the "
                        "later value would silently win)"
                    )
                )
                self._report(
                    key_node,
                    "KS103",
                    duplicate.format(key=key, where=format_loc(loc)),
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
            self.findings.append(file_finding(self.path, rule, message, line, col, key))


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
    text, _findings = read_text(path)
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
    builder = _NodeReader(path, positions=True)
    try:
        builder.build(node, ())
    except _TooDeep:
        return None
    assert builder.positions is not None and builder.key_positions is not None
    return SourceMap(text, builder.positions, builder.key_positions)
