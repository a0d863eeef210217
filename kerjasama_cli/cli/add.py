"""`kerjasama add`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kerjasama_cli.cli.completion import complete_record_id, complete_region
from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.vocab import CATEGORIES, DOCUMENTS, SECTOR_KEYS

if TYPE_CHECKING:
    from kerjasama_cli.authoring import Submission

# Set to 1 to be asked even when stdin is not a terminal (scripts and tests feeding answers).
INTERACTIVE_ENV = "KERJASAMA_INTERACTIVE"

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
}


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
            f'--party-org: expected "NAME:KIND" (e.g. "Universitas Bengkulu:ptn"); got {value!r}'
        )
    if kind.strip().casefold() in REGIONAL_KINDS:
        raise UsageError(
            f"--party-org: {kind.strip()!r} is a regional government; give it with --party "
            "(a region code or name)"
        )
    (kind_key,) = _choice([kind], ORG_KINDS, "--party-org KIND")
    return {"name": name.strip(), "kind": kind_key}


def _flag_data(options: dict[str, Any]) -> dict[str, Any]:
    """The record keys the flags give (only those given)."""
    from kerjasama_cli.cli.filters import _choice, _sectors, parse_date
    from kerjasama_cli.vocab import DOCUMENT_WORDS

    data: dict[str, Any] = {}
    if options["record_id"] is not None:
        data["id"] = options["record_id"]
    for key in ("title", "signed_at", "parent"):
        if options[key] is not None:
            data[key] = options[key]
    if options["document"] is not None:
        (data["document"],) = _choice(
            [options["document"]], DOCUMENTS, "--document", DOCUMENT_WORDS
        )
    if options["category"] is not None:
        (data["category"],) = _choice([options["category"]], CATEGORIES, "--category")
    parties = [{"region": r} for r in options["party"] or []]
    parties += [_org(o) for o in options["party_org"] or []]
    if parties:
        data["parties"] = parties
    if options["sector"]:
        data["sectors"] = list(dict.fromkeys(_sectors(options["sector"])))
    for key in ("signed_on", "starts_on", "ends_on"):
        value = parse_date(options[key], "--" + key.replace("_", "-"))
        if value is not None:
            data[key] = value
    if options["source"]:
        data["sources"] = [
            {"url" if s.startswith(("http://", "https://")) else "title": s}
            for s in options["source"]
        ]
    return data


def add(
    record_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="The id (default: generated).", show_default=False),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TEXT",
            help="What the agreement is about. Without it, add asks.",
            show_default=False,
        ),
    ] = None,
    document: Annotated[
        str | None,
        typer.Option(
            "--document",
            metavar="DOCUMENT",
            help="kesepakatan_bersama (kb), perjanjian_kerja_sama (pks), nota_kesepakatan (nk), ... [default: kesepakatan_bersama]",
            autocompletion=_complete(DOCUMENTS),
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            metavar="CATEGORY",
            help="ksdd, ksdpk, ksdpl, ksdll or sinergi (default: derived from the parties).",
            autocompletion=_complete(CATEGORIES),
            show_default=False,
        ),
    ] = None,
    party: Annotated[
        list[str] | None,
        typer.Option(
            "--party",
            metavar="REGION",
            help="A regional government party: code, name or alias (repeatable).",
            autocompletion=complete_region,
            show_default=False,
        ),
    ] = None,
    party_org: Annotated[
        list[str] | None,
        typer.Option(
            "--party-org",
            metavar="NAME:KIND",
            help='Any other party, e.g. "Universitas Bengkulu:ptn" (repeatable; after the regions).',
            show_default=False,
        ),
    ] = None,
    sector: Annotated[
        list[str] | None,
        typer.Option(
            "--sector",
            metavar="SECTOR",
            help="Sector key, urusan code or alias (repeatable, or comma-separated).",
            autocompletion=_complete(SECTOR_KEYS),
            show_default=False,
        ),
    ] = None,
    signed_on: Annotated[
        str | None,
        typer.Option(
            "--signed-on", metavar="DATE", help="YYYY-MM-DD (absent: a draft).", show_default=False
        ),
    ] = None,
    signed_at: Annotated[
        str | None,
        typer.Option("--signed-at", metavar="PLACE", help="Place of signing.", show_default=False),
    ] = None,
    starts_on: Annotated[
        str | None,
        typer.Option(
            "--starts-on", metavar="DATE", help="Default: the signing date.", show_default=False
        ),
    ] = None,
    ends_on: Annotated[
        str | None,
        typer.Option("--ends-on", metavar="DATE", help="Last day in force.", show_default=False),
    ] = None,
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent",
            metavar="ID",
            autocompletion=complete_record_id,
            help="The KB this PKS or adendum implements.",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            metavar="URL",
            help="Where the facts come from (repeatable; text without http(s):// is a title).",
            show_default=False,
        ),
    ] = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from-file",
            metavar="FILE|-",
            help="A whole record in YAML (- reads stdin); flags given too override its keys.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Add an agreement: check it against the registry, then write agreements/<year|draf>/<id>.yaml.

    Prints the path of the new file. Never overwrites a file; a refused record writes
    nothing (exit 1). Without --title (and --from-file) and in a terminal, asks for each value.
    """
    options = dict(locals())
    from kerjasama_cli import authoring
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    flags = _flag_data(options)
    try:
        _add(folder, flags, from_file, title, use_cache=not no_cache)
    except authoring.Refused as refused:
        out.render_findings(refused.findings, None if from_file else FLAG_HINTS)
        raise


def _add(
    folder: Path,
    flags: dict[str, Any],
    from_file: str | None,
    title: str | None,
    *,
    use_cache: bool,
) -> None:
    from kerjasama_cli import authoring
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.render import writes as out

    if from_file is not None:
        if from_file == "-":
            submission = _stdin_submission()
        else:
            path = Path(from_file)
            if not path.is_file():
                raise UsageError(f"--from-file: no such file: {from_file}")
            submission = authoring.read_submission(path)
        submission.data.update(flags)
    elif title is not None:
        flags.setdefault("document", "kesepakatan_bersama")
        submission = authoring.Submission(flags)
    elif sys.stdin.isatty() or os.environ.get(INTERACTIVE_ENV) == "1":
        _add_interactively(folder, flags, use_cache=use_cache)
        return
    else:
        raise UsageError(
            "--title is required when stdin is not a terminal (or give --from-file FILE|-)"
        )
    path, prepared = authoring.add_record(folder, submission, use_cache=use_cache)
    out.render_findings(prepared.warnings, None if submission.label else FLAG_HINTS)
    out.render_path(path)


def _stdin_submission() -> Submission:
    """The record on stdin, read as bytes and checked as a record file is (size, UTF-8)."""
    from kerjasama_cli import authoring
    from kerjasama_cli.storage.files import read_stream_text

    text, findings = read_stream_text(sys.stdin.buffer, "<stdin>")
    if text is None:
        raise authoring.Refused("<stdin> cannot be read; nothing was written", findings)
    return authoring.load_submission("<stdin>", text)


def _add_interactively(folder: Path, flags: dict[str, Any], *, use_cache: bool) -> None:
    """Ask for the record, show it, and write it once confirmed."""
    from kerjasama_cli import authoring, render
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.render import prompts
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import display_path

    registry = load_registry(folder, use_cache=use_cache)
    ids = sorted({e.raw_id for e in registry.entries if e.raw_id})
    submission = authoring.Submission(prompts.ask_record(flags, ids))
    prepared = authoring.prepare_record(registry, submission)
    out.render_findings(prepared.warnings, FLAG_HINTS)
    target = prepared.path(folder)
    out.render_preview(prepared.text, target)
    if not prompts.confirm_write(display_path(target)):
        render.note("nothing was written")
        raise typer.Exit(1)
    out.render_path(authoring.write_prepared(folder, prepared))


def register(app: typer.Typer) -> None:
    app.command()(add)
