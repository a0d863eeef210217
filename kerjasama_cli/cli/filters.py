"""The record filters shared by `list`, `summarise` and `export`, as one decorator.

``@filter_options`` adds the filter flags of cli.md (and ``--as-of``, ``--expiry-window``) to a
command's signature and hands the command one ``Selection`` instead of a dozen arguments.
Without ``--expiry-window`` the window is the registry's configured ``expiry_window``
(config.py), found from the command's own ``data_dir`` argument, so ``selection.window_days``
is always the window in force.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from kerjasama_cli.cli.options import AsOf, ExpiryWindow
from kerjasama_cli.cli.resolve import resolve_region
from kerjasama_cli.errors import UsageError
from kerjasama_cli.i18n import N_, _
from kerjasama_cli.status import DEFAULT_WINDOW_DAYS
from kerjasama_cli.vocab import (
    CATEGORIES,
    DOCUMENT_WORDS,
    DOCUMENTS,
    PARTY_KINDS,
    SECTOR_KEYS,
    STATUSES,
    close_sector,
    close_value,
    resolve_sector,
)

if TYPE_CHECKING:
    from kerjasama_cli.query import Filter  # imported when used: it pulls in the model

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Selection:
    """Which records a command works on, and the date and window their status is computed for."""

    where: Filter
    as_of: dt.date
    window_days: int


def pasted_text(value: str) -> str:
    """Text given to a flag, trimmed, its line ends as a record file keeps them: text pasted
    from Windows (CRLF) or an old Mac (CR) was refused as "cannot be rewritten safely"."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        from kerjasama_cli.model import date_hint, not_in_calendar

        impossible = not_in_calendar(value)
        if impossible is not None:  # written right, but no such day: say so, not the format
            raise UsageError(f"{option}: {impossible}") from None
        hint = date_hint(value)
        raise UsageError(
            _("{option}: expected a date YYYY-MM-DD, got {value!r}{hint}").format(
                option=option, value=value, hint=hint
            )
        ) from None


def _status_words() -> dict[str, str]:
    """The statuses as tables show them (their labels, in both languages), taken for the keys:
    ``berlaku`` and ``in_force`` for ``aktif``."""
    from kerjasama_cli.i18n import in_every_language
    from kerjasama_cli.vocab import STATUS_LABELS

    return {
        word.casefold().replace("-", "_").replace(" ", "_"): key
        for key, english in STATUS_LABELS.english().items()
        for word in in_every_language(english)
    }


def _choice(
    values: list[str] | None,
    allowed: tuple[str, ...],
    option: str,
    aliases: dict[str, str] | None = None,
) -> tuple[str, ...]:
    out: list[str] = []
    for raw in values or []:
        for value in (v.strip() for v in raw.split(",")):
            key = value.casefold().replace("-", "_").replace(" ", "_")
            key = (aliases or {}).get(key, key)
            if key not in allowed:
                close = close_value(key, allowed)
                if close:
                    said = _("{option}: unknown value {value!r}; did you mean {close!r}?")
                else:
                    said = _("{option}: unknown value {value!r}; expected one of {allowed}")
                raise UsageError(
                    said.format(option=option, value=value, close=close, allowed=", ".join(allowed))
                )
            out.append(key)
    return tuple(out)


def choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    """One value of a vocabulary given to ``option``; UsageError naming the expected values."""
    found = _choice([value], allowed, option)
    if len(found) != 1:
        raise UsageError(
            _("{option}: expected one of {allowed}, got {value!r}").format(
                option=option, allowed=", ".join(allowed), value=value
            )
        )
    return found[0]


def _sectors(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for raw in values or []:
        for value in (v.strip() for v in raw.split(",")):
            key = resolve_sector(value)
            if key is None:
                close = close_sector(value)
                if close:
                    said = _("--sector: unknown sector {value!r}; did you mean {close!r}?")
                else:
                    said = _(
                        "--sector: unknown sector {value!r}; `kerjasama vocab sector` lists them"
                    )
                raise UsageError(said.format(value=value, close=close))
            out.append(key)
    return tuple(out)


def _complete(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete)]

    return complete


def _complete_region(incomplete: str) -> list[tuple[str, str]]:
    from kerjasama_cli.cli.completion import complete_region

    return complete_region(incomplete)


_FILTER_PARAMS: dict[str, Any] = {
    "region": Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            metavar="REGION",
            help=N_("A party is this region (code, name or alias; repeatable = any of them)."),
            autocompletion=_complete_region,
            show_default=False,
        ),
    ],
    "within": Annotated[
        list[str] | None,
        typer.Option(
            "--within",
            metavar="REGION",
            help=N_("A party is this region or lies inside this province (repeatable)."),
            autocompletion=_complete_region,
            show_default=False,
        ),
    ],
    "document": Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            metavar="DOCUMENT",
            help=N_(
                "Document kind (kesepakatan_bersama or kb, perjanjian_kerja_sama or pks, ...)."
            ),
            autocompletion=_complete(DOCUMENTS),
            show_default=False,
        ),
    ],
    "category": Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            metavar="CATEGORY",
            help=N_("ksdd, ksdpk, ksdpl, ksdll, sinergi (given or derived)."),
            autocompletion=_complete(CATEGORIES),
            show_default=False,
        ),
    ],
    "status": Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            # vocab.STATUSES, written out: a help text is one literal, for the catalog.
            help=N_(
                "Computed status: dibatalkan, berakhir, draf, belum_berlaku, kedaluwarsa, "
                "akan_berakhir, aktif."
            ),
            autocompletion=_complete(STATUSES),
            show_default=False,
        ),
    ],
    "sector": Annotated[
        list[str] | None,
        typer.Option(
            "--sector",
            metavar="SECTOR",
            help=N_("Sector key, code or alias (repeatable)."),
            autocompletion=_complete(SECTOR_KEYS),
            show_default=False,
        ),
    ],
    "party_kind": Annotated[
        list[str] | None,
        typer.Option(
            "--party-kind",
            metavar="KIND",
            help=N_("A party is of this kind (provinsi, kabupaten, kota, ptn, bumn, ...)."),
            autocompletion=_complete(PARTY_KINDS),
            show_default=False,
        ),
    ],
    "year": Annotated[
        list[int] | None,
        typer.Option(
            "--year", metavar="YEAR", help=N_("Year of signed_on (repeatable)."), show_default=False
        ),
    ],
    "signed_from": Annotated[
        str | None,
        typer.Option(
            "--signed-from", metavar="DATE", help=N_("Signed on or after DATE."), show_default=False
        ),
    ],
    "signed_to": Annotated[
        str | None,
        typer.Option(
            "--signed-to", metavar="DATE", help=N_("Signed on or before DATE."), show_default=False
        ),
    ],
    "expiring_within": Annotated[
        int | None,
        typer.Option(
            "--expiring-within",
            metavar="DAYS",
            min=0,
            help=N_("In force and ending within DAYS of --as-of."),
            show_default=False,
        ),
    ],
    "search": Annotated[
        list[str] | None,
        typer.Option(
            "--search",
            metavar="TEXT",
            help=N_("Text in title, scope, notes or party names (case-insensitive)."),
            show_default=False,
        ),
    ],
    "as_of": AsOf,
    "expiry_window": ExpiryWindow,
}


def build_selection(values: dict[str, Any], default_window: int = DEFAULT_WINDOW_DAYS) -> Selection:
    """Turn the raw option values into a Selection, or raise UsageError (exit 2)."""
    from kerjasama_cli.query import Filter

    where = Filter(
        regions=tuple(resolve_region(v, "--region").code for v in values["region"] or []),
        within=tuple(resolve_region(v, "--within").code for v in values["within"] or []),
        documents=_choice(values["document"], DOCUMENTS, "--document", DOCUMENT_WORDS),
        categories=_choice(values["category"], CATEGORIES, "--category"),
        statuses=_choice(
            values["status"], STATUSES, "--status", _status_words() if values["status"] else None
        ),
        sectors=_sectors(values["sector"]),
        party_kinds=_choice(values["party_kind"], PARTY_KINDS, "--party-kind"),
        years=tuple(values["year"] or ()),
        signed_from=parse_date(values["signed_from"], "--signed-from"),
        signed_to=parse_date(values["signed_to"], "--signed-to"),
        expiring_within=values["expiring_within"],
        search=tuple(values["search"] or ()),
    )
    as_of = parse_date(values["as_of"], "--as-of") or dt.date.today()
    window = values["expiry_window"]
    return Selection(where, as_of, default_window if window is None else window)


def configured_window(data_dir: Path | None) -> int:
    """The registry's ``expiry_window`` (kerjasama.toml / [tool.kerjasama]), else the default.

    The data folder is resolved as the command will resolve it (``--data-dir``, else
    ``$KERJASAMA_DATA``, else ``./data``); when it is missing the command reports that itself.
    """
    from kerjasama_cli.config import load_config
    from kerjasama_cli.errors import DataFolderNotFound
    from kerjasama_cli.storage import find_data_dir

    try:
        folder = find_data_dir(data_dir)
    except DataFolderNotFound:
        return DEFAULT_WINDOW_DAYS
    return load_config(folder).expiry_window


def filter_options(func: F) -> F:
    """Add the filter flags to a command; it receives ``selection: Selection`` instead."""
    original = inspect.signature(func, eval_str=True)
    kept = [p for p in original.parameters.values() if p.name != "selection"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
        for name, annotation in _FILTER_PARAMS.items()
    ]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _FILTER_PARAMS}
        window = DEFAULT_WINDOW_DAYS
        if values["expiry_window"] is None:
            window = configured_window(kwargs.get("data_dir"))
        return func(selection=build_selection(values, window), **kwargs)

    wrapper.__signature__ = original.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in kept] + added
    )
    wrapper.__annotations__ = {}
    return wrapper  # type: ignore[return-value]
