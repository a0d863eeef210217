"""What the parser reads is what a reviewer sees (issue 14, class D).

Line and paragraph separators, NEL and bidirectional controls anywhere in a file (a comment
too) are refused; a region is a code, a name or an unquoted two-digit province code written in
decimal, never another form YAML reads as a number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write_record

DRAFT = """\
id: kb-a
title: Kerja sama
document: kesepakatan_bersama
parties:
  - region: {region}
  - region: Kaur
sectors: [pendidikan]
"""


@pytest.mark.parametrize(
    ("char", "where"),
    [
        ("\u2028", "comment"),
        ("\u2029", "comment"),
        ("\u0085", "comment"),
        ("\u202e", "comment"),
        ("\u2066", "value"),
        ("\u200f", "value"),
        ("\u2028", "value"),
    ],
)
def test_hidden_line_breaks_and_direction_controls_are_refused(
    registry: Path, run: Run, char: str, where: str
) -> None:
    text = DRAFT.format(region='"32"')
    if where == "comment":
        # Hidden in a comment, the separator would turn the rest of the line into data.
        text = text.replace("sectors:", f"# catatan{char}notes: tersembunyi\nsectors:")
    else:
        text = text.replace("title: Kerja sama", f"title: Kerja{char} sama")
    write_record(registry, text, "kb-a", "draf")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    (finding,) = result.json()["findings"]
    assert finding["rule"] == "KS101"
    assert f"U+{ord(char):04X}" in finding["message"]
    assert (finding["line"], finding["column"]) != (0, 0)
    # Nothing else reads the file as a record: list skips it, show refuses it.
    assert run("list", "--format", "ids").stdout == ""


@pytest.mark.parametrize("written", ["0x20", "0o40", "040", "3_2", "032", "+32"])
def test_a_region_written_as_another_number_form_is_not_a_province(
    registry: Path, run: Run, written: str
) -> None:
    write_record(registry, DRAFT.format(region=written), "kb-a", "draf")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    rules = [f["rule"] for f in result.json()["findings"]]
    assert rules in (["KS201"], ["KS206"]), rules
    assert run("list", "--region", "Jawa Barat", "--format", "ids").stdout == ""


def test_an_unquoted_decimal_province_code_is_still_a_province(registry: Path, run: Run) -> None:
    write_record(registry, DRAFT.format(region="32"), "kb-a", "draf")
    assert run("validate").exit_code == 0
    assert run("list", "--region", "Jawa Barat", "--format", "ids").stdout == "kb-a\n"


@pytest.mark.parametrize("escape", ["\\u200F", "\\u200E", "\\u061C"])
def test_an_escaped_direction_mark_in_a_value_is_refused_as_validate_and_fmt_agree(
    registry: Path, run: Run, escape: str
) -> None:
    """Written as an escape the file is plain text, but the value would still reorder what is
    shown: refused in the value (KS206), so fmt is never left unable to write a valid record."""
    text = DRAFT.format(region='"32"').replace("title: Kerja sama", f'title: "Kerja {escape} sama"')
    write_record(registry, text, "kb-a", "draf")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    assert [f["rule"] for f in result.json()["findings"]] == ["KS206"]


def test_a_value_from_a_command_line_that_is_not_utf8_is_refused(registry: Path, run: Run) -> None:
    """Bytes that are not UTF-8 on a command line reach Python as lone surrogates."""
    result = run(
        "add",
        "--title",
        "Judul \udcff uji",
        "--party",
        "Jawa Barat",
        "--party",
        "Kaur",
        "--sector",
        "pendidikan",
    )
    assert result.exit_code == 1
    assert "KS206" in result.stderr and "not UTF-8" in result.stderr
    assert not list(registry.rglob("*.yaml"))


def test_changes_given_text_that_is_not_utf8_are_refused_not_crashed(
    registry: Path, run: Run
) -> None:
    text = (
        DRAFT.format(region='"32"').replace("id: kb-a", "id: kb-b")
        + "signed_on: 2024-01-02\nends_on: 2025-01-01\nsources:\n  - title: Arsip\n"
    )
    path = write_record(registry, text, "kb-b", "2024")
    before = path.read_bytes()
    for args, code in [
        (("activity", "kb-b", "--on", "2024-06-01", "--summary", "Rapat \udcff"), 1),
        (
            (
                "evaluate",
                "kb-b",
                "--on",
                "2024-06-01",
                "--recommendation",
                "lanjutkan",
                "--summary",
                "Baik \udcff",
            ),
            1,
        ),
        (("set", "kb-b", "notes=Catatan \udcff"), 2),
    ]:
        result = run(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert "not UTF-8" in result.stderr
        assert path.read_bytes() == before


@pytest.mark.parametrize(
    "line", ["notes: x\t# a comment after a tab", "notes:\tx", "notes: x\t", "units: [a]\t# c"]
)
def test_tabs_the_round_trip_reader_refuses_leave_fmt_and_activity_refusing_not_crashing(
    registry: Path, run: Run, line: str
) -> None:
    text = (
        DRAFT.format(region='"32"').replace("id: kb-a", "id: kb-c")
        + "signed_on: 2024-01-02\nends_on: 2025-01-01\nsources:\n  - title: Arsip\n"
        + line
        + "\n"
    )
    path = write_record(registry, text, "kb-c", "2024")
    assert run("validate").exit_code == 0  # libyaml takes these tabs as white space
    before = path.read_bytes()
    for args in (
        ("fmt", "--check"),
        ("fmt",),
        ("activity", "kb-c", "--on", "2024-03-01", "--summary", "Rapat"),
    ):
        result = run(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "unexpected" not in result.stderr
    if run("fmt", "--check").exit_code == 1:
        assert path.read_bytes() == before
