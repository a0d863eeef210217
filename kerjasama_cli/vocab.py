"""Controlled vocabularies of the record format (UU 23/2014, PP 28/2018, Permendagri 22/2020)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from kerjasama_cli.i18n import N_, _

Document = Literal[
    "kesepakatan_bersama",
    "perjanjian_kerja_sama",
    "nota_kesepakatan",
    "pernyataan_kehendak",
    "naskah_kerja_sama",
    "adendum",
]
Category = Literal["ksdd", "ksdpk", "ksdpl", "ksdll", "sinergi"]
RegionalKind = Literal["provinsi", "kabupaten", "kota"]
OrgKind = Literal[
    "kementerian_lembaga",
    "ptn",
    "pts",
    "bumn",
    "bumd",
    "bums",
    "ormas",
    "perseorangan",
    "pemda_luar_negeri",
    "lembaga_luar_negeri",
]
Stage = Literal[
    "persiapan",
    "penawaran",
    "penyusunan_kb",
    "penandatanganan_kb",
    "persetujuan_dprd",
    "penyusunan_pks",
    "penandatanganan_pks",
    "pelaksanaan",
    "pelaporan",
]
EndReason = Literal[
    "jangka_waktu_habis",
    "tujuan_tercapai",
    "kesepakatan_para_pihak",
    "perubahan_kebijakan",
    "objek_hilang_musnah",
    "putusan_pengadilan",
    "pihak_ketiga_pailit",
    "dibatalkan",
]
Recommendation = Literal["lanjutkan", "perpanjang", "revisi", "hentikan"]
Funding = Literal["apbd", "apbn", "pihak_ketiga", "hibah", "lainnya"]
Obligation = Literal["wajib", "sukarela"]
Status = Literal[
    "dibatalkan", "berakhir", "draf", "belum_berlaku", "kedaluwarsa", "akan_berakhir", "aktif"
]

DOCUMENTS: tuple[str, ...] = get_args(Document)
CATEGORIES: tuple[str, ...] = get_args(Category)
REGIONAL_KINDS: tuple[str, ...] = get_args(RegionalKind)
ORG_KINDS: tuple[str, ...] = get_args(OrgKind)
PARTY_KINDS: tuple[str, ...] = REGIONAL_KINDS + ORG_KINDS
STAGES: tuple[str, ...] = get_args(Stage)
END_REASONS: tuple[str, ...] = get_args(EndReason)
RECOMMENDATIONS: tuple[str, ...] = get_args(Recommendation)
OBLIGATIONS: tuple[str, ...] = get_args(Obligation)
FUNDING: tuple[str, ...] = get_args(Funding)
STATUSES: tuple[str, ...] = get_args(Status)

DOCUMENT_ABBREVIATIONS = {
    "kesepakatan_bersama": "kb",
    "perjanjian_kerja_sama": "pks",
    "nota_kesepakatan": "nk",
    "pernyataan_kehendak": "loi",
    "naskah_kerja_sama": "nks",
    "adendum": "adendum",
}

# The words people write for a document kind (its abbreviation, and the press's "MoU"), each
# with the vocabulary key it stands for.
DOCUMENT_WORDS = {abbr: doc for doc, abbr in DOCUMENT_ABBREVIATIONS.items()} | {
    "mou": "kesepakatan_bersama"
}


class Labels(Mapping[str, str]):
    """The labels of a vocabulary's values, each read in the language in force.

    Written in English (marked for the catalog with ``N_``), looked up in the catalog when
    read: Indonesian gives the official term (Kesepakatan Bersama, Pemerintah Provinsi).
    Iterating gives the keys, in the order of the record format.
    """

    __slots__ = ("_english",)

    def __init__(self, english: dict[str, str]) -> None:
        self._english = english

    def __getitem__(self, key: str) -> str:
        return _(self._english[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._english)

    def __len__(self) -> int:
        return len(self._english)

    def english(self) -> dict[str, str]:
        """The labels as written (the catalog's msgids), by key."""
        return dict(self._english)


DOCUMENT_LABELS = Labels(
    {
        "kesepakatan_bersama": N_("Memorandum of Understanding (Kesepakatan Bersama, KB/MoU)"),
        "perjanjian_kerja_sama": N_("Cooperation Agreement (Perjanjian Kerja Sama, PKS)"),
        "nota_kesepakatan": N_("Memorandum of Agreement (Nota Kesepakatan)"),
        "pernyataan_kehendak": N_("Letter of Intent (Pernyataan Kehendak, LoI)"),
        "naskah_kerja_sama": N_("Cooperation Document (Naskah Kerja Sama)"),
        "adendum": N_("Addendum"),
    }
)

# Who the region cooperates with (PP 28/2018 Ps. 2): read after the category's key.
CATEGORY_LABELS = Labels(
    {
        "ksdd": N_("region with another region"),
        "ksdpk": N_("region with a third party"),
        "ksdpl": N_("region with a regional government abroad"),
        "ksdll": N_("region with an institution abroad"),
        "sinergi": N_("region with a central ministry or agency"),
    }
)


PARTY_KIND_LABELS = Labels(
    {
        "provinsi": N_("Provincial Government"),
        "kabupaten": N_("Regency Government"),
        "kota": N_("City Government"),
        "kementerian_lembaga": N_("Ministry or Agency (Kementerian/Lembaga)"),
        "ptn": N_("State University (PTN)"),
        "pts": N_("Private University (PTS)"),
        "bumn": N_("State-Owned Enterprise (BUMN)"),
        "bumd": N_("Regionally Owned Enterprise (BUMD)"),
        "bums": N_("Private Enterprise (BUMS)"),
        "ormas": N_("Civil Society Organisation (Ormas)"),
        "perseorangan": N_("Individual"),
        "pemda_luar_negeri": N_("Regional Government Abroad"),
        "lembaga_luar_negeri": N_("Institution Abroad"),
    }
)

# PP 28/2018 Ps. 6, in order.
STAGE_LABELS = Labels(
    {
        "persiapan": N_("Preparation"),
        "penawaran": N_("Offer"),
        "penyusunan_kb": N_("Drafting the Memorandum of Understanding (KB)"),
        "penandatanganan_kb": N_("Signing the Memorandum of Understanding (KB)"),
        "persetujuan_dprd": N_("Approval by the DPRD"),
        "penyusunan_pks": N_("Drafting the Cooperation Agreement (PKS)"),
        "penandatanganan_pks": N_("Signing the Cooperation Agreement (PKS)"),
        "pelaksanaan": N_("Implementation"),
        "pelaporan": N_("Reporting"),
    }
)

# PP 28/2018 Ps. 9 and 22.
END_REASON_LABELS = Labels(
    {
        "jangka_waktu_habis": N_("The term of the agreement has ended"),
        "tujuan_tercapai": N_("The purpose of the agreement has been achieved"),
        "kesepakatan_para_pihak": N_("Mutual consent of the parties"),
        "perubahan_kebijakan": N_("Change of national policy"),
        "objek_hilang_musnah": N_("The object of the agreement is lost or destroyed"),
        "putusan_pengadilan": N_("Court ruling"),
        "pihak_ketiga_pailit": N_("The third party has been declared bankrupt"),
        "dibatalkan": N_("Cancelled"),
    }
)

# What an evaluation (monitoring dan evaluasi) recommends for the agreement.
RECOMMENDATION_LABELS = Labels(
    {
        "lanjutkan": N_("Continue the agreement"),
        "perpanjang": N_("Extend the agreement"),
        "revisi": N_("Revise the agreement"),
        "hentikan": N_("Stop the agreement"),
    }
)

FUNDING_LABELS = Labels(
    {
        "apbd": N_("APBD (regional budget)"),
        "apbn": N_("APBN (state budget)"),
        "pihak_ketiga": N_("Third party"),
        "hibah": N_("Grant"),
        "lainnya": N_("Other source"),
    }
)

# The computed statuses (status.py, docs/record-format.md), as a table or a report says them.
STATUS_LABELS = Labels(
    {
        "dibatalkan": N_("cancelled"),
        "berakhir": N_("ended"),
        "draf": N_("draft"),
        "belum_berlaku": N_("not yet in force"),
        "kedaluwarsa": N_("expired"),
        "akan_berakhir": N_("expiring soon"),
        "aktif": N_("in force"),
    }
)


@dataclass(frozen=True, slots=True)
class Sector:
    """One urusan pemerintahan (or cross-cutting topic) an agreement can cover."""

    key: str
    code: str | None
    label: str  # the official name (UU 23/2014), in Indonesian: also read as an alias
    english: str  # the label in English, translated where shown: label("sector", key)
    aliases: tuple[str, ...] = ()


SECTORS: tuple[Sector, ...] = (
    Sector(
        "pendidikan",
        "1.01",
        "pendidikan",
        N_("Education"),
        ("education", "disdik", "dinas_pendidikan"),
    ),
    Sector("kesehatan", "1.02", "kesehatan", N_("Health"), ("health", "dinkes", "dinas_kesehatan")),
    Sector(
        "pekerjaan_umum",
        "1.03",
        "pekerjaan umum dan penataan ruang",
        N_("Public Works and Spatial Planning"),
        (
            "pu",
            "pupr",
            "dpupr",
            "infrastruktur",
            "jalan",
            "tata_ruang",
            "penataan_ruang",
            "sumber_daya_air",
        ),
    ),
    Sector(
        "perumahan",
        "1.04",
        "perumahan rakyat dan kawasan permukiman",
        N_("Public Housing and Residential Areas"),
        ("perkim", "disperkim"),
    ),
    Sector(
        "trantibum",
        "1.05",
        "ketenteraman, ketertiban umum, dan pelindungan masyarakat",
        N_("Peace, Public Order and Community Protection"),
        (
            "penanggulangan_bencana",
            "kebencanaan",
            "bencana",
            "bpbd",
            "pemadam_kebakaran",
            "damkar",
            "linmas",
            "satpol_pp",
        ),
    ),
    Sector(
        "sosial",
        "1.06",
        "sosial",
        N_("Social Affairs"),
        ("kemiskinan", "penanggulangan_kemiskinan", "dinsos"),
    ),
    Sector(
        "tenaga_kerja",
        "2.07",
        "tenaga kerja",
        N_("Manpower"),
        ("ketenagakerjaan", "disnaker", "disnakertrans"),
    ),
    Sector(
        "pemberdayaan_perempuan",
        "2.08",
        "pemberdayaan perempuan dan pelindungan anak",
        N_("Women's Empowerment and Child Protection"),
        ("pppa", "dp3a", "perlindungan_anak"),
    ),
    Sector("pangan", "2.09", "pangan", N_("Food"), ("ketahanan_pangan", "dinas_pangan")),
    Sector("pertanahan", "2.10", "pertanahan", N_("Land Affairs"), ()),
    Sector(
        "lingkungan_hidup", "2.11", "lingkungan hidup", N_("Environment"), ("lingkungan", "dlh")
    ),
    Sector(
        "kependudukan",
        "2.12",
        "administrasi kependudukan dan pencatatan sipil",
        N_("Population Administration and Civil Registration"),
        ("adminduk", "dukcapil", "disdukcapil", "pencatatan_sipil"),
    ),
    Sector(
        "pemberdayaan_desa",
        "2.13",
        "pemberdayaan masyarakat dan desa",
        N_("Community and Village Empowerment"),
        ("pmd", "dpmd", "desa"),
    ),
    Sector(
        "keluarga_berencana",
        "2.14",
        "pengendalian penduduk dan keluarga berencana",
        N_("Population Control and Family Planning"),
        ("pengendalian_penduduk", "kb", "dppkb"),
    ),
    Sector("perhubungan", "2.15", "perhubungan", N_("Transportation"), ("transportasi", "dishub")),
    Sector(
        "komunikasi_informatika",
        "2.16",
        "komunikasi dan informatika",
        N_("Communication and Informatics"),
        ("kominfo", "diskominfo", "diskominfotik"),
    ),
    Sector(
        "koperasi_ukm",
        "2.17",
        "koperasi, usaha kecil, dan menengah",
        N_("Cooperatives and Small and Medium Enterprises"),
        ("umkm", "koperasi", "diskop", "diskopukm"),
    ),
    Sector(
        "penanaman_modal", "2.18", "penanaman modal", N_("Investment"), ("investasi", "dpmptsp")
    ),
    Sector(
        "kepemudaan_olahraga",
        "2.19",
        "kepemudaan dan olah raga",
        N_("Youth and Sports"),
        ("olahraga", "pemuda", "dispora"),
    ),
    Sector("statistik", "2.20", "statistik", N_("Statistics"), ()),
    Sector("persandian", "2.21", "persandian", N_("Cryptography (Persandian)"), ()),
    Sector("kebudayaan", "2.22", "kebudayaan", N_("Culture"), ("budaya", "disbud")),
    Sector("perpustakaan", "2.23", "perpustakaan", N_("Libraries"), ()),
    Sector("kearsipan", "2.24", "kearsipan", N_("Archives"), ("arsip",)),
    Sector(
        "kelautan_perikanan",
        "3.25",
        "kelautan dan perikanan",
        N_("Marine Affairs and Fisheries"),
        ("perikanan", "kelautan", "dkp"),
    ),
    Sector("pariwisata", "3.26", "pariwisata", N_("Tourism"), ("tourism", "dispar")),
    Sector(
        "pertanian", "3.27", "pertanian", N_("Agriculture"), ("perkebunan", "peternakan", "distan")
    ),
    Sector("kehutanan", "3.28", "kehutanan", N_("Forestry"), ()),
    Sector(
        "energi_sdm",
        "3.29",
        "energi dan sumber daya mineral",
        N_("Energy and Mineral Resources"),
        ("esdm", "energi", "pertambangan"),
    ),
    Sector("perdagangan", "3.30", "perdagangan", N_("Trade"), ()),
    Sector("perindustrian", "3.31", "perindustrian", N_("Industry"), ("industri",)),
    Sector("transmigrasi", "3.32", "transmigrasi", N_("Transmigration"), ()),
    Sector(
        "pelayanan_publik",
        None,
        "peningkatan pelayanan publik",
        N_("Improving Public Services"),
        ("layanan_publik",),
    ),
    Sector(
        "pemerintahan_umum",
        None,
        "kawasan perbatasan, batas daerah, penanganan konflik",
        N_("Border Areas, Regional Boundaries and Conflict Handling"),
        ("perbatasan", "batas_daerah", "kawasan_perbatasan", "penanganan_konflik"),
    ),
    Sector(
        "perencanaan_pembangunan",
        None,
        "perencanaan dan pengembangan potensi daerah",
        N_("Planning and Development of Regional Potential"),
        ("perencanaan", "potensi_daerah", "pengembangan_potensi_daerah", "bappeda"),
    ),
    Sector(
        "kepegawaian",
        None,
        "pengembangan SDM aparatur",
        N_("Development of Civil Service Human Resources"),
        ("sdm_aparatur", "bkpsdm"),
    ),
    Sector(
        "penelitian_pengembangan",
        None,
        "penelitian, inovasi, teknologi",
        N_("Research, Innovation and Technology"),
        ("litbang", "riset", "inovasi", "penelitian", "brida", "balitbangda"),
    ),
)

SECTOR_KEYS: tuple[str, ...] = tuple(s.key for s in SECTORS)
SECTORS_BY_KEY: dict[str, Sector] = {s.key: s for s in SECTORS}


def _sector_token(text: str) -> str:
    text = text.strip().casefold().replace("&", " dan ")
    return re.sub(r"[^a-z0-9.]+", "_", text).strip("_")


def sector_aliases(sector: Sector) -> tuple[str, ...]:
    """Everything accepted for a sector besides its key and code: its official urusan name
    (as written in UU 23/2014, in any case, "&" for "dan"), and the listed aliases: other
    names and the short forms offices write for the dinas in charge (PUPR, Damkar, Dukcapil)."""
    official = _sector_token(sector.label)
    return (*((official,) if official != sector.key else ()), *sector.aliases)


_SECTOR_LOOKUP: dict[str, str] = {}
for _s in SECTORS:
    _SECTOR_LOOKUP[_s.key] = _s.key
    if _s.code:
        _SECTOR_LOOKUP[_s.code] = _s.key
    for _a in sector_aliases(_s):
        _SECTOR_LOOKUP.setdefault(_a, _s.key)


def close_value(word: str, options: Iterable[str]) -> str | None:
    """The option a mistyped ``word`` most likely meant, or None: one within two edits (one
    for words under six letters; a swap of two letters is one edit), else the one ``word``
    begins, as a whole word. Nothing merely similar: ``keuangan`` is not ``kehutanan``."""
    word = word.strip().casefold()
    if not word:
        return None
    limit = 1 if len(word) < 6 else 2
    best: tuple[int, str] | None = None
    for option in options:
        distance = _edits(word, option.casefold(), limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, option)
    if best is not None:
        return best[1]
    starting = [o for o in options if o.casefold().startswith(word + "_")]
    return starting[0] if len(starting) == 1 else None


def _edits(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap of neighbours) from ``a`` to ``b``; any number
    above ``limit`` is returned as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(current[j - 1] + 1, row[j] + 1, row[j - 1] + cost)
            if (
                before is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return min(row[-1], limit + 1)


def close_sector(word: str) -> str | None:
    """The sector key a mistyped sector most likely meant (by its key or an alias), or None."""
    token = _sector_token(word)
    found = close_value(token, _SECTOR_LOOKUP)
    return _SECTOR_LOOKUP[found] if found is not None else None


def resolve_sector(value: str) -> str | None:
    """Return the sector key for a key, a code (``1.02``) or a listed alias; None if unknown."""
    if value in SECTORS_BY_KEY:  # a key as written by `fmt`: its own token
        return value
    return _SECTOR_LOOKUP.get(_sector_token(value))


def default_category(party_kinds: list[str]) -> str:
    """The legal category implied by the kinds of the parties (docs/record-format.md)."""
    if all(kind in REGIONAL_KINDS for kind in party_kinds):
        return "ksdd"
    if "pemda_luar_negeri" in party_kinds:
        return "ksdpl"
    if "lembaga_luar_negeri" in party_kinds:
        return "ksdll"
    if "kementerian_lembaga" in party_kinds:
        return "sinergi"
    return "ksdpk"


@dataclass(frozen=True, slots=True)
class Term:
    """One value of a vocabulary as `kerjasama vocab` shows it."""

    key: str
    label: str
    code: str | None = None
    aliases: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "code": self.code,
            "label": self.label,
            "aliases": list(self.aliases),
        }


_LABELS: dict[str, Labels] = {
    "document": DOCUMENT_LABELS,
    "category": CATEGORY_LABELS,
    "party_kind": PARTY_KIND_LABELS,
    "stage": STAGE_LABELS,
    "end_reason": END_REASON_LABELS,
    "funding": FUNDING_LABELS,
    "recommendation": RECOMMENDATION_LABELS,
    "status": STATUS_LABELS,
}


def label(vocabulary: str, key: str) -> str:
    """The label of ``key``, a value of ``vocabulary`` (``document``, ``category``,
    ``party_kind``, ``sector``, ``stage``, ``end_reason``, ``funding``, ``recommendation``, or
    ``status`` for a computed status), in the language in force: ``label("document",
    "kesepakatan_bersama")`` is "Kesepakatan Bersama (KB/MoU)" in Indonesian. A key the
    vocabulary does not know is returned as it is (the label of what is not a value is the
    text itself)."""
    if vocabulary == "sector":
        sector = SECTORS_BY_KEY.get(key)
        return _(sector.english) if sector is not None else key
    labels = _LABELS.get(vocabulary)
    return labels[key] if labels is not None and key in labels else key


def has_label(vocabulary: str, key: str) -> bool:
    """Whether ``key`` is a value of ``vocabulary`` with a label (see ``label``)."""
    if vocabulary == "sector":
        return key in SECTORS_BY_KEY
    return key in _LABELS.get(vocabulary, {})


def vocabularies() -> dict[str, tuple[Term, ...]]:
    """Every vocabulary a record uses, in the order of the record format, with its terms
    (labels in the language in force)."""
    documents = tuple(
        Term(
            key,
            DOCUMENT_LABELS[key],
            aliases=tuple(w for w, k in DOCUMENT_WORDS.items() if k == key),
        )
        for key in DOCUMENTS
    )
    return {
        "document": documents,
        "category": tuple(Term(key, CATEGORY_LABELS[key]) for key in CATEGORIES),
        "party_kind": tuple(Term(key, PARTY_KIND_LABELS[key]) for key in PARTY_KINDS),
        "sector": tuple(
            Term(s.key, label("sector", s.key), s.code, sector_aliases(s)) for s in SECTORS
        ),
        "stage": tuple(Term(key, STAGE_LABELS[key]) for key in STAGES),
        "end_reason": tuple(Term(key, END_REASON_LABELS[key]) for key in END_REASONS),
        "funding": tuple(Term(key, FUNDING_LABELS[key]) for key in FUNDING),
        "recommendation": tuple(Term(key, RECOMMENDATION_LABELS[key]) for key in RECOMMENDATIONS),
    }
