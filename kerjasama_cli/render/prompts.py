"""The questions interactive `add` asks (Rich prompts on stderr, answers read from stdin).

In a terminal, Tab completes region names, sector keys and vocabulary values (readline).
Every answer is checked as it is given: a region must resolve to exactly one region and be
confirmed by its official name and code; a sector must be a key, code or alias; a date must be
``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console
from rich.prompt import Confirm, Prompt, PromptBase
from rich.text import Text, TextType

from kerjasama_cli.errors import UsageError
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import N_, _, pgettext
from kerjasama_cli.render import stderr
from kerjasama_cli.vocab import (
    CATEGORIES,
    DOCUMENT_WORDS,
    DOCUMENTS,
    ORG_KINDS,
    SECTOR_KEYS,
    close_sector,
    default_category,
    resolve_sector,
)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WITH_PARENT = ("perjanjian_kerja_sama", "adendum")


@contextmanager
def _completion(words: Sequence[str]) -> Iterator[None]:
    """Tab-complete ``words`` while a question is asked (only in a real terminal)."""
    if not sys.stdin.isatty():
        yield
        return
    try:
        import readline
    except ImportError:  # pragma: no cover - no readline on this platform
        yield
        return

    def complete(text: str, state: int) -> str | None:
        folded = text.casefold()
        matches = [w for w in words if w.casefold().startswith(folded)]
        return matches[state] if state < len(matches) else None

    old_completer = readline.get_completer()
    old_delims = readline.get_completer_delims()
    readline.set_completer(complete)
    readline.set_completer_delims(",")
    readline.parse_and_bind("tab: complete")
    try:
        yield
    finally:
        readline.set_completer(old_completer)
        readline.set_completer_delims(old_delims)


_NOT_UTF8 = N_("an answer is not UTF-8 text (check the terminal's encoding); nothing was written")
_INPUT_ENDED = N_("the input ended before the record was complete; nothing was written")


# An escape sequence of the terminal (colour, bold): readline must not count it as width.
_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


class _ReadlinePrompt(PromptBase[Any]):
    """Rich's question, with its prompt given to ``input()`` where readline reads the answer.

    Rich prints the prompt itself and calls ``input()`` with none; readline (used when stdin
    and stdout are both terminals, and for Tab completion here) then believes the cursor is
    at the start of an empty line, and an empty answer (Enter, to take the default) printed no
    line break: the next question followed on the same line."""

    @classmethod
    def get_input(
        cls, console: Console, prompt: TextType, password: bool, stream: TextIO | None = None
    ) -> str:
        if password or stream is not None or not (sys.stdin.isatty() and sys.stdout.isatty()):
            return super().get_input(console, prompt, password, stream)
        with console.capture() as captured:
            console.print(prompt, end="")
        # \x01 and \x02 tell readline where what takes no width starts and ends.
        shown = _ESCAPE.sub(lambda m: f"\x01{m[0]}\x02", captured.get())
        return input(shown)


class _Question(_ReadlinePrompt, Prompt):
    """A question with a text answer."""


def _ask(question: str, *, words: Sequence[str] = (), **kwargs: Any) -> str:
    try:
        with _completion(words):
            answer: str = _Question.ask(Text(question), console=stderr(), **kwargs)
    except EOFError:
        raise UsageError(_(_INPUT_ENDED)) from None
    except UnicodeDecodeError:
        raise UsageError(_(_NOT_UTF8)) from None
    if not _is_utf8(answer):  # stdin decoded with surrogateescape keeps the bad bytes so
        raise UsageError(_(_NOT_UTF8))
    return answer.strip()


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _YesNo(_ReadlinePrompt, Confirm):
    """Rich's yes/no question with its letters and its complaint about another answer in the
    language in force (``[y/t]`` in Indonesian: *ya*, *tidak*); the words of either language
    are taken as well ("y", "ya", "yes", "n", "t", "tidak", "no")."""

    _YES = frozenset({"y", "ya", "yes"})
    _NO = frozenset({"n", "t", "tidak", "no"})

    @property
    def validate_error_message(self) -> str:  # type: ignore[override]
        return "[prompt.invalid]" + _("Please enter Y or N")

    def process_response(self, value: str) -> bool:
        answer = value.strip().casefold()
        if answer in self._YES:
            return True
        if answer in self._NO:
            return False
        return super().process_response(value)


def _confirm(question: str, default: bool = True) -> bool:
    try:
        return _YesNo.ask(
            Text(question),
            console=stderr(),
            default=default,
            # The letters shown, "[y/n]" and the default "(y)": the answer's first letter.
            choices=[pgettext("answer", "y"), pgettext("answer", "n")],
        )
    except EOFError:
        raise UsageError(_(_INPUT_ENDED)) from None
    except UnicodeDecodeError:
        raise UsageError(_(_NOT_UTF8)) from None


def _say(message: str, style: str = "yellow") -> None:
    stderr().print(Text(message, style=style))


def _ask_choice(
    question: str,
    choices: Sequence[str],
    *,
    default: str = "",
    aliases: dict[str, str] | None = None,
) -> str:
    """One of ``choices``: typed in full, as an alias, or as an unambiguous beginning
    (empty gives ``default``, which may be "" for none)."""
    shown = f"{question} [{'/'.join(choices)}]"
    while True:
        answer = _ask(shown, words=choices, default=default, show_default=bool(default))
        if not answer:
            return default
        key = answer.casefold().replace("-", "_").replace(" ", "_")
        key = (aliases or {}).get(key, key)
        matches = [c for c in choices if c == key] or [c for c in choices if c.startswith(key)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            said = _("{answer!r} is not one of them (could be {matches})").format(
                answer=answer, matches=", ".join(matches)
            )
        else:
            said = _("{answer!r} is not one of them").format(answer=answer)
        _say("  " + said)


def _ask_date(question: str, not_before: tuple[str, Any] | None = None) -> dt.date | None:
    """A date YYYY-MM-DD (empty: None), not before ``not_before`` (the key and its date)."""
    from kerjasama_cli.model import date_hint

    earliest = _as_date(not_before[1]) if not_before else None
    while True:
        answer = _ask(question, default="", show_default=False)
        if not answer:
            return None
        date: dt.date | None = None
        if _DATE_RE.match(answer):
            try:
                date = dt.date.fromisoformat(answer)
            except ValueError:
                _say(
                    "  "
                    + _("{answer!r} is not a real calendar date; write it YYYY-MM-DD").format(
                        answer=answer
                    )
                )
                continue
        elif re.search(r"[^\W\d_]", answer):  # a month's name ("5 Februari 2024"): one reading
            date = _named_date(answer)
            if date is not None:
                _say("  " + _("read as {date}").format(date=date.isoformat()))
        if date is None:
            _say(
                "  "
                + _("{answer!r} is not a date; write it YYYY-MM-DD (e.g. 2024-02-05)").format(
                    answer=answer
                )
                + date_hint(answer)
            )
            continue
        if earliest is not None and not_before is not None and date < earliest:
            _say(
                "  "
                + _("{date} is before {key} {earliest}; expected {earliest} or later").format(
                    date=date, key=not_before[0], earliest=earliest
                )
            )
            continue
        return date


def _named_date(answer: str) -> dt.date | None:
    """A date written with its month's name, in Indonesian or English ("5 Februari 2024", "5
    Feb 2024"), as import reads one; None for anything else, and for a two-digit year."""
    from kerjasama_cli.exchange.reading import read_date

    reading = read_date(answer)
    return reading.value if reading.problem is None and not reading.inferred else None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _region_words() -> list[str]:
    return sorted({r.name for r in load_gazetteer().regions})


def _ask_party(number: int, parties: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One party, or None when the person is done (at least two parties given)."""
    gazetteer = load_gazetteer()
    if len(parties) >= 2:
        question = _(
            "Party {number} (region name or code, 'org' for another kind of party, empty to finish)"
        ).format(number=number)
    else:
        question = _(
            "Party {number} (region name or code, 'org' for another kind of party)"
        ).format(number=number)
    while True:
        answer = _ask(
            question,
            words=["org", *_region_words()],
            default="",
            show_default=False,
        )
        if not answer:
            if len(parties) >= 2:
                return None
            _say("  " + _("an agreement has at least two parties"))
            continue
        if answer.casefold() == "org":
            name = ""
            while not name:
                name = _ask("  " + _("Name of the party"))
            kind = ""
            while not kind:
                kind = _ask_choice("  " + _("Kind"), ORG_KINDS)
            return {"name": name, "kind": kind}
        resolution = gazetteer.resolve(answer)
        region = resolution.region
        picked = False
        if region is None and len(resolution.matches) > 1:
            region = _pick_region(answer, list(resolution.matches))
            if region is None:
                continue
            picked = True  # chosen by its official name and code: no need to confirm it
        elif region is None:
            _say(f"  {resolution.describe_problem()}")
            continue
        if not region.can_be_party:
            _say(
                "  "
                + _(
                    "{name} ({code}) is administrative and cannot sign; "
                    "the party is Provinsi DKI Jakarta (31)"
                ).format(name=region.official_name, code=region.code)
            )
            continue
        if any(p.get("region") == region.code for p in parties):
            _say("  " + _("{name} is already a party").format(name=region.official_name))
            continue
        if picked or _confirm(f"  {region.official_name} ({region.code})?"):
            return {"region": region.code}


def _pick_region(answer: str, candidates: list[Any]) -> Any:
    """One of the regions an ambiguous name could be, chosen by its number (None: none)."""
    _say("  " + _("{answer!r} could be:").format(answer=answer), style="")
    for number, region in enumerate(candidates, 1):
        _say(f"    {number}) {region.official_name} ({region.code})", style="")
    numbers = [str(n) for n in range(1, len(candidates) + 1)]
    while True:
        choice = _ask(
            "  " + _("Which one? [{numbers}, empty for none]").format(numbers="/".join(numbers)),
            default="",
            show_default=False,
        )
        if not choice:
            return None
        if choice in numbers:
            return candidates[int(choice) - 1]
        _say(
            "  "
            + _("{choice!r} is not one of {numbers}").format(
                choice=choice, numbers=", ".join(numbers)
            )
        )


def _ask_sectors() -> list[str]:
    while True:
        answer = _ask(
            _("Sectors (keys, urusan codes or aliases, separated by commas)"), words=SECTOR_KEYS
        )
        values = [v.strip() for v in answer.split(",") if v.strip()]
        keys: list[str] = []
        unknown: list[str] = []
        for value in values:
            key = resolve_sector(value)
            if key is None:
                unknown.append(value)
            elif key not in keys:
                keys.append(key)
        for value in unknown:
            close = close_sector(value)
            if close:
                said = _("unknown sector {value!r}; did you mean {close!r}?").format(
                    value=value, close=close
                )
            else:
                said = _("unknown sector {value!r}").format(value=value)
            _say("  " + said)
        if keys and not unknown:
            return keys
        if not values:
            _say("  " + _("give at least one sector"))


def _kind_of(party: dict[str, Any]) -> str:
    if "region" in party:
        return load_gazetteer().by_code[party["region"]].kind
    return str(party.get("kind", ""))


def ask_record(
    data: dict[str, Any],
    ids: Sequence[str] = (),
    documents: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """Ask for everything a new record needs that ``data`` (from flags, or answers kept from
    a refused run) does not give, adding each answer to ``data`` as it is given (so that the
    answers so far can be kept when the person stops)."""
    console = stderr()
    console.print(Text(_("New agreement (Ctrl-C to stop; nothing is written until the end)")))
    if "document" not in data:
        data["document"] = _ask_choice(
            _("Document"), DOCUMENTS, default="kesepakatan_bersama", aliases=DOCUMENT_WORDS
        )
    while not data.get("title"):
        data["title"] = _ask(_("Title (what the agreement is about)"))
    if not data.get("parties"):
        parties: list[dict[str, Any]] = []
        while True:
            party = _ask_party(len(parties) + 1, parties)
            if party is None:
                break
            parties.append(party)
        data["parties"] = parties
    if not data.get("sectors"):
        data["sectors"] = _ask_sectors()
    if "signed_on" not in data:
        # An empty answer is kept as None: asked once (also when resuming), left out at the end.
        data["signed_on"] = _ask_date(_("Signed on (YYYY-MM-DD, empty for a draft)"))
    if data.get("signed_on"):
        if "signed_at" not in data:
            place = _ask(_("Signed at (empty to skip)"), default="", show_default=False)
            data["signed_at"] = place or None
        if "starts_on" not in data:
            value = _ask_date(
                _("Starts on (empty: the day of signing)"), ("signed_on", data["signed_on"])
            )
            data["starts_on"] = value
        if "ends_on" not in data:
            start = ("starts_on", data["starts_on"]) if data.get("starts_on") else None
            value = _ask_date(
                _("Ends on (last day in force; empty if not known)"),
                start or ("signed_on", data["signed_on"]),
            )
            data["ends_on"] = value
    if "category" not in data:
        derived = default_category([_kind_of(p) for p in data["parties"]])
        category = _ask_choice(
            _("Category (empty: {derived}, from the parties)").format(derived=derived), CATEGORIES
        )
        data["category"] = category or None
    if "parent" not in data and data["document"] in _WITH_PARENT:
        data["parent"] = _ask_parent(ids, documents) or None
    if "sources" not in data:
        source = _ask(_("Source (URL or title; empty for none)"), default="", show_default=False)
        key = "url" if source.startswith(("http://", "https://")) else "title"
        data["sources"] = [{key: source}] if source else None
    return data


def _ask_parent(ids: Sequence[str], documents: Mapping[str, str | None] | None) -> str:
    """The id of an existing kesepakatan bersama or nota kesepakatan (empty: none)."""
    while True:
        parent = _ask(
            _("Parent (id of the KB this implements; empty for none)"),
            default="",
            show_default=False,
            words=ids,
        )
        if not parent:
            return ""
        if parent not in ids:
            close = difflib.get_close_matches(parent, ids, n=1, cutoff=0.6)
            if close:
                said = _("no record has id {parent!r}; did you mean {close}?").format(
                    parent=parent, close=close[0]
                )
            else:
                said = _("no record has id {parent!r}").format(parent=parent)
            _say("  " + said)
            continue
        document = (documents or {}).get(parent)
        if document not in (None, "kesepakatan_bersama", "nota_kesepakatan"):
            _say(
                "  "
                + _(
                    "{parent} is a {document}; expected a kesepakatan_bersama or nota_kesepakatan"
                ).format(parent=parent, document=document)
            )
            continue
        return parent


def confirm_write(shown_path: str) -> bool:
    """The last question: write the record shown?"""
    return _confirm(_("Write {path}?").format(path=shown_path))
