"""The scan made by a child process beside start-up (prefetch.py) is the scan, or is not used."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kerjasama_cli import prefetch
from kerjasama_cli.cli.app import COMMANDS
from kerjasama_cli.storage.discovery import scan_files, scan_record_files
from kerjasama_cli.storage.journal import journal_path
from tests.conftest import record_text, write_record

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the scan is prefetched on Linux")


@pytest.fixture(autouse=True)
def _nothing_pending() -> Iterator[None]:
    prefetch.discard()
    yield
    prefetch.discard()


def _fill(registry: Path, count: int = 5) -> None:
    for number in range(count):
        write_record(registry, record_text(f"kb-{number}"), f"kb-{number}")
    write_record(registry, record_text("pks-1", signed_on="2024-02-05"), "pks-1")


def _child() -> int:
    assert prefetch._pending is not None
    return prefetch._pending[1]


def test_the_prefetched_scan_is_the_scan_of_the_folder(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(registry)
    monkeypatch.chdir(registry.parent)
    prefetch.start(["list", "--data-dir", "data"])
    child = _child()
    files, findings = scan_record_files(Path("data"))
    assert (files, findings) == scan_files(Path("data") / "agreements")
    assert len(files) == 6
    assert prefetch._pending is None  # taken, and its child collected
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)


def test_paths_are_given_as_the_command_names_the_folder(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(registry)
    monkeypatch.chdir(registry.parent)
    prefetch.start(["validate", "--data-dir=./data/"])
    taken = prefetch.take(os.fspath(registry.resolve() / "agreements"))
    assert taken is not None
    assert taken == scan_files(registry.resolve() / "agreements")[0]
    assert all(path.startswith(str(registry.resolve())) for path, *_ in taken)


def test_the_data_folder_comes_from_the_environment_when_not_given(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(registry)
    monkeypatch.setenv("KERJASAMA_DATA", str(registry))
    prefetch.start(["summarise"])
    assert prefetch.take(os.fspath(registry / "agreements")) is not None


def test_a_folder_with_anything_but_plain_records_is_scanned_again(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(registry)
    (registry / "agreements" / "2024" / "notes.txt").write_text("not a record\n")
    prefetch.start(["list", "--data-dir", str(registry)])
    assert prefetch.take(os.fspath(registry / "agreements")) is None
    files, findings = scan_record_files(registry)
    assert len(files) == 6
    assert [Path(f.path).name for f in findings] == ["notes.txt"]


def test_another_folder_does_not_take_the_scan(tmp_path: Path, registry: Path) -> None:
    _fill(registry)
    other = tmp_path / "other"
    (other / "agreements").mkdir(parents=True)
    prefetch.start(["list", "--data-dir", str(registry)])
    assert prefetch.take(os.fspath(other / "agreements")) is None
    assert prefetch._pending is not None  # still there for the folder it was made for


@pytest.mark.parametrize(
    "argv",
    [
        ["init"],
        ["add", "--data-dir", "data"],
        ["list", "--help"],
        ["list", "--data-dir", "missing"],
        [],
    ],
)
def test_no_scan_is_started_where_none_would_be_used(
    argv: list[str], registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(registry.parent)
    prefetch.start(argv)
    assert prefetch._pending is None


def test_a_scan_not_used_is_stopped_and_collected(registry: Path) -> None:
    _fill(registry)
    prefetch.start(["list", "--data-dir", str(registry)])
    child = _child()
    prefetch.discard()
    assert prefetch._pending is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)


def test_the_commands_that_prefetch_are_commands_that_read_the_registry() -> None:
    assert set(COMMANDS) | {"summarize"} >= prefetch.READERS
    assert {"init", "add", "fmt", "import", "regions", "schema"}.isdisjoint(prefetch.READERS)


def test_a_file_changed_after_start_up_is_seen_by_the_program(registry: Path) -> None:
    """Through the console script, in a fresh process: an edit made before the command runs is
    what the command reports, after a first run has filled the index."""
    _fill(registry)
    env = {**os.environ, "KERJASAMA_CACHE_DIR": str(registry.parent / "cache")}
    program = [sys.executable, "-m", "kerjasama_cli", "list", "--format", "json", "--data-dir"]
    program.append(str(registry))
    first = subprocess.run(program, capture_output=True, text=True, env=env, check=True)
    assert "Judul baru" not in first.stdout
    path = registry / "agreements" / "draf" / "kb-3.yaml"
    path.write_text(record_text("kb-3", title="Judul baru"), encoding="utf-8")
    second = subprocess.run(program, capture_output=True, text=True, env=env, check=True)
    assert "Judul baru" in second.stdout


def test_a_scan_made_while_an_import_left_its_journal_is_not_used(
    registry: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The journal of an import (running, or killed and settled first) means the files may
    change under the scan: the scan is made again after it."""
    _fill(registry)
    monkeypatch.setenv("KERJASAMA_CACHE_DIR", str(tmp_path / "cache"))
    prefetch.start(["list", "--data-dir", str(registry)])
    os.waitpid(_child(), 0)  # the scan is made (a small list fits in the pipe)
    journal = journal_path(registry)
    assert journal is not None
    journal.parent.mkdir(parents=True)
    journal.write_text("{}")
    journal.chmod(0o600)
    write_record(registry, record_text("kb-late"), "kb-late")
    files, _ = scan_record_files(registry)
    assert "draf/kb-late.yaml" in [file[1] for file in files]
    assert prefetch._pending is None
