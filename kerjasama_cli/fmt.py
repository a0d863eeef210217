"""``fmt``: bring record files into canonical form, leaving files with errors untouched.

A file is only rewritten when it validates without errors (warnings are fine): the rewrite
works on the data, and a file with errors may not even be data. The rewrite keeps every
comment and never changes what the record says (storage/rewriting.py checks both before a
byte is written); it is atomic, and done under a lock on the folder, after checking that the
file did not change since it was read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kerjasama_cli.errors import WriteFailed, system_reason
from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import _
from kerjasama_cli.registry import check_registry
from kerjasama_cli.storage import display_path, iter_record_paths, read_text
from kerjasama_cli.storage.canonical import Unreadable, replace_record
from kerjasama_cli.storage.locking import folder_lock
from kerjasama_cli.storage.rewriting import FormatError, format_record_text

State = Literal["unchanged", "reformatted", "would_reformat", "invalid", "failed"]


@dataclass(slots=True)
class FileOutcome:
    """What fmt did (or would do) with one file."""

    path: Path
    state: State
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the errors of an invalid file
    reason: str = ""

    @property
    def shown(self) -> str:
        return display_path(self.path)


def record_files(data_dir: Path, paths: Iterable[Path] | None) -> list[Path]:
    """The files fmt works on: the whole registry, or the named files and folders' ``*.yaml``."""
    if paths is None:
        return iter_record_paths(data_dir)[0]
    files: list[Path] = []
    for path in paths:
        files += sorted(p for p in path.rglob("*.yaml")) if path.is_dir() else [path]
    return files


def _unsafe(path: Path, data_dir: Path) -> str:
    """Why fmt must not write ``path`` (empty when it may)."""
    if path.is_symlink():
        return _("a symbolic link; format the file it points to")
    if path.absolute().is_relative_to(data_dir.absolute()) and not path.resolve().is_relative_to(
        data_dir.resolve()
    ):
        return _("leads outside the data folder through a symbolic link")
    return ""


def format_files(
    data_dir: Path, paths: list[Path] | None, *, check: bool, use_cache: bool = True
) -> list[FileOutcome]:
    """Format the registry (or ``paths``); with ``check``, only say what would change.

    Files with errors (the whole registry is checked, as validate does) are left untouched;
    without ``use_cache``, it is checked without the cache of parsed records.
    """
    files = record_files(data_dir, paths)
    result = check_registry(data_dir, paths, use_cache=use_cache)
    errors: dict[str, list[Finding]] = {}
    for finding in result.sorted():
        if finding.severity == "error":
            errors.setdefault(finding.path, []).append(finding)
    outcomes: list[FileOutcome] = []
    for path in files:
        found = errors.pop(display_path(path), None)
        if found:
            outcomes.append(FileOutcome(path, "invalid", findings=found))
            continue
        outcomes.append(_format_one(path, data_dir, check=check))
    # Errors about things that are not records (a link leading outside, a .yml file) too:
    # fmt fails wherever validate does.
    for shown, found in errors.items():
        outcomes.append(FileOutcome(Path(shown), "invalid", findings=found))
    return outcomes


def _format_one(path: Path, data_dir: Path, *, check: bool) -> FileOutcome:
    text, findings = read_text(path)
    if text is None:
        return FileOutcome(path, "invalid", findings=findings)
    try:
        formatted = format_record_text(text)
    except FormatError as exc:
        return FileOutcome(
            path, "failed", reason=_("cannot be formatted safely: {reason}").format(reason=exc)
        )
    if formatted.text == text:
        return FileOutcome(path, "unchanged")
    if check:
        return FileOutcome(path, "would_reformat", formatted.changes)
    reason = _unsafe(path, data_dir)
    if reason:
        return FileOutcome(path, "failed", formatted.changes, reason=reason)
    with folder_lock(path.parent):
        current, _findings = read_text(path)
        if current != text:
            return FileOutcome(
                path, "failed", reason=_("changed while being formatted; run fmt again")
            )
        try:
            replace_record(path, formatted.text)
        except Unreadable as exc:
            reason = _("its canonical form would not be readable ({reason})").format(
                reason=exc.reason
            )
            return FileOutcome(path, "failed", formatted.changes, reason=reason)
        except WriteFailed as exc:  # a read-only or full file system: this file stays as it was
            reason = _("it cannot be written ({reason})").format(reason=system_reason(exc.cause))
            return FileOutcome(path, "failed", formatted.changes, reason=reason)
    return FileOutcome(path, "reformatted", formatted.changes)
