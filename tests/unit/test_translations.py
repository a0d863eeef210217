"""The Indonesian catalog: complete, in step with the code, compiled, and chosen as the
contract says (KERJASAMA_LANG, then `lang` in kerjasama.toml, then the locale, then English)."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import kerjasama_cli
from kerjasama_cli import i18n

PACKAGE = Path(kerjasama_cli.__file__).parent
PO = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "kerjasama.po"
MO = PO.with_suffix(".mo")
FIX = "run `python scripts/translations.py` and translate what it marks (README, Translations)"


def _key(message_id: str | tuple[str, ...], context: str | None = None) -> str:
    """A message's id (its singular), after its context as gettext keeps them ("ctx\x04id")."""
    singular = message_id if isinstance(message_id, str) else message_id[0]
    return singular if context is None else f"{context}\x04{singular}"


def _catalog() -> dict[str, tuple[str, bool]]:
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    return {
        _key(m.id, m.context): (_key(m.string) if m.string else "", m.fuzzy)
        for m in catalog
        if m.id
    }


def _in_code() -> set[str]:
    found = extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=DEFAULT_KEYWORDS
    )
    return {_key(message, context) for _file, _line, message, _comments, context in found}


def _fields(text: str) -> set[str]:
    return {
        name.split("!")[0].split(".")[0].split("[")[0]
        for _lit, name, _spec, _conv in string.Formatter().parse(text)
        if name is not None
    }


def test_every_message_in_the_code_is_in_the_catalog() -> None:
    missing = sorted(_in_code() - set(_catalog()))
    assert not missing, f"{len(missing)} messages not in the catalog ({FIX}): {missing[:10]}"


def test_the_catalog_has_no_message_the_code_no_longer_has() -> None:
    stale = sorted(set(_catalog()) - _in_code())
    assert not stale, f"{len(stale)} messages no longer in the code ({FIX}): {stale[:10]}"


def test_every_message_has_an_indonesian_translation() -> None:
    empty = sorted(k for k, (text, _fuzzy) in _catalog().items() if not text.strip())
    fuzzy = sorted(k for k, (_text, is_fuzzy) in _catalog().items() if is_fuzzy)
    assert not empty, f"{len(empty)} messages without a translation: {empty[:10]}"
    assert not fuzzy, f"{len(fuzzy)} translations marked fuzzy (to check): {fuzzy[:10]}"


def test_translations_keep_every_placeholder() -> None:
    wrong = [
        (k, text) for k, (text, _f) in _catalog().items() if text and _fields(k) != _fields(text)
    ]
    assert not wrong, f"placeholders differ: {wrong[:5]}"


def test_the_compiled_catalog_is_the_catalog() -> None:
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for key, (text, _fuzzy) in _catalog().items():
        context, _, message = key.rpartition("\x04")
        shown = compiled.pgettext(context, message) if context else compiled.gettext(message)
        assert shown == text, f"{MO.name} is stale ({FIX}): {key!r}"


@pytest.mark.parametrize(
    ("environ", "configured", "expected"),
    [
        ({}, None, "en"),
        ({"KERJASAMA_LANG": "id"}, None, "id"),
        ({"KERJASAMA_LANG": "en"}, "id", "en"),
        ({"KERJASAMA_LANG": "id_ID.UTF-8"}, "en", "id"),
        ({"KERJASAMA_LANG": "fr"}, "id", "id"),  # not a language of the tool: passed over
        ({"KERJASAMA_LANG": "indonesia"}, None, "id"),  # the language's name
        ({"KERJASAMA_LANG": "Bahasa Indonesia"}, "en", "id"),
        ({"KERJASAMA_LANG": "English"}, "id", "en"),
        ({}, "id", "id"),
        ({"LANG": "id_ID.UTF-8"}, "en", "en"),
        ({"LANG": "id_ID.UTF-8"}, None, "id"),
        ({"LC_MESSAGES": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, None, "id"),
        ({"LC_ALL": "C.UTF-8", "LANG": "id_ID.UTF-8"}, None, "en"),  # LC_ALL wins
        ({"LC_ALL": "id_ID", "LANG": "C"}, None, "id"),
        ({"LANG": "de_DE.UTF-8"}, None, "en"),
    ],
)
def test_the_language_is_chosen_in_the_contracts_order(
    environ: dict[str, str], configured: str | None, expected: str
) -> None:
    assert i18n.choose(environ, configured) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "5 February 2024"), ("id", "5 Februari 2024")]
)
def test_dates_for_people(lang: str, expected: str) -> None:
    i18n.set_language(lang)
    assert i18n.format_date(dt.date(2024, 2, 5)) == expected


def test_no_message_is_translated_at_import() -> None:
    """Module-level text is marked with N_() and translated where shown: a `_()` call outside
    a function runs once, at import, in whatever language was in force then."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"[A-Za-z_][A-Za-z0-9_]*(: [^=]+)? = .*(?<![\w.])_\(\s*[\"']", line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert not offenders, offenders
