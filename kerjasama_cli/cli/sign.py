"""`kerjasama sign`."""

from __future__ import annotations

from typing import Annotated

import typer

from kerjasama_cli.cli.completion import complete_record_id
from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_, _


def sign(
    record_id: Annotated[
        str,
        typer.Argument(metavar="ID", help=N_("The draft's id."), autocompletion=complete_record_id),
    ],
    on: Annotated[
        str,
        typer.Option("--on", metavar="DATE", help=N_("Signed on, YYYY-MM-DD."), show_default=False),
    ],
    ends_on: Annotated[
        str | None,
        typer.Option(
            "--ends-on",
            metavar="DATE",
            help=N_("Last day in force, YYYY-MM-DD."),
            show_default=False,
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(
            "--years",
            metavar="N",
            help=N_("A term of N years: ends_on is the day before the Nth anniversary of --on."),
            show_default=False,
        ),
    ] = None,
    numbers: Annotated[
        list[str] | None,
        typer.Option(
            "--number",
            metavar="PARTY=NUMBER",
            help=N_(
                "A party's document number; PARTY is its region, name or 1-based position "
                "(repeatable)."
            ),
            show_default=False,
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="PLACE", help=N_("Where it was signed."), show_default=False),
    ] = None,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """`kerjasama sign` (its help is given in ``register``)."""
    from kerjasama_cli import changing
    from kerjasama_cli.authoring import Refused
    from kerjasama_cli.cli.filters import parse_date
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    signed = parse_date(on, "--on")
    assert signed is not None
    end = parse_date(ends_on, "--ends-on")
    if years is not None:
        if end is not None:
            raise UsageError(_("--ends-on and --years say the same thing; give one of them"))
        if not years.strip().isdigit() or int(years) < 1:
            raise UsageError(
                _("--years: expected a whole number of years (1, 2, 5), got {years!r}").format(
                    years=years
                )
            )
        end = changing.day_before_anniversary(signed, int(years))
    pairs: list[tuple[str, str]] = []
    for given in numbers or []:
        party, sep, number = given.partition("=")
        if not sep or not party.strip() or not number.strip():
            raise UsageError(
                _(
                    '--number: expected PARTY=NUMBER (e.g. "Kaur=180/12/2024" or "2=180/12/2024"), '
                    "got {given!r}"
                ).format(given=given)
            )
        pairs.append((party.strip(), number.strip()))
    place = at.strip() if at is not None else None
    if at is not None and not place:
        raise UsageError(_("--at: expected the place where it was signed"))
    signing = changing.Signing(signed, end, tuple(pairs), place)
    try:
        changed = changing.sign_record(folder, record_id, signing, use_cache=not no_cache)
    except Refused as refused:
        out.render_findings(refused.findings)
        raise
    out.render_changed(changed.path, "signed", changed.moved_from, changed.warnings)


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Sign a draft: set signed_on (and ends_on, numbers, signed_at) and move it from "
            "draf/ to its year's folder.\n\n"
            "Checked against the whole registry before writing; comments are kept. Refused "
            "(exit 1, nothing written) for a record already signed or a change that would make "
            "it invalid."
        ),
    )(sign)
