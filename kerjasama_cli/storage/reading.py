"""The only module that touches record files and ruamel.yaml.

Loading is done in two speeds. The fast path composes the YAML with libyaml (ruamel's C
parser) and turns nodes into plain values itself, so that dates stay text (the model parses
them, and an impossible date becomes a finding, not a crash), duplicate keys are caught and
every file is read once. Positions (line and column of each key path) are computed only for
files that have findings, by walking the nodes again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import Resolver

from kerjasama_cli.errors import DataFolderNotFound
from kerjasama_cli.findings import Finding, Loc, format_loc

AGREEMENTS = "agreements"
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
# Nesting deeper than this many structural characters is measured before libyaml composes
# the file: its composer recurses in C and would overflow the stack on ~100k levels.
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
    """A path relative to the current directory when it is below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(slots=True)
class LoadedFile:
    """One record file as read: its data (None when unusable) and the problems found reading it."""

    path: Path
    data: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)


def _finding(
    path: Path,
    rule: str,
    message: str,
    line: int = 1,
    column: int = 1,
    key: str = "",
    severity: str = "error",
) -> Finding:
    return Finding(display_path(path), line, column, key, rule, severity, message)  # type: ignore[arg-type]


def iter_record_paths(data_dir: Path) -> tuple[list[Path], list[Finding]]:
    """Every ``*.yaml`` under ``agreements/``, sorted, and findings for anything else there."""
    root = data_dir / AGREEMENTS
    paths: list[Path] = []
    findings: list[Finding] = []
    if not root.is_dir():
        return paths, findings
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        for name in list(dirnames):
            sub = here / name
            if sub.is_symlink() and not _inside(sub, real_root):
                findings.append(
                    _finding(
                        sub,
                        "KS109",
                        "symbolic link leads outside the data folder; it is not followed",
                    )
                )
                dirnames.remove(name)
            elif name.endswith(".yaml"):
                findings.append(
                    _finding(
                        sub, "KS108", "a folder is named like a record; expected a file <id>.yaml"
                    )
                )
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue  # hidden: .gitkeep, editor swap files, our own temporary files
            if path.is_symlink() and not _inside(path, real_root):
                findings.append(
                    _finding(
                        path,
                        "KS109",
                        "symbolic link leads outside the data folder; it is not followed",
                    )
                )
            elif name.endswith(".yaml"):
                paths.append(path)
            elif name.endswith(".yml"):
                findings.append(
                    _finding(
                        path, "KS108", f"records end in .yaml; rename {name!r} to {name[:-4]}.yaml"
                    )
                )
            else:
                findings.append(
                    _finding(
                        path, "KS108", "not a record: only <id>.yaml files belong under agreements/"
                    )
                )
    return sorted(paths), findings


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
    except (ValueError, OSError):
        return False
    return True


class _Composer(CParser, Resolver):  # type: ignore[misc]
    """libyaml's parser and composer with the YAML 1.2 resolver (``yes``/``no`` are strings)."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        Resolver.__init__(self)


def read_text(path: Path) -> tuple[str | None, list[Finding]]:
    """The file's text, or findings saying why it cannot be read as UTF-8 YAML."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                _finding(
                    path,
                    "KS107",
                    f"file is {size:,} bytes; a record is expected to be under {MAX_FILE_BYTES:,} bytes",
                )
            ]
        raw = path.read_bytes()
    except PermissionError:
        return None, [_finding(path, "KS100", "file cannot be read: permission denied")]
    except OSError as exc:
        return None, [_finding(path, "KS100", f"file cannot be read: {exc.strerror or exc}")]
    return decode(path, raw)


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Finding]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            _finding(path, "KS101", "file is UTF-16; expected UTF-8 (save it as 'UTF-8')")
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[exc.start : exc.start + 1].hex()
        return None, [
            _finding(
                path,
                "KS101",
                f"byte 0x{byte} is not UTF-8; expected UTF-8 text (was it saved as Windows-1252/Latin-1?)",
                line,
                column,
            )
        ]
    if "\x00" in text:
        offset = text.index("\x00")
        line, column = _line_col(text, offset)
        return None, [
            _finding(
                path,
                "KS101",
                "file contains NUL bytes; expected UTF-8 text (is it UTF-16 or binary?)",
                line,
                column,
            )
        ]
    return text, []


def _line_col(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load_file(path: Path) -> LoadedFile:
    """Read and parse one record file into plain values, collecting problems as findings."""
    text, findings = read_text(path)
    if text is None:
        return LoadedFile(path, None, findings)
    return parse_text(path, text)


def parse_text(path: Path, text: str) -> LoadedFile:
    findings = _scan_events(path, text)
    if findings:
        return LoadedFile(path, None, findings)
    try:
        node = _Composer(text).get_single_node()
    except (MarkedYAMLError, ReaderError, YAMLError) as exc:
        return LoadedFile(path, None, [_syntax_finding(path, text, exc)])
    if node is None:
        return LoadedFile(
            path,
            None,
            [
                _finding(
                    path,
                    "KS106",
                    "file is empty; expected a mapping of record keys (id, title, ...)",
                )
            ],
        )
    if not isinstance(node, MappingNode):
        what = "a list" if isinstance(node, SequenceNode) else "a single value"
        line, col = _mark(node)
        return LoadedFile(
            path,
            None,
            [
                _finding(
                    path,
                    "KS106",
                    f"the document is {what}; expected a mapping of record keys (id, title, ...)",
                    line,
                    col,
                )
            ],
        )
    builder = _Builder(path, positions=False)
    data = builder.build(node, ())
    return LoadedFile(path, data, builder.findings)


def _scan_events(path: Path, text: str) -> list[Finding]:
    """Refuse anchors, aliases, explicit tags and absurd nesting before composing the file."""
    structural = sum(text.count(c) for c in "[{-:?")
    if structural < _DEPTH_SCAN_THRESHOLD and not any(c in text for c in "&*!"):
        return []
    findings: list[Finding] = []
    depth = 0
    parser = _Composer(text)
    try:
        while True:
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
                        f"YAML alias '*{event.anchor}' is not allowed; write the value out in full",
                        line,
                        col,
                    )
                )
                if len(findings) >= 5:
                    break
                continue
            anchor = getattr(event, "anchor", None)
            if anchor:
                findings.append(
                    _finding(
                        path,
                        "KS104",
                        f"YAML anchor '&{anchor}' is not allowed; records are plain data",
                        line,
                        col,
                    )
                )
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit = tag is not None and (
                implicit is False or (isinstance(implicit, tuple) and not any(implicit))
            )
            if explicit:
                findings.append(
                    _finding(
                        path,
                        "KS105",
                        f"YAML tag {tag!r} is not allowed; write a plain value",
                        line,
                        col,
                    )
                )
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    findings.append(
                        _finding(
                            path,
                            "KS106",
                            f"structure is nested more than {MAX_DEPTH} levels deep; a record is at most a few levels deep",
                            line,
                            col,
                        )
                    )
                    break
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
            if len(findings) >= 5:
                break
    except (MarkedYAMLError, ReaderError, YAMLError) as exc:
        findings.append(_syntax_finding(path, text, exc))
    return findings


def _syntax_finding(path: Path, text: str, exc: Exception) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line, col = mark.line + 1, mark.column + 1
    elif isinstance(exc, ReaderError):
        line, col = _line_col(text, exc.position)
    else:
        line, col = 1, 1
    if isinstance(exc, ReaderError):
        return _finding(
            path,
            "KS101",
            f"character {exc.character!r} is not allowed in YAML; expected printable text",
            line,
            col,
        )
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else str(problem)
    lines = text.splitlines()
    if "found unexpected ':'" in message:
        message += " (inside [ ] or { }, put values that contain ':' in quotes, URLs especially)"
    if 0 < line <= len(lines) and "\t" in lines[line - 1]:
        message += " (indent with spaces: YAML does not allow tabs for indentation)"
    if "more than one document" in message or "expected a single document" in message:
        return _finding(
            path,
            "KS106",
            "the file holds more than one YAML document ('---'); expected one record",
            line,
            col,
        )
    return _finding(path, "KS102", f"YAML syntax error: {message}", line, col)


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


_INT_RE = re.compile(r"^[-+]?[0-9_]+$")


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag if isinstance(node.tag, str) else str(node.tag)
    value: str = node.value
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
    except ValueError:
        return value
    if kind == "bool":
        return value.lower() == "true"
    if kind == "null":
        return None
    return value  # str, timestamp (kept as text on purpose), merge keys and the rest


class _Builder:
    """Turns composed nodes into dicts, lists and scalars; finds duplicate keys; maps positions."""

    def __init__(self, path: Path, *, positions: bool) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.positions: dict[Loc, Position] | None = {} if positions else None
        self.key_positions: dict[Loc, Position] | None = {} if positions else None

    def build(self, node: Node, loc: Loc) -> Any:
        if self.positions is not None:
            self.positions[loc] = _mark(node)
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    line, col = _mark(key_node)
                    self.findings.append(
                        _finding(
                            self.path,
                            "KS106",
                            "a mapping key must be a plain word, not a list or mapping",
                            line,
                            col,
                        )
                    )
                    continue
                key = str(_scalar(key_node))
                if key in out:
                    line, col = _mark(key_node)
                    where = format_loc((*loc, key))
                    self.findings.append(
                        _finding(
                            self.path,
                            "KS103",
                            f"duplicate key {key!r}; each key may appear once in a mapping (the later value would silently win)",
                            line,
                            col,
                            where,
                        )
                    )
                    continue
                if self.key_positions is not None:
                    self.key_positions[(*loc, key)] = _mark(key_node)
                out[key] = self.build(value_node, (*loc, key))
            return out
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return _scalar(node)  # type: ignore[arg-type]


@dataclass(slots=True)
class SourceMap:
    """Line and column of every key path of one file (values and keys)."""

    text: str
    values: dict[Loc, Position]
    keys: dict[Loc, Position]

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
        lines = self.text.splitlines()
        line, col = position
        if not 0 < line <= len(lines):
            return ""
        rest = lines[line - 1][col - 1 :]
        return re.split(r"\s+#|,\s|[\]}]", rest, maxsplit=1)[0].strip()


def load_source_map(path: Path) -> SourceMap | None:
    """Re-read a file that has findings and map its key paths to positions."""
    text, _ = read_text(path)
    if text is None:
        return None
    try:
        node = _Composer(text).get_single_node()
    except (MarkedYAMLError, ReaderError, YAMLError):
        return None
    if node is None:
        return None
    builder = _Builder(path, positions=True)
    builder.build(node, ())
    assert builder.positions is not None and builder.key_positions is not None
    return SourceMap(text, builder.positions, builder.key_positions)


def iter_yaml_files(paths: list[Path]) -> Iterator[Path]:
    """Expand files and folders named on the command line into record files, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.yaml") if p.is_file())
        else:
            yield path


def source_map_of(path: Path, text: str) -> SourceMap | None:
    """Positions of every key path of ``text`` (read from ``path``, or stdin), if it parses."""
    try:
        node = _Composer(text).get_single_node()
    except (MarkedYAMLError, ReaderError, YAMLError):
        return None
    if node is None:
        return None
    builder = _Builder(path, positions=True)
    builder.build(node, ())
    assert builder.positions is not None and builder.key_positions is not None
    return SourceMap(text, builder.positions, builder.key_positions)
