"""Dates at the ends of the calendar (issue 14, class A): one record must never take the
registry down. Rules and status computed near year 1 or year 9999 must not step outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write_record

RECORD = """\
id: kb-x
title: Di ujung kalender
document: kesepakatan_bersama
parties:
  - region: "32"
  - region: Kaur
sectors: [pendidikan]
signed_on: {signed}
ends_on: {ends}
sources:
  - title: Arsip
activities:
  - on: {ends}
    summary: selesai
"""
COMMANDS = [
    ("validate",),
    ("list",),
    ("list", "--expiring-within", "999999999"),
    ("list", "--as-of", "9999-12-31"),
    ("list", "--as-of", "0001-01-01", "--expiring-within", "5"),
    ("summarise",),
    ("summarise", "--expiry-window", "99999999"),
    ("summarise", "--region", "Kaur", "--as-of", "9999-12-31"),
    ("show", "kb-x"),
    ("export", "--format", "csv"),
]


@pytest.mark.parametrize(
    ("signed", "ends"),
    [
        ("9998-01-01", "9999-12-31"),  # five years on would be year 10003
        ("9996-02-29", "9999-12-31"),  # 29 February, five years on
        ("0001-01-01", "0001-06-01"),
    ],
)
def test_no_command_fails_on_a_record_at_the_end_of_the_calendar(
    registry: Path, run: Run, signed: str, ends: str
) -> None:
    write_record(registry, RECORD.format(signed=signed, ends=ends), "kb-x", signed[:4])
    for command in COMMANDS:
        result = run(*command)
        assert result.exit_code == 0, (command, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr


def test_the_term_rule_still_warns_near_the_end_of_the_calendar(registry: Path, run: Run) -> None:
    write_record(registry, RECORD.format(signed="9990-01-01", ends="9999-12-31"), "kb-x", "9990")
    findings = run("validate", "--format", "json").json()["findings"]
    # The activity on 9999-12-31 has not happened yet either.
    assert [f["rule"] for f in findings] == ["KS903", "KS906"]
    assert "expected at most until 9995-01-01" in findings[0]["message"]


@pytest.mark.parametrize("written", ["0000-12-31", "0000-01-01", "0000-02-29"])
def test_year_zero_is_a_finding_not_a_crash(registry: Path, run: Run, written: str) -> None:
    write_record(registry, RECORD.format(signed="2024-01-01", ends=written), "kb-x", "2024")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    messages = [f["message"] for f in result.json()["findings"] if f["rule"] == "KS301"]
    assert messages and all("there is no year 0000" in m for m in messages)
    assert run("list").exit_code == 0
