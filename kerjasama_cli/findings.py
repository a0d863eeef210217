"""Problems found in record files, collected as values rather than raised."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """Render a key path as people read it: ``parties[1].region``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file, at a place in it."""

    path: str
    line: int
    column: int
    key: str
    rule: str
    severity: Severity
    message: str

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
