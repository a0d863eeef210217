"""Adding records and reporting activities: check against the whole registry, then write.

Nothing is written unless the result is a valid record: ``add`` checks the model, the record
rules, the references to other records and the uniqueness of the id before it creates the
file (exclusively: an existing file is never replaced); ``record_activity`` checks the edited
record before it replaces the file atomically.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from kerjasama_cli.errors import RecordExists, RecordNotFound, RefusedWrite
from kerjasama_cli.findings import Finding, errors_of
from kerjasama_cli.i18n import _, ngettext
from kerjasama_cli.ids import generate_id, is_slug
from kerjasama_cli.model import Activity, Record
from kerjasama_cli.pipeline import examine, locate
from kerjasama_cli.registry import Entry, Registry, load_registry, locate_entry
from kerjasama_cli.rules import check_references, id_taken, problems_from_errors
from kerjasama_cli.storage import display_path, read_text
from kerjasama_cli.storage.canonical import (
    record_path,
    render_record_yaml,
    write_new_record,
)
from kerjasama_cli.storage.comments import Comments, extract_comments
from kerjasama_cli.storage.locking import folder_lock
from kerjasama_cli.storage.reading import parse_text, source_map_of
from kerjasama_cli.storage.rewriting import FormatError, format_record_text

if TYPE_CHECKING:
    from kerjasama_cli.changing import Changed

_PLACEHOLDER_ID = "placeholder"
_MAX_ATTEMPTS = 50


class Refused(RefusedWrite):
    """A write was refused; ``findings`` say why (nothing was written)."""

    def __init__(
        self, message: str, findings: Iterable[Finding] = (), keys: Iterable[str] = ()
    ) -> None:
        super().__init__(message)
        self.findings = list(findings)
        # The keys whose values made the refusal beside the findings' (a duplicate's).
        self.keys = frozenset(keys)


@dataclass(slots=True)
class Submission:
    """A record to add: its data, and the text and name of the file it came from, if any."""

    data: dict[str, Any]
    label: str | None = None  # "new.yaml" or "<stdin>"; None for a record built from flags
    text: str | None = None

    def comments(self) -> Comments | None:
        return extract_comments(self.text) if self.text else None


@dataclass(slots=True)
class Prepared:
    """A checked record ready to be written, with its warnings and the ids it must avoid."""

    record: Record
    warnings: list[Finding]
    generated: bool
    taken: set[str] = field(default_factory=set)
    comments: Comments | None = None

    @property
    def text(self) -> str:
        return render_record_yaml(self.record, self.comments)

    def path(self, data_dir: Path) -> Path:
        return record_path(data_dir, self.record.id, self.record.signed_on)


def _placed(findings: Iterable[Finding], submission: Submission) -> list[Finding]:
    """Findings of a submission, placed in its file when it has one."""
    if submission.text is None or submission.label is None:
        return list(findings)
    source = source_map_of(Path(submission.label), submission.text)
    return locate(findings, submission.label, source)


def load_submission(label: str, text: str) -> Submission:
    """A record read from a file or stdin; Refused when it is not one YAML mapping."""
    loaded = parse_text(Path(label), text)
    if loaded.findings or loaded.data is None:
        raise Refused(
            _("{path} is not a readable record; nothing was written").format(path=label),
            loaded.findings,
        )
    return Submission(loaded.data, label, text)


def read_submission(path: Path) -> Submission:
    """A record read from a file (checked the way validate reads files)."""
    text, findings = read_text(path)
    if text is None:
        raise Refused(
            _("{path} cannot be read; nothing was written").format(path=display_path(path)),
            findings,
        )
    return load_submission(display_path(path), text)


def prepare_record(
    registry: Registry, submission: Submission, *, allow_duplicate: bool = False
) -> Prepared:
    """Check a submission against the whole registry; Refused with every error found.

    Without an id, the id is generated from the document kind, the date and the parties
    (see ids.py), avoiding every id in the registry. Unless ``allow_duplicate``, a record
    that duplicates one in the registry is refused (see ``find_duplicate``).
    """
    data = dict(submission.data)
    given = data.get("id")
    generated = given is None
    if not generated and not (isinstance(given, str) and is_slug(given)):
        # Refused before anything else, and long before a path is built from it.
        problem = Finding(
            "KS208",
            _(
                "id {id!r} is not a slug (lowercase letters, digits and single hyphens, at most "
                "120 characters, e.g. kb-2024-02-05-jawa-barat-bengkulu-tengah)"
            ).format(id=given),
            ("id",),
        )
        raise Refused(
            _("the id is not a slug; nothing was written"), _placed([problem], submission)
        )
    if generated:
        data["id"] = _PLACEHOLDER_ID
    documents = registry.documents()
    checked = examine(data)
    if checked.record is not None:
        checked.findings += check_references(checked.record, documents)
        if not generated and checked.record.id in documents:
            checked.findings.append(
                id_taken(
                    checked.record.id,
                    _("is already used by {path}").format(
                        path=display_path(registry.paths()[checked.record.id])
                    ),
                    _(
                        "a record is never overwritten (choose another id, or leave it out to "
                        "generate one)"
                    ),
                )
            )
    errors = errors_of(checked.findings)
    if errors or checked.record is None:
        raise Refused(_refusal(errors), _placed(errors, submission))
    warnings = _placed([f for f in checked.findings if f.severity == "warning"], submission)
    record = checked.record
    if not allow_duplicate:
        same = find_duplicate(registry, record)
        if same is not None:
            if record.signed_on:
                said = _(
                    "the registry already has this agreement: {id} ({path}) has the same "
                    "document, parties and signed_on; nothing was written (--allow-duplicate "
                    "writes it anyway)"
                )
            else:
                said = _(
                    "the registry already has this agreement: {id} ({path}) has the same "
                    "document, parties and title (both unsigned); nothing was written "
                    "(--allow-duplicate writes it anyway)"
                )
            # What makes it the same agreement: the answers `add --resume` asks for again.
            keys = ("document", "parties", "signed_on" if record.signed_on else "title")
            raise Refused(
                said.format(id=same.id, path=display_path(registry.paths()[same.id])), keys=keys
            )
    taken = set(documents)
    if generated:
        record = record.model_copy(
            update={"id": generate_id(record.document, record.signed_on, record.parties, taken)}
        )
    return Prepared(record, warnings, generated, taken, submission.comments())


def _party_key(record: Record) -> frozenset[str]:
    """The set of a record's parties: region codes, and organisations by name and kind."""
    return frozenset(
        p.region
        if p.region is not None
        else f"{' '.join((p.name or '').casefold().split())}:{p.kind}"
        for p in record.parties
    )


def find_duplicate(registry: Registry, record: Record) -> Record | None:
    """A record of the registry that is the same agreement as ``record``: the same document,
    the same set of parties and the same signed_on (for unsigned records: the same title
    too, ignoring case and spacing)."""
    parties = _party_key(record)
    title = " ".join(record.title.casefold().split())
    for other in registry.records:
        if (
            other.document == record.document
            and other.signed_on == record.signed_on
            and _party_key(other) == parties
            and (record.signed_on is not None or " ".join(other.title.casefold().split()) == title)
        ):
            return other
    return None


def _refusal(errors: list[Finding]) -> str:
    return ngettext(
        "the record would be invalid ({n} error); nothing was written",
        "the record would be invalid ({n} errors); nothing was written",
        len(errors),
    ).format(n=len(errors))


def write_prepared(data_dir: Path, prepared: Prepared) -> Path:
    """Create the record's file. A generated id that another process took a moment ago moves on
    to the next suffix; an explicit id that exists is refused."""
    record = prepared.record
    for _attempt in range(_MAX_ATTEMPTS):
        try:
            return write_new_record(data_dir, record, render_record_yaml(record, prepared.comments))
        except RecordExists:
            if not prepared.generated:
                raise
            prepared.taken.add(record.id)
            new_id = generate_id(record.document, record.signed_on, record.parties, prepared.taken)
            record = record.model_copy(update={"id": new_id})
            prepared.record = record
    raise RefusedWrite(_("could not find a free id; give one with --id"))


def add_record(
    data_dir: Path,
    submission: Submission,
    *,
    use_cache: bool = True,
    allow_duplicate: bool = False,
) -> tuple[Path, Prepared]:
    """Check ``submission`` against the registry in ``data_dir`` and write it; the new path.

    Without ``use_cache``, the registry is read without the cache of parsed records.
    """
    registry = load_registry(data_dir, use_cache=use_cache)
    prepared = prepare_record(registry, submission, allow_duplicate=allow_duplicate)
    return write_prepared(data_dir, prepared), prepared


# --- activities ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewActivity:
    """A realisation report to append to a record's ``activities``."""

    on: dt.date
    summary: str
    evidence: tuple[str, ...] = ()

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"on": self.on, "summary": self.summary}
        if self.evidence:
            data["evidence"] = list(self.evidence)
        return data


def find_entry(registry: Registry, record_id: str) -> Entry:
    """The entry with this id, or RecordNotFound with the closest ids."""
    entry = registry.entry_for(record_id) if is_slug(record_id) else None
    if entry is None:
        ids = [e.raw_id for e in registry.entries if e.raw_id]
        close = difflib.get_close_matches(record_id, ids, n=3, cutoff=0.6)
        if close:
            said = _("no record has id {id!r}; did you mean {close}?")
        else:
            said = _("no record has id {id!r}")
        raise RecordNotFound(said.format(id=record_id, close=", ".join(close)))
    return entry


def record_activity(
    data_dir: Path, record_id: str, activity: NewActivity, *, use_cache: bool = True
) -> Changed:
    """Append ``activity`` to the record's file, in place, keeping its comments: where the
    record is now, where it was if it moved, and its warnings (KS906 for an activity dated
    after today, ...).

    Refused (nothing written) when the record has errors, is not signed, was signed after the
    activity, already lists the same activity, or the edit would make it invalid. A record
    whose only fault is its folder (KS211) is written and moved where it belongs, as `set`,
    `end` and `evaluate` do. Without ``use_cache``, the registry is read without the cache of
    parsed records.
    """
    from kerjasama_cli.changing import commit_text  # changing.py imports this module

    try:  # the activity itself first: its text is checked as a record's would be
        Activity.model_validate(activity.as_data())
    except ValidationError as exc:
        raise Refused(
            _("the activity is not valid; nothing was written"),
            list(problems_from_errors(exc)),
        ) from None
    registry = load_registry(data_dir, use_cache=use_cache)
    entry = find_entry(registry, record_id)
    path = entry.path
    shown = display_path(path)
    errors = errors_of(locate_entry(entry))
    if any(f.rule != "KS211" for f in errors) or entry.record is None:
        raise Refused(
            _("{path} has errors; fix them first (kerjasama validate {path})").format(path=shown),
            errors,
        )
    _check_activity(entry.record, activity, shown)
    if path.is_symlink():
        raise Refused(_("{path} is a symbolic link; edit the file it points to").format(path=shown))
    with ExitStack() as locks:
        locks.enter_context(folder_lock(path.parent))
        # Read again under the lock: another edit may have happened since the registry was read.
        text, findings = read_text(path)
        if text is None:
            raise Refused(
                _("{path} cannot be read; nothing was written").format(path=shown), findings
            )
        loaded = parse_text(path, text)
        if loaded.data is None or loaded.findings:
            raise Refused(
                _("{path} is not a valid record; nothing was written").format(path=shown),
                loaded.findings,
            )
        _check_activity(_record_of(path, text, shown, loaded.data), activity, shown)

        def append(data: dict[str, Any]) -> None:
            activities = data.get("activities")
            if isinstance(activities, list):
                activities.append(activity.as_data())
            else:
                data["activities"] = [activity.as_data()]

        try:
            formatted = format_record_text(text, append, read=loaded.data)
        except FormatError as exc:
            raise Refused(
                _("{path} cannot be rewritten safely ({reason}); add the activity by hand").format(
                    path=shown, reason=exc
                )
            ) from None
        warnings = _checked(path, formatted.text, shown, formatted.data)[1]
        assert formatted.data is not None
        return commit_text(
            data_dir, record_id, path, formatted.text, formatted.data, warnings, locks
        )


def _check_activity(record: Record, activity: NewActivity, shown: str) -> None:
    if record.signed_on is None:
        raise Refused(
            _(
                "{path} is not signed (no signed_on); a draft has no activities to report "
                "(KS305); nothing was written"
            ).format(path=shown)
        )
    if activity.on < record.signed_on:
        raise Refused(
            _(
                "activity dated {on} is before signed_on {signed_on} (KS304); nothing was written"
            ).format(on=activity.on, signed_on=record.signed_on)
        )
    for existing in record.activities or []:
        if existing.on == activity.on and existing.summary.strip() == activity.summary.strip():
            raise Refused(
                _(
                    "{path} already lists this activity ({on}: {summary}); nothing was written"
                ).format(path=shown, on=activity.on, summary=activity.summary)
            )


def _record_of(path: Path, text: str, shown: str, data: dict[str, Any] | None = None) -> Record:
    """The valid record ``text`` holds, or Refused with its errors (``data``: the text as
    already read, when it was)."""
    return _checked(path, text, shown, data)[0]


def _checked(
    path: Path, text: str, shown: str, data: dict[str, Any] | None = None
) -> tuple[Record, list[Finding]]:
    """``_record_of``, with the record's warnings placed in the file."""
    if data is None:
        loaded = parse_text(path, text)
        if loaded.data is None or loaded.findings:
            raise Refused(
                _("{path} is not a valid record; nothing was written").format(path=shown),
                loaded.findings,
            )
        data = loaded.data
    checked = examine(data)
    errors = errors_of(checked.findings)
    if errors or checked.record is None:
        raise Refused(
            _("{path} would not be a valid record; nothing was written").format(path=shown),
            locate(errors, shown, source_map_of(path, text)),
        )
    warnings = [f for f in checked.findings if f.severity == "warning"]
    return checked.record, locate(warnings, shown, source_map_of(path, text)) if warnings else []
