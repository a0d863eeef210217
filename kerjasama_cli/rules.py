"""Validation rules: each a small generator whose docstring is the rule.

Rule codes are stable: KS1xx file and YAML syntax, KS2xx schema and references to regions,
KS3xx dates, KS4xx across files, KS9xx warnings. storage.py reports KS1xx while reading; the
pydantic errors of the model are turned into KS2xx/KS3xx problems by ``problems_from_errors``,
the one place that words them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from kerjasama_cli.findings import Loc, Severity, format_loc
from kerjasama_cli.model import (
    Activity,
    DprdApproval,
    Ended,
    Party,
    Record,
    Signatory,
    Source,
    describe_value,
    suggest_slug,
)
from kerjasama_cli.vocab import DOCUMENT_ABBREVIATIONS

RULES: dict[str, tuple[Severity, str]] = {
    "KS100": ("error", "file cannot be read (permissions, I/O error)"),
    "KS101": ("error", "file is not UTF-8 text (UTF-16, Latin-1, NUL bytes, control characters)"),
    "KS102": ("error", "YAML syntax error (including tabs used for indentation)"),
    "KS103": ("error", "duplicate key in a mapping"),
    "KS104": ("error", "YAML anchors and aliases are not allowed"),
    "KS105": ("error", "YAML tags (!!str, !!python/..., !custom) are not allowed"),
    "KS106": (
        "error",
        "document is not one mapping (empty, a list, a scalar, several documents, nested too deep)",
    ),
    "KS107": ("error", "file is too large to be a record (over 1 MB)"),
    "KS108": (
        "error",
        "something other than a <id>.yaml record under agreements/ (.yml, other files, folders named .yaml)",
    ),
    "KS109": ("error", "symbolic link that leads outside the data folder (not followed)"),
    "KS110": ("error", "a line is longer than 10,000 characters (generated or binary content)"),
    "KS200": ("error", "a required key is missing"),
    "KS201": ("error", "unknown region (with suggestions)"),
    "KS202": ("error", "ambiguous region name (candidates listed with codes)"),
    "KS203": ("error", "region cannot be a party (Jakarta's administrative kota/kabupaten)"),
    "KS204": ("error", "the same region appears twice among the parties"),
    "KS205": ("error", "unknown key (with the closest known key)"),
    "KS206": (
        "error",
        "wrong type or format (text, list, mapping, true/false, URL, code in quotes)",
    ),
    "KS207": (
        "error",
        "value is not in the vocabulary (document, category, sector, kind, stage, ...)",
    ),
    "KS208": ("error", "id, parent, supersedes, related or tag is not a slug"),
    "KS209": ("error", "id differs from the file name"),
    "KS210": ("error", "a party is neither a region nor a name with a kind (or both)"),
    "KS301": ("error", "not a valid date YYYY-MM-DD (wrong format or impossible date)"),
    "KS302": ("error", "ends_on is before starts_on (or signed_on)"),
    "KS303": ("error", "starts_on is before signed_on"),
    "KS304": ("error", "an activity is dated before signed_on"),
    "KS305": ("error", "activities recorded on an unsigned record"),
    "KS401": ("error", "the same id is used by two files"),
    "KS402": ("error", "parent, supersedes or related names an id that does not exist"),
    "KS403": ("error", "parent is not a kesepakatan_bersama or nota_kesepakatan"),
    "KS901": ("warning", "category disagrees with the one derived from the parties"),
    "KS902": ("warning", "signed record without ends_on"),
    "KS903": ("warning", "term longer than 5 years"),
    "KS904": ("warning", "signed record with no sources and no party number"),
    "KS905": ("warning", "obligation (wajib/sukarela) given on an agreement that is not KSDD"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding before it has a file position: the key path it concerns and what is wrong."""

    loc: Loc
    rule: str
    message: str
    on_key: bool = False  # locate at the key itself (unknown keys), not its value

    @property
    def severity(self) -> Severity:
        return RULES[self.rule][0]


# --- schema errors -------------------------------------------------------------------------

_MODELS_BY_KEY: dict[str, type[BaseModel]] = {
    "parties": Party,
    "signatory": Signatory,
    "ended": Ended,
    "dprd_approval": DprdApproval,
    "activities": Activity,
    "sources": Source,
}
_TYPE_WORDS = {
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_type": "a whole number",
}


_DOCUMENT_WORDS = {abbr: doc for doc, abbr in DOCUMENT_ABBREVIATIONS.items()} | {
    "mou": "kesepakatan_bersama"
}


def _model_at(loc: Loc) -> type[BaseModel]:
    names = [p for p in loc if isinstance(p, str)]
    return _MODELS_BY_KEY.get(names[-1], Record) if names else Record


def problems_from_errors(error: ValidationError) -> Iterator[Problem]:
    """Word each pydantic error as a problem with a rule code, the expectation and the value."""
    for err in error.errors(include_url=False):
        loc: Loc = tuple(err["loc"])
        kind = err["type"]
        value = err.get("input")
        field = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if kind.startswith("KS"):
            yield Problem(loc, kind, err["msg"])
        elif kind == "missing":
            where = format_loc(loc[:-1]) if loc[:-1] else "this record"
            yield Problem(loc, "KS200", f"missing required key {field!r} in {where}")
        elif kind == "extra_forbidden":
            known = list(_model_at(loc[:-1]).model_fields)
            close = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f"; expected one of {', '.join(known)}"
            )
            yield Problem(loc, "KS205", f"unknown key {describe_value(field)}{hint}", on_key=True)
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            options = [
                o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()
            ]
            close = (
                difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
                if isinstance(value, str)
                else []
            )
            spelled = _DOCUMENT_WORDS.get(value.casefold()) if isinstance(value, str) else None
            if field == "document" and spelled:
                close = [spelled]  # "kb", "pks", "mou": the abbreviation people write
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Problem(
                loc,
                "KS207",
                f"{field} must be one of {', '.join(options)}; found {describe_value(value)}{hint}",
            )
        elif kind == "bool_type":
            yield Problem(loc, "KS206", _bool_message(field, value))
        elif kind in _TYPE_WORDS:
            yield Problem(
                loc,
                "KS206",
                f"expected {_TYPE_WORDS[kind]} for {field}; found {describe_value(value)}",
            )
        elif kind in ("string_pattern_mismatch", "string_too_long") and field in (
            "id",
            "parent",
            "supersedes",
            "related",
            "tags",
        ):
            yield Problem(loc, "KS208", _slug_message(field, value))
        elif kind == "string_pattern_mismatch" and field == "url":
            yield Problem(
                loc,
                "KS206",
                f"expected a URL starting with http:// or https://; found {describe_value(value)}",
            )
        elif kind == "string_pattern_mismatch" and field == "country":
            yield Problem(
                loc,
                "KS206",
                f"expected an ISO 3166 alpha-2 country code in capitals (e.g. CN, MY); found {describe_value(value)}",
            )
        elif kind == "too_short":
            minimum = err.get("ctx", {}).get("min_length", 1)
            what = "parties" if field == "parties" else "item"
            yield Problem(
                loc,
                "KS206",
                f"{field} needs at least {minimum} {what if minimum > 1 else 'entry'}; found {len(value) if isinstance(value, list) else 0}",
            )
        else:
            yield Problem(loc, "KS206", f"{field}: {err['msg']}; found {describe_value(value)}")


_YAML11_BOOLS = {
    "yes": "true",
    "y": "true",
    "on": "true",
    "no": "false",
    "n": "false",
    "off": "false",
}


def _bool_message(field: str, value: Any) -> str:
    expected = f"expected true or false for {field}; found {describe_value(value)}"
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YAML11_BOOLS:
            return (
                f"{expected}: YAML 1.2 reads yes/no/on/off as text, not as a boolean; "
                f"write {_YAML11_BOOLS[word]}"
            )
        if word in ("true", "false"):
            return f"{expected}, which is text because of the quotes; write {word} without quotes"
    return expected


def _slug_message(field: str, value: Any) -> str:
    is_id = field in ("id", "parent", "supersedes", "related")
    what, example = (
        ("an id", "kb-2024-02-05-jawa-barat-bengkulu-tengah") if is_id else ("a tag", "jalan-tol")
    )
    message = (
        f"expected {what} in lowercase letters, digits and single hyphens, at most 120 "
        f"characters (e.g. {example}); found {describe_value(value)}"
    )
    if isinstance(value, str):
        if "/" in value or "\\" in value or ".." in value:
            message += f" ({what} names a file: it cannot contain '/', '\\' or '..')"
        suggestion = suggest_slug(value)
        if suggestion and suggestion != value:
            message += f"; did you mean {suggestion!r}?"
    return message


# --- rules on one valid record -------------------------------------------------------------


def check_id_matches_file(record_id: str, stem: str) -> Iterator[Problem]:
    """The id equals the file name without .yaml (checked on the raw id, even when invalid)."""
    if record_id != stem:
        shown = [text if text.isprintable() else repr(text)[1:-1] for text in (stem, record_id)]
        yield Problem(
            ("id",),
            "KS209",
            f"id {record_id!r} differs from the file name; expected id: {shown[0]} (or rename the file to {shown[1]}.yaml)",
        )


def check_unique_regions(record: Record) -> Iterator[Problem]:
    """A region appears at most once among the parties."""
    seen: dict[str, int] = {}
    for i, party in enumerate(record.parties):
        if party.region is None:
            continue
        if party.region in seen:
            yield Problem(
                ("parties", i, "region"),
                "KS204",
                f"region {party.region} is already party {seen[party.region]}; expected each region once",
            )
        else:
            seen[party.region] = i


def check_date_order(record: Record) -> Iterator[Problem]:
    """ends_on is not before the start; starts_on is not before signed_on."""
    start = record.start_date
    if record.ends_on and start and record.ends_on < start:
        which = "starts_on" if record.starts_on else "signed_on"
        yield Problem(
            ("ends_on",),
            "KS302",
            f"ends_on {record.ends_on} is before {which} {start}; expected a later end date",
        )
    if record.starts_on and record.signed_on and record.starts_on < record.signed_on:
        yield Problem(
            ("starts_on",),
            "KS303",
            f"starts_on {record.starts_on} is before signed_on {record.signed_on}; an agreement starts on or after signing",
        )


def check_activities(record: Record) -> Iterator[Problem]:
    """Activities belong to signed records and are dated on or after signing."""
    for i, activity in enumerate(record.activities or []):
        if record.signed_on is None:
            yield Problem(
                ("activities", i),
                "KS305",
                "activity on an unsigned record; expected signed_on first (a draft has nothing to report)",
            )
        elif activity.on < record.signed_on:
            yield Problem(
                ("activities", i, "on"),
                "KS304",
                f"activity dated {activity.on} is before signed_on {record.signed_on}",
            )


def check_category(record: Record) -> Iterator[Problem]:
    """An explicit category agrees with the one derived from the parties (warning)."""
    if record.category and record.category != record.derived_category:
        yield Problem(
            ("category",),
            "KS901",
            f"category {record.category!r} disagrees with the parties, which suggest {record.derived_category!r}",
        )


def check_obligation(record: Record) -> Iterator[Problem]:
    """obligation (wajib/sukarela) is only for KSDD (warning)."""
    if record.obligation and record.effective_category != "ksdd":
        yield Problem(
            ("obligation",),
            "KS905",
            f"obligation applies to KSDD only; this agreement is {record.effective_category!r}",
        )


def check_term(record: Record) -> Iterator[Problem]:
    """A signed record has ends_on, and a term of at most 5 years (warnings)."""
    if record.signed_on and record.ends_on is None and record.ended is None:
        yield Problem(
            ("signed_on",), "KS902", "signed record without ends_on; expected the last day in force"
        )
    start = record.start_date
    if start and record.ends_on:
        try:
            limit = start.replace(year=start.year + 5)
        except ValueError:  # 29 February
            limit = start.replace(year=start.year + 5, day=28)
        if record.ends_on > limit:
            yield Problem(
                ("ends_on",),
                "KS903",
                f"term from {start} to {record.ends_on} is longer than 5 years; expected at most until {limit}",
            )


def check_provenance(record: Record) -> Iterator[Problem]:
    """A signed record cites a source or a party's document number (warning)."""
    if record.signed_on and not record.sources and not any(p.number for p in record.parties):
        yield Problem(
            ("signed_on",),
            "KS904",
            "signed record with no sources and no party number; expected a source (url or title) or the document number",
        )


RECORD_RULES: tuple[Callable[[Record], Iterable[Problem]], ...] = (
    check_unique_regions,
    check_date_order,
    check_activities,
    check_category,
    check_obligation,
    check_term,
    check_provenance,
)


def check_record(record: Record) -> list[Problem]:
    """Every single-record rule on one valid record."""
    return [p for rule in RECORD_RULES for p in rule(record)]


# --- rules across files --------------------------------------------------------------------


class References(Protocol):
    """What check_references reads: a Record, or the registry's Brief of one."""

    @property
    def id(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def supersedes(self) -> Sequence[str] | None: ...
    @property
    def related(self) -> Sequence[str] | None: ...


def iter_references(record: References) -> list[tuple[Loc, str]]:
    """Every id ``record`` names, with its key: ``parent``, ``supersedes[i]``, ``related[i]``."""
    refs: list[tuple[Loc, str]] = [(("parent",), record.parent)] if record.parent else []
    refs += [(("supersedes", i), ref) for i, ref in enumerate(record.supersedes or [])]
    refs += [(("related", i), ref) for i, ref in enumerate(record.related or [])]
    return refs


def check_references(record: References, documents: dict[str, str | None]) -> Iterator[Problem]:
    """parent, supersedes and related name existing ids; a parent is a KB or nota kesepakatan.

    ``documents`` maps every id in the registry to its document kind (None when unknown).
    """
    for loc, ref in iter_references(record):
        if ref not in documents:
            others = [known for known in documents if known != record.id]  # never itself
            close = difflib.get_close_matches(ref, others, n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Problem(
                loc, "KS402", f"{format_loc(loc)} names {ref!r}, which is not in the registry{hint}"
            )
    if record.parent and documents.get(record.parent) not in (
        None,
        "kesepakatan_bersama",
        "nota_kesepakatan",
    ):
        yield Problem(
            ("parent",),
            "KS403",
            f"parent {record.parent!r} is a {documents[record.parent]}; expected a kesepakatan_bersama or nota_kesepakatan",
        )
