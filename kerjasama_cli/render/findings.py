"""Output of `validate`: text lines, JSON and GitHub workflow commands."""

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


def escape_data(text: str) -> str:
    """Escape a workflow command's message as GitHub's runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (file, title): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(f: Finding) -> str:
    return (
        f"::{f.severity} file={escape_property(f.path)},line={f.line},col={f.column},"
        f"title={escape_property(f.rule)}::{escape_data(f.message)}"
    )


def render_github(result: CheckResult) -> None:
    """One workflow command per finding, errors first."""
    ordered = sorted(result.findings, key=lambda f: (f.severity != "error", f.sort_key()))
    for f in ordered:
        write(github_command(f))
    render_summary_line(result)
