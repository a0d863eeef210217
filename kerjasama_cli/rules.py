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
from kerjasama_cli.i18n import N_, _
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
# The message of each wrong type, whole (bool_type has its own, _bool_message).
_TYPE_MESSAGES = {
    "string_type": N_("expected text for {field}; found {found}"),
    "list_type": N_("expected a list for {field}; found {found}"),
    "dict_type": N_("expected a mapping for {field}; found {found}"),
    "model_type": N_("expected a mapping for {field}; found {found}"),
    "model_attributes_type": N_("expected a mapping for {field}; found {found}"),
    "int_type": N_("expected a whole number for {field}; found {found}"),
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
            missing = (
                _("missing required key {field!r} in {where}").format(
                    field=field, where=format_loc(loc[:-1])
                )
                if loc[:-1]
                else _("missing required key {field!r} in this record").format(field=field)
            )
            yield Finding("KS200", missing, loc, cause="missing")
        elif kind == "extra_forbidden":
            known = list(_model_at(loc[:-1]).model_fields)
            close = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
            unknown = (
                _("unknown key {key}; did you mean {close!r}?").format(
                    key=describe_value(field), close=close[0]
                )
                if close
                else _("unknown key {key}; expected one of {known}").format(
                    key=describe_value(field), known=", ".join(known)
                )
            )
            yield Finding(
                "KS205",
                unknown,
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
            outside = (
                _("{field} must be one of {options}; found {found}; did you mean {close!r}?")
                if close
                else _("{field} must be one of {options}; found {found}")
            )
            yield Finding(
                "KS207",
                outside.format(
                    field=field,
                    options=", ".join(options),
                    found=describe_value(value),
                    close=close[0] if close else "",
                ),
                loc,
                suggestions=tuple(close),
            )
        elif kind == "bool_type":
            yield Finding("KS206", _bool_message(field, value), loc)
        elif kind in _TYPE_MESSAGES:
            yield Finding(
                "KS206",
                _(_TYPE_MESSAGES[kind]).format(field=field, found=describe_value(value)),
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
                _("expected a URL starting with http:// or https://; found {found}").format(
                    found=describe_value(value)
                ),
                loc,
                cause=_number_cause(value),
            )
        elif kind == "string_pattern_mismatch" and field == "country":
            yield Finding(
                "KS206",
                _(
                    "expected an ISO 3166 alpha-2 country code in capitals (e.g. CN, MY); "
                    "found {found}"
                ).format(found=describe_value(value)),
                loc,
                cause=_number_cause(value),
            )
        elif kind == "too_short":
            minimum = ctx.get("min_length", 1)
            count = len(value) if isinstance(value, list) else 0
            if minimum <= 1:
                short = _("{field} needs at least {minimum} entry; found {count}")
            elif field == "parties":
                short = _("{field} needs at least {minimum} parties; found {count}")
            else:
                short = _("{field} needs at least {minimum} item; found {count}")
            yield Finding("KS206", short.format(field=field, minimum=minimum, count=count), loc)
        elif kind in ("greater_than_equal", "less_than_equal"):  # score: 1 to 5
            limit = (
                _("{field}: Input should be greater than or equal to {limit}; found {found}")
                if kind == "greater_than_equal"
                else _("{field}: Input should be less than or equal to {limit}; found {found}")
            )
            yield Finding(
                "KS206",
                limit.format(
                    field=field, limit=ctx.get("ge", ctx.get("le")), found=describe_value(value)
                ),
                loc,
                cause=_number_cause(value),
            )
        else:  # pydantic's own words: no other error of the model is known to come here
            yield Finding(
                "KS206",
                _("{field}: {problem}; found {found}").format(
                    field=field, problem=err["msg"], found=describe_value(value)
                ),
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
    found = describe_value(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YAML11_BOOLS:
            return _(
                "expected true or false for {field}; found {found}: YAML 1.2 reads yes/no/on/off "
                "as text, not as a boolean; write {word}"
            ).format(field=field, found=found, word=_YAML11_BOOLS[word])
        if word in ("true", "false"):
            return _(
                "expected true or false for {field}; found {found}, which is text because of "
                "the quotes; write {word} without quotes"
            ).format(field=field, found=found, word=word)
    return _("expected true or false for {field}; found {found}").format(field=field, found=found)


def _slug_message(field: str, value: Any) -> str:
    is_id = field in ("id", "parent", "supersedes", "related")
    found = describe_value(value)
    if is_id:
        message = _(
            "expected an id in lowercase letters, digits and single hyphens, at most 120 "
            "characters (e.g. {example}); found {found}"
        ).format(example="kb-2024-02-05-jawa-barat-bengkulu-tengah", found=found)
    else:
        message = _(
            "expected a tag in lowercase letters, digits and single hyphens, at most 120 "
            "characters (e.g. {example}); found {found}"
        ).format(example="jalan-tol", found=found)
    if isinstance(value, str):
        if "/" in value or "\\" in value or ".." in value:
            message += (
                _(" (an id names a file: it cannot contain '/', '\\' or '..')")
                if is_id
                else _(" (a tag names a file: it cannot contain '/', '\\' or '..')")
            )
        suggestion = suggest_slug(value)
        if suggestion and suggestion != value:
            message += _("; did you mean {suggestion!r}?").format(suggestion=suggestion)
    return message


# --- rules on one valid record -------------------------------------------------------------


def check_id_matches_file(record_id: str, stem: str) -> Iterator[Finding]:
    """The id equals the file name without .yaml (checked on the raw id, even when invalid)."""
    if record_id != stem:
        from kerjasama_cli.ids import is_slug

        shown = [text if text.isprintable() else repr(text)[1:-1] for text in (stem, record_id)]
        if is_slug(stem):
            message = _(
                "id {record_id!r} differs from the file name; expected id: {stem} (or rename the "
                "file to {renamed}.yaml)"
            )
        else:  # the file's name is no id (`a,b.yaml`): renaming the file is the only way
            message = _(
                "id {record_id!r} differs from the file name {stem!r}, which is not an id "
                "(lowercase letters, digits and hyphens); expected the file named "
                "{renamed}.yaml"
            )
        yield Finding(
            "KS209",
            message.format(record_id=record_id, stem=shown[0], renamed=shown[1]),
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
                _(
                    "party {number} ({name}, {code}) is already party {first}; expected each "
                    "region once"
                ).format(
                    number=i + 1,
                    name=_region_name(party.region),
                    code=party.region,
                    first=seen[party.region] + 1,
                ),
                ("parties", i, "region"),
            )
        else:
            seen[party.region] = i


def _region_name(code: str) -> str:
    from kerjasama_cli.gazetteer import load_gazetteer

    region = load_gazetteer().get(code)
    return region.official_name if region is not None else code


def check_date_order(record: Record) -> Iterator[Finding]:
    """ends_on is not before the start; starts_on and ended.on are not before signed_on."""
    start = record.start_date
    if record.ends_on and start and record.ends_on < start:
        which = "starts_on" if record.starts_on else "signed_on"
        yield Finding(
            "KS302",
            _("ends_on {ends_on} is before {which} {start}; expected a later end date").format(
                ends_on=record.ends_on, which=which, start=start
            ),
            ("ends_on",),
        )
    if record.starts_on and record.signed_on and record.starts_on < record.signed_on:
        yield Finding(
            "KS303",
            _(
                "starts_on {starts_on} is before signed_on {signed_on}; an agreement starts on "
                "or after signing"
            ).format(starts_on=record.starts_on, signed_on=record.signed_on),
            ("starts_on",),
        )
    if record.ended and record.signed_on and record.ended.on < record.signed_on:
        yield Finding(
            "KS307",
            _(
                "ended.on {ended_on} is before signed_on {signed_on}; an agreement ends on or "
                "after signing (a draft that was never signed is ended without signed_on)"
            ).format(ended_on=record.ended.on, signed_on=record.signed_on),
            ("ended", "on"),
        )
    if record.ended and record.ends_on and record.ended.on > record.ends_on:
        yield Finding(
            "KS907",
            _(
                "ended.on {ended_on} is after ends_on {ends_on}: the agreement had expired by "
                "then; expected {ends_on} or earlier (ended records an agreement ended early or "
                "cancelled)"
            ).format(ended_on=record.ended.on, ends_on=record.ends_on),
            ("ended", "on"),
        )


def check_activities(record: Record) -> Iterator[Finding]:
    """Activities belong to signed records and are dated on or after signing."""
    for i, activity in enumerate(record.activities or []):
        if record.signed_on is None:
            yield Finding(
                "KS305",
                _(
                    "activity on an unsigned record; expected signed_on first (a draft has "
                    "nothing to report)"
                ),
                ("activities", i),
            )
        elif activity.on < record.signed_on:
            yield Finding(
                "KS304",
                _("activity dated {on} is before signed_on {signed_on}").format(
                    on=activity.on, signed_on=record.signed_on
                ),
                ("activities", i, "on"),
            )


def check_evaluations(record: Record) -> Iterator[Finding]:
    """Evaluations belong to signed records and are dated on or after signing."""
    for i, evaluation in enumerate(record.evaluations or []):
        if record.signed_on is None:
            yield Finding(
                "KS306",
                _(
                    "evaluation on an unsigned record; expected signed_on first (a draft has "
                    "nothing to evaluate)"
                ),
                ("evaluations", i),
            )
        elif evaluation.on < record.signed_on:
            yield Finding(
                "KS306",
                _(
                    "evaluation dated {on} is before signed_on {signed_on}; expected a date on "
                    "or after signing"
                ).format(on=evaluation.on, signed_on=record.signed_on),
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
                future = (
                    _(
                        "activity dated {on} is after today ({today}); expected a date that has "
                        "passed (record it once it has happened)"
                    )
                    if key == "activities"
                    else _(
                        "evaluation dated {on} is after today ({today}); expected a date that "
                        "has passed (record it once it has happened)"
                    )
                )
                yield Finding("KS906", future.format(on=item.on, today=today), (key, i, "on"))


def check_folder(record: Record, folder: str) -> Iterator[Finding]:
    """A record is stored under the year of its signed_on, or under draf/ when it is unsigned
    (``folder``: the folder of agreements/ the file is in, ``2024/old`` for a folder in a
    folder: directly in the year's folder, and nowhere else)."""
    expected = str(record.signed_on.year) if record.signed_on else "draf"
    # record_path writes year 1 as "1"; "0001" is as good.
    padded = f"{record.signed_on.year:04d}" if record.signed_on else expected
    if folder not in (expected, padded):
        misplaced = (
            _(
                "record stored in {folder}/ but signed_on is {signed_on}; expected it under "
                "agreements/{expected}/ (kerjasama set and sign move files themselves)"
            )
            if record.signed_on
            else _(
                "record stored in {folder}/ but it has no signed_on; expected it under "
                "agreements/{expected}/ (kerjasama set and sign move files themselves)"
            )
        )
        yield Finding(
            "KS211",
            misplaced.format(folder=folder, signed_on=record.signed_on, expected=expected),
            ("signed_on",) if record.signed_on else ("id",),
        )


def check_category(record: Record) -> Iterator[Finding]:
    """An explicit category agrees with the one derived from the parties (warning)."""
    if record.category and record.category != record.derived_category:
        yield Finding(
            "KS901",
            _("category {category!r} disagrees with the parties, which suggest {derived!r}").format(
                category=record.category, derived=record.derived_category
            ),
            ("category",),
        )


def check_obligation(record: Record) -> Iterator[Finding]:
    """obligation (wajib/sukarela) is only for KSDD (warning)."""
    if record.obligation and record.effective_category != "ksdd":
        yield Finding(
            "KS905",
            _("obligation applies to KSDD only; this agreement is {category!r}").format(
                category=record.effective_category
            ),
            ("obligation",),
        )


def check_term(record: Record) -> Iterator[Finding]:
    """A signed record has ends_on, and a term of at most 5 years (warnings)."""
    if record.signed_on and record.ends_on is None and record.ended is None:
        yield Finding(
            "KS902",
            _("signed record without ends_on; expected the last day in force"),
            ("signed_on",),
        )
    start = record.start_date
    if start and record.ends_on:
        limit = years_after(start, 5)
        if limit is not None and record.ends_on > limit:
            yield Finding(
                "KS903",
                _(
                    "term from {start} to {ends_on} is longer than 5 years; expected at most "
                    "until {limit}"
                ).format(start=start, ends_on=record.ends_on, limit=limit),
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
            _(
                "signed record with no sources and no party number; expected a source (url or "
                "title) or the document number"
            ),
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
    absent: str | None = None,
) -> Iterator[Finding]:
    """parent, supersedes and related name existing ids; a parent is a KB or nota kesepakatan.

    ``documents`` maps every id in the registry to its document kind (None when unknown);
    ``absent`` says where a missing id was looked for (by default "not in the registry"). A
    suggestion never names the record itself.
    """
    if absent is None:
        absent = _("not in the registry")
    for loc, ref in iter_references(record):
        if ref not in documents:
            others = [known for known in documents if known != record.id]  # never itself
            close = difflib.get_close_matches(ref, others, n=1, cutoff=0.8)
            names = (
                _("{key} names {ref!r}, which is {absent}; did you mean {close!r}?")
                if close
                else _("{key} names {ref!r}, which is {absent}")
            )
            yield Finding(
                "KS402",
                names.format(
                    key=format_loc(loc), ref=ref, absent=absent, close=close[0] if close else ""
                ),
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
            _(
                "parent {parent!r} is a {document}; expected a kesepakatan_bersama or "
                "nota_kesepakatan"
            ).format(parent=record.parent, document=documents[record.parent]),
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
            yield (
                i,
                id_taken(
                    record_id,
                    _("is also used by {others}").format(others=others),
                    _("expected ids to be unique"),
                ),
            )


def id_taken(record_id: str, clash: str, hint: str) -> Finding:
    """KS401, as every command words it: the id, whose it already is (``clash``, a predicate:
    "is also used by ..."), and what to do (``hint``), both in the language in force."""
    return Finding(
        "KS401",
        _("id {record_id!r} {clash}; {hint}").format(record_id=record_id, clash=clash, hint=hint),
        ("id",),
    )
