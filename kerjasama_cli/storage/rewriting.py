"""Rewriting an existing record file in canonical form, round-trip: ``fmt`` and in-place edits.

The file is read in ruamel's round-trip mode, so the way each value is written (quotes, folded
text, flow or block lists) is kept; keys are put in canonical order at every level, regions
become their code with the official name as a comment, sectors their keys, and the layout is
the canonical two-space one. Comments are lifted off the text by key path first
(storage/comments.py) and put back after, so a comment moves with its key.

Only files that validate without errors are given to this module: an invalid file may not
even be loadable as data.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import Comment, CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString

from kerjasama_cli.findings import Loc
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import N_, _
from kerjasama_cli.model import KEY_ORDER as RECORD_KEY_ORDER
from kerjasama_cli.model import (
    Activity,
    DprdApproval,
    Ended,
    Evaluation,
    Party,
    Record,
    Signatory,
    Source,
)
from kerjasama_cli.storage.canonical import (
    dump_yaml,
    load_round_trip,
    official_names,
    region_notes,
    styled,
)
from kerjasama_cli.storage.comments import extract_comments, insert_comments, without_note
from kerjasama_cli.storage.reading import parse_text
from kerjasama_cli.vocab import resolve_sector

KEY_ORDERS: dict[str, tuple[str, ...]] = {
    "": RECORD_KEY_ORDER,
    "parties": tuple(Party.model_fields),
    "signatory": tuple(Signatory.model_fields),
    "ended": tuple(Ended.model_fields),
    "dprd_approval": tuple(DprdApproval.model_fields),
    "activities": tuple(Activity.model_fields),
    "evaluations": tuple(Evaluation.model_fields),
    "sources": tuple(Source.model_fields),
}

# What a rewrite changed, as `fmt` says it (translated where shown).
KEY_ORDER_CHANGE = N_("key order")
REGION_CHANGE = N_("regions as codes")
SECTOR_CHANGE = N_("sector keys")
LAYOUT_CHANGE = N_("layout")

Edit = Callable[[dict[str, Any]], None]


@dataclass(slots=True)
class Formatted:
    """The canonical text of a file and what was changed to get there (empty: nothing)."""

    text: str
    changes: list[str] = field(default_factory=list)
    data: dict[str, Any] | None = None  # the text as validate reads it


class FormatError(Exception):
    """The rewrite would not keep the data or a comment; the file must be left alone."""


# White space with a tab in it before a comment: "ends_on: 2029-02-04<TAB># ...".
_TAB_BEFORE_COMMENT = re.compile(r"(?<=\S)[ \t]*\t[ \t]*(?=#)|^[ \t]*\t[ \t]*(?=#)", re.M)


def _round_trip(text: str) -> tuple[Any, Any]:
    """The comments of ``text`` and its round-trip reading.

    libyaml (validate's reader) and ruamel's round-trip scanner differ at the edges: a tab
    before a comment is white space to one and an error to the other. Then the tabs there are
    read as spaces; what is written is proved against validate's reading all the same."""
    try:
        return extract_comments(text), load_round_trip(text)
    except YAMLError:
        spaced = _TAB_BEFORE_COMMENT.sub("  ", text)
        if spaced == text:
            raise
        return extract_comments(spaced), load_round_trip(spaced)


def format_record_text(
    text: str, edit: Edit | None = None, *, read: dict[str, Any] | None = None
) -> Formatted:
    """Canonical form of a valid record's ``text``, keeping every comment.

    ``edit`` may change the loaded data first (append an activity: plain dicts and lists are
    given the canonical styles). The text is read as ``validate`` reads it, and the result is
    proved against that reading: it must say the same record (with the edit made), and keep
    every comment; otherwise FormatError, and nothing must be written. ``read``: the text as
    validate reads it, when the caller has read it already.
    """
    label = Path("<record>")
    if read is None:
        before = parse_text(label, text)
        if before.findings or before.data is None:
            raise FormatError(_("the file does not read as one record"))
        read = before.data
    try:
        comments, data = _round_trip(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("line {line}, column {column}").format(line=mark.line + 1, column=mark.column + 1)
            if mark is not None
            else "?"
        )
        raise FormatError(
            _(
                "the round-trip reader cannot read it at {where} (a tab where a space is expected?)"
            ).format(where=where)
        ) from None
    if not isinstance(data, CommentedMap):
        raise FormatError(_("the document is not a mapping"))
    expected = copy.deepcopy(read)
    if edit is not None:
        edit(data)
        edit(expected)
    changes: set[str] = set()
    data = _canonical(data, (), changes)
    _strip_comments(data)
    try:
        body = dump_yaml(data)
        result = insert_comments(body, comments, region_notes(data), official_names())
    except (YAMLError, UnicodeError) as exc:  # an edit put in what YAML cannot carry
        raise FormatError(
            _("the changed record cannot be written as YAML ({problem})").format(problem=exc)
        ) from None
    notes = official_names()
    after = parse_text(label, result)
    if after.findings or after.data is None or not _same_record(expected, after.data):
        raise FormatError(_("the rewrite would change what the record says"))
    missing = [
        c for c in (without_note(c, notes) for c in comments.all_text()) if c.strip() not in result
    ]
    if missing:
        raise FormatError(_("comment {comment!r} would be lost").format(comment=missing[0]))
    found = [c for c in (KEY_ORDER_CHANGE, REGION_CHANGE, SECTOR_CHANGE) if c in changes]
    if result != text and not found:
        found = [LAYOUT_CHANGE]
    return Formatted(result, found if result != text else [], after.data)


def _same_record(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    """Whether two readings of a record say the same: the same record once validated (regions
    as codes, sectors as keys), or, when the expected data is no valid record, the same data."""
    try:
        wanted = Record.model_validate(expected)
    except ValidationError:
        return expected == found
    try:
        return Record.model_validate(found) == wanted
    except ValidationError:
        return False


def _order_for(loc: Loc) -> tuple[str, ...]:
    names = [p for p in loc if isinstance(p, str)]
    return KEY_ORDERS.get(names[-1] if names else "", ())


def _canonical(value: Any, loc: Loc, changes: set[str]) -> Any:
    if not isinstance(value, CommentedMap | CommentedSeq):
        if isinstance(value, dict | list):
            return _canonical(styled(value, loc), loc, changes)  # added by an edit
        return value
    if isinstance(value, CommentedSeq):
        for i, item in enumerate(value):
            value[i] = _canonical(item, (*loc, i), changes)
        if loc == ("sectors",):
            for i, item in enumerate(value):
                key = resolve_sector(str(item))
                if key is not None and (key != item or getattr(item, "style", None)):
                    value[i] = PlainScalarString(key)
                    changes.add(SECTOR_CHANGE)
        return value
    order = _order_for(loc)
    keys = list(value)
    rank = {k: (order.index(k) if k in order else len(order), i) for i, k in enumerate(keys)}
    wanted = sorted(keys, key=rank.__getitem__)
    if wanted != keys:
        changes.add(KEY_ORDER_CHANGE)
        for key in wanted:
            value.move_to_end(key)
    for key in wanted:
        value[key] = _canonical(value[key], (*loc, key), changes)
    if len(loc) == 2 and loc[0] == "parties" and value.get("region") is not None:
        raw = value["region"]
        region = load_gazetteer().resolve(str(raw)).region
        if region is not None:
            code = DoubleQuotedScalarString(region.code)
            if not (isinstance(raw, DoubleQuotedScalarString) and str(raw) == region.code):
                changes.add(REGION_CHANGE)
            value["region"] = code
    return value


def _strip_comments(value: Any) -> None:
    if isinstance(value, CommentedMap | CommentedSeq):
        setattr(value, Comment.attrib, Comment())
        for item in value.values() if isinstance(value, CommentedMap) else value:
            _strip_comments(item)
    elif hasattr(value, "comment"):
        with contextlib.suppress(AttributeError):
            value.comment = None  # a folded or literal text's header comment
