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
from collections.abc import Mapping
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


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in force, where the same English word needs another
    translation in ``context`` ("ended" as a status, and as the date a record ended)."""
    return _translation.pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` of something, in the language in force."""
    return _translation.ngettext(singular, plural, n)


def in_every_language(message: str) -> tuple[str, ...]:
    """``message`` as each language says it (English first): for reading back words a person
    saw in either language."""
    words = [message]
    for lang in LANGUAGES:
        if lang != "en":
            words.append(
                _gettext.translation(
                    DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
                ).gettext(message)
            )
    return tuple(words)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (translated where shown)."""
    return message


# The languages' names people write for them instead of the code.
_NAMES = {
    "indonesia": "id",
    "indonesian": "id",
    "bahasa": "id",
    "bahasa_indonesia": "id",
    "english": "en",
    "inggris": "en",
}


def from_code(value: str | None) -> str | None:
    """``"id"`` or ``"en"`` for a language code or locale name that starts with one, or the
    language's name (``indonesia``, ``bahasa indonesia``, ``english``)."""
    if not value:
        return None
    code = value.strip().casefold().replace("-", "_")
    named = _NAMES.get("_".join(code.split()))
    if named is not None:
        return named
    for lang in LANGUAGES:
        if code == lang or code.startswith(lang + "_") or code.startswith(lang + "."):
            return lang
    return None


def from_locale(environ: Mapping[str, str]) -> str | None:
    """``"id"`` when the locale in force (``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``: the
    first that is set, as the C library reads them) is Indonesian; None otherwise."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "id" if from_code(value) == "id" else None
    return None


def choose(environ: Mapping[str, str], configured: str | None) -> str:
    """The language, from the first that applies (the contract's order): ``KERJASAMA_LANG``,
    ``lang`` in the registry's configuration, the locale, English. A value that names neither
    language is passed over."""
    return (
        from_code(environ.get("KERJASAMA_LANG"))
        or from_code(configured)
        or from_locale(environ)
        or "en"
    )


MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


# For narrow tables (the terminal's list): "5 Feb 2024", "31 Agu 2025".
SHORT_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def format_date(day: dt.date | None, blank: str = "", *, short: bool = False) -> str:
    """A date as people write it: "5 February 2024", "5 Februari 2024" (not for JSON or CSV);
    ``short``: "5 Feb 2024", "5 Agu 2024"."""
    if day is None:
        return blank
    month = (SHORT_MONTHS if short else MONTHS)[day.month - 1]
    return f"{day.day} {_(month)} {day.year}"
