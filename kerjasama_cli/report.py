"""The standard report of `summarise` (no ``--by``): pure aggregation, no printing.

Sections: totals by year, category, document and status; agreements expiring within the
window; agreements "only on paper"; the realisation of every agreement in force or ended within
the last year (its latest activity, or none); and, for each ``--region``, that region's
counterparts, counted in agreements.

Realisation (cli.md): every signed agreement whose status is ``aktif`` or ``akan_berakhir``,
or which ended (``kedaluwarsa``, ``berakhir``, ``dibatalkan``) on or after ``paper_cutoff`` --
the same day a year before ``as_of``. It ended on ``ended.on``, on the day a superseding record
started, or, when it expired, on ``ends_on``. Only activities dated on or before ``as_of`` count.

"Only on paper" (docs/record-format.md): a signed agreement more than a year old, with no record
whose ``parent`` points to it and no ``activities``. "More than a year old" means signed before
``paper_cutoff(as_of)``: the same day one year before ``as_of`` -- so an agreement signed on
2024-05-10 is on paper from 2025-05-11, the day after its first anniversary. When ``as_of`` is
29 February the cutoff is 1 March of the year before (the anniversary of 28 February 2023 is
28 February 2024, so on 29 February 2024 it is more than a year old); an agreement signed on
29 February has its first anniversary on 28 February and is on paper from 1 March.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kerjasama_cli.gazetteer import Region, load_gazetteer
from kerjasama_cli.i18n import _
from kerjasama_cli.labels import label
from kerjasama_cli.model import Record
from kerjasama_cli.query import Filter
from kerjasama_cli.status import StatusContext
from kerjasama_cli.summary import Group, group_keys, sort_key, summarise_by
from kerjasama_cli.vocab import ORG_KINDS

TOTAL_FIELDS = ("year", "category", "document", "status")


def paper_cutoff(as_of: dt.date) -> dt.date:
    """Agreements signed before this date are "more than a year old" on ``as_of``."""
    if as_of.year == dt.MINYEAR:
        return dt.date.min
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February: a year earlier has no such day
        return dt.date(as_of.year - 1, 3, 1)


def is_only_on_paper(record: Record, as_of: dt.date, implemented: set[str]) -> bool:
    """Signed before the cutoff, no record has it as ``parent``, and no activities dated on
    or before ``as_of`` (a later one had not happened yet)."""
    return (
        record.signed_on is not None
        and record.signed_on < paper_cutoff(as_of)
        and record.id not in implemented
        and not any(a.on <= as_of for a in record.activities or [])
    )


@dataclass(frozen=True, slots=True)
class AgreementRef:
    """An agreement listed in a report section, with what a reader needs to find it."""

    id: str
    title: str
    document: str
    status: str
    signed_on: dt.date | None
    ends_on: dt.date | None
    days_left: int | None
    parties: tuple[str, ...]

    @classmethod
    def of(cls, record: Record, ctx: StatusContext) -> AgreementRef:
        days = (record.ends_on - ctx.as_of).days if record.ends_on else None
        return cls(
            record.id,
            record.title,
            record.document,
            ctx.status(record),
            record.signed_on,
            record.ends_on,
            days,
            tuple(p.label for p in record.parties),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "document": self.document,
            "status": self.status,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "days_left": self.days_left,
            "parties": list(self.parties),
        }


@dataclass(frozen=True, slots=True)
class Counterpart:
    """One party that signed with the region: a region (with ``code``) or an organisation."""

    name: str
    label: str  # "Kab. Bengkulu Tengah", or the organisation's name
    ids: tuple[str, ...]
    code: str | None = None
    official_name: str | None = None

    @property
    def agreements(self) -> int:
        return len(self.ids)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.code is not None:
            out["code"] = self.code
        out["name"] = self.name
        if self.official_name is not None:
            out["official_name"] = self.official_name
        out["agreements"] = self.agreements
        out["ids"] = list(self.ids)
        return out


@dataclass(frozen=True, slots=True)
class CounterpartGroup:
    """A group of counterparts: ``inside_province``, ``provinces``, ``outside_province``, a kind.

    ``count`` is the number of agreements with anyone of the group (cli.md: counterpart tables
    count agreements, not parties): three agreements with Kab. Bogor count three, one
    agreement with two companies counts one.
    """

    key: str
    label: str
    parties: tuple[Counterpart, ...]

    @property
    def count(self) -> int:
        return len({i for p in self.parties for i in p.ids})

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "party_count": len(self.parties),
            "parties": [p.as_dict() for p in self.parties],
        }


@dataclass(frozen=True, slots=True)
class Counterparts:
    """Everyone a region signed with, grouped as in "27 inside Jawa Barat, 20 provinces, ..."."""

    region: Region
    agreements: int  # agreements (in the selection) the region is a party to
    regional: tuple[CounterpartGroup, ...]  # inside_province, provinces, outside_province
    others: tuple[CounterpartGroup, ...]  # one group per party kind, vocabulary order
    groups: tuple[Group, ...] = ()  # agreements per counterpart_group, as a Bappeda counts

    @property
    def regional_governments(self) -> int:
        """How many regional governments (parties, not agreements) the region signed with."""
        return sum(len(g.parties) for g in self.regional)

    @property
    def other_parties(self) -> int:
        """How many other parties (not agreements) the region signed with."""
        return sum(len(g.parties) for g in self.others)

    @property
    def with_regional_governments(self) -> int:
        """Agreements with at least one other regional government."""
        return len({i for g in self.regional for p in g.parties for i in p.ids})

    @property
    def with_other_parties(self) -> int:
        """Agreements with at least one party that is not a regional government."""
        return len({i for g in self.others for p in g.parties for i in p.ids})

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "region": self.region.as_dict(),
            "agreements": self.agreements,
            "regional_governments": self.regional_governments,
            "with_regional_governments": self.with_regional_governments,
        }
        for group in self.regional:
            out[group.key] = group.as_dict()
        out["other_parties"] = {
            "count": self.other_parties,
            "agreements": self.with_other_parties,
            "kinds": [{"kind": g.key, **g.as_dict()} for g in self.others],
        }
        out["groups"] = [{"counterpart_group": g.keys[0], "count": g.count} for g in self.groups]
        return out


def find_counterparts(
    region: Region, records: Sequence[Record], ctx: StatusContext | None = None
) -> Counterparts:
    """The parties of ``region``'s agreements other than itself, grouped by where they are."""
    gazetteer = load_gazetteer()
    own_province = region.province
    mine = [r for r in records if region.code in r.region_codes]
    by_region: dict[str, list[str]] = defaultdict(list)
    by_org: dict[tuple[str, str], list[str]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for record in mine:
        for party in record.parties:
            if party.region is not None:
                if party.region != region.code and record.id not in by_region[party.region]:
                    by_region[party.region].append(record.id)
            elif party.kind is not None and party.name is not None:
                name = " ".join(party.name.split())
                org_key = (party.kind, name.casefold())
                names.setdefault(org_key, name)
                if record.id not in by_org[org_key]:
                    by_org[org_key].append(record.id)

    def place(code: str) -> str:
        other = gazetteer.by_code[code]
        if other.kind == "provinsi":
            return "provinces"
        return "inside_province" if other.province == own_province else "outside_province"

    province_name = gazetteer.by_code[own_province].name
    labels = {
        "inside_province": _("Kabupaten/kota inside {province}").format(province=province_name),
        "provinces": _("Provinces"),
        "outside_province": _("Kabupaten/kota outside {province}").format(province=province_name),
    }
    regional = []
    for key, title in labels.items():
        codes = sorted(
            (c for c in by_region if place(c) == key), key=lambda c: sort_key("region", c)
        )
        parties = tuple(
            Counterpart(
                gazetteer.by_code[c].name,
                gazetteer.by_code[c].display_name,
                tuple(sorted(by_region[c])),
                c,
                gazetteer.by_code[c].official_name,
            )
            for c in codes
        )
        regional.append(CounterpartGroup(key, title, parties))
    others = []
    for kind in ORG_KINDS:
        keys = sorted((k for k in by_org if k[0] == kind), key=lambda k: k[1])
        if keys:
            parties = tuple(Counterpart(names[k], names[k], tuple(sorted(by_org[k]))) for k in keys)
            others.append(CounterpartGroup(kind, label("party_kind", kind), parties))
    ctx = ctx or StatusContext(dt.date.today())
    groups = summarise_by(mine, ("counterpart_group",), ctx, region.code).rows
    return Counterparts(region, len(mine), tuple(regional), tuple(others), groups)


@dataclass(frozen=True, slots=True)
class Realisation:
    """Whether a signed agreement in force (or ended within the year) was reported on."""

    id: str
    title: str
    status: str
    signed_on: dt.date | None
    ended_on: dt.date | None  # None while in force
    activities: int  # dated on or before as_of
    last_activity_on: dt.date | None
    last_activity: str | None
    parties: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "last_activity_on": (
                self.last_activity_on.isoformat() if self.last_activity_on else None
            ),
            "last_activity": self.last_activity,
            "activities": self.activities,
            "parties": list(self.parties),
        }


IN_FORCE = ("aktif", "akan_berakhir")
ENDED = ("kedaluwarsa", "berakhir", "dibatalkan")


def ended_on(record: Record, ctx: StatusContext) -> dt.date | None:
    """The day an agreement that is no longer in force on ``ctx.as_of`` ended, else None."""
    as_of = ctx.as_of
    if record.ended and record.ended.on <= as_of:
        return record.ended.on
    superseded = ctx.superseded.get(record.id)
    if superseded and superseded <= as_of:
        return superseded
    if record.ends_on and record.ends_on < as_of:
        return record.ends_on
    return None


def realisation_of(record: Record, ctx: StatusContext) -> Realisation | None:
    """The realisation line of ``record``, or None when it is not to be reported on: unsigned,
    not yet in force, or ended more than a year before ``as_of``."""
    if record.signed_on is None:
        return None
    status = ctx.status(record)
    end = ended_on(record, ctx) if status in ENDED else None
    if status not in IN_FORCE and (end is None or end < paper_cutoff(ctx.as_of)):
        return None
    done = [a for a in record.activities or [] if a.on <= ctx.as_of]
    # The latest by date; of two on one day, the one written last.
    latest = max(reversed(done), key=lambda a: a.on, default=None)
    return Realisation(
        record.id,
        record.title,
        status,
        record.signed_on,
        end,
        len(done),
        latest.on if latest else None,
        latest.summary if latest else None,
        tuple(p.label for p in record.parties),
    )


def _realisation_order(line: Realisation) -> tuple[Any, ...]:
    """Not reported on first (signed longest ago first), then the longest silent first."""
    if line.last_activity_on is None:
        return (0, line.signed_on or dt.date.max, line.id)
    return (1, line.last_activity_on, line.id)


@dataclass(frozen=True, slots=True)
class Report:
    """The standard report over a selection of records."""

    as_of: dt.date
    window_days: int
    total: int
    totals: dict[str, tuple[Group, ...]]
    expiring: tuple[AgreementRef, ...]
    only_on_paper: tuple[AgreementRef, ...]
    counterparts: tuple[Counterparts, ...] = field(default=())
    realisation: tuple[Realisation, ...] = field(default=())
    regions: tuple[Region, ...] = field(default=())  # the --region of the selection

    @property
    def paper_cutoff(self) -> dt.date:
        return paper_cutoff(self.as_of)

    @property
    def reported(self) -> int:
        """Agreements of the realisation section with at least one activity."""
        return sum(1 for line in self.realisation if line.activities)

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of the standard report (README, section summarise)."""
        return {
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "totals": {
                name: [{name: g.keys[0], "count": g.count} for g in groups]
                for name, groups in self.totals.items()
            },
            "expiring": {
                "within_days": self.window_days,
                "count": len(self.expiring),
                "agreements": [a.as_dict() for a in self.expiring],
            },
            "only_on_paper": {
                "signed_before": self.paper_cutoff.isoformat(),
                "count": len(self.only_on_paper),
                "agreements": [a.as_dict() for a in self.only_on_paper],
            },
            "realisation": [line.as_dict() for line in self.realisation],
            "counterparts": [c.as_dict() for c in self.counterparts],
        }


def _totals(records: Sequence[Record], name: str, ctx: StatusContext) -> tuple[Group, ...]:
    counts: dict[Any, int] = defaultdict(int)
    for record in records:
        for key in group_keys(record, name, ctx):
            counts[key] += 1
    return ordered_totals(name, counts)


def ordered_totals(name: str, counts: dict[Any, int]) -> tuple[Group, ...]:
    """The groups of a total of the report, from each key's count, in their natural order."""
    counts = dict(counts)
    if name == "year":
        # Every year from the first signing to the last, so a chart has no silent gaps.
        years = [k for k in counts if k is not None]
        for year in range(min(years, default=0), max(years, default=-1) + 1):
            counts.setdefault(year, 0)
    ordered = sorted(counts, key=lambda k: sort_key(name, k))
    return tuple(Group((k,), counts[k]) for k in ordered)


def build_report(
    selected: Sequence[Record],
    everything: Sequence[Record],
    ctx: StatusContext,
    regions: Sequence[Region] = (),
) -> Report:
    """The standard report over ``selected``; ``everything`` tells which records have a PKS."""
    expiring_filter = Filter(expiring_within=ctx.window_days)
    expiring = sorted(
        (r for r in selected if expiring_filter.matches(r, ctx)),
        key=lambda r: (r.ends_on or dt.date.max, r.id),
    )
    implemented = {r.parent for r in everything if r.parent}
    paper = sorted(
        (r for r in selected if is_only_on_paper(r, ctx.as_of, implemented)),
        key=lambda r: (r.signed_on or dt.date.max, r.id),
    )
    realised = [line for r in selected if (line := realisation_of(r, ctx)) is not None]
    return Report(
        as_of=ctx.as_of,
        window_days=ctx.window_days,
        total=len(selected),
        totals={name: _totals(selected, name, ctx) for name in TOTAL_FIELDS},
        expiring=tuple(AgreementRef.of(r, ctx) for r in expiring),
        only_on_paper=tuple(AgreementRef.of(r, ctx) for r in paper),
        counterparts=tuple(find_counterparts(region, selected, ctx) for region in regions),
        realisation=tuple(sorted(realised, key=_realisation_order)),
        regions=tuple(regions),
    )
