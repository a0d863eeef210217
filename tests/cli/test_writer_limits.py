"""Every writer checks the text it is about to write with the reader's own limits (issue 14,
class E), and text on stdin is read as a file is (class F): nothing is written that
`validate` would then refuse, and no record vanishes from `list`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write_record
from tests.tree import snapshot

SIGNED = """\
id: kb-a
title: Kerja sama
document: kesepakatan_bersama
parties:
  - region: "32"
  - region: Kaur
sectors: [pendidikan]
signed_on: 2024-01-01
ends_on: 2025-12-31
sources:
  - title: Arsip
"""


def _flow_units(count: int, per_line: int = 500) -> str:
    """A units list in flow style over lines of ~4,000 characters: about 4 bytes an item,
    which grows to ~9 an item in the block style records are written in."""
    items = [f"u{i}" for i in range(count)]
    chunks = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "units: [" + ",\n  ".join(chunks) + "]\n"


def test_activity_with_a_summary_longer_than_a_line_may_be_is_refused(
    registry: Path, run: Run
) -> None:
    write_record(registry, SIGNED, "kb-a")
    before = snapshot(registry)
    result = run("activity", "kb-a", "--on", "2024-06-01", "--summary", "x" * 12_000)
    assert result.exit_code == 1
    assert "KS110" in result.stderr and "nothing was written" in result.stderr
    assert snapshot(registry) == before
    assert run("list", "--format", "ids").stdout == "kb-a\n"


def test_add_from_stdin_with_a_line_too_long_writes_nothing(registry: Path, run: Run) -> None:
    before = snapshot(registry)
    text = SIGNED.replace("title: Kerja sama", "title: " + "y" * 20_000)
    result = run("add", "--from-file", "-", input=text)
    assert result.exit_code == 1
    assert "KS110" in result.stderr
    assert snapshot(registry) == before


def test_a_record_text_over_the_size_limit_is_never_created(registry: Path) -> None:
    from kerjasama_cli.model import Record
    from kerjasama_cli.storage.canonical import Unreadable, write_new_record
    from kerjasama_cli.storage.reading import parse_text

    data = parse_text(Path("x.yaml"), SIGNED).data
    assert data is not None
    record = Record.model_validate(data)
    with pytest.raises(Unreadable, match="KS107"):
        write_new_record(registry, record, SIGNED + "notes: >-\n" + "  kata\n" * 200_000)
    assert not list(registry.rglob("*.yaml"))


def test_a_submission_that_grows_but_stays_readable_is_written(registry: Path, run: Run) -> None:
    text = SIGNED.replace("id: kb-a", "id: kb-b") + _flow_units(5_000, per_line=200)
    result = run("add", "--from-file", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert run("validate").exit_code == 0
    assert run("list", "--format", "ids").stdout == "kb-b\n"


def test_non_utf8_bytes_on_stdin_are_a_finding_not_a_crash(registry: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "add", "--from-file", "-"],
        input=b"id: kb-c\ntitle: Kerja \xff\xfe sama\n",
        capture_output=True,
        env={"KERJASAMA_DATA": str(registry), "PATH": "", "KERJASAMA_CACHE_DIR": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 1
    assert b"KS101" in done.stderr and b"Traceback" not in done.stderr
    assert not list(registry.rglob("*.yaml"))


def test_fmt_leaves_a_file_alone_when_its_canonical_form_would_be_too_large(
    registry: Path, run: Run
) -> None:
    path = write_record(registry, SIGNED + _flow_units(3_000), "kb-a")
    assert path.stat().st_size < 1_000_000
    before = path.read_bytes()
    result = run("fmt")
    assert result.exit_code == 1
    # Written canonically, the flow list is one line of ~20,000 characters.
    assert "its canonical form would not be readable (KS110" in result.stderr
    assert path.read_bytes() == before


def test_import_reports_a_row_whose_record_would_not_be_readable(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    sheet = tmp_path / "rows.csv"
    sheet.write_text(
        f"title,document,party_1,party_2,sectors\n{'z' * 12_000},kb,Muara Enim,Lahat,pendidikan\n",
        encoding="utf-8",
    )
    before = snapshot(registry)
    result = run("import", str(sheet))
    assert result.exit_code == 1
    assert "row 2" in result.stderr and "KS110" in result.stderr
    assert snapshot(registry) == before
