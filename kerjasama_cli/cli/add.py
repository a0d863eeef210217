"""`kerjasama add`."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kerjasama_cli.cli.completion import complete_record_id, complete_region
from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_, _
from kerjasama_cli.vocab import CATEGORIES, DOCUMENTS, FUNDING, SECTOR_KEYS, STAGES

if TYPE_CHECKING:
    from kerjasama_cli.authoring import Submission
    from kerjasama_cli.parties import PartyExtra

# Set to 1 to be asked even when stdin is not a terminal (scripts and tests feeding answers).
INTERACTIVE_ENV = "KERJASAMA_INTERACTIVE"

# In kept answers: the keys `add --resume` asks for again after a duplicate.
_ASK_AGAIN = "_ask_again"
# The flag that gives each key, to say where a refused value came from.
FLAG_HINTS = {
    "id": "--id",
    "title": "--title",
    "document": "--document",
    "category": "--category",
    "parties": "--party/--party-org",
    "sectors": "--sector",
    "signed_on": "--signed-on",
    "signed_at": "--signed-at",
    "starts_on": "--starts-on",
    "ends_on": "--ends-on",
    "parent": "--parent",
    "sources": "--source",
    "scope": "--scope",
    "stage": "--stage",
    "obligation": "--obligation",
    "units": "--unit",
    "funding": "--funding",
    "notes": "--notes",
    "tags": "--tag",
    "supersedes": "--supersedes",
    "related": "--related",
}


def given_hints(flags: Mapping[str, Any]) -> dict[str, str]:
    """The flag hints of the keys given as flags: an interactive add names no flag for what
    was typed at a prompt."""
    return {key: flag for key, flag in FLAG_HINTS.items() if key in flags}


def _complete(words: tuple[str, ...]) -> Any:
    def complete(incomplete: str) -> list[str]:
        return [w for w in words if w.startswith(incomplete)]

    return complete


def _org(value: str) -> dict[str, str]:
    from kerjasama_cli.cli.filters import _choice
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.vocab import ORG_KINDS, REGIONAL_KINDS

    name, sep, kind = value.rpartition(":")
    if not sep or not name.strip() or not kind.strip():
        raise UsageError(
            _(
                '--party-org: expected "NAME:KIND" (e.g. "Universitas Bengkulu:ptn"); got {value!r}'
            ).format(value=value)
        )
    if kind.strip().casefold() in REGIONAL_KINDS:
        raise UsageError(
            _(
                "--party-org: {kind!r} is a regional government; give it with --party "
                "(a region code or name)"
            ).format(kind=kind.strip())
        )
    (kind_key,) = _choice([kind], ORG_KINDS, "--party-org KIND")
    return {"name": name.strip(), "kind": kind_key}


def _flag_data(options: dict[str, Any]) -> dict[str, Any]:
    """The record keys the flags give (only those given). Every flag with a wrong value is
    said, not only the first (UsageErrors)."""
    from kerjasama_cli.cli.filters import _choice, _sectors, parse_date
    from kerjasama_cli.errors import UsageError, UsageErrors
    from kerjasama_cli.vocab import DOCUMENT_WORDS, FUNDING, OBLIGATIONS, STAGES

    data: dict[str, Any] = {}
    problems: list[str] = []

    def put(key: str, convert: Callable[[], Any]) -> None:
        try:
            value = convert()
        except UsageError as exc:
            problems.extend(exc.lines())
            return
        if value is not None:
            data[key] = value

    if options["record_id"] is not None:
        data["id"] = options["record_id"]
    for key in ("title", "signed_at", "parent"):
        if options[key] is not None:
            data[key] = options[key]
    if options["document"] is not None:
        put(
            "document",
            lambda: _choice([options["document"]], DOCUMENTS, "--document", DOCUMENT_WORDS)[0],
        )
    if options["category"] is not None:
        put("category", lambda: _choice([options["category"]], CATEGORIES, "--category")[0])
    parties: list[dict[str, Any]] = [{"region": r} for r in options["party"] or []]
    for org in options["party_org"] or []:
        try:
            parties.append(_org(org))
        except UsageError as exc:
            problems.extend(exc.lines())
    if parties:
        data["parties"] = parties
    if options["sector"]:
        put("sectors", lambda: list(dict.fromkeys(_sectors(options["sector"]))))
    for key in ("signed_on", "starts_on", "ends_on"):
        flag = "--" + key.replace("_", "-")
        put(key, functools.partial(parse_date, options[key], flag))
    for key, option in (("scope", "scope"), ("units", "unit"), ("tags", "tag")):
        if options[option]:
            data[key] = list(options[option])
    for key in ("supersedes", "related"):
        if options[key]:
            data[key] = list(options[key])
    if options["notes"] is not None:
        data["notes"] = options["notes"]
    if options["stage"] is not None:
        put("stage", lambda: _choice([options["stage"]], STAGES, "--stage")[0])
    if options["obligation"] is not None:
        put(
            "obligation",
            lambda: _choice([options["obligation"]], OBLIGATIONS, "--obligation")[0],
        )
    if options["funding"]:
        put(
            "funding",
            lambda: list(dict.fromkeys(_choice(options["funding"], FUNDING, "--funding"))),
        )
    if options["source"]:
        data["sources"] = [
            {"url" if s.startswith(("http://", "https://")) else "title": s}
            for s in options["source"]
        ]
    if problems:
        raise UsageErrors(problems)
    return data


def add(
    record_id: Annotated[
        str | None,
        typer.Option(
            "--id", metavar="ID", help=N_("The id (default: generated)."), show_default=False
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TEXT",
            help=N_("What the agreement is about. Without it, add asks."),
            show_default=False,
        ),
    ] = None,
    document: Annotated[
        str | None,
        typer.Option(
            "--document",
            metavar="DOCUMENT",
            help=N_(
                "kesepakatan_bersama (kb), perjanjian_kerja_sama (pks), nota_kesepakatan (nk), "
                "... [default: kesepakatan_bersama]"
            ),
            autocompletion=_complete(DOCUMENTS),
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            metavar="CATEGORY",
            help=N_("ksdd, ksdpk, ksdpl, ksdll or sinergi (default: derived from the parties)."),
            autocompletion=_complete(CATEGORIES),
            show_default=False,
        ),
    ] = None,
    party: Annotated[
        list[str] | None,
        typer.Option(
            "--party",
            metavar="REGION",
            help=N_("A regional government party: code, name or alias (repeatable)."),
            autocompletion=complete_region,
            show_default=False,
        ),
    ] = None,
    party_org: Annotated[
        list[str] | None,
        typer.Option(
            "--party-org",
            metavar="NAME:KIND",
            help=N_(
                'Any other party, e.g. "Universitas Bengkulu:ptn" (repeatable; after the regions).'
            ),
            show_default=False,
        ),
    ] = None,
    sector: Annotated[
        list[str] | None,
        typer.Option(
            "--sector",
            metavar="SECTOR",
            help=N_("Sector key, urusan code or alias (repeatable, or comma-separated)."),
            autocompletion=_complete(SECTOR_KEYS),
            show_default=False,
        ),
    ] = None,
    signed_on: Annotated[
        str | None,
        typer.Option(
            "--signed-on",
            metavar="DATE",
            help=N_("YYYY-MM-DD (absent: a draft)."),
            show_default=False,
        ),
    ] = None,
    signed_at: Annotated[
        str | None,
        typer.Option(
            "--signed-at", metavar="PLACE", help=N_("Place of signing."), show_default=False
        ),
    ] = None,
    starts_on: Annotated[
        str | None,
        typer.Option(
            "--starts-on", metavar="DATE", help=N_("Default: the signing date."), show_default=False
        ),
    ] = None,
    ends_on: Annotated[
        str | None,
        typer.Option(
            "--ends-on", metavar="DATE", help=N_("Last day in force."), show_default=False
        ),
    ] = None,
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent",
            metavar="ID",
            autocompletion=complete_record_id,
            help=N_("The KB this PKS or adendum implements."),
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            metavar="URL",
            help=N_("Where the facts come from (repeatable; text without http(s):// is a title)."),
            show_default=False,
        ),
    ] = None,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope", metavar="TEXT", help=N_("Scope item (repeatable)."), show_default=False
        ),
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            metavar="STAGE",
            help=N_("Stage of the process (vocabulary stage)."),
            autocompletion=_complete(STAGES),
            show_default=False,
        ),
    ] = None,
    obligation: Annotated[
        str | None,
        typer.Option(
            "--obligation", metavar="WAJIB|SUKARELA", help=N_("KSDD only."), show_default=False
        ),
    ] = None,
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            metavar="UNIT",
            help=N_("Implementing unit, e.g. Bappeda (repeatable)."),
            show_default=False,
        ),
    ] = None,
    funding: Annotated[
        list[str] | None,
        typer.Option(
            "--funding",
            metavar="SOURCE",
            help=N_("apbd, apbn, pihak_ketiga, hibah, lainnya (repeatable)."),
            autocompletion=_complete(FUNDING),
            show_default=False,
        ),
    ] = None,
    notes: Annotated[
        str | None, typer.Option("--notes", metavar="TEXT", help=N_("Notes."), show_default=False)
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", metavar="TAG", help=N_("A tag, a slug (repeatable)."), show_default=False
        ),
    ] = None,
    supersedes: Annotated[
        list[str] | None,
        typer.Option(
            "--supersedes",
            metavar="ID",
            help=N_("An agreement this one replaces (repeatable)."),
            autocompletion=complete_record_id,
            show_default=False,
        ),
    ] = None,
    related: Annotated[
        list[str] | None,
        typer.Option(
            "--related",
            metavar="ID",
            help=N_("A related agreement (repeatable)."),
            autocompletion=complete_record_id,
            show_default=False,
        ),
    ] = None,
    number: Annotated[
        list[str] | None,
        typer.Option(
            "--number",
            metavar="PARTY=NUMBER",
            help=N_(
                "A party's document number; PARTY is its region or name as given, or its "
                "1-based position (repeatable)."
            ),
            show_default=False,
        ),
    ] = None,
    signatory: Annotated[
        list[str] | None,
        typer.Option(
            "--signatory",
            metavar="PARTY=NAME:POSITION",
            help=N_('Who signed for a party, e.g. "Kaur=Lismidianto:Bupati Kaur" (repeatable).'),
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help=N_(
                "Ask again, starting from the answers kept when an interactive add was "
                "refused or stopped (only the refused answers are asked again)."
            ),
        ),
    ] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate",
            help=N_(
                "Write the record even when the registry has one with the same document, "
                "parties and signed_on (unsigned: and title)."
            ),
        ),
    ] = False,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from-file",
            metavar="FILE|-",
            help=N_("A whole record in YAML (- reads stdin); flags given too override its keys."),
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """`kerjasama add` (its help is given in ``register``)."""
    options = dict(locals())
    from kerjasama_cli import authoring
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir, creating=True)
    flags = _flag_data(options)
    extras = _party_extras(number, signatory)
    try:
        _add(
            folder, flags, from_file, title, extras,
            use_cache=not no_cache, allow_duplicate=allow_duplicate, resume=resume,
        )  # fmt: skip
    except authoring.Refused as refused:
        # With --title every value came from a flag (a missing key's hint names the flag that
        # gives it); interactively, only those given as flags did.
        hints = None if from_file else FLAG_HINTS if title is not None else given_hints(flags)
        out.render_findings(refused.findings, hints)
        raise


def _add(
    folder: Path,
    flags: dict[str, Any],
    from_file: str | None,
    title: str | None,
    extras: list[PartyExtra],
    *,
    use_cache: bool,
    allow_duplicate: bool,
    resume: bool = False,
) -> None:
    from kerjasama_cli import authoring
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.render import writes as out

    if resume and (from_file is not None or title is not None):
        raise UsageError(
            _("--resume continues an interactive add; it takes no --title or --from-file")
        )
    if from_file is not None:
        if from_file == "-":
            submission = _stdin_submission()
        else:
            path = Path(from_file)
            if path.is_dir():
                raise UsageError(
                    _("--from-file: {path} is a folder; expected a record file").format(
                        path=from_file
                    )
                )
            if not path.is_file():
                raise UsageError(_("--from-file: no such file: {path}").format(path=from_file))
            submission = authoring.read_submission(path)
        submission.data.update(flags)
    elif title is not None:
        flags.setdefault("document", "kesepakatan_bersama")
        submission = authoring.Submission(flags)
    elif resume or sys.stdin.isatty() or os.environ.get(INTERACTIVE_ENV) == "1":
        _add_interactively(
            folder, flags, extras, use_cache=use_cache, allow_duplicate=allow_duplicate,
            resume=resume,
        )  # fmt: skip
        return
    else:
        raise UsageError(
            _("--title is required when stdin is not a terminal (or give --from-file FILE|-)")
        )
    from kerjasama_cli.parties import apply_party_extras

    apply_party_extras(submission.data, extras)
    path, prepared = authoring.add_record(
        folder, submission, use_cache=use_cache, allow_duplicate=allow_duplicate
    )
    out.render_findings(prepared.warnings, None if submission.label else FLAG_HINTS)
    out.render_path(path)


def _stdin_submission() -> Submission:
    """The record on stdin, read as bytes and checked as a record file is (size, UTF-8)."""
    from kerjasama_cli import authoring
    from kerjasama_cli.storage.files import read_stream_text

    text, findings = read_stream_text(sys.stdin.buffer, "<stdin>")
    if text is None:
        raise authoring.Refused(_("<stdin> cannot be read; nothing was written"), findings)
    return authoring.load_submission("<stdin>", text)


def _add_interactively(
    folder: Path,
    flags: dict[str, Any],
    extras: list[PartyExtra],
    *,
    use_cache: bool,
    allow_duplicate: bool,
    resume: bool,
) -> None:
    """Ask for the record, show it, and write it once confirmed. The answers are kept when
    the record is refused, the input ends or the person stops, for `add --resume`."""
    from kerjasama_cli import authoring
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.render import prompts
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import display_path
    from kerjasama_cli.storage.answers import forget_answers, load_answers, save_answers

    registry = load_registry(folder, use_cache=use_cache)
    ids = sorted({e.raw_id for e in registry.entries if e.raw_id})
    answers = dict(flags)
    if resume:
        kept = load_answers(folder)
        if kept is None:
            raise UsageError(
                _(
                    "no answers are kept for this data folder; --resume continues an "
                    "interactive add that was refused or stopped"
                )
            )
        # After a duplicate: what made it one is asked again, unless it is to be written as it is.
        again = kept.pop(_ASK_AGAIN, None)
        if isinstance(again, list) and not allow_duplicate:
            kept = {k: v for k, v in kept.items() if k not in again}
        answers = {**kept, **flags}

    def keep(unasked: Collection[str] = ()) -> str:
        path = save_answers(folder, {k: v for k, v in answers.items() if k not in unasked})
        if unasked:
            return _(
                "your answers are kept in {path}; kerjasama add --resume starts from them "
                "(asking again for {keys})"
            ).format(path=path, keys=", ".join(sorted(unasked)))
        return _("your answers are kept in {path}; kerjasama add --resume starts from them").format(
            path=path
        )

    def keep_duplicate(keys: list[str]) -> str:
        path = save_answers(folder, {**answers, _ASK_AGAIN: keys})
        return _(
            "your answers are kept in {path}; kerjasama add --resume asks again for {keys}, "
            "and kerjasama add --resume --allow-duplicate writes it as it is"
        ).format(path=path, keys=", ".join(keys))

    try:
        prompts.ask_record(answers, ids, registry.documents())
    except (UsageError, KeyboardInterrupt) as stopped:
        if set(answers) == set(flags):
            raise
        if isinstance(stopped, UsageError):
            said = f"{stopped}; {keep()}"
        else:
            said = _("stopped; {kept}").format(kept=keep())
            if sys.stdin.isatty():  # Ctrl-C left the cursor on the question's line
                sys.stderr.write("\n")
        raise UsageError(said) from None
    submission = authoring.Submission({k: v for k, v in answers.items() if v is not None})
    from kerjasama_cli.parties import apply_party_extras

    apply_party_extras(submission.data, extras)
    try:
        prepared = authoring.prepare_record(registry, submission, allow_duplicate=allow_duplicate)
    except authoring.Refused as refused:
        refused_keys = {f.key.split(".")[0].split("[")[0] for f in refused.findings if f.key}
        if refused.keys and not refused_keys:  # a duplicate: nothing in it is wrong
            said = f"{refused}; {keep_duplicate(sorted(refused.keys))}"
            raise authoring.Refused(said, refused.findings) from None
        said = f"{refused}; {keep(refused_keys)}"
        raise authoring.Refused(said, refused.findings) from None
    out.render_findings(prepared.warnings, given_hints(flags))
    target = prepared.path(folder)
    out.render_preview(prepared.text, target)
    if not prompts.confirm_write(display_path(target)):
        out.render_message(_("nothing was written; {kept}").format(kept=keep()))
        raise typer.Exit(1)
    written = authoring.write_prepared(folder, prepared)
    forget_answers(folder)
    out.render_path(written)


def _party_extras(numbers: list[str] | None, signatories: list[str] | None) -> list[PartyExtra]:
    from kerjasama_cli.errors import UsageError

    extras: list[PartyExtra] = []
    for given in numbers or []:
        party, sep, value = given.partition("=")
        if not sep or not party.strip() or not value.strip():
            raise UsageError(
                _(
                    '--number: expected "PARTY=NUMBER" (e.g. "Kaur=180/12/2024"); got {given!r}'
                ).format(given=given)
            )
        extras.append(("--number", party.strip(), "number", value.strip()))
    for given in signatories or []:
        party, sep, rest = given.partition("=")
        name, colon, position = rest.rpartition(":")
        if not sep or not colon or not party.strip() or not name.strip() or not position.strip():
            raise UsageError(
                _(
                    '--signatory: expected "PARTY=NAME:POSITION" (e.g. "Kaur=Lismidianto:Bupati '
                    'Kaur"); got {given!r}'
                ).format(given=given)
            )
        signer = {"name": name.strip(), "position": position.strip()}
        extras.append(("--signatory", party.strip(), "signatory", signer))
    return extras


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Add an agreement: check it against the registry, then write "
            "agreements/<year|draf>/<id>.yaml.\n\n"
            "Prints the path of the new file. Never overwrites a file; a refused record writes "
            "nothing (exit 1). Without --title (and --from-file) and in a terminal, asks for "
            "each value."
        )
    )(add)
