"""How a vocabulary value is shown to a person: its label, in one place.

Human tables and reports (list, show, summarise) show "Kesepakatan Bersama (KB/MoU)" and
"Akan berakhir" where the record has ``kesepakatan_bersama`` and the status is
``akan_berakhir``; JSON, CSV and ids keep the keys. The labels are the regulations' own terms
(vocab.py), so they read the same in both languages, as `kerjasama vocab` shows them.
"""

from __future__ import annotations

from kerjasama_cli.vocab import (
    CATEGORY_LABELS,
    DOCUMENT_ABBREVIATIONS,
    DOCUMENT_LABELS,
    END_REASON_LABELS,
    FUNDING_LABELS,
    PARTY_KIND_LABELS,
    RECOMMENDATION_LABELS,
    SECTORS_BY_KEY,
    STAGE_LABELS,
)

# The computed status (status.py), as a Bagian Kerja Sama says it.
STATUS_LABELS = {
    "aktif": "Aktif",
    "akan_berakhir": "Akan berakhir",
    "belum_berlaku": "Belum berlaku",
    "kedaluwarsa": "Kedaluwarsa",
    "berakhir": "Berakhir",
    "dibatalkan": "Dibatalkan",
    "draf": "Draf",
}

# The groups a Bappeda counts its agreements by (cli.md, summarise --by counterpart_group).
COUNTERPART_GROUP_LABELS = {
    "pemerintah_daerah": "Pemerintah daerah",
    "kementerian_lembaga": "Kementerian/lembaga",
    "perguruan_tinggi": "Perguruan tinggi",
    "badan_usaha": "Badan usaha (BUMN/BUMD/BUMS)",
    "luar_negeri": "Luar negeri",
    "lainnya": "Lainnya",
}

_LABELS: dict[str, dict[str, str]] = {
    "document": DOCUMENT_LABELS,
    "status": STATUS_LABELS,
    "party_kind": PARTY_KIND_LABELS,
    "counterpart_kind": PARTY_KIND_LABELS,
    "counterpart_group": COUNTERPART_GROUP_LABELS,
    "stage": STAGE_LABELS,
    "end_reason": END_REASON_LABELS,
    "funding": FUNDING_LABELS,
    "recommendation": RECOMMENDATION_LABELS,
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def label(field: str, key: str) -> str:
    """The label of ``key`` in the vocabulary ``field``; the key itself when it has none."""
    if field == "category":
        meaning = CATEGORY_LABELS.get(key)
        name = "Sinergi" if key == "sinergi" else key.upper()
        return f"{name} ({meaning})" if meaning else key
    if field == "sector":
        sector = SECTORS_BY_KEY.get(key)
        return _capital(sector.label) if sector else key
    return _LABELS.get(field, {}).get(key, key)


def short_label(field: str, key: str) -> str:
    """A label for a narrow place (a cross-tab's column, a list's column): "KB", "KSDD"."""
    if field == "document" and key in DOCUMENT_ABBREVIATIONS:
        abbr = DOCUMENT_ABBREVIATIONS[key]
        return abbr.upper() if len(abbr) <= 3 else abbr.capitalize()
    if field == "category":
        return "Sinergi" if key == "sinergi" else key.upper()
    return label(field, key)
