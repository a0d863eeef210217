"""Controlled vocabularies of the record format (UU 23/2014, PP 28/2018, Permendagri 22/2020)."""

from __future__ import annotations

import re
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


@dataclass(frozen=True, slots=True)
class Sector:
    """One urusan pemerintahan (or cross-cutting topic) an agreement can cover."""

    key: str
    code: str | None
    label: str
    aliases: tuple[str, ...] = ()


SECTORS: tuple[Sector, ...] = (
    Sector("pendidikan", "1.01", "pendidikan", ("education",)),
    Sector("kesehatan", "1.02", "kesehatan", ("health",)),
    Sector(
        "pekerjaan_umum",
        "1.03",
        "pekerjaan umum dan penataan ruang",
        ("pupr", "infrastruktur", "jalan", "tata_ruang", "penataan_ruang", "sumber_daya_air"),
    ),
    Sector("perumahan", "1.04", "perumahan rakyat dan kawasan permukiman", ("perkim",)),
    Sector(
        "trantibum",
        "1.05",
        "ketenteraman, ketertiban umum, dan pelindungan masyarakat",
        ("penanggulangan_bencana", "kebencanaan", "bencana", "pemadam_kebakaran", "linmas"),
    ),
    Sector("sosial", "1.06", "sosial", ("kemiskinan", "penanggulangan_kemiskinan")),
    Sector("tenaga_kerja", "2.07", "tenaga kerja", ("ketenagakerjaan",)),
    Sector(
        "pemberdayaan_perempuan",
        "2.08",
        "pemberdayaan perempuan dan pelindungan anak",
        ("pppa", "perlindungan_anak"),
    ),
    Sector("pangan", "2.09", "pangan", ("ketahanan_pangan",)),
    Sector("pertanahan", "2.10", "pertanahan", ()),
    Sector("lingkungan_hidup", "2.11", "lingkungan hidup", ("lingkungan",)),
    Sector(
        "kependudukan",
        "2.12",
        "administrasi kependudukan dan pencatatan sipil",
        ("adminduk", "dukcapil", "pencatatan_sipil"),
    ),
    Sector("pemberdayaan_desa", "2.13", "pemberdayaan masyarakat dan desa", ("pmd", "desa")),
    Sector(
        "keluarga_berencana",
        "2.14",
        "pengendalian penduduk dan keluarga berencana",
        ("pengendalian_penduduk",),
    ),
    Sector("perhubungan", "2.15", "perhubungan", ("transportasi",)),
    Sector(
        "komunikasi_informatika",
        "2.16",
        "komunikasi dan informatika",
        ("kominfo", "diskominfo", "diskominfotik"),
    ),
    Sector("koperasi_ukm", "2.17", "koperasi, usaha kecil, dan menengah", ("umkm", "koperasi")),
    Sector("penanaman_modal", "2.18", "penanaman modal", ("investasi", "dpmptsp")),
    Sector("kepemudaan_olahraga", "2.19", "kepemudaan dan olah raga", ("olahraga", "pemuda")),
    Sector("statistik", "2.20", "statistik", ()),
    Sector("persandian", "2.21", "persandian", ()),
    Sector("kebudayaan", "2.22", "kebudayaan", ("budaya",)),
    Sector("perpustakaan", "2.23", "perpustakaan", ()),
    Sector("kearsipan", "2.24", "kearsipan", ("arsip",)),
    Sector("kelautan_perikanan", "3.25", "kelautan dan perikanan", ("perikanan", "kelautan")),
    Sector("pariwisata", "3.26", "pariwisata", ("tourism",)),
    Sector("pertanian", "3.27", "pertanian", ("perkebunan", "peternakan")),
    Sector("kehutanan", "3.28", "kehutanan", ()),
    Sector("energi_sdm", "3.29", "energi dan sumber daya mineral", ("esdm", "energi")),
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
        ("perencanaan", "potensi_daerah", "pengembangan_potensi_daerah"),
    ),
    Sector("kepegawaian", None, "pengembangan SDM aparatur", ("sdm_aparatur", "bkpsdm")),
    Sector(
        "penelitian_pengembangan",
        None,
        "penelitian, inovasi, teknologi",
        ("litbang", "riset", "inovasi", "penelitian"),
    ),
)

SECTOR_KEYS: tuple[str, ...] = tuple(s.key for s in SECTORS)
SECTORS_BY_KEY: dict[str, Sector] = {s.key: s for s in SECTORS}


def _sector_token(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "_", text.strip().casefold()).strip("_")


_SECTOR_LOOKUP: dict[str, str] = {}
for _s in SECTORS:
    _SECTOR_LOOKUP[_s.key] = _s.key
    if _s.code:
        _SECTOR_LOOKUP[_s.code] = _s.key
    for _a in _s.aliases:
        _SECTOR_LOOKUP[_a] = _s.key


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
