"""Validation rules: each a small generator whose docstring is the rule.

Rule codes are stable: KS1xx file and YAML syntax, KS2xx schema and references to regions,
KS3xx dates, KS4xx across files, KS9xx warnings. storage.py reports KS1xx while reading; the
pydantic errors of the model are turned into KS2xx/KS3xx problems by ``problems_from_errors``,
the one place that words them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from kerjasama_cli.findings import RULES as RULES  # the table of rule codes, read here too
from kerjasama_cli.findings import Cause, Finding, Loc, format_loc
from kerjasama_cli.model import (
    Activity,
    DprdApproval,
    Ended,
    Evaluation,
    Party,
    Record,
    Signatory,
    Source,
    describe_value,
    suggest_slug,
)
from kerjasama_cli.vocab import DOCUMENT_WORDS, close_value

# --- schema errors -------------------------------------------------------------------------

_MODELS_BY_KEY: dict[str, type[BaseModel]] = {
    "parties": Party,
    "signatory": Signatory,
    "ended": Ended,
    "dprd_approval": DprdApproval,
    "activities": Activity,
    "evaluations": Evaluation,
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


def _model_at(loc: Loc) -> type[BaseModel]:
    names = [p for p in loc if isinstance(p, str)]
    return _MODELS_BY_KEY.get(names[-1], Record) if names else Record


def problems_from_errors(error: ValidationError) -> Iterator[Finding]:
    """Word each pydantic error as a problem with a rule code, the expectation and the value."""
    for err in error.errors(include_url=False):
        loc: Loc = tuple(err["loc"])
        kind = err["type"]
        value = err.get("input")
        ctx = err.get("ctx") or {}
        field = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if kind.startswith("KS"):
            yield Finding(kind, err["msg"], loc, suggestions=tuple(ctx.get("suggestions", ())))
        elif kind == "missing":
            where = format_loc(loc[:-1]) if loc[:-1] else "this record"
            yield Finding(
                "KS200", f"missing required key {field!r} in {where}", loc, cause="missing"
            )
        elif kind == "extra_forbidden":
            known = list(_model_at(loc[:-1]).model_fields)
            close = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f"; expected one of {', '.join(known)}"
            )
            yield Finding(
                "KS205",
                f"unknown key {describe_value(field)}{hint}",
                loc,
                on_key=True,
                suggestions=tuple(close),
            )
        elif kind in ("literal_error", "enum"):
            expected = ctx.get("expected", "")
            options = [
                o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()
            ]
            nearest = close_value(value, options) if isinstance(value, str) else None
            close = [nearest] if nearest else []
            spelled = DOCUMENT_WORDS.get(value.casefold()) if isinstance(value, str) else None
            if field == "document" and spelled:
                close = [spelled]  # "kb", "pks", "mou": the abbreviation people write
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Finding(
                "KS207",
                f"{field} must be one of {', '.join(options)}; found {describe_value(value)}{hint}",
                loc,
                suggestions=tuple(close),
            )
        elif kind == "bool_type":
            yield Finding("KS206", _bool_message(field, value), loc)
        elif kind in _TYPE_WORDS:
            yield Finding(
                "KS206",
                f"expected {_TYPE_WORDS[kind]} for {field}; found {describe_value(value)}",
                loc,
                cause=_number_cause(value),
            )
        elif kind in ("string_pattern_mismatch", "string_too_long") and field in (
            "id",
            "parent",
            "supersedes",
            "related",
            "tags",
        ):
            yield Finding("KS208", _slug_message(field, value), loc)
        elif kind == "string_pattern_mismatch" and field == "url":
            yield Finding(
                "KS206",
                f"expected a URL starting with http:// or https://; found {describe_value(value)}",
                loc,
                cause=_number_cause(value),
            )
        elif kind == "string_pattern_mismatch" and field == "country":
            yield Finding(
                "KS206",
                f"expected an ISO 3166 alpha-2 country code in capitals (e.g. CN, MY); found {describe_value(value)}",
                loc,
                cause=_number_cause(value),
            )
        elif kind == "too_short":
            minimum = ctx.get("min_length", 1)
            what = "parties" if field == "parties" else "item"
            yield Finding(
                "KS206",
                f"{field} needs at least {minimum} {what if minimum > 1 else 'entry'}; found {len(value) if isinstance(value, list) else 0}",
                loc,
            )
        else:
            yield Finding(
                "KS206",
                f"{field}: {err['msg']}; found {describe_value(value)}",
                loc,
                cause=_number_cause(value),
            )


def _number_cause(value: Any) -> Cause | None:
    """A number where text was expected: the file may show it written otherwise (``063``)."""
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else None


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


def check_id_matches_file(record_id: str, stem: str) -> Iterator[Finding]:
    """The id equals the file name without .yaml (checked on the raw id, even when invalid)."""
    if record_id != stem:
        shown = [text if text.isprintable() else repr(text)[1:-1] for text in (stem, record_id)]
        yield Finding(
            "KS209",
            f"id {record_id!r} differs from the file name; expected id: {shown[0]} (or rename the file to {shown[1]}.yaml)",
            ("id",),
        )


def check_unique_regions(record: Record) -> Iterator[Finding]:
    """A region appears at most once among the parties."""
    seen: dict[str, int] = {}
    for i, party in enumerate(record.parties):
        if party.region is None:
            continue
        if party.region in seen:
            yield Finding(
                "KS204",
                f"party {i + 1} ({_region_name(party.region)}, {party.region}) is already party "
                f"{seen[party.region] + 1}; expected each region once",
                ("parties", i, "region"),
            )
        else:
            seen[party.region] = i


def _region_name(code: str) -> str:
    from kerjasama_cli.gazetteer import load_gazetteer

    region = load_gazetteer().get(code)
    return region.official_name if region is not None else code


def check_date_order(record: Record) -> Iterator[Finding]:
    """ends_on is not before the start; starts_on is not before signed_on."""
    start = record.start_date
    if record.ends_on and start and record.ends_on < start:
        which = "starts_on" if record.starts_on else "signed_on"
        yield Finding(
            "KS302",
            f"ends_on {record.ends_on} is before {which} {start}; expected a later end date",
            ("ends_on",),
        )
    if record.starts_on and record.signed_on and record.starts_on < record.signed_on:
        yield Finding(
            "KS303",
            f"starts_on {record.starts_on} is before signed_on {record.signed_on}; an agreement starts on or after signing",
            ("starts_on",),
        )


def check_activities(record: Record) -> Iterator[Finding]:
    """Activities belong to signed records and are dated on or after signing."""
    for i, activity in enumerate(record.activities or []):
        if record.signed_on is None:
            yield Finding(
                "KS305",
                "activity on an unsigned record; expected signed_on first (a draft has nothing to report)",
                ("activities", i),
            )
        elif activity.on < record.signed_on:
            yield Finding(
                "KS304",
                f"activity dated {activity.on} is before signed_on {record.signed_on}",
                ("activities", i, "on"),
            )


def check_evaluations(record: Record) -> Iterator[Finding]:
    """Evaluations belong to signed records and are dated on or after signing."""
    for i, evaluation in enumerate(record.evaluations or []):
        if record.signed_on is None:
            yield Finding(
                "KS306",
                "evaluation on an unsigned record; expected signed_on first (a draft has nothing to evaluate)",
                ("evaluations", i),
            )
        elif evaluation.on < record.signed_on:
            yield Finding(
                "KS306",
                f"evaluation dated {evaluation.on} is before signed_on {record.signed_on}; expected a date on or after signing",
                ("evaluations", i, "on"),
            )


def check_not_future(record: Record) -> Iterator[Finding]:
    """Activities and evaluations are not dated after today: they cannot have happened yet
    (warning)."""
    today = dt.date.today()
    for key in ("activities", "evaluations"):
        items: Sequence[Activity | Evaluation] = getattr(record, key) or []
        for i, item in enumerate(items):
            if item.on > today:
                what = "activity" if key == "activities" else "evaluation"
                yield Finding(
                    "KS906",
                    f"{what} dated {item.on} is after today ({today}); expected a date that has passed (record it once it has happened)",
                    (key, i, "on"),
                )


def check_folder(record: Record, folder: str) -> Iterator[Finding]:
    """A record is stored under the year of its signed_on, or under draf/ when it is unsigned
    (``folder``: the name of the folder the file is in)."""
    expected = str(record.signed_on.year) if record.signed_on else "draf"
    # record_path writes year 1 as "1"; "0001" is as good.
    padded = f"{record.signed_on.year:04d}" if record.signed_on else expected
    if folder not in (expected, padded):
        why = f"signed_on is {record.signed_on}" if record.signed_on else "it has no signed_on"
        yield Finding(
            "KS211",
            f"record stored in {folder}/ but {why}; expected it under agreements/{expected}/ (kerjasama set and sign move files themselves)",
            ("signed_on",) if record.signed_on else ("id",),
        )


def check_category(record: Record) -> Iterator[Finding]:
    """An explicit category agrees with the one derived from the parties (warning)."""
    if record.category and record.category != record.derived_category:
        yield Finding(
            "KS901",
            f"category {record.category!r} disagrees with the parties, which suggest {record.derived_category!r}",
            ("category",),
        )


def check_obligation(record: Record) -> Iterator[Finding]:
    """obligation (wajib/sukarela) is only for KSDD (warning)."""
    if record.obligation and record.effective_category != "ksdd":
        yield Finding(
            "KS905",
            f"obligation applies to KSDD only; this agreement is {record.effective_category!r}",
            ("obligation",),
        )


def check_term(record: Record) -> Iterator[Finding]:
    """A signed record has ends_on, and a term of at most 5 years (warnings)."""
    if record.signed_on and record.ends_on is None and record.ended is None:
        yield Finding(
            "KS902",
            "signed record without ends_on; expected the last day in force",
            ("signed_on",),
        )
    start = record.start_date
    if start and record.ends_on:
        limit = years_after(start, 5)
        if limit is not None and record.ends_on > limit:
            yield Finding(
                "KS903",
                f"term from {start} to {record.ends_on} is longer than 5 years; expected at most until {limit}",
                ("ends_on",),
            )


def years_after(start: dt.date, years: int) -> dt.date | None:
    """The same day ``years`` later (28 February for 29 February), or None past year 9999."""
    if start.year + years > dt.MAXYEAR:
        return None
    if start.month == 2 and start.day == 29:
        return dt.date(start.year + years, 3, 1) - dt.timedelta(days=1)
    return start.replace(year=start.year + years)


def check_provenance(record: Record) -> Iterator[Finding]:
    """A signed record cites a source or a party's document number (warning)."""
    if record.signed_on and not record.sources and not any(p.number for p in record.parties):
        yield Finding(
            "KS904",
            "signed record with no sources and no party number; expected a source (url or title) or the document number",
            ("signed_on",),
        )


RECORD_RULES: tuple[Callable[[Record], Iterable[Finding]], ...] = (
    check_unique_regions,
    check_date_order,
    check_activities,
    check_evaluations,
    check_not_future,
    check_category,
    check_obligation,
    check_term,
    check_provenance,
)


def check_record(record: Record) -> list[Finding]:
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


def check_references(
    record: References,
    documents: Mapping[str, str | None],
    *,
    absent: str = "not in the registry",
) -> Iterator[Finding]:
    """parent, supersedes and related name existing ids; a parent is a KB or nota kesepakatan.

    ``documents`` maps every id in the registry to its document kind (None when unknown);
    ``absent`` says where a missing id was looked for. A suggestion never names the record
    itself.
    """
    for loc, ref in iter_references(record):
        if ref not in documents:
            others = [known for known in documents if known != record.id]  # never itself
            close = difflib.get_close_matches(ref, others, n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Finding(
                "KS402",
                f"{format_loc(loc)} names {ref!r}, which is {absent}{hint}",
                loc,
                suggestions=tuple(close),
            )
    if record.parent and documents.get(record.parent) not in (
        None,
        "kesepakatan_bersama",
        "nota_kesepakatan",
    ):
        yield Finding(
            "KS403",
            f"parent {record.parent!r} is a {documents[record.parent]}; expected a kesepakatan_bersama or nota_kesepakatan",
            ("parent",),
        )


def check_unique_ids(
    ids: Sequence[str | None], shown: Callable[[int], str]
) -> Iterator[tuple[int, Finding]]:
    """An id is used by one file only: every file of a repeated id gets a finding naming the
    others. ``ids[i]`` is file i's id (None when it has none), ``shown(i)`` its path as shown."""
    first: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for i, record_id in enumerate(ids):
        if not record_id:
            continue
        if record_id not in first:
            first[record_id] = i
        elif record_id in repeated:
            repeated[record_id].append(i)
        else:
            repeated[record_id] = [first[record_id], i]
    for record_id, same in repeated.items():
        for i in same:
            others = ", ".join(shown(o) for o in same if o != i)
            yield i, id_taken(record_id, f"is also used by {others}", "expected ids to be unique")


def id_taken(record_id: str, clash: str, hint: str) -> Finding:
    """KS401, as every command words it: the id, whose it already is, and what to do."""
    return Finding("KS401", f"id {record_id!r} {clash}; {hint}", ("id",))
