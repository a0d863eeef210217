"""A GitHub job summary of a validation run: a Markdown table of every finding, size-capped.

GitHub accepts at most 1 MiB of summary per step; rows that would not fit are left out and
counted in a last line, so the summary is never rejected whole.
"""

from __future__ import annotations

import re

from kerjasama_cli.findings import CheckResult, Finding
from kerjasama_cli.i18n import _, ngettext
from kerjasama_cli.render.findings import by_importance, counted
from kerjasama_cli.render.writes import severity_word

SUMMARY_LIMIT_BYTES = 1024 * 1024
# Room kept for the closing line that counts the rows left out.
_FOOTER_RESERVE = 400
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def escape_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: punctuation escaped, line breaks as ``<br>``."""
    return _NEWLINE.sub("<br>", _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def _row(f: Finding) -> str:
    mark = ("❌ " if f.severity == "error" else "⚠️ ") + severity_word(f.severity)
    where = escape_cell(f"{f.path}:{f.line}:{f.column}")
    return f"| {mark} | {f.rule} | {where} | {escape_cell(f.message)} |\n"


def render_job_summary(
    result: CheckResult, *, scope: str = "", budget: int = SUMMARY_LIMIT_BYTES
) -> str:
    """The summary as Markdown, at most ``budget`` bytes of UTF-8 ("" when not even the head fits).

    ``scope`` says what was checked (e.g. "records changed since origin/main").
    """
    files, errors, warnings = counted(result)
    head = f"### kerjasama validate{': ' + escape_cell(scope) if scope else ''}\n\n"
    if not result.findings:
        said = _("{files} checked: no errors, no warnings.").format(files=files)
        text = head + f"✅ {said}\n\n"
        return text if len(text.encode()) <= budget else ""
    said = _("{files} checked: {errors}, {warnings}.").format(
        files=files, errors=errors, warnings=warnings
    )
    head += f"{'❌' if result.errors else '⚠️'} {said}\n\n"
    columns = (_("Severity"), _("Rule"), _("Location"), _("Message"))
    head += "| " + " | ".join(escape_cell(c) for c in columns) + " |\n| --- | --- | --- | --- |\n"
    size = len(head.encode())
    if size + _FOOTER_RESERVE > budget:
        return ""
    rows: list[str] = []
    ordered = by_importance(result)
    for f in ordered:
        row = _row(f)
        row_size = len(row.encode())
        if size + row_size + _FOOTER_RESERVE > budget:
            break
        rows.append(row)
        size += row_size
    text = head + "".join(rows)
    left = len(ordered) - len(rows)
    if left:
        said = ngettext(
            "{n} more finding not shown: a job summary is limited to 1 MiB. "
            "Run `kerjasama validate` to see them all.",
            "{n} more findings not shown: a job summary is limited to 1 MiB. "
            "Run `kerjasama validate` to see them all.",
            left,
        ).format(n=left)
        text += f"\n*{said}*\n"
    return text + "\n"
