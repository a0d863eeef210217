"""The spreadsheet layout of the registry: one row per agreement, columns in a fixed order.

CSV and XLSX share it, export writes it and import reads it back (parse.py), so that an
exported sheet round-trips. Lists go one item per line inside a cell; numbered column groups
(``party_1``, ``party_1_code``, ..., ``source_1_url``, ..., ``activity_1_on``, ...,
``evaluation_1_on``, ...) carry the parties, sources, activities and evaluations. Computed
columns are written for reading and filtering.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence

from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.model import Record
from kerjasama_cli.status import StatusContext

Cell = str | dt.date | None

# Written by export for reading and filtering; import does not take them as record data
# (parties/party_codes are read only when a row has no party_N columns, see parse.py).
COMPUTED: tuple[str, ...] = ("status", "effective_category", "parties", "party_codes")

HEAD: tuple[str, ...] = (
    "id",
    "title",
    "document",
    "status",
    "parties",
    "party_codes",
    "sectors",
    "signed_on",
    "starts_on",
    "ends_on",
    "category",
    "effective_category",
    "obligation",
    "stage",
    "signed_at",
    "ended_on",
    "ended_reason",
    "parent",
    "supersedes",
    "related",
    "scope",
    "units",
    "funding",
    "dprd_required",
    "dprd_number",
    "dprd_on",
    "tags",
    "notes",
)

PARTY_FIELDS: tuple[str, ...] = (
    "",
    "_code",
    "_kind",
    "_country",
    "_signatory",
    "_position",
    "_number",
)
SOURCE_FIELDS: tuple[str, ...] = ("_url", "_title", "_publisher", "_published_on")
ACTIVITY_FIELDS: tuple[str, ...] = ("_on", "_summary", "_evidence")
EVALUATION_FIELDS: tuple[str, ...] = ("_on", "_summary", "_recommendation", "_score")
GROUPS: dict[str, tuple[str, ...]] = {
    "party": PARTY_FIELDS,
    "source": SOURCE_FIELDS,
    "activity": ACTIVITY_FIELDS,
    "evaluation": EVALUATION_FIELDS,
}
GROUP_RE = re.compile(r"^(party|source|activity|evaluation)_(\d{1,3})(_[a-z_]+)?$")


def group_columns(group: str, number: int) -> list[str]:
    return list(_group_columns(group, number))


@functools.cache
def _group_columns(group: str, number: int) -> tuple[str, ...]:
    """Made once per group and number: export asks for them for every row."""
    return tuple(f"{group}_{number}{suffix}" for suffix in GROUPS[group])


def is_known_column(column: str) -> bool:
    """A column of the layout (any group number)."""
    if column in HEAD:
        return True
    match = GROUP_RE.match(column)
    if match is None:
        return False
    return int(match.group(2)) >= 1 and (match.group(3) or "") in GROUPS[match.group(1)]


def header_for(records: Sequence[Record]) -> list[str]:
    """The columns for these records: as many party, source, activity and evaluation groups as
    the largest needs (at least 2, 1, 1 and none: evaluation columns appear only in an export
    of a record that has one, so that an export made before evaluations existed is unchanged)."""
    parties = max([2, *(len(r.parties) for r in records)])
    sources = max([1, *(len(r.sources or []) for r in records)])
    activities = max([1, *(len(r.activities or []) for r in records)])
    evaluations = max([0, *(len(r.evaluations or []) for r in records)])
    return header_of(parties, sources, activities, evaluations)


def header_of(parties: int, sources: int, activities: int, evaluations: int = 0) -> list[str]:
    """The columns for this many party, source, activity and evaluation groups."""
    columns = list(HEAD)
    for group, count in (
        ("party", parties),
        ("source", sources),
        ("activity", activities),
        ("evaluation", evaluations),
    ):
        for number in range(1, count + 1):
            columns += group_columns(group, number)
    return columns


def lines(
    items: Iterable[str] | None, lossy: list[str] | None = None, where: str = ""
) -> str | None:
    """Items one per line in a cell; a line break inside an item becomes a space (and is noted)."""
    out: list[str] = []
    for item in items or []:
        if "\n" in item or "\r" in item:
            if lossy is not None:
                lossy.append(where)
            item = " ".join(item.split())
        out.append(item)
    return "\n".join(out) if out else None


def yes_no(value: bool | None) -> str | None:
    return None if value is None else "yes" if value else "no"


def record_row(
    record: Record, ctx: StatusContext, lossy: list[str] | None = None
) -> dict[str, Cell]:
    """One agreement as a row: column name to cell value (str, date or None for blank).

    ``lossy`` collects ``id: key`` for list items whose line breaks had to become spaces.
    """
    gazetteer = load_gazetteer()
    at = f"{record.id}: "
    row: dict[str, Cell] = {
        "id": record.id,
        "title": record.title,
        "document": record.document,
        "status": ctx.status(record),
        "parties": lines((p.label for p in record.parties), lossy, at + "parties"),
        "party_codes": lines(record.region_codes),
        "sectors": lines(record.sectors),
        "signed_on": record.signed_on,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "category": record.category,
        "effective_category": record.effective_category,
        "obligation": record.obligation,
        "stage": record.stage,
        "signed_at": record.signed_at,
        "ended_on": record.ended.on if record.ended else None,
        "ended_reason": record.ended.reason if record.ended else None,
        "parent": record.parent,
        "supersedes": lines(record.supersedes),
        "related": lines(record.related),
        "scope": lines(record.scope, lossy, at + "scope"),
        "units": lines(record.units, lossy, at + "units"),
        "funding": lines(record.funding),
        "dprd_required": yes_no(record.dprd_approval.required) if record.dprd_approval else None,
        "dprd_number": record.dprd_approval.number if record.dprd_approval else None,
        "dprd_on": record.dprd_approval.on if record.dprd_approval else None,
        "tags": lines(record.tags),
        "notes": record.notes,
    }
    for number, party in enumerate(record.parties, 1):
        region = gazetteer.by_code[party.region] if party.region is not None else None
        values: list[Cell] = [
            region.display_name if region else party.name,
            party.region,
            party.party_kind,
            party.country,
            party.signatory.name if party.signatory else None,
            party.signatory.position if party.signatory else None,
            party.number,
        ]
        row.update(zip(_group_columns("party", number), values, strict=True))
    for number, source in enumerate(record.sources or [], 1):
        values = [source.url, source.title, source.publisher, source.published_on]
        row.update(zip(_group_columns("source", number), values, strict=True))
    for number, activity in enumerate(record.activities or [], 1):
        evidence = lines(activity.evidence, lossy, f"{at}activities[{number}].evidence")
        values = [activity.on, activity.summary, evidence]
        row.update(zip(_group_columns("activity", number), values, strict=True))
    for number, evaluation in enumerate(record.evaluations or [], 1):
        score = None if evaluation.score is None else str(evaluation.score)
        values = [evaluation.on, evaluation.summary, evaluation.recommendation, score]
        row.update(zip(_group_columns("evaluation", number), values, strict=True))
    return row


PARTY_SHEET_HEADER: tuple[str, ...] = (
    "agreement_id",
    "agreement_title",
    "document",
    "status",
    "signed_on",
    "position",
    "party",
    "code",
    "kind",
    "province",
    "province_name",
    "country",
    "signatory",
    "signatory_position",
    "number",
)


def party_rows(record: Record, ctx: StatusContext) -> list[list[Cell | int]]:
    """One row per party of the agreement, for the parties sheet of the workbook."""
    gazetteer = load_gazetteer()
    status = ctx.status(record)
    out: list[list[Cell | int]] = []
    for position, party in enumerate(record.parties, 1):
        region = gazetteer.by_code[party.region] if party.region is not None else None
        province = gazetteer.province_of(region) if region else None
        out.append(
            [
                record.id,
                record.title,
                record.document,
                status,
                record.signed_on,
                position,
                party.label,
                party.region,
                party.party_kind,
                province.code if province else None,
                province.display_name if province else None,
                party.country,
                party.signatory.name if party.signatory else None,
                party.signatory.position if party.signatory else None,
                party.number,
            ]
        )
    return out
