"""Pure aggregation for `summarise --by`: counts of agreements per group, and cross-tabs.

Counting rule (cli.md): a record counts once in each group it falls into. A field with several
values on one record (``sector``, ``region``, ``province``, ``party_kind``) puts the record in
each of them once, so row counts may add up to more than ``total``, which is always the number
of agreements. A record with no value for a field (an unsigned record has no ``year``, a record
without a regional party has no ``region``) falls in the group ``None`` (``null`` in JSON), so
that no agreement silently disappears from a summary.

``counterpart_kind`` and ``counterpart_group`` are counted for one region R (``--region R``):
the kinds of R's other parties, and the groups a Bappeda reports by. They count agreements:
an agreement of R with two companies counts once under ``badan_usaha``. A party that is R
itself is never its own counterpart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kerjasama_cli.errors import UsageError
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import N_, _
from kerjasama_cli.labels import label, short_label
from kerjasama_cli.model import Record
from kerjasama_cli.status import StatusContext
from kerjasama_cli.vocab import CATEGORIES, DOCUMENTS, PARTY_KINDS, SECTOR_KEYS, STATUSES

BY_FIELDS: tuple[str, ...] = (
    "year",
    "document",
    "category",
    "status",
    "sector",
    "region",
    "province",
    "party_kind",
    "counterpart_kind",
    "counterpart_group",
)
REGION_FIELDS = ("region", "province")
COUNTERPART_FIELDS = ("counterpart_kind", "counterpart_group")
# several groups per record
MULTI_VALUED = ("sector", "region", "province", "party_kind", *COUNTERPART_FIELDS)

# party_kind -> the group a Bappeda counts it under; every kind has one (tests check it).
COUNTERPART_GROUPS: dict[str, str] = {
    "provinsi": "pemerintah_daerah",
    "kabupaten": "pemerintah_daerah",
    "kota": "pemerintah_daerah",
    "kementerian_lembaga": "kementerian_lembaga",
    "ptn": "perguruan_tinggi",
    "pts": "perguruan_tinggi",
    "bumn": "badan_usaha",
    "bumd": "badan_usaha",
    "bums": "badan_usaha",
    "pemda_luar_negeri": "luar_negeri",
    "lembaga_luar_negeri": "luar_negeri",
    "ormas": "lainnya",
    "perseorangan": "lainnya",
}
GROUP_ORDER: tuple[str, ...] = tuple(dict.fromkeys(COUNTERPART_GROUPS.values()))

Key = int | str | None

_VOCAB_ORDER: dict[str, tuple[str, ...]] = {
    "document": DOCUMENTS,
    "category": CATEGORIES,
    "status": STATUSES,
    "sector": SECTOR_KEYS,
    "party_kind": PARTY_KINDS,
    "counterpart_kind": PARTY_KINDS,
    "counterpart_group": GROUP_ORDER,
}


def parse_by(values: Iterable[str]) -> tuple[str, ...]:
    """``--by`` values (comma-separated, repeatable) as field names; UsageError when unknown."""
    expected = ", ".join(BY_FIELDS)
    fields: list[str] = []
    for raw in values:
        for part in raw.split(","):
            name = part.strip().casefold().replace("-", "_")
            if not name:
                continue
            if name not in BY_FIELDS:
                close = difflib.get_close_matches(name, BY_FIELDS, n=1)
                if close:
                    message = _(
                        "--by: unknown field {field!r}; did you mean {close!r}? "
                        "(expected one or more of {expected})"
                    )
                else:
                    message = _(
                        "--by: unknown field {field!r} (expected one or more of {expected})"
                    )
                raise UsageError(
                    message.format(
                        field=part.strip(), close=close[0] if close else "", expected=expected
                    )
                )
            if name in fields:
                raise UsageError(_("--by: field {field!r} given twice").format(field=name))
            fields.append(name)
    if not fields:
        raise UsageError(_("--by: expected one or more of {expected}").format(expected=expected))
    return tuple(fields)


def counterpart_kinds(record: Record, region: str) -> list[str]:
    """The kinds of ``record``'s parties other than ``region`` itself, each once, in order."""
    kinds = [p.party_kind for p in record.parties if p.region is None or p.region != region]
    return list(dict.fromkeys(kinds))


def group_keys(
    record: Record, field: str, ctx: StatusContext, counterpart_of: str | None = None
) -> list[Key]:
    """The groups ``record`` falls into for ``field``, each once, in a stable order.

    ``counterpart_of`` is the region code R of the counterpart fields.
    """
    values: list[Key]
    if field == "year":
        values = [record.signed_on.year if record.signed_on else None]
    elif field == "document":
        values = [record.document]
    elif field == "category":
        values = [record.effective_category]
    elif field == "status":
        values = [ctx.status(record)]
    elif field == "sector":
        values = list(record.sectors)
    elif field == "region":
        values = list(record.region_codes)
    elif field == "province":
        by_code = load_gazetteer().by_code
        values = [by_code[code].province for code in record.region_codes]
    elif field == "party_kind":
        values = [party.party_kind for party in record.parties]
    elif field in COUNTERPART_FIELDS:
        if counterpart_of is None:
            raise ValueError(f"{field} needs the region whose counterparts are counted")
        kinds = counterpart_kinds(record, counterpart_of)
        values = list(
            kinds if field == "counterpart_kind" else (COUNTERPART_GROUPS[k] for k in kinds)
        )
    else:
        raise ValueError(f"unknown summary field {field!r}")
    unique = list(dict.fromkeys(values))
    return unique or [None]


def sort_key(field: str, key: Key) -> tuple[int, Any]:
    """Natural order of a group: years ascending, vocabularies in their order, codes by number.

    ``None`` (no value) always comes last.
    """
    if key is None:
        return (1, ())
    if field == "year":
        return (0, key)
    if field in REGION_FIELDS:
        return (0, tuple(int(p) for p in str(key).split(".")))
    order = _VOCAB_ORDER[field]
    return (0, order.index(str(key)) if key in order else len(order))


def key_name(field: str, key: Key) -> str | None:
    """The name that goes with a region or province code (``<field>_name`` in JSON)."""
    if field not in REGION_FIELDS or key is None:
        return None
    region = load_gazetteer().get(str(key))
    return region.name if region else None


NO_VALUE = {
    "year": N_("(unsigned)"),
    "region": N_("(no region)"),
    "province": N_("(no region)"),
    "counterpart_kind": N_("(no other party)"),
    "counterpart_group": N_("(no other party)"),
}


def key_label(field: str, key: Key, *, short: bool = False) -> str:
    """How a group is shown to a person: "2024", "Prov. Jawa Barat", "Akan berakhir",
    "(unsigned)"; ``short`` for a narrow place such as a cross-tab's column ("KB", "KSDD")."""
    if key is None:
        return _(NO_VALUE.get(field, N_("(none)")))
    if field in REGION_FIELDS:
        region = load_gazetteer().get(str(key))
        return region.display_name if region else str(key)
    if field == "year":
        return str(key)
    return short_label(field, str(key)) if short else label(field, str(key))


@dataclass(frozen=True, slots=True)
class Group:
    """One row of a summary: the group's key for each field, and how many agreements are in it."""

    keys: tuple[Key, ...]
    count: int


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of agreements per group of one or more fields (``summarise --by``)."""

    as_of: dt.date
    by: tuple[str, ...]
    total: int
    rows: tuple[Group, ...]
    counterpart_of: str | None = None  # the region R of the counterpart fields

    def row_dict(self, row: Group) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, key in zip(self.by, row.keys, strict=True):
            out[field] = key
            if field in REGION_FIELDS:
                out[f"{field}_name"] = key_name(field, key)
        out["count"] = row.count
        return out

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of cli.md: ``{"as_of", "total", "by", "rows"}``."""
        out: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "by": list(self.by),
        }
        if self.counterpart_of is not None:
            region = load_gazetteer().by_code[self.counterpart_of]
            out["counterparts_of"] = {"code": region.code, "name": region.name}
        out["rows"] = [self.row_dict(row) for row in self.rows]
        return out


def summarise_by(
    records: Sequence[Record],
    by: Sequence[str],
    ctx: StatusContext,
    counterpart_of: str | None = None,
) -> Summary:
    """Count ``records`` per combination of the groups of ``by``; each record once per group.

    ``counterpart_of`` is the region R of ``counterpart_kind``/``counterpart_group``.
    """
    counts: Counter[tuple[Key, ...]] = Counter()
    for record in records:
        per_field = [group_keys(record, field, ctx, counterpart_of) for field in by]
        counts.update(itertools.product(*per_field))
    ordered = sorted(
        counts.items(),
        key=lambda item: tuple(sort_key(f, k) for f, k in zip(by, item[0], strict=True)),
    )
    rows = tuple(Group(keys, count) for keys, count in ordered)
    return Summary(ctx.as_of, tuple(by), len(records), rows, counterpart_of)


@dataclass(frozen=True, slots=True)
class CrossTab:
    """Two fields as rows x columns, with margins counted as agreements, not as sums of cells.

    With a multi-valued field a record sits in several cells of its row, so a row's total is
    the number of agreements in that row, which can be less than the sum of its cells.
    """

    row_field: str
    col_field: str
    row_keys: tuple[Key, ...]
    col_keys: tuple[Key, ...]
    cells: dict[tuple[Key, Key], int]
    row_totals: dict[Key, int]
    col_totals: dict[Key, int]
    total: int

    def cell(self, row: Key, col: Key) -> int:
        return self.cells.get((row, col), 0)


def cross_tab(
    records: Sequence[Record],
    row_field: str,
    col_field: str,
    ctx: StatusContext,
    counterpart_of: str | None = None,
) -> CrossTab:
    """The cross-tab of two fields with agreement-counted margins."""
    cells: Counter[tuple[Key, Key]] = Counter()
    row_totals: Counter[Key] = Counter()
    col_totals: Counter[Key] = Counter()
    for record in records:
        rows = group_keys(record, row_field, ctx, counterpart_of)
        cols = group_keys(record, col_field, ctx, counterpart_of)
        row_totals.update(rows)
        col_totals.update(cols)
        cells.update(itertools.product(rows, cols))
    return CrossTab(
        row_field,
        col_field,
        tuple(sorted(row_totals, key=lambda k: sort_key(row_field, k))),
        tuple(sorted(col_totals, key=lambda k: sort_key(col_field, k))),
        dict(cells),
        dict(row_totals),
        dict(col_totals),
        len(records),
    )
