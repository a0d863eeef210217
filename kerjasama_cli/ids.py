"""Record ids: slugs, and the id ``add`` generates from document kind, date and parties.

``kb-2024-02-05-jawa-barat-bengkulu-tengah``: the document's abbreviation
(vocab.DOCUMENT_ABBREVIATIONS: kb, pks, nk, loi, nks, adendum), the signing date (left out for
a draft), then one slug per party in the record's order: a region's short name (``jawa-barat``,
``bengkulu-tengah``; ``kota-bekasi`` when a kota shares its name with another region) or an
organisation's name (the abbreviation in its parentheses when it has one: ``bsip``), never a
legal-form word (``PT Pertamina (Persero)`` is ``pertamina``, ``PT Bank Rakyat Indonesia
(Persero) Tbk`` is ``bank-rakyat-indonesia``). Ids are
cut at a hyphen to stay within 120 characters, and an id already taken gets ``-2``, ``-3``, ...
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Container
from functools import lru_cache

from kerjasama_cli.gazetteer import Gazetteer, load_gazetteer, normalize_name
from kerjasama_cli.model import SLUG_PATTERN, Party
from kerjasama_cli.vocab import DOCUMENT_ABBREVIATIONS

MAX_ID_LENGTH = 120
_SLUG_RE = re.compile(SLUG_PATTERN)
_PARENS_RE = re.compile(r"\(([^()]{2,20})\)")
# Words that say an organisation's legal form, not which organisation it is: left out of ids.
LEGAL_FORMS = frozenset(
    {
        "pt",
        "persero",
        "tbk",
        "cv",
        "perum",
        "perumda",
        "pd",
        "ud",
        "fa",
        "firma",
        "pt.",
        "cv.",
        "tbk.",
    }
)
_LEGAL_PHRASES_RE = re.compile(
    r"\bperseroan\s+terbatas\b|\bperusahaan\s+umum\s+daerah\b|\bperusahaan\s+umum\b", re.IGNORECASE
)
# Room left for a collision suffix ("-99") when an id is cut to length.
_SUFFIX_ROOM = 4


def is_slug(value: str) -> bool:
    """True when ``value`` is a valid id: lowercase letters, digits, single hyphens, <= 120."""
    return len(value) <= MAX_ID_LENGTH and _SLUG_RE.match(value) is not None


def slugify(text: str) -> str:
    """``text`` as a slug: accents dropped, lowercase, runs of anything else become one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@lru_cache(maxsize=2)
def _names_of_several(gazetteer: Gazetteer) -> frozenset[str]:
    """The names (normalised) that more than one region of ``gazetteer`` has: Kota and
    Kabupaten Bekasi, ... (counted once, not again for every party of an import)."""
    counts = Counter(normalize_name(r.name) for r in gazetteer.regions)
    return frozenset(name for name, count in counts.items() if count > 1)


def party_slug(party: Party) -> str:
    """How a party appears in an id."""
    if party.region is not None:
        gazetteer = load_gazetteer()
        region = gazetteer.by_code[party.region]
        slug = slugify(region.name)
        if region.kind == "kota" and normalize_name(region.name) in _names_of_several(gazetteer):
            slug = f"kota-{slug}"
        return slug
    return organisation_slug(party.name or "")


def _without_legal_forms(text: str) -> str:
    words = _LEGAL_PHRASES_RE.sub(" ", text).split()
    return " ".join(
        w for w in words if slugify(w) not in LEGAL_FORMS and w.casefold() not in LEGAL_FORMS
    )


def organisation_slug(name: str) -> str:
    """An organisation in an id: the abbreviation in its parentheses when there is one (not a
    legal form such as ``(Persero)``), else its name without legal-form words."""
    for short in _PARENS_RE.findall(name):
        slug = slugify(_without_legal_forms(short))
        if slug:
            return slug
    bare = _without_legal_forms(_PARENS_RE.sub(" ", name))
    return slugify(bare) or slugify(name)


def _cut(slug: str, limit: int) -> str:
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if slug[limit] != "-" and "-" in cut:
        cut = cut[: cut.rfind("-")]
    return cut.strip("-")


def base_id(document: str, signed_on: dt.date | None, parties: list[Party]) -> str:
    """The id before any collision suffix."""
    parts = [DOCUMENT_ABBREVIATIONS.get(document, slugify(document))]
    if signed_on is not None:
        parts.append(signed_on.isoformat())
    parts += [s for s in (party_slug(p) for p in parties) if s]
    return _cut("-".join(parts), MAX_ID_LENGTH - _SUFFIX_ROOM)


def generate_id(
    document: str, signed_on: dt.date | None, parties: list[Party], taken: Container[str]
) -> str:
    """The first id for these parties that is not in ``taken``: the base id, else the base
    with the first free suffix ``-2``, ``-3``, ..."""
    return _first_free(base_id(document, signed_on, parties), 1, taken)[0]


def _first_free(base: str, n: int, taken: Container[str]) -> tuple[str, int]:
    """The first id from the ``n``-th candidate on (the first is ``base`` itself) that is not
    in ``taken``, and its number."""
    candidate = base if n == 1 else f"{base}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate, n


class IdMaker:
    """Ids for many new records (an import): each avoids ``taken`` and the ids made before.

    Each base id remembers the suffix it got to, so that a thousand rows with the same parties
    and date do not each count ``-2``, ``-3``, ... again from the start.
    """

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self._next: dict[str, int] = {}

    def new_id(self, document: str, signed_on: dt.date | None, parties: list[Party]) -> str:
        return self.next_free(base_id(document, signed_on, parties))

    def next_free(self, base: str) -> str:
        """The id of a new record whose :func:`base_id` is ``base`` (an import computes the
        base while it reads a row, and names the row once every row's id is known)."""
        new_id, n = _first_free(base, self._next.get(base, 1), self.taken)
        self._next[base] = n + 1
        self.taken.add(new_id)
        return new_id
