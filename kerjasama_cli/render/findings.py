"""Output of `validate`: text lines, JSON and GitHub workflow commands (SARIF: render/sarif.py)."""

from __future__ import annotations

from rich.text import Text

from kerjasama_cli.findings import CheckResult, Finding
from kerjasama_cli.render import stderr, stdout, write, write_json


def render_text(result: CheckResult) -> None:
    """One line per finding, ``path:line:column: severity rule message``, then a summary on stderr."""
    console = stdout()
    for f in result.sorted():
        if console.is_terminal:
            text = Text(f"{f.path}:{f.line}:{f.column}: ")
            text.append(f.severity, style="red" if f.severity == "error" else "yellow")
            text.append(f" {f.rule} ", style="bold")
            text.append(f.message)
            console.print(text)
        else:
            write(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
    render_summary_line(result)


def render_summary_line(result: CheckResult) -> None:
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    errors = f"{result.errors} error{'s' if result.errors != 1 else ''}"
    warnings = f"{result.warnings} warning{'s' if result.warnings != 1 else ''}"
    style = "red" if result.errors else "yellow" if result.warnings else "green"
    stderr().print(f"checked {files}: {errors}, {warnings}", style=style)


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def hidden_notice(result: CheckResult, *, summary: bool) -> str | None:
    """A notice command counting the findings GitHub will not show as annotations, if any."""
    counts = [
        (n - ANNOTATIONS_PER_STEP, word)
        for n, word in ((result.errors, "error"), (result.warnings, "warning"))
        if n > ANNOTATIONS_PER_STEP
    ]
    if not counts:
        return None
    hidden = [_plural(n, f"more {word}") for n, word in counts]
    verb = "is" if len(counts) == 1 and counts[0][0] == 1 else "are"
    where = "this step's log and the job summary" if summary else "this step's log"
    message = (
        f"GitHub shows the first {ANNOTATIONS_PER_STEP} errors and {ANNOTATIONS_PER_STEP} "
        f"warnings of a step as annotations; {' and '.join(hidden)} {verb} listed in {where}."
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
