"""CSV cells a spreadsheet would run are escaped with a ' that import removes again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kerjasama_cli.exchange.sheets import escape_formula, unescape_formula


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+62 21 123", "'+62 21 123"),
        ("-5 tahun", "'-5 tahun"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("Kerja sama", "Kerja sama"),
        ("a=b", "a=b"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_escape_formula(text: str, escaped: str) -> None:
    assert escape_formula(text) == escaped
    assert unescape_formula(escaped) == text


def test_without_formulas_only_escaped_looking_text_changes() -> None:
    assert escape_formula("=x", formulas=False) == "=x"
    assert escape_formula("'=x", formulas=False) == "''=x"
    assert escape_formula("'x", formulas=False) == "'x"


@given(st.text(alphabet="'=+-@\t\rab ", max_size=8), st.booleans())
def test_round_trip_is_exact(text: str, formulas: bool) -> None:
    assert unescape_formula(escape_formula(text, formulas=formulas)) == text


@given(st.text(alphabet="'=+-@\t\rab ", max_size=8))
def test_an_escaped_cell_never_starts_a_formula(text: str) -> None:
    assert not escape_formula(text).startswith(tuple("=+-@\t\r"))
