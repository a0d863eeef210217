"""How a vocabulary value is shown to a person: its label, in one place.

Human tables and reports (list, show, summarise) show "Kesepakatan Bersama (KB/MoU)" and
"Akan berakhir" where the record has ``kesepakatan_bersama`` and the status is
``akan_berakhir``; JSON, CSV and ids keep the keys. The labels are ``vocab.label``'s, in the
language in force (the regulations' own terms in Indonesian), with a capital where they start
a table cell, plus the counterpart groups of `summarise`.
"""

from __future__ import annotations

from kerjasama_cli.i18n import N_, _
from kerjasama_cli.vocab import (
    CATEGORY_LABELS,
    DOCUMENT_ABBREVIATIONS,
    STATUS_LABELS,
    Labels,
    has_label,
)
from kerjasama_cli.vocab import label as vocab_label

__all__ = ["COUNTERPART_GROUP_LABELS", "STATUS_LABELS", "label", "short_label"]

# The groups a Bappeda counts its agreements by (cli.md, summarise --by counterpart_group).
COUNTERPART_GROUP_LABELS = Labels(
    {
        "pemerintah_daerah": N_("Regional governments"),
        "kementerian_lembaga": N_("Ministries and agencies"),
        "perguruan_tinggi": N_("Universities"),
        "badan_usaha": N_("Enterprises (BUMN/BUMD/private)"),
        "luar_negeri": N_("Foreign partners"),
        "lainnya": N_("Others"),
    }
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def label(field: str, key: str) -> str:
    """The label of ``key`` in the vocabulary ``field``; the key itself when it has none."""
    if field == "category":
        if key not in CATEGORY_LABELS:
            return key
        name = _("Sinergi") if key == "sinergi" else key.upper()
        return _("{name} ({meaning})").format(name=name, meaning=CATEGORY_LABELS[key])
    if field == "counterpart_group":
        return COUNTERPART_GROUP_LABELS.get(key, key)
    vocabulary = "party_kind" if field == "counterpart_kind" else field
    return _capital(vocab_label(vocabulary, key)) if has_label(vocabulary, key) else key


def short_label(field: str, key: str) -> str:
    """A label for a narrow place (a cross-tab's column, a list's column): "KB", "KSDD"."""
    if field == "document" and key in DOCUMENT_ABBREVIATIONS:
        abbr = DOCUMENT_ABBREVIATIONS[key]
        return abbr.upper() if len(abbr) <= 3 else abbr.capitalize()
    if field == "category":
        return _("Sinergi") if key == "sinergi" else key.upper()
    return label(field, key)
