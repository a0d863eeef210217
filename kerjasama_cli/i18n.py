"""The words meant for people, in Bahasa Indonesia or English (gettext catalogs).

Every message, help text, header and report heading is written in English in the code and
wrapped in ``_()`` (or marked with ``N_()`` where it is defined before the language is known,
and passed through ``_()`` where it is shown). The translations live in
``kerjasama_cli/locale/<lang>/LC_MESSAGES/kerjasama.po``, compiled to ``.mo`` for the wheel.
Placeholders are named (``_("unknown region {name}").format(name=...)``) so that a translation
can put them in its own order.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from pathlib import Path

DOMAIN = "kerjasama"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("id", "en")

_language = "en"
_translation: _gettext.NullTranslations = _gettext.NullTranslations()


def language() -> str:
    """The language in force: ``"id"`` or ``"en"``."""
    return _language


def set_language(lang: str) -> None:
    """Use ``lang`` (``"id"`` or ``"en"``) for every word from now on."""
    global _language, _translation
    _language = lang if lang in LANGUAGES else "en"
    if _language == "en":
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[_language], fallback=True
        )


def _(message: str) -> str:
    """``message`` in the language in force."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` of something, in the language in force."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (translated where shown)."""
    return message


_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
}  # fmt: skip
_SHORT_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}


def format_date(day: dt.date | None, *, short: bool = False) -> str:
    """A date as people write it in the language in force: "5 February 2024", "5 Februari
    2024" (``short``: "5 Feb 2024", "5 Agu 2024", for narrow tables); "" for None. JSON, CSV
    and ids keep ISO dates: this is for human tables and reports only."""
    if day is None:
        return ""
    months = (_SHORT_MONTHS if short else _MONTHS).get(_language, _MONTHS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}"
