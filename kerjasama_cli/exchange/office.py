"""An office's own sheet: the headers people write, and a row's cells read as record data.

Headers are recognised ignoring case, spaces and punctuation (``OFFICE_HEADERS``; the README
lists them); a header naming two things ("Tentang/Judul") is recognised by either part.
``--columns "HEADER=key"`` names any other. Each recognised column holds one *key*: a record
key (``title``, ``signed_on``, ...), ``parties`` (every party column adds its parties in
order), ``duration`` (gives ``ends_on``), ``number`` / ``number_2`` (the first / second
party's number), or ``ignore``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from kerjasama_cli.errors import UsageError
from kerjasama_cli.exchange.reading import (
    Duration,
    Problem,
    read_date,
    read_document,
    read_duration,
    read_party_cell,
    read_sectors,
    split_items,
    year_candidates,
)
from kerjasama_cli.exchange.rows import ParsedRow, cell_key, cell_lines, cell_text, cell_tokens
from kerjasama_cli.gazetteer import normalize_name
from kerjasama_cli.i18n import _

_HEADERS: dict[str, tuple[str, ...]] = {
    "ignore": (
        "No", "No.", "Nomor Urut", "No Urut", "Nr", "problems", "masalah", "Status",
    ),
    "number": (
        "Nomor", "Nomor Naskah", "Nomor Dokumen", "Nomor Kesepakatan", "Nomor Perjanjian",
        "Nomor Pihak Pertama", "Nomor Pihak I", "Nomor Pihak 1", "Number", "Document Number",
    ),
    "number_2": ("Nomor Pihak Kedua", "Nomor Pihak II", "Nomor Pihak 2"),
    "document": (
        "Jenis Dokumen", "Jenis", "Jenis Naskah", "Jenis Kerja Sama", "Jenis Kerjasama",
        "Bentuk Kerja Sama", "Bentuk Kerjasama", "Bentuk", "Document", "Document Type", "Type",
    ),
    "title": (
        "Tentang", "Judul", "Perihal", "Hal", "Nama Kerja Sama", "Judul Kerja Sama",
        "Judul Naskah", "Title", "Subject", "About",
    ),
    "parties": (
        "Pihak Pertama", "Pihak I", "Pihak 1", "Pihak Kedua", "Pihak II", "Pihak 2",
        "Pihak Ketiga", "Pihak III", "Pihak 3", "Pihak Lain", "Para Pihak", "Pihak", "Mitra",
        "Mitra Kerja Sama", "Mitra Kerjasama", "Nama Mitra", "Party", "First Party",
        "Second Party", "Third Party", "Partner", "Partners",
    ),
    "signed_on": (
        "Tanggal", "Tanggal Penandatanganan", "Tgl Penandatanganan", "Tanggal Tanda Tangan",
        "Tanggal TTD", "Tgl TTD", "Tgl Tanda Tangan", "Tgl", "Tanggal Kesepakatan", "Date",
        "Date Signed", "Signing Date",
    ),
    "starts_on": ("Tanggal Mulai", "Mulai", "Mulai Berlaku", "Start", "Start Date"),
    "ends_on": (
        "Tanggal Berakhir", "Berakhir", "Tanggal Selesai", "Berlaku Sampai", "End", "End Date",
        "Expiry", "Expires",
    ),
    "duration": (
        "Jangka Waktu", "Masa Berlaku", "Durasi", "Lama Kerja Sama", "Duration", "Term",
    ),
    "signed_at": (
        "Tempat", "Lokasi", "Tempat Penandatanganan", "Place", "Location", "Signed At",
    ),
    "sectors": ("Bidang", "Urusan", "Bidang Kerja Sama", "Bidang Urusan", "Sektor", "Sector"),
    "scope": ("Ruang Lingkup", "Lingkup", "Scope"),
    "notes": ("Keterangan", "Ket", "Ket.", "Catatan", "Notes", "Remarks", "Note"),
    "sources": ("Sumber", "Sumber Berita", "Tautan", "Link", "URL", "Source", "Sources"),
    "units": ("Perangkat Daerah", "OPD", "Unit Kerja", "Pelaksana", "Unit", "Units"),
}  # fmt: skip

OFFICE_HEADERS: dict[str, str] = {
    normalize_name(header): key for key, headers in _HEADERS.items() for header in headers
}
OFFICE_KEYS: tuple[str, ...] = tuple(_HEADERS)


def closest_office_header(header: str) -> str | None:
    """The office header, as the README lists it, nearest to an unknown ``header``
    (``Tgl Tandatangan`` -> ``Tgl Tanda Tangan``), or None when none is near."""
    import difflib

    written = {normalize_name(h): h for key, hs in _HEADERS.items() if key != "ignore" for h in hs}
    close = difflib.get_close_matches(normalize_name(header), list(written), n=1, cutoff=0.75)
    return written[close[0]] if close else None


# What `--set KEY=VALUE` may fill on every row that does not give it.
SET_KEYS: tuple[str, ...] = (
    "document",
    "sectors",
    "category",
    "obligation",
    "stage",
    "signed_at",
    "notes",
    "tags",
    "units",
    "funding",
    "scope",
)


def header_lists() -> dict[str, tuple[str, ...]]:
    """The recognised headers for each key (the README's list)."""
    return dict(_HEADERS)


def office_key(header: str) -> str | None:
    """The key an office header holds: its whole text, else either part of ``A/B``."""
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in header):
        return None  # a header with control or bidi characters is reported, never read
    for part in [header, *re.split(r"\s*/\s*", header)]:
        key = OFFICE_HEADERS.get(normalize_name(part)) if normalize_name(part) else None
        if key is not None:
            return key
    return None


def parse_columns_option(text: str | None) -> dict[str, str]:
    """``--columns "Uraian=title,Penanda Tangan=ignore"``: header (normalised) to key."""
    from kerjasama_cli.exchange.layout import is_known_column

    out: dict[str, str] = {}
    if not text:
        return out
    for item in text.split(","):
        if not item.strip():
            continue
        header, sep, key = item.rpartition("=")
        key = key.strip()
        if not sep or not header.strip():
            raise UsageError(
                _("--columns: expected HEADER=key, found {item!r}").format(item=item.strip())
            )
        if key not in OFFICE_KEYS and not is_known_column(key):
            raise UsageError(
                _(
                    "--columns: {key!r} is not a key an import reads; use one of {keys} or a "
                    "column of export's layout"
                ).format(key=key, keys=", ".join(OFFICE_KEYS))
            )
        out[normalize_name(header)] = key
    return out


def parse_set_option(values: list[str] | None) -> dict[str, Any]:
    """``--set KEY=VALUE``: each value read as a cell of KEY would be; a bad one is a usage error."""
    out: dict[str, Any] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value:
            raise UsageError(_("--set: expected KEY=VALUE, found {item!r}").format(item=item))
        if key not in SET_KEYS:
            raise UsageError(
                _("--set: {key!r} cannot be set; use one of {keys}").format(
                    key=key, keys=", ".join(SET_KEYS)
                )
            )
        if key == "document":
            reading = read_document(value)
            if reading.problem is not None:
                raise UsageError(
                    _("--set document: {problem}").format(problem=reading.problem.message)
                )
            out[key] = reading.value
        elif key == "sectors":
            sectors, problems = read_sectors(value)
            if problems:
                raise UsageError(_("--set sectors: {problem}").format(problem=problems[0].message))
            out[key] = sectors
        elif key in ("category", "obligation", "stage"):
            out[key] = cell_key(value)
        elif key in ("tags", "funding"):
            out[key] = [cell_key(t) for t in cell_tokens(value)]
        elif key in ("units", "scope"):
            out[key] = split_items(value) if key == "units" else cell_lines(value)
        else:
            out[key] = value
    return out


_RECORD_KEYS = frozenset(
    {"title", "document", "parties", "signed_on", "starts_on", "ends_on", "signed_at"}
    | {"sectors", "scope", "notes", "sources", "units"}
)


class OfficeReader:
    """The office columns of one row into the row's record data (``ParsedRow``)."""

    def __init__(self, out: ParsedRow, cells: dict[str, Any], keys: dict[str, str]) -> None:
        self.out = out
        self.cells = cells
        self.keys = keys  # column name -> key, in the sheet's order

    def problem(self, column: str | None, problem: Problem, *suppress: str) -> None:
        self.out.problem(column, problem.rule, problem.message, problem.suggestions)
        for key in suppress:
            self.out.suppressed.add((key,))

    def columns(self, key: str) -> list[str]:
        return [c for c, k in self.keys.items() if k == key]

    def read(self, settings: dict[str, Any]) -> None:
        for column, key in self.keys.items():
            # A key's problems (an empty required cell) are placed at its first column.
            if (
                key in _RECORD_KEYS
                and key not in self.cells
                and self.out.columns.get((key,)) in (None, key)
            ):
                self.out.columns[(key,)] = column
        for key in ("title", "signed_at"):
            for column in self.columns(key):
                text = cell_text(self.cells.get(column))
                if text and key not in self.out.data:
                    self.out.data[key] = " ".join(text.split())
                    self.out.columns[(key,)] = column
        self.notes()
        self.document()
        self.dates()
        self.parties()
        self.numbers()
        self.duration()
        self.sectors()
        self.lists()
        self.sources()
        for key, value in settings.items():
            if key not in self.out.data:
                self.out.data[key] = value
        self.unsigned()

    def unsigned(self) -> None:
        """A row of a list with a date column but no date: signed, or a draft? Not guessed."""
        columns = self.columns("signed_on")
        if not columns or "signed_on" in self.out.data or ("signed_on",) in self.out.suppressed:
            return
        if "stage" in self.out.data:
            return  # a draft, said so (a stage column, or --set stage=...)
        self.out.problem(
            columns[0],
            "KS200",
            _(
                "{column} is empty; give the signing date (or, for an agreement not signed "
                "yet, its stage: --set stage=...)"
            ).format(column=columns[0]),
        )

    def notes(self) -> None:
        texts = [cell_text(self.cells.get(c)) for c in self.columns("notes")]
        joined = "\n".join(t for t in texts if t)
        if joined and "notes" not in self.out.data:
            self.out.data["notes"] = joined
            self.out.columns[("notes",)] = self.columns("notes")[0]

    def document(self) -> None:
        for column in self.columns("document"):
            text = cell_text(self.cells.get(column))
            if not text or "document" in self.out.data:
                continue
            self.out.columns[("document",)] = column
            reading = read_document(text)
            if reading.problem is not None:
                self.problem(column, reading.problem, "document")
            else:
                self.out.data["document"] = reading.value
                if reading.inferred:
                    self.out.inferred.append("document")

    def dates(self) -> None:
        for key in ("signed_on", "starts_on", "ends_on"):
            for column in self.columns(key):
                raw = self.cells.get(column)
                if cell_text(raw) is None or key in self.out.data:
                    continue
                self.out.columns[(key,)] = column
                reading = read_date(raw)
                if reading.problem is not None and reading.problem.no_year:
                    # The year the source's address gives, when the weekday agrees: a
                    # suggestion for the person who reviews the row, never written.
                    years = [int(y) for y in re.findall(r"/(20\d\d)/", self.source_text())]
                    found = year_candidates(raw, years)
                    if found:
                        reading.problem = Problem(
                            reading.problem.rule,
                            _(
                                "{problem} (the source's address and the weekday give {years})"
                            ).format(
                                problem=reading.problem.message,
                                years=_(" or ").join(found),
                            ),
                            found,
                        )
                if reading.problem is not None:
                    self.problem(column, reading.problem, key)
                elif reading.value is not None:
                    self.out.data[key] = reading.value.isoformat()
                    if reading.inferred:
                        self.out.inferred.append(key)

    def source_text(self) -> str:
        return " ".join(cell_text(self.cells.get(c)) or "" for c in self.columns("sources"))

    def parties(self) -> None:
        parties: list[dict[str, Any]] = list(self.out.data.get("parties") or [])
        failed = False
        for column in self.columns("parties"):
            text = cell_text(self.cells.get(column))
            if not text:
                continue
            if ("parties",) not in self.out.columns or not parties:
                self.out.columns[("parties",)] = column
            for reading in read_party_cell(text):
                if reading.problem is not None or reading.party is None:
                    failed = True
                    if reading.problem is not None:
                        self.problem(column, reading.problem)
                    continue
                i = len(parties)
                self.out.columns[("parties", i)] = column
                parties.append(reading.party)
                self.out.inferred += [f"parties[{i}].{what}" for what in reading.inferred]
        owned = self.columns("parties")
        if owned and not parties and self.out.columns.get(("parties",)) not in self.cells:
            # No party in the office's column: its absence is told at that column ("Mitra is
            # empty"), not at the layout's party_codes, which this sheet does not have.
            self.out.columns[("parties",)] = owned[0]
        if failed:
            # Each party that did not read is reported at its cell; the model's complaints
            # about the parties that remain (too few) would say the same again.
            self.out.suppressed.add(("parties",))
        if parties:
            self.out.data["parties"] = parties

    def numbers(self) -> None:
        parties = self.out.data.get("parties") or []
        for key, index in (("number", 0), ("number_2", 1)):
            for column in self.columns(key):
                text = cell_text(self.cells.get(column))
                if not text:
                    continue
                if index < len(parties):
                    parties[index]["number"] = text
                    self.out.columns[("parties", index, "number")] = column
                else:
                    self.out.problem(
                        column,
                        "KS200",
                        _(
                            "the number {text!r} belongs to party {n}, which this row does not have"
                        ).format(text=text, n=index + 1),
                    )

    def duration(self) -> None:
        for column in self.columns("duration"):
            raw = self.cells.get(column)
            text = cell_text(raw)
            if not text:
                continue
            if isinstance(raw, dt.date) or read_date(raw).value is not None:
                # "Jangka Waktu/Tanggal Berakhir" holding a date: the last day.
                value = read_date(raw).value
                if "ends_on" not in self.out.data and value is not None:
                    self.out.data["ends_on"] = value.isoformat()
                    self.out.columns[("ends_on",)] = column
                continue
            reading = read_duration(text)
            if isinstance(reading, Problem):
                self.problem(column, reading, "ends_on")
                continue
            self.ends_on(column, text, reading)

    def ends_on(self, column: str, text: str, duration: Duration) -> None:
        signed = self.out.data.get("signed_on")
        start = self.out.data.get("starts_on") or signed
        if not isinstance(start, str):
            if ("signed_on",) not in self.out.suppressed:
                self.out.problem(
                    column,
                    "KS206",
                    _(
                        "{text!r} is a duration, but the row gives no signing date to count from"
                    ).format(text=text),
                )
            return
        try:
            ends = duration.ends_on(dt.date.fromisoformat(start)).isoformat()
        except (ValueError, OverflowError):  # past 9999-12-31, the last date there is
            self.out.problem(
                column,
                "KS301",
                _(
                    "{text!r} from {start} ends after 9999-12-31; expected an end date the "
                    "calendar has"
                ).format(text=text, start=start),
            )
            return
        given = self.out.data.get("ends_on")
        if given is None:
            self.out.data["ends_on"] = ends
            self.out.columns[("ends_on",)] = column
            self.out.inferred.append("ends_on")
        elif given != ends:
            self.out.problem(
                column,
                "KS302",
                _("{text!r} from {start} ends on {ends}, but the end date given is {given}").format(
                    text=text, start=start, ends=ends, given=given
                ),
                (ends,),
            )

    def sectors(self) -> None:
        for column in self.columns("sectors"):
            text = cell_text(self.cells.get(column))
            if not text or "sectors" in self.out.data:
                continue
            self.out.columns[("sectors",)] = column
            keys, problems = read_sectors(text)
            for problem in problems:
                self.problem(column, problem, "sectors")
            if keys:
                self.out.data["sectors"] = keys

    def lists(self) -> None:
        for key in ("scope", "units"):
            for column in self.columns(key):
                text = cell_text(self.cells.get(column))
                if not text or key in self.out.data:
                    continue
                self.out.columns[(key,)] = column
                self.out.data[key] = cell_lines(text) if key == "scope" else split_items(text)

    def sources(self) -> None:
        found: list[dict[str, str]] = []
        for column in self.columns("sources"):
            text = cell_text(self.cells.get(column))
            if not text:
                continue
            self.out.columns.setdefault(("sources",), column)
            urls = re.findall(r"https?://\S+", text)
            for url in urls:
                self.out.columns[("sources", len(found))] = column
                found.append({"url": url.rstrip(".,;)")})
            if not urls:
                self.out.columns[("sources", len(found))] = column
                found.append({"title": " ".join(text.split())})
        if found and "sources" not in self.out.data:
            self.out.data["sources"] = found
