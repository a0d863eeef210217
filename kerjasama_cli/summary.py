"""Pure aggregation for `summarise --by`: counts of agreements per group, and cross-tabs.

Counting rule (cli.md): a record counts once in each group it falls into. A field with several
values on one record (``sector``, ``region``, ``province``, ``party_kind``) puts the record in
each of them once, so row counts may add up to more than ``total``, which is always the number
of agreements. A record with no value for a field (an unsigned record has no ``year``, a record
without a regional party has no ``region``) falls in the group ``None`` (``null`` in JSON), so
that no agreement silently disappears from a summary.
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
from kerjasama_cli.light import ReadRecord
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
)
REGION_FIELDS = ("region", "province")
MULTI_VALUED = ("sector", "region", "province", "party_kind")  # several groups per record

Key = int | str | None

_VOCAB_ORDER: dict[str, tuple[str, ...]] = {
    "document": DOCUMENTS,
    "category": CATEGORIES,
    "status": STATUSES,
    "sector": SECTOR_KEYS,
    "party_kind": PARTY_KINDS,
}


def parse_by(values: Iterable[str]) -> tuple[str, ...]:
    """``--by`` values (comma-separated, repeatable) as field names; UsageError when unknown."""
    fields: list[str] = []
    for raw in values:
        for part in raw.split(","):
            name = part.strip().casefold().replace("-", "_")
            if not name:
                continue
            if name not in BY_FIELDS:
                close = difflib.get_close_matches(name, BY_FIELDS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise UsageError(
                    f"--by: unknown field {part.strip()!r}{hint} "
                    f"(expected one or more of {', '.join(BY_FIELDS)})"
                )
            if name in fields:
                raise UsageError(f"--by: field {name!r} given twice")
            fields.append(name)
    if not fields:
        raise UsageError(f"--by: expected one or more of {', '.join(BY_FIELDS)}")
    return tuple(fields)


def group_keys(record: ReadRecord, field: str, ctx: StatusContext) -> list[Key]:
    """The groups ``record`` falls into for ``field``, each once, in a stable order."""
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


def key_label(field: str, key: Key) -> str:
    """How a group is shown to a person: "2024", "Prov. Jawa Barat", "(unsigned)"."""
    if key is None:
        return {"year": "(unsigned)", "region": "(no region)", "province": "(no region)"}.get(
            field, "(none)"
        )
    if field in REGION_FIELDS:
        region = load_gazetteer().get(str(key))
        return region.display_name if region else str(key)
    return str(key)


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
        return {
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "by": list(self.by),
            "rows": [self.row_dict(row) for row in self.rows],
        }


def summarise_by(records: Sequence[ReadRecord], by: Sequence[str], ctx: StatusContext) -> Summary:
    """Count ``records`` per combination of the groups of ``by``; each record once per group."""
    counts: Counter[tuple[Key, ...]] = Counter()
    for record in records:
        per_field = [group_keys(record, field, ctx) for field in by]
        counts.update(itertools.product(*per_field))
    ordered = sorted(
        counts.items(),
        key=lambda item: tuple(sort_key(f, k) for f, k in zip(by, item[0], strict=True)),
    )
    rows = tuple(Group(keys, count) for keys, count in ordered)
    return Summary(ctx.as_of, tuple(by), len(records), rows)


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
    records: Sequence[ReadRecord], row_field: str, col_field: str, ctx: StatusContext
) -> CrossTab:
    """The cross-tab of two fields with agreement-counted margins."""
    cells: Counter[tuple[Key, Key]] = Counter()
    row_totals: Counter[Key] = Counter()
    col_totals: Counter[Key] = Counter()
    for record in records:
        rows = group_keys(record, row_field, ctx)
        cols = group_keys(record, col_field, ctx)
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
