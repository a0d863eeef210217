"""`kerjasama validate`."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kerjasama_cli.cli.options import DataDir, NoCache
from kerjasama_cli.i18n import N_, _

if TYPE_CHECKING:
    from kerjasama_cli.findings import CheckResult


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help=N_("Files or folders to report on (default: the whole registry)."),
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            help=N_(
                "text, json, github workflow commands, or sarif (SARIF 2.1.0 for code scanning)."
            ),
        ),
    ] = ValidateFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help=N_("Warnings fail the run too."))
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REF",
            help=N_(
                "Report only records changed since the git ref REF (committed, staged, "
                "unstaged or untracked), and references to records deleted since then."
            ),
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="RULES",
            help=N_(
                "Report only these rules (codes or prefixes, comma-separated: KS2,KS301). "
                "Replaces the configured select."
            ),
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="RULES",
            help=N_(
                "Never report these rules (codes or prefixes, comma-separated: KS904,KS9). "
                "Replaces the configured ignore; --ignore '' ignores none."
            ),
            show_default=False,
        ),
    ] = None,
    summary_file: Annotated[
        Path | None,
        typer.Option(
            "--summary-file",
            metavar="PATH",
            help=N_(
                "Append a Markdown table of all findings to PATH "
                "(default: $GITHUB_STEP_SUMMARY when set)."
            ),
            show_default=False,
        ),
    ] = None,
    no_cache: NoCache = False,
) -> None:
    """Check every record (or the named files) against the record format; exit 1 on errors."""
    from kerjasama_cli import render
    from kerjasama_cli.config import load_config
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.registry import check_changes, check_registry
    from kerjasama_cli.render import findings as out
    from kerjasama_cli.render.progress import registry_bar
    from kerjasama_cli.rule_selection import parse_codes
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    if summary_file is not None:
        from kerjasama_cli.storage.output import refuse_inside_registry

        refuse_inside_registry(summary_file, folder, "--summary-file")
    rules = load_config(folder).rules(
        None if select is None else parse_codes(select, "--select"),
        None if ignore is None else parse_codes(ignore, "--ignore"),
    )
    missing = [str(p) for p in paths or [] if not p.exists()]
    if missing:
        raise UsageError(_("no such file or folder: {paths}").format(paths=", ".join(missing)))
    scope = ""
    if changed_since is not None:
        from kerjasama_cli.changes import changed_since as find_changes

        changes = find_changes(changed_since, folder, paths or None)
        with registry_bar(_("checking records"), use_cache=not no_cache) as tick:
            result = check_changes(
                folder, changes.changed, changes.gone_ids, use_cache=not no_cache, progress=tick
            )
        scope = _("records changed since {ref}").format(ref=changed_since)
    else:
        with registry_bar(_("checking records"), use_cache=not no_cache) as tick:
            result = check_registry(folder, paths or None, use_cache=not no_cache, progress=tick)
    result = rules.apply(result)
    env_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    summary_target = summary_file or (Path(env_summary) if env_summary else None)
    render.set_exit_when_cut(1 if result.failed(strict=strict) else 0)
    if output_format is ValidateFormat.json:
        out.render_json(result)
        out.render_summary_line(result)
    elif output_format is ValidateFormat.sarif:
        out.render_sarif(result)
        out.render_summary_line(result)
    elif output_format is ValidateFormat.github:
        out.render_github(result, summary=summary_target is not None)
    else:
        out.render_text(result)
    if summary_target is not None:
        _write_summary(result, summary_target, folder, scope, explicit=summary_file is not None)
    raise typer.Exit(1 if result.failed(strict=strict) else 0)


def _write_summary(
    result: CheckResult, target: Path, folder: Path, scope: str, *, explicit: bool
) -> None:
    """Append the job summary; a failure is a usage error for --summary-file, a warning "
    "otherwise."""
    from kerjasama_cli import render
    from kerjasama_cli.errors import UsageError, system_reason
    from kerjasama_cli.render.job_summary import SUMMARY_LIMIT_BYTES, render_job_summary
    from kerjasama_cli.storage import append_text, file_size
    from kerjasama_cli.storage.output import refuse_inside_registry

    try:
        refuse_inside_registry(target, folder, "$GITHUB_STEP_SUMMARY")
    except UsageError as exc:  # --summary-file was refused before the registry was read
        render.warn(str(exc))
        return
    try:
        budget = SUMMARY_LIMIT_BYTES - file_size(target)
        text = render_job_summary(result, scope=scope, budget=budget)
        if text:
            append_text(target, text)
        else:
            render.warn(
                _("job summary {path} is full (1 MiB); the findings were not added").format(
                    path=target
                )
            )
    except OSError as exc:
        message = _("cannot write the job summary to {path}: {reason}").format(
            path=target, reason=system_reason(exc)
        )
        if explicit:
            raise UsageError(f"--summary-file: {message}") from None
        render.warn(f"$GITHUB_STEP_SUMMARY: {message}")


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Check every record (or the named files) against the record format; exit 1 on "
            "errors.\n\n"
            "Cross-file checks (unique ids, references) always see the whole registry. "
            "Defaults for --select, --ignore come from kerjasama.toml or [tool.kerjasama] in "
            "pyproject.toml, in the data folder or its parent."
        ),
    )(validate)
