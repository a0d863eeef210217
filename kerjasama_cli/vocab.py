"""Controlled vocabularies of the record format (UU 23/2014, PP 28/2018, Permendagri 22/2020)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

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

DOCUMENT_LABELS = {
    "kesepakatan_bersama": "Kesepakatan Bersama (KB/MoU)",
    "perjanjian_kerja_sama": "Perjanjian Kerja Sama (PKS)",
    "nota_kesepakatan": "Nota Kesepakatan",
    "pernyataan_kehendak": "Pernyataan Kehendak (LoI)",
    "naskah_kerja_sama": "Naskah Kerja Sama",
    "adendum": "Adendum",
}

CATEGORY_LABELS = {
    "ksdd": "daerah dengan daerah lain",
    "ksdpk": "daerah dengan pihak ketiga",
    "ksdpl": "daerah dengan pemerintah daerah di luar negeri",
    "ksdll": "daerah dengan lembaga di luar negeri",
    "sinergi": "daerah dengan kementerian/lembaga pusat",
}


PARTY_KIND_LABELS = {
    "provinsi": "Pemerintah Provinsi",
    "kabupaten": "Pemerintah Kabupaten",
    "kota": "Pemerintah Kota",
    "kementerian_lembaga": "Kementerian/Lembaga",
    "ptn": "Perguruan Tinggi Negeri",
    "pts": "Perguruan Tinggi Swasta",
    "bumn": "Badan Usaha Milik Negara",
    "bumd": "Badan Usaha Milik Daerah",
    "bums": "Badan Usaha Milik Swasta",
    "ormas": "Organisasi Kemasyarakatan",
    "perseorangan": "Perseorangan",
    "pemda_luar_negeri": "Pemerintah Daerah di Luar Negeri",
    "lembaga_luar_negeri": "Lembaga di Luar Negeri",
}

# PP 28/2018 Ps. 6, in order.
STAGE_LABELS = {
    "persiapan": "Persiapan",
    "penawaran": "Penawaran",
    "penyusunan_kb": "Penyusunan Kesepakatan Bersama",
    "penandatanganan_kb": "Penandatanganan Kesepakatan Bersama",
    "persetujuan_dprd": "Persetujuan DPRD",
    "penyusunan_pks": "Penyusunan Perjanjian Kerja Sama",
    "penandatanganan_pks": "Penandatanganan Perjanjian Kerja Sama",
    "pelaksanaan": "Pelaksanaan",
    "pelaporan": "Pelaporan",
}

# PP 28/2018 Ps. 9 and 22.
END_REASON_LABELS = {
    "jangka_waktu_habis": "Jangka waktu kerja sama berakhir",
    "tujuan_tercapai": "Tujuan kerja sama telah tercapai",
    "kesepakatan_para_pihak": "Kesepakatan para pihak",
    "perubahan_kebijakan": "Perubahan kebijakan nasional",
    "objek_hilang_musnah": "Objek kerja sama hilang atau musnah",
    "putusan_pengadilan": "Putusan pengadilan",
    "pihak_ketiga_pailit": "Pihak ketiga dinyatakan pailit",
    "dibatalkan": "Dibatalkan",
}

# What an evaluation (monitoring dan evaluasi) recommends for the agreement.
RECOMMENDATION_LABELS = {
    "lanjutkan": "Dilanjutkan",
    "perpanjang": "Diperpanjang",
    "revisi": "Direvisi",
    "hentikan": "Dihentikan",
}

FUNDING_LABELS = {
    "apbd": "APBD",
    "apbn": "APBN",
    "pihak_ketiga": "Pihak ketiga",
    "hibah": "Hibah",
    "lainnya": "Sumber lain",
}


@dataclass(frozen=True, slots=True)
class Sector:
    """One urusan pemerintahan (or cross-cutting topic) an agreement can cover."""

    key: str
    code: str | None
    label: str
    aliases: tuple[str, ...] = ()


SECTORS: tuple[Sector, ...] = (
    Sector("pendidikan", "1.01", "pendidikan", ("education", "disdik", "dinas_pendidikan")),
    Sector("kesehatan", "1.02", "kesehatan", ("health", "dinkes", "dinas_kesehatan")),
    Sector(
        "pekerjaan_umum",
        "1.03",
        "pekerjaan umum dan penataan ruang",
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
    Sector("perumahan", "1.04", "perumahan rakyat dan kawasan permukiman", ("perkim", "disperkim")),
    Sector(
        "trantibum",
        "1.05",
        "ketenteraman, ketertiban umum, dan pelindungan masyarakat",
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
    Sector("sosial", "1.06", "sosial", ("kemiskinan", "penanggulangan_kemiskinan", "dinsos")),
    Sector(
        "tenaga_kerja", "2.07", "tenaga kerja", ("ketenagakerjaan", "disnaker", "disnakertrans")
    ),
    Sector(
        "pemberdayaan_perempuan",
        "2.08",
        "pemberdayaan perempuan dan pelindungan anak",
        ("pppa", "dp3a", "perlindungan_anak"),
    ),
    Sector("pangan", "2.09", "pangan", ("ketahanan_pangan", "dinas_pangan")),
    Sector("pertanahan", "2.10", "pertanahan", ()),
    Sector("lingkungan_hidup", "2.11", "lingkungan hidup", ("lingkungan", "dlh")),
    Sector(
        "kependudukan",
        "2.12",
        "administrasi kependudukan dan pencatatan sipil",
        ("adminduk", "dukcapil", "disdukcapil", "pencatatan_sipil"),
    ),
    Sector(
        "pemberdayaan_desa", "2.13", "pemberdayaan masyarakat dan desa", ("pmd", "dpmd", "desa")
    ),
    Sector(
        "keluarga_berencana",
        "2.14",
        "pengendalian penduduk dan keluarga berencana",
        ("pengendalian_penduduk", "kb", "dppkb"),
    ),
    Sector("perhubungan", "2.15", "perhubungan", ("transportasi", "dishub")),
    Sector(
        "komunikasi_informatika",
        "2.16",
        "komunikasi dan informatika",
        ("kominfo", "diskominfo", "diskominfotik"),
    ),
    Sector(
        "koperasi_ukm",
        "2.17",
        "koperasi, usaha kecil, dan menengah",
        ("umkm", "koperasi", "diskop", "diskopukm"),
    ),
    Sector("penanaman_modal", "2.18", "penanaman modal", ("investasi", "dpmptsp")),
    Sector(
        "kepemudaan_olahraga", "2.19", "kepemudaan dan olah raga", ("olahraga", "pemuda", "dispora")
    ),
    Sector("statistik", "2.20", "statistik", ()),
    Sector("persandian", "2.21", "persandian", ()),
    Sector("kebudayaan", "2.22", "kebudayaan", ("budaya", "disbud")),
    Sector("perpustakaan", "2.23", "perpustakaan", ()),
    Sector("kearsipan", "2.24", "kearsipan", ("arsip",)),
    Sector(
        "kelautan_perikanan", "3.25", "kelautan dan perikanan", ("perikanan", "kelautan", "dkp")
    ),
    Sector("pariwisata", "3.26", "pariwisata", ("tourism", "dispar")),
    Sector("pertanian", "3.27", "pertanian", ("perkebunan", "peternakan", "distan")),
    Sector("kehutanan", "3.28", "kehutanan", ()),
    Sector(
        "energi_sdm", "3.29", "energi dan sumber daya mineral", ("esdm", "energi", "pertambangan")
    ),
    Sector("perdagangan", "3.30", "perdagangan", ()),
    Sector("perindustrian", "3.31", "perindustrian", ("industri",)),
    Sector("transmigrasi", "3.32", "transmigrasi", ()),
    Sector("pelayanan_publik", None, "peningkatan pelayanan publik", ("layanan_publik",)),
    Sector(
        "pemerintahan_umum",
        None,
        "kawasan perbatasan, batas daerah, penanganan konflik",
        ("perbatasan", "batas_daerah", "kawasan_perbatasan", "penanganan_konflik"),
    ),
    Sector(
        "perencanaan_pembangunan",
        None,
        "perencanaan dan pengembangan potensi daerah",
        ("perencanaan", "potensi_daerah", "pengembangan_potensi_daerah", "bappeda"),
    ),
    Sector("kepegawaian", None, "pengembangan SDM aparatur", ("sdm_aparatur", "bkpsdm")),
    Sector(
        "penelitian_pengembangan",
        None,
        "penelitian, inovasi, teknologi",
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


def vocabularies() -> dict[str, tuple[Term, ...]]:
    """Every vocabulary a record uses, in the order of the record format, with its terms."""
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
        "sector": tuple(Term(s.key, s.label, s.code, sector_aliases(s)) for s in SECTORS),
        "stage": tuple(Term(key, STAGE_LABELS[key]) for key in STAGES),
        "end_reason": tuple(Term(key, END_REASON_LABELS[key]) for key in END_REASONS),
        "funding": tuple(Term(key, FUNDING_LABELS[key]) for key in FUNDING),
        "recommendation": tuple(Term(key, RECOMMENDATION_LABELS[key]) for key in RECOMMENDATIONS),
    }
