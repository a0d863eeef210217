"""A spreadsheet row back into record data, remembering which column each key came from.

The row's cells (CSV text, or XLSX values: text, numbers, dates, booleans) become the dict that
a record file would hold; the model and the rules then check it as they check files, and each
problem's key path is mapped back to the column it came from (``parties[1].region`` ->
``party_2``). Problems found while reading a cell (a code that the spreadsheet turned into a
number, a yes/no that is neither) are reported here, and the model's complaint about the same
key is suppressed, so that each mistake is reported once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerjasama_cli.exchange.layout import COMPUTED, GROUP_RE, PARTY_FIELDS
from kerjasama_cli.exchange.rows import (
    ParsedRow,
    cell_key,
    cell_lines,
    cell_text,
    cell_tokens,
    unreadable_cell,
)
from kerjasama_cli.findings import Loc
from kerjasama_cli.gazetteer import Region, load_gazetteer, normalize_name
from kerjasama_cli.i18n import _
from kerjasama_cli.vocab import DOCUMENT_WORDS, REGIONAL_KINDS

_TRUE = {"yes", "y", "true", "ya", "1", "benar"}
_FALSE = {"no", "n", "false", "tidak", "0", "salah"}


def names_region(name: str, region: Region) -> bool:
    """Whether ``name`` is a way of writing ``region`` (its names, or what resolves to it)."""
    key = normalize_name(name)
    if key in {normalize_name(n) for n in (region.name, region.official_name, region.display_name)}:
        return True
    return load_gazetteer().resolve(name).region == region


class _RowReader:
    def __init__(self, row: int, cells: dict[str, Any]) -> None:
        self.cells = cells
        self.out = ParsedRow(row)

    def text(self, column: str) -> str | None:
        return cell_text(self.cells.get(column))

    def code(self, column: str, loc: Loc) -> str | None:
        """A region code cell; a number (16.1 for 16.10) is reported, not guessed."""
        raw = self.cells.get(column)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            self.out.problem(
                column,
                "KS206",
                _(
                    "expected a region code as text; found the number {raw} (the spreadsheet "
                    "read the code as a number and may have dropped a zero: format the column "
                    "as Text and write it again, e.g. 16.10)"
                ).format(raw=raw),
            )
            self.out.suppressed.add(loc)
            return str(raw)
        return cell_text(raw)

    def put(self, key: str, value: Any, column: str | None = None) -> None:
        self.out.columns[(key,)] = column or key
        if value not in (None, []):
            self.out.data[key] = value

    def simple(self) -> None:
        for key in (
            "id",
            "title",
            "signed_on",
            "signed_at",
            "starts_on",
            "ends_on",
            "parent",
            "notes",
        ):
            self.put(key, self.text(key))
        for key in ("document", "category", "obligation", "stage"):
            value = cell_key(self.text(key))
            if key == "document" and value in DOCUMENT_WORDS:
                value = DOCUMENT_WORDS[value]
            self.put(key, value)
        sectors = self.cells.get("sectors")
        if isinstance(sectors, float):
            sectors = f"{sectors:.2f}"  # a code such as 2.10 that the spreadsheet read as 2.1
        self.put("sectors", cell_tokens(cell_text(sectors)))
        for key in ("supersedes", "related", "tags"):
            self.put(key, cell_tokens(self.text(key)))
        self.put("funding", [cell_key(t) for t in cell_tokens(self.text("funding"))])
        for key in ("scope", "units"):
            self.put(key, cell_lines(self.text(key)))

    def ended(self) -> None:
        on, reason = self.text("ended_on"), cell_key(self.text("ended_reason"))
        self.out.columns[("ended",)] = "ended_on"
        self.out.columns[("ended", "on")] = "ended_on"
        self.out.columns[("ended", "reason")] = "ended_reason"
        if on or reason:
            self.out.data["ended"] = {k: v for k, v in (("on", on), ("reason", reason)) if v}

    def dprd(self) -> None:
        raw = self.cells.get("dprd_required")
        number, on = self.text("dprd_number"), self.text("dprd_on")
        for key, column in (
            ((), "dprd_required"),
            (("required",), "dprd_required"),
            (("number",), "dprd_number"),
            (("on",), "dprd_on"),
        ):
            self.out.columns[("dprd_approval", *key)] = column
        text = cell_text(raw)
        if not (text or number or on):
            return
        approval: dict[str, Any] = {k: v for k, v in (("number", number), ("on", on)) if v}
        if text is not None:
            word = text.casefold()
            if word in _TRUE | _FALSE:
                approval["required"] = word in _TRUE
            else:
                self.out.problem(
                    "dprd_required",
                    "KS206",
                    _("expected yes or no (ya/tidak, true/false); found {text!r}").format(
                        text=text
                    ),
                )
                self.out.suppressed.add(("dprd_approval",))
        self.out.data["dprd_approval"] = approval

    def groups(self, group: str) -> list[int]:
        numbers = set()
        for column in self.cells:
            match = GROUP_RE.match(column)
            if match and match.group(1) == group:
                numbers.add(int(match.group(2)))
        return sorted(numbers)

    def parties(self) -> None:
        parties: list[dict[str, Any]] = []
        origin: list[int] = []  # the party_N number of each party
        for n in self.groups("party"):
            cells = {s: self.cells.get(f"party_{n}{s}") for s in PARTY_FIELDS}
            if all(cell_text(v) is None for v in cells.values()):
                continue
            party = self.party(n, len(parties))
            if party is not None:
                parties.append(party)
                origin.append(n)
        first = f"party_{origin[0]}" if origin else "party_1"
        if not parties:
            parties = self.parties_from_summary()
            first = "parties" if "parties" in self.cells else "party_codes"
        else:
            self.check_summary(parties, origin)
        self.out.columns[("parties",)] = first
        self.put("parties", parties, first)

    def party(self, n: int, i: int) -> dict[str, Any] | None:
        column: Callable[[str], str] = lambda suffix: f"party_{n}{suffix}"  # noqa: E731
        loc: Loc = ("parties", i)
        for suffix, key in (
            ("", ()),
            ("", ("name",)),
            ("_kind", ("kind",)),
            ("_country", ("country",)),
            ("_signatory", ("signatory",)),
            ("_signatory", ("signatory", "name")),
            ("_position", ("signatory", "position")),
            ("_number", ("number",)),
        ):
            self.out.columns[(*loc, *key)] = column(suffix)
        name = self.text(column(""))
        code = self.code(column("_code"), (*loc, "region"))
        kind = cell_key(self.text(column("_kind")))
        party: dict[str, Any] = {}
        if kind and kind not in REGIONAL_KINDS:
            if code:
                self.out.problem(
                    column("_code"),
                    "KS210",
                    _(
                        "party_{n}_kind {kind!r} is not a region, so party_{n}_code must be "
                        "empty (or give party_{n}_kind provinsi, kabupaten or kota)"
                    ).format(n=n, kind=kind),
                )
                self.out.suppressed.add(loc)
            party |= {"name": name, "kind": kind} if name else {"kind": kind}
            if not name:
                self.out.problem(
                    column(""),
                    "KS200",
                    _("party_{n} is empty; an organisation needs its name").format(n=n),
                )
                self.out.suppressed.add(loc)
        elif code or name:
            party["region"] = self.region(n, loc, name, code, kind)
        else:
            self.out.problem(
                column(""),
                "KS200",
                _(
                    "party_{n} is empty but other party_{n} columns are not; give the region "
                    "(name or code) or the organisation's name with party_{n}_kind"
                ).format(n=n),
            )
            return None
        country = self.text(column("_country"))
        if country:
            party["country"] = country
        signatory = {
            k: v
            for k, v in (
                ("name", self.text(column("_signatory"))),
                ("position", self.text(column("_position"))),
            )
            if v
        }
        if signatory:
            party["signatory"] = signatory
        number = self.text(column("_number"))
        if number:
            party["number"] = number
        return party

    def region(self, n: int, loc: Loc, name: str | None, code: str | None, kind: str | None) -> str:
        gazetteer = load_gazetteer()
        column = f"party_{n}_code" if code else f"party_{n}"
        self.out.columns[(*loc, "region")] = column
        if code:
            region = gazetteer.resolve(code).region
            if region and name and not names_region(name, region):
                self.out.problem(
                    f"party_{n}",
                    "KS201",
                    _(
                        "party_{n} {name!r} is not {region}, the region of party_{n}_code "
                        "{code}; correct one of them (or leave party_{n} empty)"
                    ).format(n=n, name=name, region=region.display_name, code=code),
                )
        else:
            assert name is not None
            resolution = gazetteer.resolve(name)
            region = resolution.region
            if region is None and kind and resolution.ambiguous:
                # "Bekasi" with party_N_kind kota is Kota Bekasi.
                hinted = [r for r in resolution.matches if r.kind == kind]
                region = hinted[0] if len(hinted) == 1 else None
        if region and kind and region.kind != kind:
            self.out.problem(
                f"party_{n}_kind",
                "KS210",
                _("{region} ({code}) is a {kind}, but party_{n}_kind says {given}").format(
                    region=region.official_name, code=region.code, kind=region.kind, n=n, given=kind
                ),
            )
        return region.code if region else (code or name or "")

    def parties_from_summary(self) -> list[dict[str, Any]]:
        """Parties from the computed columns, for sheets that have no party_N columns."""
        codes = cell_tokens(self.text("party_codes"))
        names = [
            n for line in cell_lines(self.text("parties")) for n in line.split(";") if n.strip()
        ]
        column = "party_codes" if codes else "parties"
        values = codes or [n.strip() for n in names]
        for i in range(len(values)):
            self.out.columns[("parties", i)] = column
        if codes and names:
            self.compare_names(names, [{"region": c} for c in codes])
        return [{"region": v} for v in values]

    def check_summary(self, parties: list[dict[str, Any]], origin: list[int]) -> None:
        """The computed parties/party_codes cells, when filled in, agree with the party_N columns."""
        gazetteer = load_gazetteer()
        listed = ", ".join(f"party_{n}" for n in origin)
        codes = cell_tokens(self.text("party_codes"))
        regions = [p.get("region") for p in parties if "region" in p]
        if codes and all(gazetteer.get(str(r)) for r in regions) and codes != regions:
            self.out.problem(
                "party_codes",
                "KS201",
                _(
                    "party_codes ({codes}) does not match {listed} ({regions}); party_codes is "
                    "computed on export: change the party columns, or clear it"
                ).format(codes=" ".join(codes), listed=listed, regions=" ".join(map(str, regions))),
            )
        names = [
            n.strip()
            for line in cell_lines(self.text("parties"))
            for n in line.split(";")
            if n.strip()
        ]
        if names:
            self.compare_names(names, parties, listed)

    def compare_names(
        self, names: list[str], parties: list[dict[str, Any]], listed: str = "party_codes"
    ) -> None:
        gazetteer = load_gazetteer()
        agree = len(names) == len(parties)
        for name, party in zip(names, parties, strict=False):
            region = gazetteer.get(str(party.get("region")))
            if region is not None:
                agree = agree and names_region(name, region)
            elif "region" not in party:
                agree = agree and normalize_name(name) == normalize_name(str(party.get("name")))
        if not agree:
            self.out.problem(
                "parties",
                "KS201",
                _(
                    "parties does not match {listed}; parties is computed on export: change the "
                    "party columns, or clear it"
                ).format(listed=listed),
            )

    def numbered(self, group: str, key: str, fields: tuple[str, ...]) -> None:
        items: list[dict[str, Any]] = []
        for n in self.groups(group):
            values: dict[str, Any] = {f: self.text(f"{group}_{n}_{f}") for f in fields}
            if all(v is None for v in values.values()):
                continue
            i = len(items)
            self.out.columns[(key, i)] = f"{group}_{n}_{fields[0]}"
            for f in fields:
                self.out.columns[(key, i, f)] = f"{group}_{n}_{f}"
            if "evidence" in values:
                values["evidence"] = cell_lines(values["evidence"])
            score = values.get("score")
            if score is not None and score.isascii() and score.isdigit():
                values["score"] = int(score)  # else the model says what is expected
            items.append({f: v for f, v in values.items() if v not in (None, "", [])})
        self.put(key, items, f"{group}_1_{fields[0]}")


# Columns export writes for reading and import never reads (``parties`` and ``party_codes``
# are read when a row has no party_N columns).
_NEVER_READ = frozenset(COMPUTED) - {"parties", "party_codes"}


def parse_row(
    row: int,
    cells: dict[str, Any],
    office: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
) -> ParsedRow:
    """Record data from one row's cells (column name to raw value).

    ``office``: the sheet's own columns and the key each holds (office.py), read after the
    layout's; ``settings``: the values of ``--set``, for rows that do not give them.
    """
    unreadable = {
        c: why
        for c, v in cells.items()
        if c not in _NEVER_READ and (why := unreadable_cell(v)) is not None
    }
    if unreadable:  # reported once, at the cell; the rest of the row is read without it
        cells = {c: v for c, v in cells.items() if c not in unreadable}
    builder = _RowReader(row, cells)
    for column, why in unreadable.items():
        builder.out.problem(column, "KS206", why)
        # Not "empty; it is required" as well: the key is suppressed, as for any cell's problem.
        builder.out.suppressed.add(((office or {}).get(column, column),))
    builder.simple()
    builder.ended()
    builder.dprd()
    builder.parties()
    builder.numbered("source", "sources", ("url", "title", "publisher", "published_on"))
    builder.numbered("activity", "activities", ("on", "summary", "evidence"))
    builder.numbered("evaluation", "evaluations", ("on", "summary", "recommendation", "score"))
    if office or settings:
        from kerjasama_cli.exchange.office import OfficeReader

        OfficeReader(builder.out, cells, office or {}).read(settings or {})
    return builder.out
