"""Hostile input that is generated rather than committed: huge files, deep nesting, odd names.

The committed corpus is tests/examples/invalid/ (collected by test_examples.py); what is here
is too large to commit or needs a real subprocess (a crash in C must not take the test run
down with it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerjasama_cli.storage.files import MAX_FILE_BYTES
from tests.conftest import Run, record_text, write_record


def located(run: Run, *args: str) -> list[tuple[str, int, int]]:
    result = run("validate", "--format", "json", *args)
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    return [(f["rule"], f["line"], f["column"]) for f in result.json()["findings"]]


def validate_in_subprocess(data_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KERJASAMA_") or k == "KERJASAMA_CACHE_DIR"
    }
    return subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "validate", "--format", "json"],
        cwd=cwd,
        env={**env, "KERJASAMA_DATA": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_10_mb_file_is_refused_with_ks107_without_being_read(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = registry / "agreements" / "kb-huge.yaml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id: kb-huge\nnotes: ")
        fh.write("x" * (10 * 1024 * 1024))
    bytes_read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        bytes_read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    result = run("validate", "--format", "json")
    assert [(f["rule"], f["line"], f["column"]) for f in result.json()["findings"]] == [
        ("KS107", 1, 1)
    ]
    assert "10,485,7" in result.json()["findings"][0]["message"]
    assert sum(bytes_read) <= MAX_FILE_BYTES + 1


def test_a_file_just_over_the_limit_is_refused(registry: Path, run: Run) -> None:
    write_record(registry, "id: kb-big\nnotes: >\n" + "  kata\n" * 200_000, "kb-big")
    assert located(run) == [("KS107", 1, 1)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("opening", "closing", "levels"),
    [(" [\n", " ]\n", 1), (" {a:\n", " }\n", 1), (" [{a: [\n", " ]}]\n", 3)],
    ids=["lists", "mappings", "mixed"],
)
def test_100k_deep_flow_nesting_is_refused_in_a_subprocess_without_crashing(
    registry: Path, tmp_path: Path, opening: str, closing: str, levels: int
) -> None:
    """libyaml's composer recurses in C: 100,000 levels overflow its stack (a segfault).

    The event pre-scan stops at level 33, before anything is composed. (One line per level:
    a single line that long is refused as KS110 before the scan.)
    """
    lines = 100_000 // levels
    write_record(registry, "id: kb-deep\nnotes:\n" + opening * lines + closing * lines, "kb-deep")
    done = validate_in_subprocess(registry, tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]  # a segfault is -11
    findings = json.loads(done.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["KS106"]
    assert "Traceback" not in done.stderr


def test_nesting_below_the_pre_scan_threshold_is_refused_too(registry: Path, run: Run) -> None:
    """1,500 levels are few enough to skip the pre-scan, and once overflowed Python's stack."""
    write_record(registry, "id: kb-deep\nnotes:\n" + " [\n" * 1500 + " ]\n" * 1500, "kb-deep")
    assert located(run) == [("KS106", 34, 2)]


def test_many_values_with_problems_are_all_reported(registry: Path, run: Run) -> None:
    units = "".join(f"  - {i}\n" for i in range(2000))
    write_record(registry, "id: kb-many\nunits:\n" + units, "kb-many")
    rules = [rule for rule, _, _ in located(run)]
    assert rules.count("KS206") == 2000


def test_file_names_are_escaped_in_text_output(registry: Path, run: Run) -> None:
    folder = registry / "agreements" / "draf"
    folder.mkdir()
    (folder / "kb\x1b[31mred\nx.yaml").write_text("id: kb-a\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines and all(
        line.startswith("data/agreements/draf/kb\\x1b[31mred\\nx.yaml:") for line in lines
    )


def test_non_utf8_file_name_is_reported_not_crashed_on(registry: Path, run: Run) -> None:
    name = os.fsdecode(b"kb-\xff.yaml")  # a lone surrogate: the byte is not UTF-8
    try:
        (registry / "agreements" / name).write_bytes(b"id: kb-a\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system does not accept non-UTF-8 file names")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    paths = {f["path"] for f in result.json()["findings"]}
    assert paths == {"data/agreements/kb-\\udcff.yaml"}


def test_hidden_and_temporary_files_are_not_records(registry: Path, run: Run) -> None:
    write_record(registry, record_text("kb-a", title="T"), "kb-a", "draf")
    folder = registry / "agreements" / "draf"
    (folder / ".kb-a.yaml.x1y2z3.tmp").write_text("id: [half-writ", encoding="utf-8")
    (folder / ".kb-b.yaml").write_text("id: [broken", encoding="utf-8")
    (registry / "agreements" / ".trash").mkdir()
    (registry / "agreements" / ".trash" / "kb-c.yaml").write_text("id: [x", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 0
    assert result.stderr.strip() == "checked 1 file: 0 errors, 0 warnings"
