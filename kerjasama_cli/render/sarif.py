"""`validate --format sarif`: findings as SARIF 2.1.0, the format GitHub code scanning reads.

One run; the driver lists every rule of ``rules.RULES`` (its code as ``id``, its description as
short description and help) and each finding is a result pointing at its rule by id and index,
with a level and a physical location (file, line, column). Paths are written as URIs relative
to the current folder, which in a workflow is the repository root that code scanning expects.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from kerjasama_cli import __version__
from kerjasama_cli.findings import CheckResult, Finding
from kerjasama_cli.i18n import _

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def artifact_uri(path: str) -> str:
    """A finding's path as a URI reference: relative stays relative, absolute becomes file://.
    A backslash separates folders only on Windows; elsewhere it is part of a name (%5C)."""
    posix = path.replace("\\", "/") if os.sep == "\\" else path
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def _rule(code: str, severity: str, description: str) -> dict[str, Any]:
    description = _(description)  # the rules' table is marked for the catalog, not translated
    return {
        "id": code,
        "shortDescription": {"text": description},
        "fullDescription": {"text": description},
        "help": {
            "text": _(
                "{code} ({severity}): {description}. See the rule codes in kerjasama's README."
            ).format(code=code, severity=severity, description=description),
        },
        "defaultConfiguration": {"level": severity},
        "properties": {"tags": [severity]},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": finding.severity,
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.path)},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.key:
        result["properties"] = {"key": finding.key}
    return result


def sarif_log(result: CheckResult) -> dict[str, Any]:
    """The SARIF 2.1.0 log of a validation run."""
    from kerjasama_cli.rules import RULES

    index = {code: i for i, code in enumerate(RULES)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kerjasama",
                        "version": __version__,
                        "rules": [
                            _rule(code, severity, description)
                            for code, (severity, description) in RULES.items()
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index) for f in result.sorted()],
            }
        ],
    }
