"""Output of `validate`: text lines, JSON and GitHub workflow commands (SARIF: render/sarif.py)."""

from __future__ import annotations

from rich.text import Text

from kerjasama_cli.findings import CheckResult, Finding
from kerjasama_cli.i18n import _, ngettext
from kerjasama_cli.render import stderr, stdout, write, write_json


def render_text(result: CheckResult) -> None:
    """One line per finding, ``path:line:column: severity rule message``, then a summary on
    stderr. Also in a terminal, where a long finding is not broken by us: the contract says
    one line, and an editor's problem matcher (a VS Code task runs in a terminal) reads the
    message to the end of the line."""
    console = stdout()
    for f in result.sorted():
        if console.is_terminal:
            text = Text(f"{f.path}:{f.line}:{f.column}: ")
            text.append(f.severity, style="red" if f.severity == "error" else "yellow")
            text.append(f" {f.rule} ", style="bold")
            text.append(f.message)
            console.print(text, soft_wrap=True)
        else:
            write(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
    render_summary_line(result)


def counted(result: CheckResult) -> tuple[str, str, str]:
    """ "12 files", "1 error", "2 warnings" (in the language in force) for a summary."""
    return (
        ngettext("{n} file", "{n} files", result.files).format(n=result.files),
        ngettext("{n} error", "{n} errors", result.errors).format(n=result.errors),
        ngettext("{n} warning", "{n} warnings", result.warnings).format(n=result.warnings),
    )


def render_summary_line(result: CheckResult) -> None:
    files, errors, warnings = counted(result)
    style = "red" if result.errors else "yellow" if result.warnings else "green"
    said = _("checked {files}: {errors}, {warnings}").format(
        files=files, errors=errors, warnings=warnings
    )
    stderr().print(said, style=style)


def render_json(result: CheckResult) -> None:
    write_json(result.as_dict())


def render_sarif(result: CheckResult) -> None:
    """SARIF 2.1.0 on stdout, for GitHub code scanning (github/codeql-action/upload-sarif)."""
    from kerjasama_cli.render.sarif import sarif_log

    write_json(sarif_log(result))


# GitHub shows at most this many error and this many warning annotations per step.
ANNOTATIONS_PER_STEP = 10


def escape_data(text: str) -> str:
    """Escape a workflow command's message as GitHub's runner expects (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (file, title): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(f: Finding) -> str:
    return (
        f"::{f.severity} file={escape_property(f.path)},line={f.line},col={f.column},"
        f"title={escape_property(f.rule)}::{escape_data(f.message)}"
    )


def by_importance(result: CheckResult) -> list[Finding]:
    """Errors before warnings, then by file, line, column and rule."""
    return sorted(result.findings, key=lambda f: (f.severity != "error", f.sort_key()))


def hidden_notice(result: CheckResult, *, summary: bool) -> str | None:
    """A notice command counting the findings GitHub will not show as annotations, if any."""
    errors = result.errors - ANNOTATIONS_PER_STEP
    warnings = result.warnings - ANNOTATIONS_PER_STEP
    if errors <= 0 and warnings <= 0:
        return None
    more_errors = ngettext("{n} more error", "{n} more errors", errors).format(n=errors)
    more_warnings = ngettext("{n} more warning", "{n} more warnings", warnings).format(n=warnings)
    where = _("this step's log and the job summary") if summary else _("this step's log")
    if errors > 0 and warnings > 0:
        message = _(
            "GitHub shows the first {limit} errors and {limit} warnings of a step as "
            "annotations; {errors} and {warnings} are listed in {where}."
        ).format(
            limit=ANNOTATIONS_PER_STEP, errors=more_errors, warnings=more_warnings, where=where
        )
    else:
        n = errors if errors > 0 else warnings
        message = ngettext(
            "GitHub shows the first {limit} errors and {limit} warnings of a step as "
            "annotations; {hidden} is listed in {where}.",
            "GitHub shows the first {limit} errors and {limit} warnings of a step as "
            "annotations; {hidden} are listed in {where}.",
            n,
        ).format(
            limit=ANNOTATIONS_PER_STEP,
            hidden=more_errors if errors > 0 else more_warnings,
            where=where,
        )
    return f"::notice title={escape_property('kerjasama validate')}::{escape_data(message)}"


def render_github(result: CheckResult, *, summary: bool = False) -> None:
    """Every finding as a workflow command, most important first, then a notice when capped.

    Every finding is printed (the log keeps them all); GitHub turns only the first ten errors
    and ten warnings into annotations, so errors come first and a notice counts the rest.
    ``summary`` says whether a job summary lists them too (named in the notice).
    """
    lines = [github_command(f) for f in by_importance(result)]
    notice = hidden_notice(result, summary=summary)
    if notice:
        lines.append(notice)
    if lines:
        write("\n".join(lines))
    render_summary_line(result)
