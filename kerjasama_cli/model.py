"""The agreement record as pydantic models: strict types, vocabularies and party shapes.

Every key and vocabulary of docs/record-format.md is here. Field order is the canonical key order
that ``fmt`` writes. Rules that compare several fields (date order, category against parties,
references between files) live in rules.py as named generators, so that each violation is
reported on its own with the key it concerns, instead of the first one hiding the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import MONTHS, _
from kerjasama_cli.vocab import (
    ORG_KINDS,
    REGIONAL_KINDS,
    SECTOR_KEYS,
    Category,
    Document,
    EndReason,
    Funding,
    Obligation,
    OrgKind,
    Recommendation,
    Stage,
    close_sector,
    default_category,
    resolve_sector,
)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def describe_value(value: Any) -> str:
    """A value as a message shows it: its kind for numbers and structures, long text cut short."""
    if isinstance(value, bool):
        return _("the boolean {value}").format(value=str(value).lower())
    if isinstance(value, int | float):
        return _("the number {value}").format(value=value)
    if value is None:
        return _("nothing (an empty value)")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    text = str(value)
    if len(text) > 80:
        return _("{start!r} ({length:,} characters)").format(
            start=text[:60] + "...", length=len(text)
        )
    return repr(text)


def suggest_slug(text: str) -> str:
    """``text`` as an id or tag would be written: lowercase ASCII words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))[:120].strip("-")


_DMY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_YMD_LOOSE_RE = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$")


# Month names as people write them in Indonesian and English, by their first three letters.
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan",),
            ("feb", "peb"),
            ("mar",),
            ("apr",),
            ("mei", "may"),
            ("jun",),
            ("jul",),
            ("agu", "agt", "aug"),
            ("sep",),
            ("okt", "oct"),
            ("nov", "nop"),
            ("des", "dec"),
        ],
        1,
    )
    for name in names
}
_WRITTEN_RE = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{4})$")


def _real_date(year: str, month: str, day: str) -> str | None:
    text = f"{year}-{int(month):02d}-{int(day):02d}"
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return None
    return text


def date_hint(value: Any) -> str:
    """How a date written another way is written YYYY-MM-DD, when it can be read."""
    text = value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if match := _YMD_LOOSE_RE.match(text):
        candidate = _real_date(*match.groups())
        return _did_you_mean(candidate)
    if match := _DMY_RE.match(text):
        day, month, year = match.groups()
        candidate = _real_date(year if len(year) == 4 else f"20{year}", month, day)
        if candidate:
            return _(
                "; if it means day {day} of month {month} (the Indonesian order), write {date}"
            ).format(day=int(day), month=int(month), date=candidate)
        return ""
    if re.match(r"^\d{8}$", text):
        candidate = _real_date(text[:4], text[4:6], text[6:])
        return _did_you_mean(candidate)
    if match := _WRITTEN_RE.match(text):
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name.casefold()[:3])
        candidate = _real_date(year, str(month), day) if month else None
        return _did_you_mean(candidate)
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        return _("; write the day only, {date}").format(date=text[:10])
    return ""


def _did_you_mean(candidate: str | None) -> str:
    """The hint that ends a date message, naming the date meant (nothing without one)."""
    return _("; did you mean {date}?").format(date=candidate) if candidate else ""


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
        raise PydanticCustomError(
            "KS301",
            _("expected a date written YYYY-MM-DD (e.g. 2024-02-05); found {found}{hint}"),
            {"found": describe_value(value), "hint": date_hint(value)},
        )
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError(
            "KS301",
            _("{found} is not a real calendar date ({problem}); expected YYYY-MM-DD"),
            {"found": repr(value), "problem": _calendar_problem(value)},
        ) from None


def _calendar_problem(value: str) -> str:
    """Why ``value``, written YYYY-MM-DD, is no day of the calendar."""
    year, month, _day = (int(part) for part in value.strip().split("-"))
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return _("there is no year {year:04d}: dates run from 0001 to 9999").format(year=year)
    if not 1 <= month <= 12:
        return _("there is no month {month}").format(month=month)
    return _("{month} {year} has {days} days").format(
        month=_(MONTHS[month - 1]), year=year, days=_days_in(year, month)
    )


def not_in_calendar(value: str) -> str | None:
    """For text written YYYY-MM-DD that names no day (``2025-02-30``), the message saying
    why, as a record's date gets it; None for any other text."""
    if not _DATE_RE.match(value.strip()):
        return None
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return _("{found} is not a real calendar date ({problem}); expected YYYY-MM-DD").format(
            found=repr(value), problem=_calendar_problem(value)
        )
    return None


def _days_in(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _non_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("KS206", _("expected non-empty text; found an empty string"))
    return _plain(value)


# Control characters (other than tab and line breaks), the Unicode direction marks and
# overrides: written to a terminal, a CSV or a web page they recolour, hide or reorder what is
# shown (YAML lets a double-quoted value carry them as escapes, "\e[31m"). And lone surrogates:
# no character at all, but what Python makes of bytes that are not UTF-8 on a command line.
_UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _plain(value: str) -> str:
    unsafe = _UNSAFE_CHARS.search(value)
    if unsafe and "\ud800" <= unsafe.group() <= "\udfff":
        raise PydanticCustomError(
            "KS206",
            _(
                "expected text; found a byte that is not UTF-8 at character {at} (typed on a "
                "command line in another encoding?)"
            ),
            {"at": unsafe.start() + 1},
        )
    if unsafe:
        raise PydanticCustomError(
            "KS206",
            _(
                "expected plain text; found the control character U+{code} at character {at} "
                "(terminal escapes and direction overrides are not allowed in a record)"
            ),
            {"code": f"{ord(unsafe.group()):04X}", "at": unsafe.start() + 1},
        )
    return value


def _resolve_region(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 10 <= value <= 99:
        value = str(value)  # a province code written unquoted is unambiguous
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, float) and 10 <= value < 100:
            code = f"{value:.2f}"
            hint = (
                _(
                    " (YAML reads an unquoted code as a number, {code} as {value}: "
                    'put the code in quotes, region: "{code}")'
                )
                if str(value) != code
                else _(
                    " (YAML reads an unquoted code as a number: "
                    'put the code in quotes, region: "{code}")'
                )
            ).format(code=code, value=value)
        elif value is None:
            hint = _(" (region: is empty)")
        raise PydanticCustomError(
            "KS206",
            _("expected a region code in quotes or a region name; found {found}{hint}"),
            {"found": describe_value(value), "hint": hint},
        )
    if len(value) > 200:  # no region name is this long; do not look for close names
        raise PydanticCustomError(
            "KS201",
            _("unknown region {found}; expected a Kemendagri code or a region name"),
            {"found": describe_value(value)},
        )
    resolution = load_gazetteer().resolve(value)
    region = resolution.region
    if region is None:
        rule = "KS202" if resolution.ambiguous else "KS201"
        raise PydanticCustomError(rule, "{problem}", {"problem": resolution.describe_problem()})
    if not region.can_be_party:
        raise PydanticCustomError(
            "KS203",
            _(
                "{name} ({code}) is an administrative city of Jakarta, not an autonomous region, "
                "and cannot be a party; expected Provinsi DKI Jakarta (31)"
            ),
            {"name": region.official_name, "code": region.code},
        )
    return region.code


def _resolve_sector(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "KS206",
            _(
                "expected a sector key such as 'kesehatan' (or a code in quotes, '1.02'); "
                "found {found}"
            ),
            {"found": describe_value(value)},
        )
    key = resolve_sector(value)
    if key is None:
        close = close_sector(value)
        unknown = (
            _("unknown sector {found}, expected a sector key, code or alias; did you mean {close}?")
            if close
            else _(
                "unknown sector {found}, expected a sector key, code or alias; "
                "`kerjasama vocab sector` lists them"
            )
        )
        raise PydanticCustomError(
            "KS207", unknown, {"found": describe_value(value), "close": repr(close)}
        )
    return key


Text = Annotated[StrictStr, AfterValidator(_non_blank)]
Slug = Annotated[StrictStr, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
Url = Annotated[StrictStr, StringConstraints(pattern=r"^https?://\S+$"), AfterValidator(_plain)]
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_RE.pattern}),
]
RegionRef = Annotated[
    str,
    BeforeValidator(_resolve_region),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "description": 'Kemendagri code ("32", "16.03") or a region name or alias',
                    "minLength": 1,
                },
                {
                    "type": "integer",
                    "description": "a province code written without quotes (region: 32)",
                    "minimum": 10,
                    "maximum": 99,
                },
            ]
        }
    ),
]
SectorKey = Annotated[
    str,
    BeforeValidator(_resolve_sector),
    WithJsonSchema(
        {
            "type": "string",
            "description": "sector key, code (1.01-3.32) or alias",
            "examples": list(SECTOR_KEYS),
        }
    ),
]
CountryCode = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Z]{2}$")]


class StrictModel(BaseModel):
    # Validators are built when a model is first used (in a parse, ``add``, ``schema``), not
    # when this module is imported: a command answered from the index never builds one, and
    # starts about 30 ms sooner. Parse workers get Record's built before they fork.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Signatory(StrictModel):
    """Who signs for a party."""

    name: Text
    position: Text | None = None


class Party(StrictModel):
    """A signing party: a regional government (``region``) or anyone else (``name`` + ``kind``)."""

    region: RegionRef | None = None
    name: Text | None = None
    kind: OrgKind | None = None
    country: CountryCode | None = None
    signatory: Signatory | None = None
    number: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _regional_kind_needs_region(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("kind") in REGIONAL_KINDS and "region" not in data:
            raise PydanticCustomError(
                "KS210",
                _(
                    "kind {kind} is given through region: (a Kemendagri code or name), not "
                    "name:/kind:"
                ),
                {"kind": repr(data["kind"])},
            )
        return data

    @field_validator("region", mode="before")
    @classmethod
    def _region_not_empty(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError(
                "KS206",
                _("region: is empty; expected a region code in quotes or a region name"),
            )
        return value

    @model_validator(mode="after")
    def _one_shape(self) -> Party:
        if self.region is not None:
            if self.name is not None or self.kind is not None or self.country is not None:
                raise PydanticCustomError(
                    "KS210",
                    _(
                        "a party is either region: (a regional government) or name: with kind: "
                        "(anyone else), not both"
                    ),
                )
        elif self.name is None or self.kind is None:
            raise PydanticCustomError(
                "KS210",
                _(
                    "a party needs region: (a regional government) or both name: and kind: "
                    "(kind one of {kinds})"
                ),
                {"kinds": ", ".join(ORG_KINDS)},
            )
        return self

    @property
    def party_kind(self) -> str:
        if self.region is not None:
            return load_gazetteer().by_code[self.region].kind
        assert self.kind is not None
        return self.kind

    @property
    def label(self) -> str:
        """How a party is shown in lists: "Kab. Muara Enim" or the organisation's name."""
        if self.region is not None:
            return load_gazetteer().by_code[self.region].display_name
        return self.name or ""


class Ended(StrictModel):
    """An agreement that ended early or was cancelled."""

    on: IsoDate
    reason: EndReason


class DprdApproval(StrictModel):
    """Persetujuan DPRD."""

    required: StrictBool
    number: Text | None = None
    on: IsoDate | None = None


class Activity(StrictModel):
    """A realisation report: something actually done under the agreement."""

    on: IsoDate
    summary: Text
    evidence: list[Text] = Field(default_factory=list)


class Evaluation(StrictModel):
    """A periodic evaluation (monitoring dan evaluasi): what was judged, what is recommended."""

    on: IsoDate
    summary: Text
    recommendation: Recommendation
    score: Annotated[int, Field(ge=1, le=5, strict=True)] | None = None


class Source(StrictModel):
    """Where the facts of the record come from."""

    url: Url | None = None
    title: Text | None = None
    publisher: Text | None = None
    published_on: IsoDate | None = None

    @model_validator(mode="after")
    def _url_or_title(self) -> Source:
        if self.url is None and self.title is None:
            raise PydanticCustomError("KS200", _("a source needs url: or title:"))
        return self


class Record(StrictModel):
    """One cooperation agreement (kerja sama daerah)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,
        title="kerjasama agreement record",
        json_schema_extra={"$id": "https://kerjasama.invalid/schema/record.schema.json"},
    )

    id: Slug
    title: Text
    document: Document
    category: Category | None = None
    obligation: Obligation | None = None
    parties: Annotated[list[Party], Field(min_length=2)]
    sectors: Annotated[list[SectorKey], Field(min_length=1)]
    scope: list[Text] | None = None
    stage: Stage | None = None
    signed_on: IsoDate | None = None
    signed_at: Text | None = None
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    ended: Ended | None = None
    parent: Slug | None = None
    supersedes: list[Slug] | None = None
    related: list[Slug] | None = None
    units: list[Text] | None = None
    funding: list[Funding] | None = None
    dprd_approval: DprdApproval | None = None
    activities: list[Activity] | None = None
    evaluations: list[Evaluation] | None = None
    sources: list[Source] | None = None
    notes: Text | None = None
    tags: list[Slug] | None = None

    @property
    def derived_category(self) -> str:
        """The category implied by the parties' kinds."""
        return default_category([p.party_kind for p in self.parties])

    @property
    def effective_category(self) -> str:
        """The category given, or else the one derived from the parties."""
        return self.category or self.derived_category

    @property
    def start_date(self) -> dt.date | None:
        """``starts_on``, defaulting to ``signed_on``."""
        return self.starts_on or self.signed_on

    @property
    def region_codes(self) -> list[str]:
        return [p.region for p in self.parties if p.region is not None]


KEY_ORDER: tuple[str, ...] = tuple(Record.model_fields)


# Text that validate accepts: not blank, and none of _UNSAFE_CHARS (as a JSON Schema pattern).
_UNSAFE_CLASS = (
    "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f"
    "\\u202a-\\u202e\\u2066-\\u2069"
)
TEXT_PATTERN = f"^[^{_UNSAFE_CLASS}]*[^{_UNSAFE_CLASS}\\s][^{_UNSAFE_CLASS}]*$"


def _text_patterns(node: Any) -> None:
    """Give every string of the Text type (title, notes, names, ...) the pattern of _non_blank."""
    if isinstance(node, dict):
        for value in node.values():
            _text_patterns(value)
        props = node.get("properties")
        if isinstance(props, dict):
            for key, prop in props.items():
                if key in _TEXT_KEYS:
                    for branch in prop.get("anyOf", [prop]):
                        if branch.get("type") == "string":
                            branch["pattern"] = TEXT_PATTERN
                        items = branch.get("items")
                        if isinstance(items, dict) and items.get("type") == "string":
                            items["pattern"] = TEXT_PATTERN
    elif isinstance(node, list):
        for value in node:
            _text_patterns(value)


# Keys whose values are Text (or lists of Text) somewhere in the model.
_TEXT_KEYS = frozenset(
    {"title", "signed_at", "notes", "scope", "units", "name", "position", "number", "summary"}
    | {"evidence", "publisher"}
)


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of a record file, generated from the model.

    Beside the types, it says what the model's validators check where JSON Schema can say it,
    so that the schema and `validate` agree (README, "The JSON Schema and validate"): a party
    is a region or a name with a kind (KS210), a region is never empty (KS206), an unquoted
    province code is one of the 38 (KS201), a source has a url or a title (KS200), text is not
    blank and has no control characters (KS206), activities need signed_on (KS305), and
    evaluations too (KS306).
    """
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    defs = schema["$defs"]
    party = defs["Party"]
    # The key may be absent, but `region:` with no value is an error (_region_not_empty).
    null = {"type": "null"}
    region = party["properties"]["region"]
    region["anyOf"] = [branch for branch in region["anyOf"] if branch != null]
    region.pop("default", None)
    # An unquoted province code is one of the 38 (region: 99 is unknown, KS201).
    provinces = sorted(
        int(r.code) for r in load_gazetteer().regions if r.kind == "provinsi" and r.code.isdigit()
    )
    for branch in region["anyOf"]:
        if branch.get("type") == "integer":
            branch.pop("minimum", None)
            branch.pop("maximum", None)
            branch["enum"] = provinces
    # A source names its url or its title (KS200).
    defs["Source"]["anyOf"] = [
        {"required": [key], "properties": {key: {"not": null}}} for key in ("url", "title")
    ]
    party["anyOf"] = [
        {
            "required": ["region"],
            "properties": {"name": null, "kind": null, "country": null},
        },
        {
            "required": ["name", "kind"],
            "properties": {"region": False, "name": {"not": null}, "kind": {"not": null}},
        },
    ]
    schema["if"] = {
        "required": ["activities"],
        "properties": {"activities": {"type": "array", "minItems": 1}},
    }
    schema["then"] = {"required": ["signed_on"], "properties": {"signed_on": {"not": null}}}
    # Evaluations need signed_on too (KS306).
    schema["allOf"] = [
        {
            "if": {
                "required": ["evaluations"],
                "properties": {"evaluations": {"type": "array", "minItems": 1}},
            },
            "then": schema["then"],
        }
    ]
    _text_patterns(schema)
    return schema
