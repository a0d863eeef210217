"""Changing a record that exists: `set`, `sign`, `end`, `evaluate` (and `edit`'s write).

Every change is an edit of the record's data (a function, as ``activity``'s append is) applied
through storage/rewriting.format_record_text, which proves that the rewritten text reads as
the same record plus the edit and keeps every comment. The result is checked as ``validate``
checks a file, and against the whole registry (references to other records, and records whose
``parent`` it is); only a valid record is written, atomically. When the record's folder must
change (``draf/`` to ``<year>/`` when it gets a ``signed_on``, or another year), the file is
rewritten in place and then renamed into its folder: a crash between the two leaves the
changed record once, in its old folder, which ``validate`` reports (KS211, naming the folder)
and which any later change (``kerjasama set ID``) moves. The id never changes.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import re
import shlex
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerjasama_cli.authoring import Refused, find_entry
from kerjasama_cli.errors import UsageError, WriteFailed, system_reason
from kerjasama_cli.findings import Finding, errors_of
from kerjasama_cli.i18n import _, ngettext
from kerjasama_cli.model import describe_value
from kerjasama_cli.parties import party_position
from kerjasama_cli.pipeline import examine
from kerjasama_cli.registry import Registry, load_registry
from kerjasama_cli.rules import check_references
from kerjasama_cli.storage import display_path, read_text
from kerjasama_cli.storage.canonical import record_path, replace_record
from kerjasama_cli.storage.locking import folder_lock
from kerjasama_cli.storage.reading import comment_after, parse_text
from kerjasama_cli.storage.rewriting import Edit, FormatError, format_record_text
from kerjasama_cli.storage.writing import move_exclusive

# Checks the record's data (as read, before the change); raises Refused to stop the change.
Precheck = Callable[[dict[str, Any], str], None]


@dataclass(slots=True)
class Changed:
    """A change written: where the record is now, where it was, and its warnings."""

    path: Path
    moved_from: Path | None = None
    warnings: list[Finding] = field(default_factory=list)
    values: list[tuple[str, Any, Any]] = field(default_factory=list)  # set: key, before, after


def change_record(
    data_dir: Path,
    record_id: str,
    edit: Edit,
    *,
    precheck: Precheck | None = None,
    use_cache: bool = True,
) -> Changed:
    """Apply ``edit`` to the record ``record_id`` and write it, or Refused (nothing written).

    RecordNotFound (a usage error, with close ids) for an unknown id.
    """
    registry = load_registry(data_dir, use_cache=use_cache)
    entry = find_entry(registry, record_id)
    path = entry.path
    shown = display_path(path)
    others = [e for e in registry.entries_for(record_id) if e is not entry]
    if others:
        files = ", ".join(display_path(e.path) for e in [entry, *others])
        raise Refused(
            _(
                "id {id!r} is used by {n} files ({files}); expected one (KS401): remove or "
                "rename the others first; nothing was written"
            ).format(id=record_id, n=len(others) + 1, files=files)
        )
    if path.is_symlink():
        raise Refused(
            _("{path} is a symbolic link; change the file it points to").format(path=shown)
        )
    with ExitStack() as locks:
        locks.enter_context(folder_lock(path.parent))
        # Read again under the lock: another change may have happened since the registry was read.
        text, findings = read_text(path)
        loaded = parse_text(path, text) if text is not None else None
        if text is None or loaded is None or loaded.data is None or loaded.findings:
            problems = findings or (loaded.findings if loaded else [])
            raise Refused(
                _(
                    "{path} cannot be read as a record; fix it first (kerjasama edit {id}, or "
                    "by hand); nothing was written"
                ).format(path=shown, id=record_id),
                problems,
            )
        if precheck is not None:
            precheck(loaded.data, shown)
        try:
            formatted = format_record_text(text, edit)
        except FormatError as exc:
            # Most often the changed record is invalid (a region the rewrite cannot write as
            # a code): say what is wrong with it rather than that it cannot be rewritten.
            changed = copy.deepcopy(loaded.data)
            edit(changed)
            check_changed(registry, record_id, changed, shown)
            raise Refused(
                _("{path} cannot be rewritten safely ({reason}); change it by hand").format(
                    path=shown, reason=exc
                )
            ) from None
        assert formatted.data is not None
        warnings = check_changed(registry, record_id, formatted.data, shown)
        return commit_text(
            data_dir, record_id, path, formatted.text, formatted.data, warnings, locks
        )


def commit_text(
    data_dir: Path,
    record_id: str,
    path: Path,
    text: str,
    data: dict[str, Any],
    warnings: list[Finding],
    locks: ExitStack,
) -> Changed:
    """Write a checked record's new ``text`` (``data``: as read) over ``path``, whose folder
    lock is held in ``locks``, and move it to the folder its signed_on asks for."""
    shown = display_path(path)
    target = record_path(data_dir, record_id, _date(data.get("signed_on")))
    if target.parent.resolve() == path.parent.resolve():
        replace_record(path, text)
        return Changed(path, None, warnings)
    made = not target.parent.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    if made:  # a move refused below leaves no empty year folder behind
        locks.callback(_remove_if_empty, target.parent)
    locks.enter_context(folder_lock(target.parent))
    if target.exists() or target.is_symlink():
        raise Refused(
            _("{target} already exists; {path} cannot move there; nothing was written").format(
                target=display_path(target), path=shown
            )
        )
    replace_record(path, text)
    try:
        move_exclusive(path, target)
    except WriteFailed as failed:
        raise Refused(
            _(
                "{path} was changed but stays where it was (validate reports it, KS211): it "
                "cannot move to {target} ({reason}); run the change again"
            ).format(path=shown, target=display_path(target), reason=system_reason(failed.cause))
        ) from None
    except FileExistsError:
        raise Refused(
            _(
                "{target} appeared meanwhile; {path} was changed but stays where it was "
                "(validate reports it, KS211); run the change again"
            ).format(target=display_path(target), path=shown)
        ) from None
    return Changed(target, path, warnings)


def _remove_if_empty(folder: Path) -> None:
    """Remove ``folder`` if nothing is in it (a folder made for a move that did not happen)."""
    with contextlib.suppress(OSError):
        folder.rmdir()


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return dt.date.fromisoformat(str(value))


def check_changed(
    registry: Registry, record_id: str, data: dict[str, Any], shown: str
) -> list[Finding]:
    """The changed record's warnings, or Refused with its errors (and the errors it would
    cause in the records whose parent it is)."""
    if data.get("id") != record_id:
        raise Refused(
            _(
                "{path}: the id never changes (expected id {id}, found {found}); nothing was "
                "written"
            ).format(path=shown, id=record_id, found=describe_value(data.get("id"))),
            [
                Finding(
                    "KS209",
                    _("expected id {id}; ids are never changed").format(id=record_id),
                    ("id",),
                )
            ],
        )
    checked = examine(data, stem=record_id)
    record = checked.record
    if record is not None:
        documents = registry.documents()
        documents[record_id] = record.document
        checked.findings += check_references(record, documents)
        for other in registry.entries:
            brief = other.brief
            if brief is None or brief.id == record_id or brief.parent != record_id:
                continue
            for finding in check_references(brief, documents):
                if finding.rule == "KS403":
                    checked.findings.append(
                        Finding(
                            "KS403",
                            _(
                                "{path} names this record as its parent, and a parent must be "
                                "a kesepakatan_bersama or nota_kesepakatan (this record would "
                                "be a {document})"
                            ).format(path=display_path(other.path), document=record.document),
                            ("document",),
                        )
                    )
    errors = errors_of(checked.findings)
    if errors or record is None:
        said = ngettext(
            "{path} would not be a valid record ({n} error); nothing was written",
            "{path} would not be a valid record ({n} errors); nothing was written",
            len(errors),
        )
        raise Refused(said.format(path=shown, n=len(errors)), errors)
    return checked.warnings


# --- set -----------------------------------------------------------------------------------

_STEP = re.compile(r"([a-z_]+)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")

Step = str | int  # a key, or a 1-based position in a list


@dataclass(frozen=True, slots=True)
class Assignment:
    """``KEY=VALUE`` of `kerjasama set`: a key path, and the value (None: remove the key)."""

    key: str
    path: tuple[Step, ...]
    value: Any
    remove: bool

    def current(self, data: Any) -> Any:
        """The value at the key path now, None where there is none."""
        node = data
        for step in self.path:
            if isinstance(step, str) and isinstance(node, dict):
                node = node.get(step)
            elif isinstance(step, int) and isinstance(node, list) and 1 <= step <= len(node):
                node = node[step - 1]
            else:
                return None
        return copy.deepcopy(node)

    def apply(self, data: dict[str, Any]) -> None:
        node: Any = data
        for depth, step in enumerate(self.path[:-1]):
            following = self.path[depth + 1]
            node = self._child(node, step, following, depth)
            if node is None:
                return  # removing under a key that is not there: nothing to remove
        self._put(node, self.path[-1])

    def _where(self, depth: int) -> str:
        return _format_path(self.path[: depth + 1])

    def _child(self, node: Any, step: Step, following: Step, depth: int) -> Any:
        if isinstance(step, str):
            if not isinstance(node, dict):
                raise UsageError(self._not_a("mapping", depth - 1))
            if node.get(step) is None:
                if self.remove:
                    return None
                node[step] = [] if isinstance(following, int) else {}
            return node[step]
        if not isinstance(node, list):
            raise UsageError(self._not_a("list", depth - 1))
        if not 1 <= step <= len(node):
            raise UsageError(self._no_item(depth, len(node)))
        return node[step - 1]

    def _not_a(self, kind: str, depth: int) -> str:
        """``KEY: WHERE is not a mapping`` (or ``a list``)."""
        said = (
            _("{key}: {where} is not a mapping")
            if kind == "mapping"
            else _("{key}: {where} is not a list")
        )
        return said.format(key=self.key, where=self._where(depth))

    def _no_item(self, depth: int, count: int) -> str:
        """``KEY: there is no WHERE; its list has N items``."""
        return ngettext(
            "{key}: there is no {where}; {list} has {n} item (positions start at 1)",
            "{key}: there is no {where}; {list} has {n} items (positions start at 1)",
            count,
        ).format(key=self.key, where=self._where(depth), list=self._where(depth - 1), n=count)

    def _put(self, node: Any, step: Step) -> None:
        depth = len(self.path) - 1
        value = copy.deepcopy(self.value)
        if isinstance(step, str):
            if not isinstance(node, dict):
                raise UsageError(self._not_a("mapping", depth - 1))
            if self.remove:
                node.pop(step, None)
            else:
                node[step] = value
            return
        if not isinstance(node, list):
            raise UsageError(self._not_a("list", depth - 1))
        if self.remove and 1 <= step <= len(node):
            del node[step - 1]
        elif not self.remove and 1 <= step <= len(node):
            node[step - 1] = value
        elif not self.remove and step == len(node) + 1:
            node.append(value)  # one past the end adds an item
        else:
            raise UsageError(self._no_item(depth, len(node)))


def _format_path(path: tuple[Step, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or _("the record")


_PREFIX = "value: "  # put before a `set` value to parse it as a record key's


def parse_assignment(argument: str) -> Assignment:
    """``KEY=VALUE`` read as `kerjasama set` reads it; UsageError saying what was expected."""
    key, sep, raw = argument.partition("=")
    key = key.strip()
    if not sep or not key:
        raise UsageError(
            _(
                '{argument!r}: expected KEY=VALUE (e.g. ends_on=2029-02-04, parties[2].number="12/2024"; '
                "KEY= removes the key)"
            ).format(argument=argument)
        )
    path: list[Step] = []
    for part in key.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise UsageError(
                _(
                    "{key!r} is not a key path; expected keys joined by dots with 1-based "
                    "positions, e.g. ends_on, parties[2].number, parties[1].signatory.name"
                ).format(key=key)
            )
        path.append(match.group(1))
        for index in _INDEX.findall(match.group(2)):
            if int(index) < 1:
                raise UsageError(
                    _("{key}: positions start at 1 (parties[1] is the first party)").format(key=key)
                )
            path.append(int(index))
    if path[0] == "id":
        raise UsageError(_("id: the id of a record never changes"))
    if not raw.strip():
        return Assignment(key, tuple(path), None, True)
    if any("\ud800" <= ch <= "\udfff" for ch in raw):
        raise UsageError(
            _(
                "{key}: the value holds a byte that is not UTF-8 (typed in another encoding?)"
            ).format(key=key)
        )
    loaded = parse_text(Path("<value>"), f"{_PREFIX}{raw}\n", first_line_shift=len(_PREFIX))
    if loaded.findings or loaded.data is None or set(loaded.data) != {"value"}:
        if loaded.findings:
            said = _(
                "{key}: {value!r} is not one YAML value ({why}); quote text that contains ': ' "
                "or starts with a special character"
            )
        else:
            said = _(
                "{key}: {value!r} is not one YAML value; quote text that contains ': ' or "
                "starts with a special character"
            )
        why = loaded.findings[0].message if loaded.findings else ""
        raise UsageError(said.format(key=key, value=raw, why=why))
    if loaded.data["value"] is None:
        # `notes=#N/A` is YAML's comment, `null` or `~` its nothing: written, they erased the
        # key's value without a word.
        raise UsageError(
            _(
                "{key}: {value!r} reads as no value (in YAML '#' starts a comment, and null "
                "and ~ mean nothing); to remove the key write {key}=, and quote text that "
                "starts with '#': {quoted}"
            ).format(key=key, value=raw.strip(), quoted=_quoted(key, raw))
        )
    dropped = comment_after(raw)
    if dropped is not None and _is_plain_text(loaded.data["value"], raw):
        # `notes=Rapat #2: disepakati` wrote "Rapat": ' #' starts YAML's comment.
        raise UsageError(
            _(
                "{key}: {value!r} would be written without {comment!r} (in YAML ' #' starts a "
                "comment); quote the whole text, {quoted}, or leave the comment out"
            ).format(key=key, value=raw.strip(), comment=dropped, quoted=_quoted(key, raw))
        )
    if dropped is not None:
        # A list, a mapping, quoted or block text: quoting it all would make it other text.
        raise UsageError(
            _(
                "{key}: {value!r} would be written without {comment!r} (in YAML ' #' starts a "
                "comment); leave the comment out, or put the '#' inside quoted text"
            ).format(key=key, value=raw.strip(), comment=dropped)
        )
    return Assignment(key, tuple(path), loaded.data["value"], False)


def _is_plain_text(value: Any, raw: str) -> bool:
    """Whether ``raw`` is text written plain on one line (``Rapat #2``), which quoting whole
    keeps as the text meant; not a list, a mapping, quoted or block text."""
    first = raw.strip()[:1]
    return (
        isinstance(value, str)
        and first not in "[{|>\"'"
        and "\n" not in raw.strip()
        # a date or a number before the comment: quoted whole, it would be neither
        and re.fullmatch(r"[\d\s.:+\-]+", value) is None
    )


def _quoted(key: str, raw: str) -> str:
    """``KEY=VALUE`` with the value as quoted YAML text, quoted again for a POSIX shell: what
    to type for text that YAML would read otherwise (a JSON string is a YAML one)."""
    return shlex.quote(f"{key}={json.dumps(raw.strip(), ensure_ascii=False)}")


def set_values(
    data_dir: Path, record_id: str, assignments: list[Assignment], *, use_cache: bool = True
) -> Changed:
    """`kerjasama set`: every assignment, in order, as one change; ``Changed.values`` says
    each key's value before and after (a list given whole replaces the one there)."""
    values: list[tuple[str, Any, Any]] = []

    def edit(data: dict[str, Any]) -> None:
        values.clear()  # the edit may be run again (a record moved by another process)
        for assignment in assignments:
            before = assignment.current(data)
            assignment.apply(data)
            values.append((assignment.key, before, assignment.current(data)))

    changed = change_record(data_dir, record_id, edit, use_cache=use_cache)
    changed.values = values
    return changed


# --- sign, end, evaluate -------------------------------------------------------------------


def day_before_anniversary(on: dt.date, years: int) -> dt.date:
    """The last day of a term of ``years`` years from ``on``: the day before the anniversary
    (a term from 29 February ends on 27 February, the day before 28 February)."""
    from kerjasama_cli.rules import years_after

    anniversary = years_after(on, years)
    if anniversary is None:
        raise UsageError(
            _("--years {years}: the term would end after the year 9999").format(years=years)
        )
    return anniversary - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Signing:
    """What `kerjasama sign` records."""

    on: dt.date
    ends_on: dt.date | None = None
    numbers: tuple[tuple[str, str], ...] = ()  # (party as given, number)
    at: str | None = None


def sign_record(
    data_dir: Path, record_id: str, signing: Signing, *, use_cache: bool = True
) -> Changed:
    """`kerjasama sign`: a draft gets signed_on (and ends_on, numbers, signed_at) and moves
    to its year's folder."""

    def precheck(data: dict[str, Any], shown: str) -> None:
        if data.get("signed_on") is not None:
            raise Refused(
                _(
                    "{path} is already signed (signed_on {signed_on}); expected a draft (to "
                    "correct the date: kerjasama set {id} signed_on=DATE); nothing was written"
                ).format(path=shown, signed_on=data["signed_on"], id=record_id)
            )
        ended = _ended(data)
        if ended is not None:
            # A cancelled draft signed all the same read "dibatalkan ... ditandatangani".
            raise Refused(
                _(
                    "{path} has ended (ended.on {on}, reason {reason}); to sign it after all, "
                    "first remove that: kerjasama set {id} ended=; nothing was written"
                ).format(path=shown, on=ended.get("on"), reason=ended.get("reason"), id=record_id)
            )
        parties = data.get("parties")
        for party, _number in signing.numbers:
            party_position(parties if isinstance(parties, list) else [], party, "--number")

    def edit(data: dict[str, Any]) -> None:
        data["signed_on"] = signing.on.isoformat()
        if signing.ends_on is not None:
            data["ends_on"] = signing.ends_on.isoformat()
        if signing.at is not None:
            data["signed_at"] = signing.at
        parties = data["parties"]
        for party, number in signing.numbers:
            parties[party_position(parties, party, "--number")]["number"] = number

    return change_record(data_dir, record_id, edit, precheck=precheck, use_cache=use_cache)


def _ended(data: dict[str, Any]) -> dict[str, Any] | None:
    """A record's ``ended`` as the file gives it, when it says anything."""
    ended = data.get("ended")
    return ended if isinstance(ended, dict) and ended else None


def _as_date(value: object) -> dt.date | None:
    """A record's date as the file gives it (a date, or its ISO text), else None."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    return None


def end_record(
    data_dir: Path, record_id: str, on: dt.date, reason: str, *, use_cache: bool = True
) -> Changed:
    """`kerjasama end`: the record gets ``ended: {on, reason}``."""

    def precheck(data: dict[str, Any], shown: str) -> None:
        ended = _ended(data)
        if ended is not None:
            raise Refused(
                _(
                    "{path} has already ended (ended.on {on}, reason {reason}); to correct it: "
                    "kerjasama set {id} ended.on=DATE ended.reason=REASON; nothing was written"
                ).format(path=shown, on=ended.get("on"), reason=ended.get("reason"), id=record_id)
            )
        ends_on = _as_date(data.get("ends_on"))
        if ends_on is not None and on > ends_on:
            raise Refused(
                _(
                    "{path} runs until {ends_on} (ends_on): it expires by itself then, and "
                    "`end` records an agreement ended before that or cancelled; expected --on "
                    "{ends_on} or earlier (to change the term: kerjasama set {id} "
                    "ends_on=DATE); nothing was written"
                ).format(path=shown, ends_on=ends_on, id=record_id)
            )

    def edit(data: dict[str, Any]) -> None:
        data["ended"] = {"on": on.isoformat(), "reason": reason}

    return change_record(data_dir, record_id, edit, precheck=precheck, use_cache=use_cache)


@dataclass(frozen=True, slots=True)
class NewEvaluation:
    """An evaluation to append to a record's ``evaluations``."""

    on: dt.date
    summary: str
    recommendation: str
    score: int | None = None

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "on": self.on.isoformat(),
            "summary": self.summary,
            "recommendation": self.recommendation,
        }
        if self.score is not None:
            data["score"] = self.score
        return data


def evaluate_record(
    data_dir: Path, record_id: str, evaluation: NewEvaluation, *, use_cache: bool = True
) -> Changed:
    """`kerjasama evaluate`: append an evaluation (refused on a draft, before signing, or when
    the same evaluation is already there)."""

    def precheck(data: dict[str, Any], shown: str) -> None:
        signed_on = data.get("signed_on")
        if signed_on is None:
            raise Refused(
                _(
                    "{path} is not signed (no signed_on); expected a signed agreement: a draft "
                    "has nothing to evaluate (KS306); nothing was written"
                ).format(path=shown)
            )
        for existing in data.get("evaluations") or []:
            if (
                isinstance(existing, dict)
                and str(existing.get("on")) == evaluation.on.isoformat()
                and str(existing.get("summary", "")).strip() == evaluation.summary
            ):
                raise Refused(
                    _(
                        "{path} already lists this evaluation ({on}: {summary}); nothing was "
                        "written"
                    ).format(path=shown, on=evaluation.on, summary=evaluation.summary)
                )

    def edit(data: dict[str, Any]) -> None:
        evaluations = data.get("evaluations")
        if isinstance(evaluations, list):
            evaluations.append(evaluation.as_data())
        else:
            data["evaluations"] = [evaluation.as_data()]

    return change_record(data_dir, record_id, edit, precheck=precheck, use_cache=use_cache)
