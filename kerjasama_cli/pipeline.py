"""One way to check a record: its data through the model and the rules, findings placed.

Every command that reads or writes a record goes through here: ``validate`` (through the
registry, which keeps what ``examine`` found and places it only when it is shown), ``add``,
``activity``, ``import`` and the commands that change records. A record's data is examined
(the model, then the single-record rules, and the id against the file name when the data came
from a file), then, when the registry is known, checked against it (references), and the
findings are placed in the file the data came from. The rules themselves are in rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import _
from kerjasama_cli.model import Record
from kerjasama_cli.rules import (
    check_folder,
    check_id_matches_file,
    check_record,
    check_references,
    problems_from_errors,
)

if TYPE_CHECKING:  # storage.reading imports ruamel.yaml, which a cached run never needs
    from kerjasama_cli.storage.reading import SourceMap


@dataclass(slots=True)
class Checked:
    """What checking a record's data gave: the record (None when the data is not one) and
    every finding, placed when the data came from a file."""

    record: Record | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def examine(
    data: Mapping[str, Any], *, stem: str | None = None, folder: str | None = None
) -> Checked:
    """The record ``data`` makes and the findings of one record, not yet placed.

    The model's errors when it is not a record; else the single-record rules, and, for data
    read from a file named ``stem``.yaml, whether the id is that name; for a file in the
    folder ``folder`` of ``agreements/``, whether that is the folder the record belongs in.
    """
    raw_id = data.get("id")
    # Whether the id is the file's name is said even when the file has other errors.
    named = (
        [] if stem is None or not isinstance(raw_id, str) else check_id_matches_file(raw_id, stem)
    )
    try:
        record = Record.model_validate(data)
    except ValidationError as exc:
        return Checked(None, [*problems_from_errors(exc), *named])
    placed = [] if folder is None else list(check_folder(record, folder))
    return Checked(record, [*named, *placed, *check_record(record)])


def check_data(
    data: Mapping[str, Any],
    *,
    path: str = "",
    source: SourceMap | None = None,
    stem: str | None = None,
    documents: Mapping[str, str | None] | None = None,
) -> Checked:
    """``examine``, then the references against the registry's ``documents`` (every id with
    its document kind) when given, and the findings placed in the file ``path`` (positions
    from ``source``)."""
    checked = examine(data, stem=stem)
    if checked.record is not None and documents is not None:
        checked.findings += check_references(checked.record, documents)
    checked.findings = locate(checked.findings, path, source)
    return checked


def locate(findings: Iterable[Finding], path: str, source: SourceMap | None) -> list[Finding]:
    """Findings placed in the file ``path``: line and column from its ``source`` map, else
    its first line (a file that could not be mapped again). Without a path (a record given on
    the command line) they stay unplaced."""
    if not path:
        return list(findings)
    out: list[Finding] = []
    for finding in findings:
        if source is None:
            out.append(finding.placed(path, 1, 1))
            continue
        line, column = source.locate(finding.loc, key=finding.on_key)
        message = None
        if finding.cause == "number":
            # What YAML read as a number may have been written otherwise (063, 1_000, 0x20).
            token = source.token_at((line, column))
            if token and not token.startswith(("'", '"')):
                message = _(
                    "{message} (written as {token}; put it in quotes if it is text)"
                ).format(message=finding.message, token=token)
        out.append(finding.placed(path, line, column, message))
    return out
