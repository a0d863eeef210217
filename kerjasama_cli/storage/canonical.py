"""The canonical YAML form of a record, and writing a new record file.

Canonical form (what ``add`` writes and what ``fmt`` converges to):

- keys in the order of docs/record-format.md (the model's field order), at every level;
- two-space indentation, list items indented two spaces under their key (``  - region:``);
- regions as their Kemendagri code in double quotes, followed by a comment with the official
  name: ``region: "16.03"  # Kabupaten Muara Enim``;
- sectors as their keys; dates as ``YYYY-MM-DD``;
- for new records: a list of short values, or a mapping of short values (a signatory, ``ended``),
  in flow style (``[a, b]``, ``{name: ..., position: ...}``) when its line fits in 100 columns;
  ``scope`` and lists of mappings in block style; text longer than a line folded (``>-``),
  text with line breaks as a literal block (``|``).

Public API (reused by ``import``): :func:`render_record_yaml`, :func:`write_new_record`,
:func:`record_path`, :func:`record_data`.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from kerjasama_cli.errors import RecordExists, RefusedWrite
from kerjasama_cli.findings import Finding, Loc
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import _
from kerjasama_cli.ids import is_slug
from kerjasama_cli.model import Record
from kerjasama_cli.storage.comments import Comments, insert_comments
from kerjasama_cli.storage.files import AGREEMENTS, check_writable, display_path
from kerjasama_cli.storage.writing import create_exclusive, replace_atomic

LINE_WIDTH = 100
# Lists written one item per line even when they would fit on one: each item is a clause.
_BLOCK_LISTS = frozenset({"scope"})


class _ReadAsValidate(VersionedResolver):
    """Types scalars as ``validate`` reads them: YAML 1.2 whatever a ``%YAML`` directive says
    (``12:30`` and ``on`` are text, not 750 and true), and timestamps kept as text."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        tag = super().resolve(kind, value, implicit)
        if kind is ScalarNode and str(tag) == "tag:yaml.org,2002:timestamp":
            return self.DEFAULT_SCALAR_TAG
        return tag


def load_round_trip(text: str) -> Any:
    """``text`` loaded round-trip (comments, quotes and styles kept), each scalar typed as
    ``validate`` reads it."""
    return yaml_round_trip().load(text)


def _plain_date(representer: Any, value: dt.date) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:str", value.isoformat())


def yaml_round_trip() -> YAML:
    """A ruamel round-trip instance with the canonical layout (and no line wrapping) that
    types scalars as ``validate`` reads them; a date is written as plain YYYY-MM-DD."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _ReadAsValidate
    yaml.representer.add_representer(dt.date, _plain_date)
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000  # never wrap: a comment is then always safe at the end of a line
    yaml.allow_unicode = True
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{a: 1}], not [a: 1]
    return yaml


# Instances that dumped without an error, to dump again: making one costs about a tenth of a
# record's dump. One that raised is dropped (ruamel may be left mid-document).
_DUMPERS: list[YAML] = []


def dump_yaml(data: Any) -> str:
    """``data`` (ruamel or plain values) as YAML text in the canonical layout."""
    yaml = _DUMPERS.pop() if _DUMPERS else yaml_round_trip()
    stream = io.StringIO()
    yaml.dump(data, stream)
    _DUMPERS.append(yaml)
    return stream.getvalue()


def official_names() -> frozenset[str]:
    """Every official region name: the comments ``fmt`` regenerates after a region code."""
    return frozenset(r.official_name for r in load_gazetteer().regions)


def region_notes(data: Any) -> dict[Loc, str]:
    """The official name of every party region, keyed by the path of its ``region`` value."""
    notes: dict[Loc, str] = {}
    parties = data.get("parties") if isinstance(data, dict) else None
    if not isinstance(parties, list):
        return notes
    gazetteer = load_gazetteer()
    for i, party in enumerate(parties):
        if isinstance(party, dict) and party.get("region") is not None:
            region = gazetteer.get(str(party["region"]))
            if region is not None:
                notes[("parties", i, "region")] = region.official_name
    return notes


# --- styling plain values ------------------------------------------------------------------


def _column(loc: Loc) -> int:
    """The column at which the key at ``loc`` is written in the canonical layout."""
    col = 0
    for part, following in itertools.pairwise(loc):
        if isinstance(following, int):
            col += 4  # "  - " before the item
        elif isinstance(part, str):
            col += 2
    return col


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


_PRINTABLE_ASCII = re.compile(r"[ -~]*")


def _longest(value: Any) -> int | None:
    """The most characters a flow scalar can take when written: printable ASCII text quoted
    with each character escaped (``\\"`` or ``''``), a number, a date. None: not told so."""
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, dt.date):
        return len(value.isoformat())
    if isinstance(value, str) and _PRINTABLE_ASCII.fullmatch(value):
        return 2 * len(value) + 2
    return None


def _surely_fits(key: str, value: Any, loc: Loc) -> bool:
    """Whether the flow line of ``key: value`` fits in LINE_WIDTH on every count, without
    writing it: each item at its longest, each followed by a separator. False is not a no."""
    bound = _column(loc) + 2 * len(key) + 2 + 2 + 2  # the key quoted, ": ", brackets
    parts = [p for item in value.items() for p in item] if isinstance(value, dict) else value
    for part in parts:
        longest = _longest(part)
        if longest is None:
            return False
        bound += longest + 2
    return bound <= LINE_WIDTH


def _fits(key: str, value: Any, loc: Loc) -> bool:
    if _surely_fits(key, value, loc):
        return True
    return _fits_as_written(key, value, loc)


def _fits_as_written(key: str, value: Any, loc: Loc) -> bool:
    probe = CommentedMap()
    probe[key] = value
    line = dump_yaml(probe).rstrip("\n")
    return "\n" not in line and _column(loc) + len(line) <= LINE_WIDTH


def _fold_positions(text: str, width: int) -> list[int]:
    """Where to break ``text`` (indices of single spaces) so no line exceeds ``width``."""
    positions: list[int] = []
    line_start = 0
    last_space = -1
    for i, ch in enumerate(text):
        if ch == " ":
            last_space = i
        if i - line_start >= width and last_space > line_start:
            positions.append(last_space)
            line_start = last_space + 1
    return positions


def _text(value: str, key: str, loc: Loc) -> Any:
    if "\n" in value:
        return LiteralScalarString(value)
    col = _column(loc)
    if col + len(key) + 2 + len(value) <= LINE_WIDTH:
        return value
    foldable = (
        value == value.strip() and "  " not in value and "\t" not in value and value.isprintable()
    )
    if not foldable:
        return value
    width = LINE_WIDTH - col - 2
    positions = _fold_positions(value, width)
    if not positions:
        return value
    folded = FoldedScalarString(value)
    folded.fold_pos = positions
    return folded


def _flow_scalar(value: Any) -> Any:
    # libyaml (which reads the records) refuses ':' in a plain scalar inside [ ] or { }.
    if isinstance(value, str) and not isinstance(value, DoubleQuotedScalarString) and ":" in value:
        return DoubleQuotedScalarString(value)
    if isinstance(value, FoldedScalarString | LiteralScalarString):
        return str(value)
    return value


def styled(value: Any, loc: Loc = ()) -> Any:
    """Plain data (dicts, lists, scalars) as ruamel values carrying the canonical styles.

    ``loc`` is the key path of ``value`` in the record; values that are already ruamel
    collections (read from a file) are returned as they are.
    """
    if isinstance(value, CommentedMap | CommentedSeq):
        return value
    key = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = styled(v, (*loc, k))
        in_list = bool(loc) and isinstance(loc[-1], int)
        if loc and not in_list and all(_is_scalar(v) for v in value.values()):
            flow = CommentedMap((k, _flow_scalar(v)) for k, v in out.items())
            flow.fa.set_flow_style()
            if _fits(key, flow, loc):
                return flow
        return out
    if isinstance(value, list):
        seq = CommentedSeq(styled(v, (*loc, i)) for i, v in enumerate(value))
        if key not in _BLOCK_LISTS and all(_is_scalar(v) for v in value):
            flow_seq = CommentedSeq(_flow_scalar(v) for v in seq)
            flow_seq.fa.set_flow_style()
            if _fits(key, flow_seq, loc):
                return flow_seq
        return seq
    if key == "region" and isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if isinstance(value, str) and loc and isinstance(loc[-1], str):
        return _text(value, key, loc)
    return value


# --- new records ---------------------------------------------------------------------------


def record_data(record: Record) -> dict[str, Any]:
    """The record as plain data in canonical key order, without empty optional keys."""
    return record.model_dump(mode="python", exclude_defaults=True)


def render_data_yaml(data: dict[str, Any], comments: Comments | None = None) -> str:
    """Canonical YAML for record data (already validated and canonical: codes, keys, dates)."""
    body = dump_yaml(styled(data))
    return insert_comments(body, comments or Comments(), region_notes(data), official_names())


def render_record_yaml(record: Record, comments: Comments | None = None) -> str:
    """The canonical YAML text of ``record``: what ``add`` (and ``import``) write.

    ``comments`` (from :func:`kerjasama_cli.storage.comments.extract_comments` on the text the
    record came from) are put back by key path, so a person's notes survive.
    """
    return render_data_yaml(record_data(record), comments)


def record_path(data_dir: Path, record_id: str, signed_on: dt.date | None) -> Path:
    """``<data_dir>/agreements/<year|draf>/<id>.yaml``, refusing ids that are not slugs and
    folders that lead (through a symbolic link) outside the data folder."""
    if not is_slug(record_id):
        raise RefusedWrite(
            _(
                "id {id!r} is not a slug (lowercase letters, digits and single hyphens, at "
                "most 120 characters); nothing was written"
            ).format(id=record_id)
        )
    folder = str(signed_on.year) if signed_on else "draf"
    path = data_dir / AGREEMENTS / folder / f"{record_id}.yaml"
    root = data_dir.resolve()
    if not path.parent.resolve().is_relative_to(root):
        shown = f"{display_path(data_dir)}/{AGREEMENTS}/{folder}"
        raise RefusedWrite(
            _(
                "{folder} leads outside the data folder (a symbolic link); nothing was written"
            ).format(folder=shown)
        )
    return path


def write_new_record(data_dir: Path, record: Record, text: str | None = None) -> Path:
    """Create the record's file (canonical text unless ``text`` is given); never overwrite.

    Raises RecordExists when the file exists (also when another process created it a moment
    ago), RefusedWrite when the path is unsafe. The file appears whole or not at all.
    """
    if text is None:
        text = render_record_yaml(record)
    return write_new_text(data_dir, record.id, record.signed_on, text)


def write_new_text(data_dir: Path, record_id: str, signed_on: dt.date | None, text: str) -> Path:
    """Create the file of the record ``record_id`` signed on ``signed_on`` with ``text`` (its
    canonical text, rendered before), as :func:`write_new_record` does."""
    path = record_path(data_dir, record_id, signed_on)
    refuse_unreadable(path, text)
    try:
        create_exclusive(path, text)
    except FileExistsError:
        raise RecordExists(
            _("{path} already exists; a record is never overwritten").format(
                path=display_path(path)
            )
        ) from None
    return path


def replace_record(path: Path, text: str) -> None:
    """Replace a record file's text atomically, if the reader will take the new text."""
    refuse_unreadable(path, text)
    replace_atomic(path, text)


def refuse_unreadable(path: Path, text: str) -> None:
    """Unreadable (nothing written) when ``text`` at ``path`` would be refused when read."""
    findings = check_writable(path, text)
    if findings:
        raise Unreadable(path, findings[0])


class Unreadable(RefusedWrite):
    """A record's text would be refused when read back (too large, a line too long, ...)."""

    def __init__(self, path: Path, finding: Finding) -> None:
        self.reason = f"{finding.rule}: {finding.message}"
        super().__init__(
            _("{path} would not be readable as a record ({reason}); nothing was written").format(
                path=display_path(path), reason=self.reason
            )
        )
