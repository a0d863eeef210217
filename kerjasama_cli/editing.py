"""`kerjasama edit`: a record changed in the person's editor, checked, and written like `set`.

The text is edited in a work file outside the data folder (never taken for a record). When
the edited text is refused, the findings are put at the top of the work file as YAML
comments between two marker lines (removed again before the text is checked or written), and
the editor opens again. The work file is deleted only when the record was written or nothing
was changed: in every other case it keeps the person's text, and its path is said.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from kerjasama_cli.authoring import Refused, find_entry
from kerjasama_cli.changing import Changed, check_changed, commit_text
from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import N_, _
from kerjasama_cli.pipeline import locate
from kerjasama_cli.registry import Registry, load_registry
from kerjasama_cli.storage import display_path, read_text
from kerjasama_cli.storage.locking import folder_lock
from kerjasama_cli.storage.reading import parse_text, source_map_of
from kerjasama_cli.storage.rewriting import FormatError, format_record_text

# The lines around the findings put at the top of the work file, after "# " (shown in the
# language in force; the English ones are recognised too).
BEGIN = N_("--- kerjasama edit: the record was refused; fix what is listed, save and close. ---")
HINT = N_(
    "--- Close without saving a change (or make the editor fail) to give up: your text is kept. ---"
)
END = N_("--- end of the findings (these lines are removed before the record is checked) ---")


def _comment(line: str) -> set[str]:
    """``line`` as a YAML comment, in English and in the language in force."""
    return {"# " + line, "# " + _(line)}


@dataclass(slots=True)
class Session:
    """One `edit`: the record's file and text as read, and the work file being edited."""

    registry: Registry
    record_id: str
    path: Path
    original: str
    work: Path

    def keep(self, text: str) -> Path:
        """Leave ``text`` in the work file (its path is said to the person)."""
        self.work.write_text(text, encoding="utf-8")
        return self.work

    def discard(self) -> None:
        self.work.unlink(missing_ok=True)


def start(data_dir: Path, record_id: str, *, use_cache: bool = True) -> Session:
    """Read the record and copy its text to a new work file (private to the user)."""
    registry = load_registry(data_dir, use_cache=use_cache)
    entry = find_entry(registry, record_id)
    path = entry.path
    text, findings = read_text(path)
    if text is None:
        raise Refused(
            _("{path} cannot be read as text; nothing was changed").format(path=display_path(path)),
            findings,
        )
    fd, name = tempfile.mkstemp(prefix=f"kerjasama-{record_id}-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return Session(registry, record_id, path, text, Path(name))


def strip_findings(text: str) -> str:
    """The text without the findings block that `edit` put at its top (if it is still there)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") not in _comment(BEGIN):
        return text
    for i, line in enumerate(lines):
        if line.rstrip("\r\n") in _comment(END):
            return "".join(lines[i + 1 :])
    return text


def with_findings(text: str, findings: list[Finding]) -> str:
    """``text`` with ``findings`` at its top as YAML comments; lines and columns are those of
    the text as it will be shown (after the comments)."""
    shift = len(findings) + 3
    lines = ["# " + _(BEGIN), "# " + _(HINT)]
    for f in findings:
        where = (
            _("line {line}, column {column}: ").format(line=f.line + shift, column=f.column)
            if f.line
            else ""
        )
        key = f"{f.key}: " if f.key and not f.line else ""
        message = " ".join(f.message.split())
        lines.append(f"# {where}{f.severity} {f.rule} {key}{message}")
    lines.append("# " + _(END))
    return "\n".join(lines) + "\n" + text


def check_text(session: Session, text: str) -> tuple[str, dict[str, object], list[Finding]]:
    """The text to write (canonical form when it can be made safely), its data and warnings;
    Refused with findings placed in ``text`` when it is no valid record."""
    shown = display_path(session.path)
    loaded = parse_text(session.path, text)
    if loaded.findings or loaded.data is None:
        placed = locate(loaded.findings, str(session.work), source_map_of(session.work, text))
        raise Refused(
            _("{path}: the edited text is not a readable record").format(path=shown), placed
        )
    try:
        warnings = check_changed(session.registry, session.record_id, loaded.data, shown)
    except Refused as refused:
        placed = locate(refused.findings, str(session.work), source_map_of(session.work, text))
        raise Refused(str(refused), placed) from None
    try:
        formatted = format_record_text(text)
    except FormatError:
        return text, loaded.data, warnings  # written as the person wrote it
    return formatted.text, formatted.data or loaded.data, warnings


def commit(session: Session, text: str, data_dir: Path) -> Changed:
    """Write the checked ``text``; Refused without findings when the file changed meanwhile
    or cannot be written (editing again would not help)."""
    written, data, warnings = check_text(session, text)
    shown = display_path(session.path)
    with ExitStack() as locks:
        locks.enter_context(folder_lock(session.path.parent))
        now, _findings = read_text(session.path)
        if now != session.original:
            raise Refused(
                _(
                    "{path} was changed by someone else while you edited it; nothing was written"
                ).format(path=shown)
            )
        try:
            return commit_text(
                data_dir, session.record_id, session.path, written, dict(data), warnings, locks
            )
        except Refused as refused:
            raise Refused(str(refused)) from None
