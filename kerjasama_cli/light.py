"""A record as the registry's index keeps it, for the read commands, without pydantic.

``LightRecord`` has every field and computed property of ``model.Record`` (``id``, ``parties``,
``activities``, ``effective_category``, ``region_codes``, ...) with the same values, its
parties, activities, evaluations, sources, ``ended`` and ``dprd_approval`` as small named
tuples with the attributes of their models (``Party.region``, ``.kind``, ``.label``,
``Activity.on``, ``.summary``, ...), so that code written against ``Record`` works on it. It is
made from a plain tuple (``view_of``) that the index keeps for every valid file, marshalled,
with dates as day numbers: 100,000 of them are made in a fraction of a second, where
validating 100,000 records again with pydantic took seconds. Lists are tuples; what the model
leaves as None stays None.

``--no-cache`` does not come here: it reads the files and builds ``Record`` as before, so that
the test comparing every read command with and without the index compares two ways of
computing the answer, not one.
"""

from __future__ import annotations

import datetime as dt
import marshal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kerjasama_cli.model import Record

# The shape of the tuple; the index's fingerprint changes with the code anyway.
VIEW_VERSION = 1

_day = dt.date.fromordinal


def _ord(value: dt.date | None) -> int | None:
    return None if value is None else value.toordinal()


def _date(value: int | None) -> dt.date | None:
    return None if value is None else _day(value)


def _tuple(items: Any) -> tuple[Any, ...] | None:
    return None if items is None else tuple(items)


class LightSignatory(NamedTuple):
    name: str
    position: str | None

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return _dump(self)


class LightParty(NamedTuple):
    region: str | None
    name: str | None
    kind: str | None
    country: str | None
    signatory: LightSignatory | None
    number: str | None
    party_kind: str  # as model.Party computes them
    label: str

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return _dump(self, ("region", "name", "kind", "country", "signatory", "number"))


class LightEnded(NamedTuple):
    on: dt.date
    reason: str

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return _dump(self)


class LightDprd(NamedTuple):
    required: bool
    number: str | None
    on: dt.date | None

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return _dump(self)


class LightActivity(NamedTuple):
    on: dt.date
    summary: str
    evidence: tuple[str, ...]

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return _dump(self)


class LightEvaluation(NamedTuple):
    on: dt.date
    summary: str
    recommendation: str
    score: int | None

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return _dump(self)


class LightSource(NamedTuple):
    url: str | None
    title: str | None
    publisher: str | None
    published_on: dt.date | None

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return _dump(self)


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple) and hasattr(value, "model_dump"):
        return value.model_dump()
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _dump(item: Any, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """``model_dump(mode="json", exclude_none=True)`` of a light item."""
    out: dict[str, Any] = {}
    for name in fields or item._fields:
        value = getattr(item, name)
        if value is not None:
            out[name] = _json_value(value)
    return out


# The order of Record's fields (model.KEY_ORDER), without importing the model.
RECORD_FIELDS = (
    "id",
    "title",
    "document",
    "category",
    "obligation",
    "parties",
    "sectors",
    "scope",
    "stage",
    "signed_on",
    "signed_at",
    "starts_on",
    "ends_on",
    "ended",
    "parent",
    "supersedes",
    "related",
    "units",
    "funding",
    "dprd_approval",
    "activities",
    "evaluations",
    "sources",
    "notes",
    "tags",
)


class LightRecord:
    """A record's fields and computed properties (see the module's docstring).

    Parties, activities, evaluations and sources are made the first time they are asked for:
    counting 100,000 agreements by year never makes them.
    """

    __slots__ = (
        "_activities",
        "_evaluations",
        "_parties",
        "_sources",
        "category",
        "derived_category",
        "document",
        "dprd_approval",
        "effective_category",
        "ended",
        "ends_on",
        "funding",
        "id",
        "notes",
        "obligation",
        "parent",
        "region_codes",
        "related",
        "scope",
        "sectors",
        "signed_at",
        "signed_on",
        "stage",
        "start_date",
        "starts_on",
        "supersedes",
        "tags",
        "title",
        "units",
    )

    id: str
    title: str
    document: str
    category: str | None
    obligation: str | None
    sectors: tuple[str, ...]
    scope: tuple[str, ...] | None
    stage: str | None
    signed_on: dt.date | None
    signed_at: str | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    ended: LightEnded | None
    parent: str | None
    supersedes: tuple[str, ...] | None
    related: tuple[str, ...] | None
    units: tuple[str, ...] | None
    funding: tuple[str, ...] | None
    dprd_approval: LightDprd | None
    notes: str | None
    tags: tuple[str, ...] | None
    derived_category: str
    effective_category: str
    start_date: dt.date | None
    region_codes: tuple[str, ...]

    def __init__(self, view: tuple[Any, ...]) -> None:
        (
            self.id,
            self.title,
            self.document,
            self.category,
            self.obligation,
            self.sectors,
            self.scope,
            self.stage,
            signed_on,
            self.signed_at,
            starts_on,
            ends_on,
            ended,
            self.parent,
            self.supersedes,
            self.related,
            self.units,
            self.funding,
            dprd,
            self.notes,
            self.tags,
            self.derived_category,
            self.region_codes,
            self._parties,
            self._activities,
            self._evaluations,
            self._sources,
        ) = view
        self.signed_on = None if signed_on is None else _day(signed_on)
        self.starts_on = None if starts_on is None else _day(starts_on)
        self.ends_on = None if ends_on is None else _day(ends_on)
        self.ended = None if ended is None else LightEnded(_day(ended[0]), ended[1])
        self.dprd_approval = None if dprd is None else LightDprd(dprd[0], dprd[1], _date(dprd[2]))
        self.effective_category = self.category or self.derived_category
        self.start_date = self.starts_on or self.signed_on

    @property
    def parties(self) -> tuple[LightParty, ...]:
        parties = self._parties
        if parties and type(parties[0]) is not LightParty:
            parties = self._parties = tuple(
                LightParty(
                    region,
                    name,
                    kind,
                    country,
                    None if signatory is None else LightSignatory(*signatory),
                    number,
                    party_kind,
                    label,
                )
                for region, name, kind, country, signatory, number, party_kind, label in parties
            )
        return parties  # type: ignore[no-any-return]

    @property
    def activities(self) -> tuple[LightActivity, ...] | None:
        items = self._activities
        if items and type(items[0]) is not LightActivity:
            items = self._activities = tuple(
                LightActivity(_day(on), summary, evidence) for on, summary, evidence in items
            )
        return items  # type: ignore[no-any-return]

    @property
    def evaluations(self) -> tuple[LightEvaluation, ...] | None:
        items = self._evaluations
        if items and type(items[0]) is not LightEvaluation:
            items = self._evaluations = tuple(
                LightEvaluation(_day(on), summary, recommendation, score)
                for on, summary, recommendation, score in items
            )
        return items  # type: ignore[no-any-return]

    @property
    def sources(self) -> tuple[LightSource, ...] | None:
        items = self._sources
        if items and type(items[0]) is not LightSource:
            items = self._sources = tuple(
                LightSource(url, title, publisher, _date(published))
                for url, title, publisher, published in items
            )
        return items  # type: ignore[no-any-return]

    def model_dump(self, **_: Any) -> dict[str, Any]:
        """What ``Record.model_dump(mode="json", exclude_none=True)`` gives."""
        out: dict[str, Any] = {}
        for name in RECORD_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = _json_value(value)
        return out

    def __repr__(self) -> str:
        return f"LightRecord({self.id!r})"


def view_of(record: Record) -> tuple[Any, ...]:
    """The plain tuple a LightRecord is made of (marshalled into the index)."""
    ended = record.ended
    dprd = record.dprd_approval
    return (
        record.id,
        record.title,
        record.document,
        record.category,
        record.obligation,
        tuple(record.sectors),
        _tuple(record.scope),
        record.stage,
        _ord(record.signed_on),
        record.signed_at,
        _ord(record.starts_on),
        _ord(record.ends_on),
        None if ended is None else (ended.on.toordinal(), ended.reason),
        record.parent,
        _tuple(record.supersedes),
        _tuple(record.related),
        _tuple(record.units),
        _tuple(record.funding),
        None if dprd is None else (dprd.required, dprd.number, _ord(dprd.on)),
        record.notes,
        _tuple(record.tags),
        record.derived_category,
        tuple(record.region_codes),
        tuple(
            (
                p.region,
                p.name,
                p.kind,
                p.country,
                None if p.signatory is None else (p.signatory.name, p.signatory.position),
                p.number,
                p.party_kind,
                p.label,
            )
            for p in record.parties
        ),
        None
        if record.activities is None
        else tuple((a.on.toordinal(), a.summary, tuple(a.evidence)) for a in record.activities),
        None
        if record.evaluations is None
        else tuple(
            (e.on.toordinal(), e.summary, e.recommendation, e.score) for e in record.evaluations
        ),
        None
        if record.sources is None
        else tuple((s.url, s.title, s.publisher, _ord(s.published_on)) for s in record.sources),
    )


def dump_view(record: Record) -> bytes:
    return marshal.dumps(view_of(record))


def load_view(raw: bytes) -> LightRecord:
    return LightRecord(marshal.loads(raw))


def light(record: Record) -> LightRecord:
    """The LightRecord of a record (as the index would give it)."""
    return LightRecord(view_of(record))
