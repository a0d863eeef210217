"""Output of the commands that write: `add`, `activity` and `fmt`.

stdout carries only paths (the file written, or the files fmt changed or would change), so
that scripts can use them; everything said about them goes to stderr.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from rich.text import Text

from kerjasama_cli.findings import Finding, counted_from_one, message_counted_from_one
from kerjasama_cli.fmt import FileOutcome
from kerjasama_cli.i18n import N_, _, ngettext, pgettext
from kerjasama_cli.render import print_line, stderr, write
from kerjasama_cli.storage import display_path
from kerjasama_cli.storage.files import printable


def render_path(path: Path) -> None:
    """The path of a file written, on stdout."""
    write(display_path(path))


def severity_word(severity: str) -> str:
    """``error`` or ``warning`` in the language in force, for a message meant for a person
    (``validate``'s formats, which tools parse, keep the English words)."""
    return _("error") if severity == "error" else _("warning")


def finding_line(finding: Finding, hints: Mapping[str, str] | None = None) -> Text:
    """``path:line:column: severity RULE message``, or ``severity RULE key: message`` for a
    record that has no file yet (with the flag that gave the key, when known); the severity
    in the language in force (a change's findings are for the person making it)."""
    style = "red" if finding.severity == "error" else "yellow"
    if finding.path and finding.line:
        text = Text(f"{finding.path}:{finding.line}:{finding.column}: ")
        text.append(severity_word(finding.severity), style=style)
        text.append(f" {finding.rule} ", style="bold")
        return text.append(message_counted_from_one(finding))
    text = Text(severity_word(finding.severity), style=style)
    text.append(f" {finding.rule} ", style="bold")
    where = counted_from_one(finding.key) if finding.key else _("record")
    top = finding.key.split(".")[0].split("[")[0]
    if hints and top in hints:
        where += f" ({hints[top]})"
    return text.append(f"{where}: {message_counted_from_one(finding)}")


def render_findings(findings: Iterable[Finding], hints: Mapping[str, str] | None = None) -> None:
    """Findings on stderr, one per line."""
    console = stderr()
    for finding in findings:
        print_line(console, finding_line(finding, hints))


def render_preview(text: str, path: Path) -> None:
    """The record about to be written, on stderr (interactive add)."""
    console = stderr()
    console.print(Text(f"--- {display_path(path)}", style="bold"))
    console.print(Text(text.rstrip("\n")))


_VERBS = {
    "reformatted": N_("reformatted {path} ({changes})"),
    "would_reformat": N_("would reformat {path} ({changes})"),
}


def render_fmt(outcomes: list[FileOutcome], *, check: bool) -> None:
    """Changed files on stdout; what changed, files left alone and a summary on stderr."""
    console = stderr()
    for outcome in outcomes:
        if outcome.state in _VERBS:
            write(outcome.shown)
            changes = ", ".join(_(change) for change in outcome.changes)
            said = _(_VERBS[outcome.state]).format(path=outcome.shown, changes=changes)
            console.print(Text(said))
        elif outcome.state == "invalid":
            render_findings(outcome.findings)
            console.print(
                Text(
                    _("{path} has errors; left untouched").format(path=outcome.shown), style="red"
                ),
            )
        elif outcome.state == "failed":
            said = _("{path}: {reason}; left untouched").format(
                path=outcome.shown, reason=outcome.reason
            )
            console.print(Text(said, style="red"))
    console.print(Text(fmt_summary(outcomes, check=check)))


def fmt_summary(outcomes: list[FileOutcome], *, check: bool) -> str:
    states = [o.state for o in outcomes]
    changed = states.count("would_reformat" if check else "reformatted")
    if check:
        files = ngettext(
            "{n} file would be reformatted", "{n} files would be reformatted", changed
        ).format(n=changed)
    else:
        files = ngettext("{n} file reformatted", "{n} files reformatted", changed).format(n=changed)
    unchanged = states.count("unchanged")
    bad = states.count("invalid") + states.count("failed")
    if bad:
        said = _("{files}, {unchanged} already canonical, {bad} left untouched").format(
            files=files, unchanged=unchanged, bad=bad
        )
    else:
        said = _("{files}, {unchanged} already canonical").format(files=files, unchanged=unchanged)
    return "fmt: " + said


# What the commands that change a record say they did, by the verb they give.
_DONE = {
    "changed": N_("changed {path}"),
    "ended": N_("ended {path}"),
    "signed": N_("signed {path}"),
    "recorded the evaluation in": N_("recorded the evaluation in {path}"),
    "recorded the activity in": N_("recorded the activity in {path}"),
}


Done = Literal[
    "changed", "ended", "signed", "recorded the evaluation in", "recorded the activity in"
]


def render_changed(
    path: Path,
    what: Done,
    moved_from: Path | None,
    warnings: list[Finding],
    values: Sequence[tuple[str, Any, Any]] = (),
) -> None:
    """A changed record: its warnings and what was done on stderr, its path on stdout.

    ``what`` is the verb (``changed``, ``ended``, ``signed``, ``recorded the evaluation in``),
    said with the path as one sentence in the language in force."""
    render_findings(warnings)
    shown = display_path(path)
    said = _(_DONE[what]).format(path=shown)
    if moved_from is not None:
        said += " " + _("(moved from {path})").format(path=display_path(moved_from))
    stderr().print(Text(said), style="green")
    render_values(values)
    render_path(path)


def shown_value(value: Any) -> str:
    """A record's value as a line of YAML-like text: ``[pendidikan, kesehatan]``,
    ``{name: X, position: Y}``, dates as ISO; ``(none)`` for a key that is not there."""
    if value is None:
        return pgettext("value", "(none)")
    if isinstance(value, list):
        return "[" + ", ".join(shown_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return printable(" ".join(str(value).split()))


_SHOWN_AT_MOST = 70  # characters of a value in `set`'s report; a long note ends in "…"


def _short(value: Any) -> str:
    text = shown_value(value)
    return text if len(text) <= _SHOWN_AT_MOST else text[: _SHOWN_AT_MOST - 1] + "…"


def render_values(values: Sequence[tuple[str, Any, Any]]) -> None:
    """What `set` changed, a line a key on stderr: ``sectors: [pendidikan] → [pendidikan,
    kesehatan]``, so that a list given whole is seen to replace the one there."""
    console = stderr()
    for key, before, after in values:
        if before == after:
            line = _("{key}: {value} (unchanged)").format(key=key, value=_short(after))
        else:
            line = f"{key}: {_short(before)} → {_short(after)}"
        print_line(console, Text("  " + line))


def render_message(message: str) -> None:
    """A line said to the person on stderr (plain text, never markup)."""
    stderr().print(Text(message))
