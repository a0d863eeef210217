"""One way to check a record: its data through the model and the rules, findings placed.

Every command that reads or writes a record goes through here: ``validate`` (through the
registry, which keeps what ``examine`` found and places it only when it is shown), ``add``,
``activity``, ``import`` and the commands that change records. A record's data is examined
(the model, then the single-record rules, and the id against the file name when the data came
from a file), then, when the registry is known, checked against it (references), and the
findings are placed in the file the data came from. The rules themselves are in rules.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import _
from kerjasama_cli.model import Record
from kerjasama_cli.rules import (
    RECORD_RULES,
    check_activities,
    check_category,
    check_date_order,
    check_evaluations,
    check_folder,
    check_id_matches_file,
    check_not_future,
    check_obligation,
    check_provenance,
    check_record,
    check_references,
    check_term,
    check_unique_regions,
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
        return Checked(None, [*problems_from_errors(exc), *named, *_beside(data, exc, folder)])
    placed = [] if folder is None else list(check_folder(record, folder))
    return Checked(record, [*named, *placed, *check_record(record)])


# For each single-record rule, the keys that must have passed the model for it to run on a
# record whose other keys did not (rules.py), so that one wrong type does not hide the rest
# ("every finding of a file is reported"). A refused optional key is left out: a rule runs
# when a key it reads being absent can only take findings away (an activity's date when
# there are no activities), not when it would make one up (KS902 "no ends_on" for an
# ends_on of the wrong type, KS305 "activities on an unsigned record" for a refused
# signed_on). A refused required key is stood in for: no rule that reads it runs.
_NEEDS: tuple[tuple[Callable[[Record], Iterable[Finding]], frozenset[str]], ...] = (
    (check_unique_regions, frozenset({"parties"})),
    (check_date_order, frozenset()),
    (check_activities, frozenset({"signed_on"})),
    (check_evaluations, frozenset({"signed_on"})),
    (check_not_future, frozenset()),
    (check_category, frozenset({"parties"})),
    (check_obligation, frozenset({"category", "parties"})),
    (check_term, frozenset({"starts_on", "ends_on", "ended"})),
    (check_provenance, frozenset({"sources", "parties"})),
)
# A stand-in for a required key that failed, so that the others can make a record; no rule
# that reads it is run.
_STAND_INS: dict[str, Any] = {
    "id": "x",
    "title": "x",
    "document": "kesepakatan_bersama",
    "parties": [{"name": "x", "kind": "bums"}, {"name": "y", "kind": "bums"}],
    "sectors": ["pendidikan"],
}


assert {rule for rule, _needs in _NEEDS} == set(RECORD_RULES), "a rule without its keys"


def _beside(data: Mapping[str, Any], exc: ValidationError, folder: str | None) -> list[Finding]:
    """The findings of the single-record rules (and the folder's) that ``_NEEDS`` allows
    beside the keys the model refused: those keys are left out (an optional one) or stood in
    for (a required one)."""
    failed: set[str] = set()
    for error in exc.errors():
        loc = error.get("loc") or ()
        if not loc or not isinstance(loc[0], str):
            return []  # a problem of the whole record: nothing can be said beside it
        failed.add(loc[0])
    rest = {key: value for key, value in data.items() if key not in failed}
    for key in failed & _STAND_INS.keys():
        rest[key] = _STAND_INS[key]
    try:
        record = Record.model_validate(rest)
    except ValidationError:
        return []
    found: list[Finding] = []
    if folder is not None and "signed_on" not in failed:
        found += check_folder(record, folder)
    for rule, needs in _NEEDS:
        if not needs & failed:
            found += rule(record)
    return found


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
        if finding.line:  # placed where the reader found it (a key that is a list: no key path)
            out.append(finding.placed(path, finding.line, finding.column))
            continue
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
