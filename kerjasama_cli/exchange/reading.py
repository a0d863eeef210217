"""Values of an office's own sheet, read the way people write them (README, "Importing").

Each reader returns what it read and, when the cell does not read exactly, a ``Problem`` (rule,
message, suggestions): nothing is guessed. What a reader derives rather than reads (a document
kind from the press's "MoU", a party's kind from its name, ``ends_on`` from a duration, a
century for a two-digit year) is flagged ``inferred`` so that the plan lists it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from kerjasama_cli.gazetteer import Region, load_gazetteer, normalize_name, split_prefix
from kerjasama_cli.i18n import _
from kerjasama_cli.vocab import DOCUMENT_LABELS, ORG_KINDS, SECTOR_KEYS, resolve_sector


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str
    message: str
    suggestions: tuple[str, ...] = ()
    no_year: bool = False  # a date without its year (a year may be suggested from elsewhere)


# --- dates ---------------------------------------------------------------------------------

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "senin": 0, "monday": 0,
    "selasa": 1, "tuesday": 1,
    "rabu": 2, "wednesday": 2,
    "kamis": 3, "thursday": 3,
    "jumat": 4, "friday": 4,
    "sabtu": 5, "saturday": 5,
    "minggu": 6, "ahad": 6, "sunday": 6,
}  # fmt: skip
_WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# Words around a date that say nothing about the day: the time of day, "tanggal", "kemarin".
_NOISE = {
    "tanggal", "tgl", "pada", "hari", "pagi", "siang", "sore", "petang", "malam", "kemarin",
    "lalu", "wib", "wita", "wit", "on",
}  # fmt: skip
_NUMERIC = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NAMED = re.compile(r"\b(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})\b")


def year_candidates(raw: Any, years: list[int]) -> tuple[str, ...]:
    """For a date written without its year ("Senin (18/11)"): the dates in ``years`` (e.g.
    those of the source's address) whose weekday is the one written, as suggestions."""
    folded = str(raw).casefold().replace("jum'at", "jumat")
    match = re.search(r"\b(\d{1,2})[/\-](\d{1,2})\b(?![/\-]\d)", folded)
    weekdays = [WEEKDAYS[w] for w in _words(folded) if w in WEEKDAYS]
    if match is None or len(weekdays) != 1:
        return ()
    out: list[str] = []
    for year in sorted(set(years)):
        try:
            day = dt.date(year, int(match.group(2)), int(match.group(1)))
        except ValueError:
            continue
        if day.weekday() == weekdays[0]:
            out.append(day.isoformat())
    return tuple(out)


@dataclass(slots=True)
class DateReading:
    value: dt.date | None = None
    inferred: bool = False
    problem: Problem | None = None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text)


def read_date(raw: Any) -> DateReading:
    """A signing date as written: ISO, day-first numbers, month names, weekday and brackets."""
    if isinstance(raw, dt.datetime):
        return DateReading(raw.date())
    if isinstance(raw, dt.date):
        return DateReading(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return DateReading(
            problem=Problem(
                "KS301",
                _(
                    "expected a date; found the number {raw} (format the cell as a date, or "
                    "write it as 5 Februari 2024)"
                ).format(raw=raw),
            )
        )
    text = str(raw).strip()
    folded = text.casefold().replace("\u2019", "'").replace("jum'at", "jumat")
    inferred = False
    day = month = year = None
    rest = folded
    for pattern, order in ((_ISO, "ymd"), (_NAMED, "dMy"), (_NUMERIC, "dmy")):
        found = list(pattern.finditer(folded))
        if not found:
            continue
        if len(found) > 1:
            return DateReading(
                problem=Problem("KS301", _("{text!r} holds more than one date").format(text=text))
            )
        match = found[0]
        if order == "ymd":
            year, month, day = (int(g) for g in match.groups())
        elif order == "dMy":
            month = MONTHS.get(match.group(2))
            if month is None:
                continue
            day, year = int(match.group(1)), int(match.group(3))
        else:
            day, month = int(match.group(1)), int(match.group(2))
            if match.group(3) is None:
                return DateReading(
                    problem=Problem(
                        "KS301",
                        _("{text!r} gives no year; write the whole date, e.g. 5/2/2024").format(
                            text=text
                        ),
                        no_year=True,
                    )
                )
            year = int(match.group(3))
            if len(match.group(3)) == 2:  # 23 is 2023; 0023 is the year 23, as written
                year += 2000
                inferred = True
        rest = folded[: match.start()] + " " + folded[match.end() :]
        break
    weekdays = [WEEKDAYS[w] for w in _words(rest) if w in WEEKDAYS]
    leftover = [w for w in _words(rest) if w not in WEEKDAYS and w not in _NOISE]
    if day is None or month is None or year is None:
        if weekdays and not leftover:
            message = _(
                "{text!r} has only a weekday that reads as a day, month and year; "
                "write e.g. 2024-02-05, 5/2/2024 or 5 Februari 2024"
            )
        else:
            message = _(
                "{text!r} has no date that reads as a day, month and year; "
                "write e.g. 2024-02-05, 5/2/2024 or 5 Februari 2024"
            )
        return DateReading(problem=Problem("KS301", message.format(text=text)))
    if leftover or re.search(r"\d", re.sub(r"\s+", "", rest)):
        return DateReading(
            problem=Problem(
                "KS301", _("{text!r} has words that are not part of a date").format(text=text)
            )
        )
    try:
        value = dt.date(year, month, day)
    except ValueError:
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else None
        said = (
            _(
                "{text!r} is not a date of the calendar: month {month} of {year} has {days} "
                "days; expected a day from 1 to {days}"
            ).format(text=text, month=month, year=year, days=last)
            if last is not None and 1 <= year <= dt.MAXYEAR
            else _(
                "{text!r} is not a date of the calendar; expected a day, a month (1-12) and a year"
            ).format(text=text)
        )
        return DateReading(problem=Problem("KS301", said))
    if weekdays and any(w != value.weekday() for w in weekdays):
        actual = _WEEKDAY_NAMES[value.weekday()]
        return DateReading(
            problem=Problem(
                "KS301",
                _(
                    "{text!r}: {date} is a {weekday}, not the weekday written; "
                    "check the date in the source"
                ).format(text=text, date=value.isoformat(), weekday=actual),
                (value.isoformat(),),
            )
        )
    return DateReading(value, inferred)


# --- durations -----------------------------------------------------------------------------

_NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "ten": 10,
}  # fmt: skip
_DURATION = re.compile(
    r"^(?:berlaku\s+)?(?:selama\s+)?(?P<n>\d{1,2}|[a-z]+)\s*(?:\((?P<words>[a-z ]+|\d{1,2})\)\s*)?"
    r"(?P<unit>tahun|bulan|years?|months?)"
    r"(?:\s+(?:sejak|terhitung\s+sejak|since|from)\s+(?:di\s*)?(?:tanda\s*tangan\w*|signing|"
    r"ditandatangani\w*|penandatanganan))?$"
)


@dataclass(slots=True)
class Duration:
    count: int
    unit: str  # "years" or "months"

    def ends_on(self, start: dt.date) -> dt.date:
        """The last day in force: the day before the anniversary (2024-02-05 + 5 y -> 2029-02-04)."""
        months = self.count * (12 if self.unit == "years" else 1)
        total = start.month - 1 + months
        year, month = start.year + total // 12, total % 12 + 1
        last = calendar.monthrange(year, month)[1]
        if start.day > last:  # 29 February + 1 year: the anniversary is 1 March
            anniversary = dt.date(year, month, last) + dt.timedelta(days=1)
        else:
            anniversary = dt.date(year, month, start.day)
        return anniversary - dt.timedelta(days=1)


def read_duration(text: str) -> Duration | Problem:
    folded = " ".join(text.casefold().replace(",", " ").split())
    match = _DURATION.match(folded)
    if match:
        n = match.group("n")
        count = int(n) if n.isdigit() else _NUMBER_WORDS.get(n)
        words = match.group("words")
        if words is not None and count is not None:
            words = words.strip()
            spelled = int(words) if words.isdigit() else _NUMBER_WORDS.get(words)
            if spelled is not None and spelled != count:
                count = None
        if count:
            unit = "years" if match.group("unit").startswith(("tahun", "year")) else "months"
            return Duration(count, unit)
    return Problem(
        "KS206",
        _("{text!r} is not a duration; write e.g. 5 (lima) tahun, 5 tahun or 12 bulan").format(
            text=text
        ),
    )


# --- document kinds ------------------------------------------------------------------------

# Words that name a kind exactly (the vocabulary's labels and abbreviations).
_DOCUMENT_EXACT = {
    "kesepakatanbersama": "kesepakatan_bersama",
    "kb": "kesepakatan_bersama",
    "perjanjiankerjasama": "perjanjian_kerja_sama",
    "pks": "perjanjian_kerja_sama",
    "notakesepakatan": "nota_kesepakatan",
    "nk": "nota_kesepakatan",
    "pernyataankehendak": "pernyataan_kehendak",
    "letterofintent": "pernyataan_kehendak",
    "loi": "pernyataan_kehendak",
    "naskahkerjasama": "naskah_kerja_sama",
    "nks": "naskah_kerja_sama",
    "adendum": "adendum",
    "addendum": "adendum",
}
# The press's words for a kesepakatan bersama (the contract: "MoU" is a KB): read, and listed
# as inferred.
_DOCUMENT_PRESS = {
    "mou": "kesepakatan_bersama",
    "memorandumofunderstanding": "kesepakatan_bersama",
    "notakesepahaman": "kesepakatan_bersama",
    "naskahkesepakatanbersama": "kesepakatan_bersama",
    "kesepakatanbersamamou": "kesepakatan_bersama",
    "notakesepahamanbersama": "kesepakatan_bersama",
    "naskahmemorandumofunderstanding": "kesepakatan_bersama",
}
for _key in DOCUMENT_LABELS:
    _DOCUMENT_EXACT[normalize_name(_key)] = _key


@dataclass(slots=True)
class DocumentReading:
    value: str | None = None
    inferred: bool = False
    problem: Problem | None = None


def read_document(text: str) -> DocumentReading:
    """A document kind: ``KB``, ``PKS``, ``Kesepakatan Bersama (MoU)``, ``Nota Kesepahaman``."""
    outside = re.sub(r"\([^()]*\)", " ", text)
    inside = re.findall(r"\(([^()]*)\)", text)
    readings: list[tuple[str, bool]] = []
    for part in [outside, *inside]:
        key = normalize_name(part)
        if not key:
            continue
        if key in _DOCUMENT_EXACT:
            readings.append((_DOCUMENT_EXACT[key], False))
        elif key in _DOCUMENT_PRESS:
            readings.append((_DOCUMENT_PRESS[key], True))
        elif part is outside:
            readings = []
            break
    kinds = {kind for kind, _inferred in readings}
    if len(kinds) == 1:
        exact = any(not inferred for _, inferred in readings)
        return DocumentReading(kinds.pop(), not exact)
    words = list(DOCUMENT_LABELS)
    close = difflib.get_close_matches(
        normalize_name(outside), [normalize_name(w) for w in words], n=2, cutoff=0.6
    )
    suggestions = tuple(w for w in words if normalize_name(w) in close)
    if len(kinds) > 1:
        message = _(
            "{text!r} names two kinds; write one of KB (kesepakatan_bersama), PKS "
            "(perjanjian_kerja_sama), nota_kesepakatan, pernyataan_kehendak, naskah_kerja_sama, "
            "adendum"
        )
    else:
        message = _(
            "{text!r} is not a document kind that reads exactly; write one of KB "
            "(kesepakatan_bersama), PKS (perjanjian_kerja_sama), nota_kesepakatan, "
            "pernyataan_kehendak, naskah_kerja_sama, adendum"
        )
    return DocumentReading(
        problem=Problem("KS207", message.format(text=text), suggestions or tuple(words))
    )


# --- sectors -------------------------------------------------------------------------------


def read_sectors(text: str) -> tuple[list[str], list[Problem]]:
    keys: list[str] = []
    problems: list[Problem] = []
    for item in split_items(text):
        key = resolve_sector(item)
        if key is None:
            close = difflib.get_close_matches(
                re.sub(r"[^a-z0-9]+", "_", item.casefold()), SECTOR_KEYS, n=3, cutoff=0.5
            )
            problems.append(
                Problem(
                    "KS207",
                    _(
                        "{item!r} is not a sector (urusan); write its key, code or a listed "
                        "alias (kerjasama vocab sector)"
                    ).format(item=item),
                    tuple(close),
                )
            )
        elif key not in keys:
            keys.append(key)
    return keys, problems


# --- parties -------------------------------------------------------------------------------

_SPLIT = re.compile(
    r"\s*(?:[,;\n]+\s*(?:(?:dan|serta|and|&)\s+)?|\s(?:dan|serta|and|&)\s)\s*", re.IGNORECASE
)


def split_items(text: str) -> list[str]:
    """Items of a cell separated by ``,`` ``;`` a new line or ``dan``."""
    return [p.strip(" .") for p in _SPLIT.split(text) if p and p.strip(" .")]


_UNIVERSITY = re.compile(
    r"^(?:universitas|institut|politeknik|poltek|sekolah\s+tinggi|st[a-z]{1,4}\b|akademi|upn\b|uin\b|iain\b)"
)
_PRIVATE = re.compile(
    r"\b(?:muhammadiyah|aisyiyah|islam|katolik|kristen|nahdlatul|hkbp|advent|swasta)\b"
)
_STATE = re.compile(r"\b(?:negeri|upn|uin|iain)\b|pembangunan\s+nasional\W+veteran")
# State universities named without "Negeri" (PDDikti, pddikti.kemdiktisaintek.go.id): the few
# an office sheet names most; any other university is a problem with ptn and pts suggested.
STATE_UNIVERSITIES = frozenset(
    normalize_name(n)
    for n in (
        "Universitas Indonesia", "Universitas Gadjah Mada", "Universitas Airlangga",
        "Universitas Brawijaya", "Universitas Diponegoro", "Universitas Padjadjaran",
        "Universitas Hasanuddin", "Universitas Andalas", "Universitas Sriwijaya",
        "Universitas Sumatera Utara", "Universitas Jambi", "Universitas Lampung",
        "Universitas Riau", "Universitas Bengkulu", "Universitas Syiah Kuala",
        "Universitas Mulawarman", "Universitas Tanjungpura", "Universitas Lambung Mangkurat",
        "Universitas Palangka Raya", "Universitas Udayana", "Universitas Mataram",
        "Universitas Nusa Cendana", "Universitas Sam Ratulangi", "Universitas Tadulako",
        "Universitas Halu Oleo", "Universitas Pattimura", "Universitas Khairun",
        "Universitas Cenderawasih", "Universitas Sebelas Maret", "Universitas Jenderal Soedirman",
        "Universitas Jember", "Universitas Trunojoyo Madura", "Universitas Siliwangi",
        "Universitas Sultan Ageng Tirtayasa", "Universitas Bangka Belitung",
        "Universitas Malikussaleh", "Universitas Terbuka", "Universitas Pendidikan Indonesia",
        "Institut Pertanian Bogor", "Institut Teknologi Bandung",
        "Institut Teknologi Sepuluh Nopember", "Institut Teknologi Sumatera",
        "Institut Teknologi Kalimantan",
    )
)  # fmt: skip
_MINISTRY = re.compile(
    r"^(?:kementerian|kemen[a-z]+\b|badan\b(?!.*\bdaerah\b)|lembaga\b|komisi\b|kejaksaan\b|"
    r"kejari\b|kejati\b|kantor\s+pertanahan\b|kantah\b|kepolisian\b|polres\b|polda\b|"
    r"polresta\b|kodim\b|korem\b|kodam\b|balai\b|bpjs\b|pengadilan\b|ombudsman\b|"
    r"badan\s+penyelenggara\s+jaminan\s+sosial)"
)
_BUMD = re.compile(
    r"^(?:perumda\b|perusahaan\s+umum\s+daerah|pdam\b|perusda\b|pd\b\.?|jamkrida\b|"
    r"(?:pt\.?\s+)?bank\s+pembangunan\s+daerah)|\(perseroda\)"
)
_BUMN = re.compile(r"^(?:pt\.?\s+.*\(persero\)|perum\b|perusahaan\s+umum\b(?!\s+daerah))")
_BANK = re.compile(r"^(?:pt\.?\s+)?bank\s+(?P<rest>.+)$")
# A person's title before an organisation: the organisation, not the person, is the party.
_PERSON = re.compile(
    r"^(?:kepala|kajari|kajati|kapolres|kapolda|dandim|danrem|rektor|direktur|dirut|ketua|"
    r"menteri|kakanwil|camat|lurah|kades|sekretaris\s+jenderal|dekan)\b"
)
_HONORIFIC = re.compile(r"^(?:h|hj|dr|drs|dra|ir|prof|kh|hm|capt)\b\.?", re.IGNORECASE)
_ORG_WORDS = re.compile(
    r"\b(?:universitas|institut|politeknik|pt|bank|kementerian|badan|kantor|dinas|kejaksaan|"
    r"perumda|pdam|yayasan|lembaga|desa|dprd|rsud|puskesmas)\b"
)


@dataclass(slots=True)
class PartyReading:
    """One party read from a cell: the party's data, or a problem; and what was inferred."""

    written: str
    party: dict[str, Any] | None = None
    problem: Problem | None = None
    inferred: list[str] = field(default_factory=list)
    region: Region | None = None
    bare: bool = False  # a region name with no prefix or title
    organisation: bool = False  # read (or refused) as an organisation by its name


def _without_parentheses(text: str, keep: tuple[str, ...] = ()) -> str:
    def drop(match: re.Match[str]) -> str:
        return match.group(0) if match.group(1).casefold().strip() in keep else " "

    return " ".join(re.sub(r"\(([^()]*)\)", drop, text).split())


def _organisation(text: str) -> PartyReading | None:
    reading = _organisation_kind(text)
    if reading is not None:
        reading.organisation = True
    return reading


def _organisation_kind(text: str) -> PartyReading | None:
    folded = text.casefold()
    name = _without_parentheses(text, ("persero", "perseroda", "tbk"))
    if _PERSON.match(folded):
        return PartyReading(
            text,
            problem=Problem(
                "KS210",
                _(
                    "{text!r} names a person by office; write the organisation (or the region) "
                    "that signs, with its kind"
                ).format(text=text),
            ),
        )
    if _UNIVERSITY.match(folded):
        if _STATE.search(folded):
            kind = "ptn"
        elif _PRIVATE.search(folded):
            kind = "pts"
        elif normalize_name(name) in STATE_UNIVERSITIES:
            kind = "ptn"
        else:
            return PartyReading(
                text,
                problem=Problem(
                    "KS210",
                    _(
                        "{text!r}: whether this is a state (ptn) or private (pts) institution "
                        "is not certain from its name; give its kind after the name in "
                        "brackets, e.g. '{text} (pts)'"
                    ).format(text=text),
                    ("ptn", "pts"),
                ),
            )
        return PartyReading(text, {"name": name, "kind": kind}, inferred=["kind"])
    if _BUMD.search(folded):
        return PartyReading(text, {"name": name, "kind": "bumd"}, inferred=["kind"])
    if _BUMN.match(folded):
        return PartyReading(text, {"name": name, "kind": "bumn"}, inferred=["kind"])
    bank = _BANK.match(folded)
    if bank:
        words = _without_parentheses(bank.group("rest")).split()
        gazetteer = load_gazetteer()
        # "Bank Sumsel Babel", "Bank Jatim", "Bank DKI": a bank named after a province.
        if words and any(
            (r := gazetteer.resolve(" ".join(words[:n])).region) is not None
            and r.kind == "provinsi"
            for n in (1, 2)
        ):
            return PartyReading(text, {"name": name, "kind": "bumd"}, inferred=["kind"])
    if _MINISTRY.match(folded):
        return PartyReading(text, {"name": name, "kind": "kementerian_lembaga"}, inferred=["kind"])
    if re.match(r"^pt\b\.?", folded) or _ORG_WORDS.search(folded):
        return PartyReading(
            text,
            problem=Problem(
                "KS210",
                _(
                    "{text!r} is an organisation whose kind its name does not make certain; "
                    "give its kind after the name in brackets, e.g. '{text} (bumn)'"
                ).format(text=text),
                ("bumn", "bumd", "bums") if folded.startswith("pt") else (),
            ),
        )
    return None


def _province_suffix(text: str) -> tuple[str, str] | None:
    """``Kabupaten Luwu Timur Provinsi Sulawesi Selatan`` -> the region and the province."""
    match = re.match(
        r"^(?P<head>.+?)\s+(?:provinsi|propinsi|prov\b\.?)\s*(?P<tail>\S.*)$", text, re.I
    )
    if match:
        return match.group("head"), match.group("tail")
    return None


# An organisation's kind given after its name: "PT Bukit Asam Tbk (bumn)".
_GIVEN_KIND = re.compile(r"^(?P<name>.*\S)\s*\((?P<kind>[a-z_ ]+)\)$", re.I)


def read_party(text: str) -> PartyReading:
    """One party as written: a region (by name, prefix or title) or an organisation, whose
    kind may follow its name in brackets (``PT Bukit Asam Tbk (bumn)``)."""
    written = " ".join(text.replace("“", '"').replace("”", '"').split())
    given = _GIVEN_KIND.match(written)
    if (
        given
        and (kind := "_".join(given["kind"].casefold().split())) in ORG_KINDS
        and re.search(r"\w", given["name"])  # a name, not "(" or "-"
        and load_gazetteer().resolve(given["name"]).region is None  # a region has no kind
    ):
        return PartyReading(written, {"name": given["name"], "kind": kind}, organisation=True)
    organisation = _organisation(written)
    if organisation is not None:
        return organisation
    gazetteer = load_gazetteer()
    plain = _without_parentheses(written)
    hint, bare_name = split_prefix(plain.casefold())
    bare = hint is None and bare_name == plain.casefold()
    resolution = gazetteer.resolve(plain)
    if resolution.region is not None:
        return _region_party(written, resolution.region, bare=bare)
    if resolution.ambiguous:
        return PartyReading(
            written,
            problem=Problem(
                "KS202",
                resolution.describe_problem(),
                tuple(f"{r.code} {r.official_name}" for r in resolution.matches),
            ),
        )
    # "Pemerintah Kab. Kampar Prov. Riau", "Kabupaten Luwu Sulawesi Selatan": a kab/kota with its
    # province after it, accepted only when the kab/kota is in that province.
    suffix = _province_suffix(plain)
    splits = [suffix] if suffix else []
    words = plain.split()
    splits += [(" ".join(words[:i]), " ".join(words[i:])) for i in range(len(words) - 1, 0, -1)]
    for head, tail in splits:
        region = gazetteer.resolve(head).region
        province = gazetteer.resolve(tail).region
        if (
            region
            and province
            and province.kind == "provinsi"
            and region.province == province.code
            and region.kind != "provinsi"
        ):
            return _region_party(written, region)
    # "Bupati Muba Dr H Dodi Reza Alex": an official's title, the region, then the person.
    titled = _titled(plain)
    if titled is not None:
        return titled
    return PartyReading(
        written,
        problem=Problem(
            "KS201",
            resolution.describe_problem(),
            tuple(f"{r.code} {r.official_name}" for r in resolution.suggestions),
        ),
    )


_TITLE_AT = re.compile(
    r"\b(?:(?:pj|pjs|plt|penjabat|wakil)\b\.?\s*)*"
    r"(?:bupati|wali\s*kota|walikota|gubernur|sekretaris\s+daerah|sekda)\b",
    re.I,
)


def _titled(plain: str) -> PartyReading | None:
    gazetteer = load_gazetteer()
    match = _TITLE_AT.search(plain)
    if match is None:
        return None
    before = plain[: match.start()].strip(" ,")
    words = plain[match.start() :].split()
    title_words = len(match.group(0).split())
    for end in range(len(words), title_words, -1):
        head = " ".join(words[:end])
        region = gazetteer.resolve(head).region
        if region is None:
            continue
        person = " ".join(p for p in (before, " ".join(words[end:])) if p).strip(" ,")
        if before and words[end:]:
            return None  # names on both sides: not a reading
        if person and (_ORG_WORDS.search(person.casefold()) or gazetteer.resolve(person).matches):
            return None
        reading = _region_party(plain, region)
        if person and reading.party is not None:
            reading.party["signatory"] = {"name": person, "position": head}
            reading.inferred.append("signatory")
        return reading
    return None


def _region_party(written: str, region: Region, *, bare: bool = False) -> PartyReading:
    if not region.can_be_party:
        return PartyReading(
            written,
            problem=Problem(
                "KS203",
                _(
                    "{region} ({code}) is an administrative city of Jakarta and cannot be a "
                    "party; the party is Provinsi DKI Jakarta (31)"
                ).format(region=region.official_name, code=region.code),
                ("31 Provinsi Daerah Khusus Ibukota Jakarta",),
            ),
        )
    return PartyReading(written, {"region": region.code}, region=region, bare=bare)


def read_party_cell(text: str) -> list[PartyReading]:
    """The parties of one cell, split on ``,`` ``;`` new lines and ``dan``.

    A bare province after a kab/kota of that province is where that kab/kota lies
    ("Kabupaten Lembata, Nusa Tenggara Timur"), not a party; a piece after an organisation
    that is neither a party word nor a region continues the organisation's name
    ("Institut Informatika dan Bisnis Darmajaya"); a person's name after an official's title
    is the signatory ("Bupati Solok, Epyardi Asda").
    """
    pieces = [p for p in _SPLIT_KEEP.split(text.strip()) if p is not None]
    items: list[str] = []
    separators: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if piece.strip(" ."):
                items.append(piece.strip(" ."))
            elif items and i + 1 < len(pieces):
                continue
        elif items:
            separators.append(piece)
    readings: list[PartyReading] = []
    gazetteer = load_gazetteer()
    index = -1
    while index + 1 < len(items):
        index += 1
        item = items[index]
        reading = read_party(item)
        if reading.region is None and index + 1 < len(items):
            # A name with a separator in it: "Kabupaten Pangkajene dan Kepulauan".
            joined = f"{item}{separators[index]}{items[index + 1]}"
            whole = read_party(joined)
            if whole.region is not None:
                item, reading = joined, whole
                index += 1
        previous = readings[-1] if readings else None
        # A piece continuing an organisation's name ("..., Jambi dan Bengkulu (S2JB)").
        if (
            previous is not None
            and previous.organisation
            and not reading.organisation
            and (reading.bare or (reading.problem is not None and not _starts_party(item)))
        ):
            sep = separators[index - 1] if index - 1 < len(separators) else ", "
            merged = _organisation(f"{previous.written}{sep}{item}")
            if merged is not None:
                readings[-1] = merged
                continue
        if previous is not None and reading.bare and reading.region is not None:
            province = reading.region
            if province.kind == "provinsi" and (
                previous.region is None or previous.region.kind != "provinsi"
            ):
                # "Kabupaten Lembata, Nusa Tenggara Timur": where the region before it lies.
                if previous.region is not None and previous.region.province == province.code:
                    previous.inferred.append("province")
                    continue
                reading = PartyReading(
                    item,
                    problem=Problem(
                        "KS201",
                        _(
                            "{item!r} after {previous!r}: write Provinsi {province} if the "
                            "province is a party of its own, or remove it if it says where the "
                            "party before it lies"
                        ).format(item=item, previous=previous.written, province=province.name),
                        (f"{province.code} {province.official_name}",),
                    ),
                )
        if (
            previous is not None
            and previous.region is not None
            and previous.party is not None
            and "signatory" not in previous.party
            and reading.problem is not None
            and reading.problem.rule == "KS201"
            and not reading.problem.suggestions
            and _looks_like_person(item)
            and _TITLE_AT.search(previous.written)
            and not gazetteer.resolve(item).matches
        ):
            previous.party["signatory"] = {"name": item, "position": previous.written}
            previous.inferred.append("signatory")
            continue
        readings.append(reading)
    return readings


_SPLIT_KEEP = re.compile(
    r"(\s*(?:[,;\n]+\s*(?:(?:dan|serta|and|&)\s+)?|\s(?:dan|serta|and|&)\s)\s*)", re.IGNORECASE
)
_PARTY_START = re.compile(
    r"^(?:pemerintah|pemda|pemkab|pemkot|pemko|pemprov|provinsi|kabupaten|kab\b|kota\b|bupati|"
    r"wali\s*kota|walikota|gubernur|universitas|institut|politeknik|pt\b|bank|kementerian|badan|"
    r"kejaksaan|kantor)",
    re.IGNORECASE,
)


def _starts_party(text: str) -> bool:
    return bool(_PARTY_START.match(text.strip()))


def _looks_like_person(text: str) -> bool:
    """A name with capitalised words (and perhaps an honorific), nothing else."""
    words = _HONORIFIC.sub("", text.strip()).split()
    return 1 <= len(words) <= 6 and all(w[:1].isupper() for w in words if w[:1].isalpha())
