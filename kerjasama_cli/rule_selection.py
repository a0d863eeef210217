"""Which rules a validation run reports: ``--select`` / ``--ignore`` and their configured defaults.

A code is a rule code (``KS904``) or a prefix of rule codes, as in ruff: ``KS9`` is every
warning, ``KS4`` every cross-file rule, ``KS`` every rule. A finding is reported when its rule
matches a selected code (or no code is selected) and matches no ignored code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from kerjasama_cli.errors import UsageError
from kerjasama_cli.findings import RULES, CheckResult
from kerjasama_cli.i18n import _


def parse_codes(values: Iterable[str], source: str) -> tuple[str, ...]:
    """Split comma-separated codes, normalise them to upper case and check each names a rule.

    ``source`` names where the values came from (``--ignore``, ``kerjasama.toml``) for the
    message of the UsageError (exit 2) raised on an unknown code.
    """
    codes: list[str] = []
    for raw in values:
        for part in raw.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not any(rule.startswith(code) for rule in RULES):
                close = difflib.get_close_matches(code, list(RULES), n=1, cutoff=0.6)
                message = (
                    _(
                        "{source}: {code!r} is not a rule code or a prefix of one ({first} ... "
                        "{last}; see the rule table in the README); did you mean {close}?"
                    )
                    if close
                    else _(
                        "{source}: {code!r} is not a rule code or a prefix of one ({first} ... "
                        "{last}; see the rule table in the README)"
                    )
                )
                raise UsageError(
                    message.format(
                        source=source,
                        code=part.strip(),
                        close=close[0] if close else "",
                        first=min(RULES),
                        last=max(RULES),
                    )
                )
            codes.append(code)
    return tuple(dict.fromkeys(codes))


@dataclass(frozen=True, slots=True)
class RuleSelection:
    """The rules to report: ``select`` None (or empty) means all of them."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()

    def reports(self, rule: str) -> bool:
        if self.select and not any(rule.startswith(c) for c in self.select):
            return False
        return not any(rule.startswith(c) for c in self.ignore)

    def apply(self, result: CheckResult) -> CheckResult:
        """The result without the findings of rules that are not reported."""
        if not self.select and not self.ignore:
            return result
        kept = [f for f in result.findings if self.reports(f.rule)]
        return CheckResult(result.files, kept)
