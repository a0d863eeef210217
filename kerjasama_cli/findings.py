"""Problems found in record files, collected as values rather than raised: the one finding type.

A ``Finding`` is made where a rule notices a problem, at a key path (``loc``), and placed in a
file (``path``, ``line``, ``column``) once the file's positions are known; a finding of an
imported sheet is placed at a row (``line``) and a column of the sheet. Its severity is the
rule's (``RULES``), never stored again. What a renderer may need beyond the message is data:
``suggestions`` (close values, best first) and ``cause`` (why, where that changes the words).
The rule codes are listed in the README ("Rules").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from kerjasama_cli.i18n import N_, _

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]
# Why a finding was made, where a renderer words it differently: "missing", a required key is
# absent (an imported sheet says its cell is empty); "number", a number stands where text was
# expected (a file shows the value as it was written, which may not be the number read).
Cause = Literal["missing", "number"]

# The rules whose findings depend on the day they are made (KS906 names today, and a date in
# the future stops being one): the index checks the files that had one of them again each day.
TODAY_RULES = frozenset({"KS906"})

RULES: dict[str, tuple[Severity, str]] = {
    "KS100": ("error", N_("file cannot be read (permissions, I/O error)")),
    "KS101": (
        "error",
        N_("file is not UTF-8 text (UTF-16, Latin-1, NUL bytes, control characters)"),
    ),
    "KS102": ("error", N_("YAML syntax error (including tabs used for indentation)")),
    "KS103": ("error", N_("duplicate key in a mapping")),
    "KS104": ("error", N_("YAML anchors and aliases are not allowed")),
    "KS105": ("error", N_("YAML tags (!!str, !!python/..., !custom) are not allowed")),
    "KS106": (
        "error",
        N_(
            "document is not one mapping (empty, a list, a scalar, several documents, nested too deep)"
        ),
    ),
    "KS107": ("error", N_("file is too large to be a record (over 1 MB)")),
    "KS108": (
        "error",
        N_(
            "something other than a <id>.yaml record under agreements/ (.yml, other files, folders named .yaml)"
        ),
    ),
    "KS109": ("error", N_("symbolic link that leads outside the data folder (not followed)")),
    "KS110": ("error", N_("a line is longer than 10,000 characters (generated or binary content)")),
    "KS200": ("error", N_("a required key is missing")),
    "KS201": ("error", N_("unknown region (with suggestions)")),
    "KS202": ("error", N_("ambiguous region name (candidates listed with codes)")),
    "KS203": ("error", N_("region cannot be a party (Jakarta's administrative kota/kabupaten)")),
    "KS204": ("error", N_("the same region appears twice among the parties")),
    "KS205": ("error", N_("unknown key (with the closest known key)")),
    "KS206": (
        "error",
        N_("wrong type or format (text, list, mapping, true/false, URL, code in quotes)"),
    ),
    "KS207": (
        "error",
        N_("value is not in the vocabulary (document, category, sector, kind, stage, ...)"),
    ),
    "KS208": ("error", N_("id, parent, supersedes, related or tag is not a slug")),
    "KS209": ("error", N_("id differs from the file name")),
    "KS210": ("error", N_("a party is neither a region nor a name with a kind (or both)")),
    "KS211": (
        "error",
        N_("record stored in the wrong folder (not <year of signed_on>/, or not draf/)"),
    ),
    "KS301": ("error", N_("not a valid date YYYY-MM-DD (wrong format or impossible date)")),
    "KS302": ("error", N_("ends_on is before starts_on (or signed_on)")),
    "KS303": ("error", N_("starts_on is before signed_on")),
    "KS304": ("error", N_("an activity is dated before signed_on")),
    "KS305": ("error", N_("activities recorded on an unsigned record")),
    "KS306": ("error", N_("an evaluation on an unsigned record or dated before signed_on")),
    "KS307": ("error", N_("ended.on is before signed_on")),
    "KS401": ("error", N_("the same id is used by two files")),
    "KS402": ("error", N_("parent, supersedes or related names an id that does not exist")),
    "KS403": ("error", N_("parent is not a kesepakatan_bersama or nota_kesepakatan")),
    "KS901": ("warning", N_("category disagrees with the one derived from the parties")),
    "KS902": ("warning", N_("signed record without ends_on")),
    "KS903": ("warning", N_("term longer than 5 years")),
    "KS904": ("warning", N_("signed record with no sources and no party number")),
    "KS905": ("warning", N_("obligation (wajib/sukarela) given on an agreement that is not KSDD")),
    "KS906": ("warning", N_("an activity or evaluation dated after today")),
    "KS907": ("warning", N_("ended.on is after ends_on (the agreement had expired)")),
}


def rule_description(code: str) -> str:
    """What rule ``code`` checks, in the language in force (``RULES`` holds the English)."""
    return _(RULES[code][1])


def format_loc(loc: Loc) -> str:
    """Render a key path as people read it: ``parties[1].region``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


_POSITION = re.compile(r"\[(\d+)\]")
# Text a message quotes (a value as the person wrote it): never rewritten.
_QUOTED = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def counted_from_one(key: str) -> str:
    """A key path with its positions counted from 1, as `set` and `add`'s flags count them
    (``activities[0].on`` is ``activities[1].on``): what a person copies into `set`. The
    JSON ``key`` of `validate` keeps the contract's 0-based positions."""
    return _POSITION.sub(lambda m: f"[{int(m[1]) + 1}]", key)


def message_counted_from_one(finding: Finding) -> str:
    """The message with the finding's own key path, and each shorter one that ends at a
    position (``related[0]``, ``parties[1]`` of ``parties[1].region``), counted from 1;
    quoted text in it (a value as it was written: ``'parties[1]'``) is left as it is."""
    loc = finding.loc
    paths = [
        format_loc(loc[:end]) for end in range(len(loc), 0, -1) if isinstance(loc[end - 1], int)
    ]
    if not paths:
        return finding.message
    pattern = re.compile("|".join(re.escape(path) for path in paths) + r"(?![\w\[])")
    parts = _QUOTED.split(finding.message)
    return "".join(
        part if i % 2 else pattern.sub(lambda m: counted_from_one(m[0]), part)
        for i, part in enumerate(parts)
    )


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a rule broken at a key path, placed in a file (or a sheet) once located.

    ``line`` and ``column`` are 1-based; 0 while the finding is not placed (a record given
    on the command line has no file). ``on_key``: placed at the key itself (an unknown key),
    not at its value.
    """

    rule: str
    message: str
    loc: Loc = ()
    path: str = ""
    line: int = 0
    column: int = 0
    on_key: bool = False
    suggestions: tuple[str, ...] = ()
    cause: Cause | None = None

    @property
    def severity(self) -> Severity:
        return RULES[self.rule][0]

    @property
    def key(self) -> str:
        return format_loc(self.loc)

    def placed(self, path: str, line: int, column: int, message: str | None = None) -> Finding:
        """The same finding at a place (and, when given, with the message worded for it)."""
        return replace(
            self,
            path=path,
            line=line,
            column=column,
            message=self.message if message is None else message,
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)

    def as_dict(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "key": self.key,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
        }


def errors_of(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that are errors (not warnings)."""
    return [f for f in findings if RULES[f.rule][0] == "error"]


@dataclass(slots=True)
class CheckResult:
    """Everything a validation run found, over a number of files."""

    files: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def failed(self, *, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_dict() for f in self.sorted()],
        }
