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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kerjasama_cli.model import Record

# The shape of the tuple; the index's fingerprint changes with the code anyway.
VIEW_VERSION = 1

_day = dt.date.fromordinal
_iso = dt.date.fromisoformat


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


# The attributes a LightRecord has from the start (from the index's columns); the others are
# read from its view the first time one of them is asked for.
_REST = frozenset(
    {
        "obligation",
        "scope",
        "stage",
        "signed_at",
        "supersedes",
        "related",
        "units",
        "funding",
        "dprd_approval",
        "notes",
        "tags",
        "evaluations",
        "sources",
    }
)


class LightRecord:
    """A record's fields and computed properties (see the module's docstring).

    Made from a few columns (``head``: what filtering, sorting, status and counting use),
    the parties (decoded when first asked for) and the view of the rest (likewise): counting
    100,000 agreements by year decodes neither.
    """

    __slots__ = (
        "_activities",
        "_activity_days",
        "_parties",
        "_source",
        "_view",
        "category",
        "derived_category",
        "document",
        "dprd_approval",
        "effective_category",
        "ended",
        "ends_on",
        "evaluations",
        "funding",
        "id",
        "notes",
        "obligation",
        "parent",
        "region_codes",
        "related",
        "scope",
        "search_text",
        "sectors",
        "signed_at",
        "signed_on",
        "sources",
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
    evaluations: tuple[LightEvaluation, ...] | None
    sources: tuple[LightSource, ...] | None
    notes: str | None
    tags: tuple[str, ...] | None
    derived_category: str
    effective_category: str
    start_date: dt.date | None
    region_codes: tuple[str, ...]
    # query.searchable_text of the record, as the index keeps it, when it was read with it.
    search_text: str | None

    def __init__(
        self,
        head: Sequence[Any],
        parties: Any,
        view: Any,
        source: Any = None,
        search_text: str | None = None,
    ) -> None:
        (
            self.id,
            self.title,
            self.document,
            self.category,
            self.derived_category,
            signed_on,
            starts_on,
            ends_on,
            ended_on,
            ended_reason,
            self.parent,
            regions,
            sectors,
            self._activity_days,
        ) = head
        iso = _iso
        self.signed_on = None if signed_on is None else iso(signed_on)
        self.starts_on = None if starts_on is None else iso(starts_on)
        self.ends_on = None if ends_on is None else iso(ends_on)
        self.ended = None if ended_on is None else LightEnded(iso(ended_on), ended_reason)
        self.region_codes = tuple(regions.split(",")) if regions else ()
        self.sectors = tuple(sectors.split(","))
        self.effective_category = self.category or self.derived_category
        self.start_date = self.starts_on or self.signed_on
        self._parties = parties
        self._view = view
        # Without ``view``: a function of no arguments that reads it (from the index).
        self._source = source
        self.search_text = search_text

    @property
    def parties(self) -> tuple[LightParty, ...]:
        parties = self._parties
        if type(parties) is bytes:
            new = tuple.__new__  # the named tuples made in C (their __new__ is Python)
            parties = self._parties = tuple(
                new(LightParty, (*p[:4], p[4] and new(LightSignatory, p[4]), *p[5:]))
                for p in marshal.loads(parties)
            )
        return parties  # type: ignore[no-any-return]

    @property
    def activities(self) -> tuple[LightActivity, ...] | None:
        days = self._activity_days
        if not days:  # None (no key), or "" (an empty list)
            return None if days is None else ()
        try:
            return self._activities
        except AttributeError:
            self._rest()
            return self._activities

    def __getattr__(self, name: str) -> Any:
        """A field of the rest, read from the view the first time one is asked for."""
        if name in _REST:
            self._rest()
            return object.__getattribute__(self, name)
        raise AttributeError(name)

    def _rest(self) -> None:
        view = self._view
        if view is None:
            view = self._source()
        if type(view) is bytes:
            view = marshal.loads(view)
        (
            _,
            _,
            _,
            _,
            self.obligation,
            _,
            self.scope,
            self.stage,
            _,
            self.signed_at,
            _,
            _,
            _,
            _,
            self.supersedes,
            self.related,
            self.units,
            self.funding,
            dprd,
            self.notes,
            self.tags,
            _,
            _,
            _,
            activities,
            evaluations,
            sources,
        ) = view
        self.dprd_approval = None if dprd is None else LightDprd(dprd[0], dprd[1], _date(dprd[2]))
        self._activities = (
            None
            if activities is None
            else tuple(
                LightActivity(_day(on), summary, evidence) for on, summary, evidence in activities
            )
        )
        self.evaluations = (
            None
            if evaluations is None
            else tuple(
                LightEvaluation(_day(on), summary, recommendation, score)
                for on, summary, recommendation, score in evaluations
            )
        )
        self.sources = (
            None
            if sources is None
            else tuple(
                LightSource(url, title, publisher, _date(published))
                for url, title, publisher, published in sources
            )
        )

    def plain(self) -> tuple[Any, ...]:
        """The record as the plain tuple of ``view_of`` (decoded anew at each call): for
        code that reads every field of many records (export's CSV) without making the named
        tuples of the attributes."""
        view = self._view
        if view is None:
            view = self._source()
        return marshal.loads(view) if type(view) is bytes else view  # type: ignore[no-any-return]

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


def _text(items: Sequence[str]) -> str:
    return ",".join(items)


def columns_of(record: Record) -> tuple[Any, ...]:
    """What the index keeps beside a record's ``agreements`` row for its LightRecord: the
    derived category, region codes, sectors and activity dates as text (codes and keys have
    no commas), the parties and the view of the rest, marshalled."""
    activities = record.activities
    view = view_of(record)
    return (
        record.derived_category,
        _text(record.region_codes) or None,
        _text(record.sectors),
        None if activities is None else _text([a.on.isoformat() for a in activities]),
        marshal.dumps(view[23]),  # the parties
        marshal.dumps(view),
    )


# The head of a LightRecord, as indexed.py selects it from the index.
HEAD_COLUMNS = (
    "a.id, a.title, a.document, a.category, a.derived_category, a.signed_on, a.starts_on, "
    "a.ends_on, a.ended_on, a.ended_reason, a.parent, a.regions, a.sector_keys, "
    "a.activity_days"
)


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


def light(record: Record) -> LightRecord:
    """The LightRecord of a record, as the index would give it."""
    from kerjasama_cli.exchange.database import record_rows

    agreement = record_rows(record)[0]
    derived, regions, sectors, days, parties, view = columns_of(record)
    head = (
        record.id,
        record.title,
        record.document,
        record.category,
        derived,
        agreement[7],
        agreement[9],
        agreement[10],
        agreement[11],
        agreement[12],
        record.parent,
        regions,
        sectors,
        days,
    )
    return LightRecord(head, parties, view)
