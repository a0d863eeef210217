"""Property: fmt reads a file as validate reads it, so it never changes what validate reads.

The text values of a record are written plain, in the forms YAML 1.1 (or a round-trip loader)
would read as something else: times (``12:30``, sexagesimal 750 in YAML 1.1), ``on``/``off``
(booleans in 1.1), timestamps with a lowercase ``t``, impossible dates, numbers with leading
zeros, underscores or a base prefix; with or without a ``%YAML 1.1`` directive. Whatever fmt
writes (or refuses to write) must read, for validate, as the very record the original did.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerjasama_cli.model import Record
from kerjasama_cli.storage.reading import parse_text
from kerjasama_cli.storage.rewriting import FormatError, format_record_text
from tests.conftest import EXAMPLES

TRICKY = [
    "12:30",
    "1:20:30",
    "on",
    "off",
    "yes",
    "No",
    "2024-01-01t10:00:00Z",
    "2024-01-01 10:00:00",
    "2024-02-30",
    "063",
    "0x20",
    "0o40",
    "3_2",
    "1e3",
    "+12",
    ".inf",
    "0b101",
    "12:30:45.5",
    "2024-02-05",
]
_SENTINEL = "__TRICKY__"


def _reading(text: str) -> Record | None:
    loaded = parse_text(Path("x.yaml"), text)
    if loaded.findings or loaded.data is None:
        return None
    try:
        return Record.model_validate(loaded.data)
    except ValueError:
        return None


@st.composite
def record_texts(draw: st.DrawFn) -> str:
    values = draw(st.lists(st.sampled_from(TRICKY), min_size=3, max_size=3))
    directive = draw(st.sampled_from(["", "%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "---\n"]))
    return (
        f"{directive}id: x\n"
        "title: Kerja sama\n"
        "document: kesepakatan_bersama\n"
        "parties:\n"
        '  - region: "32"\n'
        "  - region: Kaur\n"
        "sectors: [pendidikan]\n"
        f"signed_at: {values[0]}\n"
        f"units:\n  - {values[1]}\n  - Bappeda\n"
        f"scope:\n  - {values[2]}\n"
        f"notes: {values[0]}\n"
    )


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_texts())
def test_fmt_never_changes_what_validate_reads(text: str) -> None:
    before = _reading(text)
    if before is None:
        return  # fmt leaves a file with errors alone
    try:
        result = format_record_text(text).text
    except FormatError:
        return  # refusing is safe: nothing is written
    assert _reading(result) == before, result


# Every one is text for validate (the numbers are not in the decimal form people write).
TEXT = [v for v in TRICKY if v not in ("1e3", "+12", ".inf")]


@pytest.mark.parametrize("value", TEXT)
def test_each_tricky_plain_value_survives_fmt_as_validate_reads_it(value: str) -> None:
    text = (
        "%YAML 1.1\n---\nid: x\ntitle: T\ndocument: kesepakatan_bersama\n"
        'parties:\n  - region: "32"\n  - region: Kaur\nsectors: [pendidikan]\n'
        f"signed_at: {value}\nunits:\n  - {value}\n"
    )
    before = _reading(text)
    assert before is not None, "every value here is text for validate"
    result = format_record_text(text).text
    assert _reading(result) == before


def test_examples_of_the_suite_keep_their_reading() -> None:
    for path in sorted((EXAMPLES / "valid").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _reading(format_record_text(text).text) == _reading(text), path.name
