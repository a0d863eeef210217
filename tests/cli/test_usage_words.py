"""A flag's bad value is answered in the tool's own words (the option, what was expected, what
was given), not pydantic's or Click's ("Input should be a valid integer")."""

from __future__ import annotations

import pytest

from tests.conftest import Run


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "--format", "pdf"), "--format: expected one of table, json, csv, ids, got 'pdf'"),
        (("list", "--year", "abc"), "--year: expected a whole number, got 'abc'"),
        (("list", "--limit", "-1"), "--limit: expected a whole number at least 0, got '-1'"),
        (("summarise", "--format", "pdf"),
         "--format: expected one of table, json, csv, markdown, html, got 'pdf'"),
        (("summarise", "--expiry-window", "x"), "--expiry-window: expected a whole number, got 'x'"),
        (("export", "--format", "pdf"), "--format: expected one of csv, xlsx, json, sqlite, got 'pdf'"),
        (("list", "--signed-from", "5/2/2024"), "--signed-from: expected a date YYYY-MM-DD, got "
         "'5/2/2024'; if it means day 5 of month 2 (the Indonesian order), write 2024-02-05"),
        # written right, but no such day: the calendar is named, as validate names it
        (("list", "--signed-from", "2023-02-31"), "--signed-from: '2023-02-31' is not a real "
         "calendar date (February 2023 has 28 days); expected YYYY-MM-DD"),
        (("activity", "x", "--on", "2025-13-01", "--summary", "s"), "--on: '2025-13-01' is not a "
         "real calendar date (there is no month 13); expected YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_bad_values_are_usage_errors_in_our_words(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
