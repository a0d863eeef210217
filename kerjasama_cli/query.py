"""Pure filtering and sorting of records (the filters of `list`, `summarise` and `export`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.model import Record
from kerjasama_cli.status import StatusContext
from kerjasama_cli.vocab import STATUSES

SORT_FIELDS = ("signed_on", "ends_on", "starts_on", "id", "title", "status", "document", "category")


@dataclass(frozen=True, slots=True)
class Filter:
    """Conditions on records: AND across fields, OR within one field. Empty means any."""

    regions: tuple[str, ...] = ()  # region codes: a party is one of them
    within: tuple[str, ...] = ()  # region codes: a party is one, or lies inside the province
    documents: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # given or derived
    statuses: tuple[str, ...] = ()  # computed
    sectors: tuple[str, ...] = ()
    party_kinds: tuple[str, ...] = ()
    years: tuple[int, ...] = ()  # of signed_on
    signed_from: dt.date | None = None
    signed_to: dt.date | None = None
    expiring_within: int | None = None  # days from as_of, for records still in force
    search: tuple[str, ...] = ()  # case-insensitive text in title, scope, notes, party names

    def as_flags(self) -> str:
        """The conditions as the flags of ``list`` that ask for them (regions by code, values
        by key, quoted for a shell), in the order of the contract, each flag's values once and
        sorted; "" when there is none."""
        import shlex

        flags: list[tuple[str, object]] = [
            *(("--region", v) for v in self.regions),
            *(("--within", v) for v in self.within),
            *(("--document", v) for v in self.documents),
            *(("--category", v) for v in self.categories),
            *(("--status", v) for v in self.statuses),
            *(("--sector", v) for v in self.sectors),
            *(("--party-kind", v) for v in self.party_kinds),
            *(("--year", v) for v in self.years),
            ("--signed-from", self.signed_from),
            ("--signed-to", self.signed_to),
            ("--expiring-within", self.expiring_within),
            *(("--search", v) for v in self.search),
        ]
        # Each flag's values once, sorted: OR within a flag, so the order says nothing, and
        # one filter gives one text. An empty --search matches everything: left out.
        kept = dict.fromkeys(
            (flag, str(value))
            for flag, value in flags
            if value is not None and not (flag == "--search" and not value)
        )
        order = {flag: i for i, (flag, _value) in enumerate(flags)}
        return " ".join(
            f"{flag} {shlex.quote(value)}"
            for flag, value in sorted(kept, key=lambda fv: (order[fv[0]], fv[1]))
        )

    def may_match(self, region_codes: Sequence[str], document: str) -> bool:
        """The conditions on regions and document alone: False means ``matches`` is False.

        The registry knows these of every record without building it (``Entry.brief``), so a
        large registry only builds the records that pass.
        """
        # Plain loops: this runs once per record of the registry, where any() costs more.
        if self.regions:
            for code in region_codes:
                if code in self.regions:
                    break
            else:
                return False
        if self.within:
            for code in region_codes:
                if _inside(code, self.within):
                    break
            else:
                return False
        return not (self.documents and document not in self.documents)

    def matches(self, record: Record, ctx: StatusContext) -> bool:
        if not self.may_match(record.region_codes, record.document):
            return False
        if self.categories and record.effective_category not in self.categories:
            return False
        if self.sectors and not any(s in self.sectors for s in record.sectors):
            return False
        if self.party_kinds and not any(p.party_kind in self.party_kinds for p in record.parties):
            return False
        signed = record.signed_on
        if self.years and (signed is None or signed.year not in self.years):
            return False
        if self.signed_from and (signed is None or signed < self.signed_from):
            return False
        if self.signed_to and (signed is None or signed > self.signed_to):
            return False
        if self.expiring_within is not None and not _expiring(record, ctx, self.expiring_within):
            return False
        if self.search and not _mentions(record, self.search):
            return False
        return not (self.statuses and ctx.status(record) not in self.statuses)


def _inside(code: str, places: tuple[str, ...]) -> bool:
    return code in places or code.split(".")[0] in places


def _expiring(record: Record, ctx: StatusContext, days: int) -> bool:
    if record.ends_on is None or ctx.status(record) not in ("aktif", "akan_berakhir"):
        return False
    return 0 <= (record.ends_on - ctx.as_of).days <= days


def searchable_text(record: Record) -> str:
    """Title, scope, notes and every party's names (a region's name, official name and the
    name tables show it by: "Muara Enim", "Kabupaten Muara Enim", "Kab. Muara Enim"),
    case-folded."""
    gazetteer = load_gazetteer()
    parts = [record.title, *(record.scope or []), record.notes or ""]
    for party in record.parties:
        if party.region is not None:
            region = gazetteer.by_code[party.region]
            parts += [region.name, region.official_name, region.display_name]
        else:
            parts.append(party.name or "")
    return "\n".join(parts).casefold()


def _mentions(record: Record, needles: tuple[str, ...]) -> bool:
    # A LightRecord read with its text from the index (indexed.py) has it already.
    text = getattr(record, "search_text", None)
    if text is None:
        text = searchable_text(record)
    return any(needle.casefold() in text for needle in needles)


def filter_records(records: Iterable[Record], where: Filter, ctx: StatusContext) -> list[Record]:
    if where == _ANY:  # no condition: every record (an export of everything asks for this)
        return list(records)
    return [r for r in records if where.matches(r, ctx)]


_ANY = Filter()


def sort_records(
    records: Iterable[Record], field: str, ctx: StatusContext, *, reverse: bool = False
) -> list[Record]:
    """Sort by ``field``, blanks last; ``reverse`` flips the order but not where blanks go.

    Dates (``signed_on``, ``starts_on``, ``ends_on``) newest first; ``status`` in the order of
    docs/record-format.md (dibatalkan, berakhir, draf, belum_berlaku, kedaluwarsa, akan_berakhir,
    aktif); ``id``, ``title``, ``document``, ``category`` A-Z. Ties keep the default order:
    newest signed first, then by id.
    """
    items = sorted(records, key=lambda r: r.id)
    dates: dict[str, Callable[[Record], dt.date | None]] = {
        "signed_on": lambda r: r.signed_on,
        "ends_on": lambda r: r.ends_on,
        "starts_on": lambda r: r.start_date,
    }
    if field != "signed_on":
        items = _by_date(items, dates["signed_on"], reverse=False)
    if field in dates:
        return _by_date(items, dates[field], reverse=reverse)
    keys: dict[str, Callable[[Record], str | int]] = {
        "id": lambda r: r.id,
        "title": lambda r: r.title.casefold(),
        "status": lambda r: STATUSES.index(ctx.status(r)),
        "document": lambda r: r.document,
        "category": lambda r: r.effective_category,
    }
    # sorted() is stable, and reverse=True keeps equal items in their original order.
    return sorted(items, key=keys[field], reverse=reverse)


def _by_date(
    items: list[Record], getter: Callable[[Record], dt.date | None], *, reverse: bool
) -> list[Record]:
    dated = [(d, r) for r in items if (d := getter(r)) is not None]
    blank = [r for r in items if getter(r) is None]
    dated.sort(key=lambda pair: pair[0], reverse=not reverse)
    return [r for _, r in dated] + blank
