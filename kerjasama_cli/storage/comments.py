"""Comments of a record file, lifted off the text by key path and put back after a rewrite.

ruamel's round-trip mode keeps comments, but attaches a comment line to the key *before* it (a
comment above ``sectors:`` belongs to the last item of ``parties``), so reordering keys would
carry comments to the wrong place. Here comments are attached the way a person reads them:

- a comment at the end of a line belongs to the deepest key or list item that starts on that
  line before it (``region: "32" # Jawa Barat`` belongs to ``parties[0].region``);
- comment lines above a key or list item belong to it, and move with it;
- comment lines above the first key are the file's header, and stay on top (the first key
  may move down: the header is about the file, ``# yaml-language-server: ...`` for instance);
- comment lines after the last key are the footer.

Only keys of block mappings and items of block sequences carry comments (a flow collection
``[a, b]`` is one line; its comments belong to its key). Blank lines are not kept, except
between paragraphs of the header and after it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kerjasama_cli.findings import Loc
from kerjasama_cli.storage.reading import _Composer

Position = tuple[int, int]  # 0-based line and column


@dataclass(slots=True)
class Comments:
    """The comments of one file, by the key path they belong to (comment text from ``#``)."""

    header: list[str] = field(default_factory=list)  # "" separates paragraphs
    header_gap: bool = False  # a blank line between the header and the first key
    before: dict[Loc, list[str]] = field(default_factory=dict)
    inline: dict[Loc, list[str]] = field(default_factory=dict)
    footer: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.header or self.before or self.inline or self.footer)

    def all_text(self) -> list[str]:
        """Every comment, for checking that none was lost."""
        out = [c for c in self.header if c]
        for lines in self.before.values():
            out += lines
        for texts in self.inline.values():
            out += texts
        return out + self.footer


@dataclass(slots=True)
class Layout:
    """Where things are in a YAML text: attachable points, every node, and scalar spans."""

    points: list[tuple[Position, Loc]]  # block keys and block items, in document order
    nodes: dict[Loc, Position]  # every key path (value start, or key start for mapping keys)
    scalars: list[tuple[Position, Position, str | None]]  # start, end, style


def layout_of(text: str) -> Layout:
    """Compose ``text`` and record positions; the text must be valid YAML."""
    node = _Composer(text).get_single_node()
    layout = Layout([], {}, [])
    if node is not None:
        _walk(node, (), layout, in_flow=False)
    return layout


def _pos(node: Node, end: bool = False) -> Position:
    mark = node.end_mark if end else node.start_mark
    return mark.line, mark.column


def _walk(node: Node, loc: Loc, layout: Layout, *, in_flow: bool) -> None:
    if isinstance(node, ScalarNode):
        layout.scalars.append((_pos(node), _pos(node, end=True), node.style))
        layout.nodes.setdefault(loc, _pos(node))
        return
    flow = in_flow or bool(getattr(node, "flow_style", False))
    layout.nodes.setdefault(loc, _pos(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*loc, key)
            layout.scalars.append((_pos(key_node), _pos(key_node, end=True), key_node.style))
            layout.nodes[child] = _pos(key_node)
            if not flow:
                layout.points.append((_pos(key_node), child))
            _walk(value_node, child, layout, in_flow=flow)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            child = (*loc, i)
            if not flow:
                layout.points.append((_pos(item), child))
            _walk(item, child, layout, in_flow=flow)


def _excluded_columns(layout: Layout) -> dict[int, list[tuple[int, int]]]:
    """Per line, the column ranges that are inside scalars (where ``#`` is not a comment)."""
    spans: dict[int, list[tuple[int, int]]] = {}
    big = 1 << 30
    for (l1, c1), (l2, c2), style in layout.scalars:
        if style in ("|", ">"):
            # The header line (">-  # comment") may carry a comment; the content may not.
            l1, c1 = l1 + 1, 0
            if l1 > l2:
                continue
        if l1 == l2:
            spans.setdefault(l1, []).append((c1, c2))
            continue
        spans.setdefault(l1, []).append((c1, big))
        for line in range(l1 + 1, l2):
            spans.setdefault(line, []).append((0, big))
        spans.setdefault(l2, []).append((0, c2))
    return spans


def _find_comments(text: str, layout: Layout) -> list[tuple[int, int, str, bool]]:
    """Every comment as (line, column, text from '#', is it alone on its line)."""
    excluded = _excluded_columns(layout)
    found: list[tuple[int, int, str, bool]] = []
    for number, line in enumerate(text.splitlines()):
        if "#" not in line:
            continue
        ranges = excluded.get(number, [])
        start = 0
        while True:
            col = line.find("#", start)
            if col < 0:
                break
            start = col + 1
            if col > 0 and line[col - 1] not in " \t":
                continue
            if any(a <= col < b for a, b in ranges):
                continue
            found.append((number, col, line[col:].rstrip(), not line[:col].strip()))
            break
    return found


def extract_comments(text: str, layout: Layout | None = None) -> Comments:
    """The comments of ``text`` (valid YAML), each attached to the key path it belongs to."""
    layout = layout or layout_of(text)
    comments = Comments()
    found = _find_comments(text, layout)
    if not found:
        return comments
    points = layout.points
    starts = [p for p, _ in points]
    lines = [p[0] for p in starts]
    first_line = lines[0] if lines else 1 << 30
    leading = [(n, t) for n, _, t, alone in found if alone and n < first_line]
    comments.header = _paragraphs(leading)
    comments.header_gap = bool(leading) and leading[-1][0] < first_line - 1
    for number, col, body, alone in found:
        if alone and number < first_line:
            continue
        if alone:
            index = bisect.bisect_right(lines, number)
            if index < len(points):
                comments.before.setdefault(points[index][1], []).append(body)
            else:
                comments.footer.append(body)
        else:
            index = bisect.bisect_left(starts, (number, col)) - 1
            if index < 0:
                comments.header.append(body)
            else:
                comments.inline.setdefault(points[index][1], []).append(body)
    return comments


def _paragraphs(lines: list[tuple[int, str]]) -> list[str]:
    """Numbered comment lines as a list with "" wherever blank lines separated them."""
    out: list[str] = []
    previous = None
    for number, body in lines:
        if previous is not None and number > previous + 1:
            out.append("")
        out.append(body)
        previous = number
    return out


def insert_comments(
    body: str,
    comments: Comments,
    notes: dict[Loc, str] | None = None,
    is_note: frozenset[str] = frozenset(),
) -> str:
    """Put ``comments`` back into ``body`` (a comment-free YAML text) by key path.

    ``notes`` are generated end-of-line comments (a region's official name) keyed by the path
    of the value they describe; on their line they come first, and an earlier copy of a note
    (a comment whose first part is one of ``is_note``) is dropped rather than repeated.
    A comment whose key path is gone goes to the nearest enclosing key that is still there.
    """
    layout = layout_of(body)
    lines = body.splitlines()
    order = {loc: i for i, (_, loc) in enumerate(layout.points)}
    where = {loc: pos for pos, loc in layout.points}

    def target(loc: Loc) -> Loc | None:
        probe = loc
        while probe not in where:
            if not probe:
                return None
            probe = probe[:-1]
        return probe

    def deepest_on_line(loc: Loc) -> Loc:
        # An end-of-line comment belongs to the last point that starts on its line.
        line = where[loc][0]
        index = order[loc]
        while index + 1 < len(layout.points) and layout.points[index + 1][0][0] == line:
            index += 1
        return layout.points[index][1]

    before: dict[int, list[tuple[int, list[str]]]] = {}
    inline: dict[int, list[tuple[int, str]]] = {}
    footer = list(comments.footer)
    for loc, texts in comments.before.items():
        found = target(loc)
        if found is None:
            footer += texts
            continue
        before.setdefault(where[found][0], []).append((order[found], texts))
    for loc, texts in comments.inline.items():
        found = target(loc)
        if found is None:
            footer += texts
            continue
        found = deepest_on_line(found)
        for text in texts:
            inline.setdefault(where[found][0], []).append((order[found], text))
    note_lines: dict[int, list[str]] = {}
    for loc, note in sorted(
        (notes or {}).items(), key=lambda item: layout.nodes.get(item[0], (0, 0))
    ):
        if loc in layout.nodes:
            note_lines.setdefault(layout.nodes[loc][0], []).append(note)

    out: list[str] = []
    if comments.header:
        out += comments.header
        if comments.header_gap:
            out.append("")
    for number, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip(" "))]
        for _, texts in sorted(before.get(number, []), key=lambda item: item[0]):
            out += [indent + t for t in texts]
        parts = [t for _, t in sorted(inline.get(number, []), key=lambda item: item[0])]
        if number in note_lines:
            parts = [f"# {', '.join(note_lines[number])}"] + [
                rest for rest in (without_note(p, is_note) for p in parts) if rest
            ]
        # Two spaces before an end-of-line comment, as yamllint's default `comments` rule wants.
        out.append(f"{line}  {' '.join(parts)}" if parts else line)
    out += footer
    return "\n".join(out) + "\n"


def without_note(comment: str, is_note: frozenset[str]) -> str:
    """The part of a comment a person wrote: without the leading generated notes.

    "# Kota Bekasi # mine" -> "# mine"; "# Kota Bekasi, Kabupaten Kaur" -> "".
    """
    body = comment[1:].strip()
    head, sep, rest = body.partition(" #")
    if all(part.strip() in is_note for part in head.split(",")):
        return f"#{rest}" if sep else ""
    return comment
