"""Where ``--output`` (and ``--summary-file``) may write (issue 14, class I).

A device or a pipe is written to as a stream and stays what it is: renaming a temporary file
over it (as root, over /dev/null) replaced it with a regular file. Nothing is ever written inside
the registry's ``agreements/`` folder: ``export -o data/agreements/2024/x.yaml`` overwrote a
record with CSV.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fixture_registry import write_fixture_registry

REPO = Path(__file__).resolve().parents[2]

# Every command with an output file, and what its document starts with.
WRITERS = {
    "export-csv": (("export", "--format", "csv"), b"id,title,"),
    "export-json": (("export", "--format", "json"), b"[\n"),
    "export-xlsx": (("export", "--format", "xlsx"), b"PK\x03\x04"),
    "export-sqlite": (("export", "--format", "sqlite"), b"SQLite format 3\x00"),
    "summarise": (("summarise", "--as-of", "2025-06-01"), b"Regional cooperation"),
    "summarise-html": (("summarise", "--format", "html"), b"<!DOCTYPE html>"),
    "summarise-by-csv": (("summarise", "--by", "year", "--format", "csv"), b"year,count"),
}


@pytest.fixture
def fixture_registry(registry: Path) -> Path:
    write_fixture_registry(registry)
    return registry


@pytest.fixture
def device(tmp_path: Path) -> Path:
    """A character device like /dev/null (1, 3), made in tmp_path (needs root and a file
    system that allows device nodes)."""
    path = tmp_path / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        with path.open("wb") as fh:
            fh.write(b"probe")
    except OSError:
        pytest.skip("cannot make and open a device node here (not root, or a nodev mount)")
    return path


@pytest.mark.parametrize(("args", "start"), WRITERS.values(), ids=WRITERS.keys())
def test_output_onto_a_character_device_writes_to_it_and_leaves_it_a_device(
    fixture_registry: Path, run: Run, device: Path, args: tuple[str, ...], start: bytes
) -> None:
    before = device.stat()
    result = run(*args, "--output", str(device))
    assert result.exit_code == 0, result.stderr
    after = device.lstat()
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert sorted(p.name for p in device.parent.iterdir()) == ["data", "null"]  # no temporary file


@pytest.mark.parametrize(("args", "start"), WRITERS.values(), ids=WRITERS.keys())
def test_output_onto_a_fifo_streams_the_whole_document_into_it(
    fixture_registry: Path, run: Run, tmp_path: Path, args: tuple[str, ...], start: bytes
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    # A read end open from the start, so that the command finds a reader whenever the thread
    # gets to its open (a pipe nobody reads is refused at once); the thread gets the data.
    held = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run(*args, "--output", str(fifo))
    finally:
        if reader.is_alive() and stat.S_ISFIFO(fifo.lstat().st_mode):
            with fifo.open("wb"):  # the reader is still opening: let it in to what is buffered
                pass
        reader.join(timeout=60)  # a pipe replaced by a file leaves the reader waiting forever
        os.close(held)  # only now: closing the last read end would drop what is buffered
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].startswith(start)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "pipe"]  # no temporary file


def test_output_to_dev_stdout_in_a_pipeline_writes_to_the_pipe(fixture_registry: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    env["KERJASAMA_DATA"] = str(fixture_registry)
    done = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "export", "--format", "csv", "-o", "/dev/stdout"],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"id,title,")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


# --- never inside agreements/ -------------------------------------------------------------------


@pytest.mark.parametrize(("args", "start"), WRITERS.values(), ids=WRITERS.keys())
def test_output_over_a_record_is_a_usage_error_and_the_record_stays(
    fixture_registry: Path, run: Run, args: tuple[str, ...], start: bytes
) -> None:
    record = next((fixture_registry / "agreements").rglob("*.yaml"))
    before = record.read_bytes()
    result = run(*args, "--output", str(record))
    assert result.exit_code == 2
    assert "inside the registry's agreements/ folder" in result.stderr
    assert record.read_bytes() == before


@pytest.mark.parametrize(
    "where",
    ["agreements/laporan.csv", "agreements/2025/baru.yaml", "agreements"],
    ids=["new-file", "new-record-name", "the-folder-itself"],
)
def test_output_anywhere_inside_agreements_is_refused_before_anything_is_written(
    fixture_registry: Path, run: Run, where: str
) -> None:
    before = sorted(p.relative_to(fixture_registry) for p in fixture_registry.rglob("*"))
    for args in (("export", "--format", "csv"), ("summarise",)):
        result = run(*args, "-o", str(fixture_registry / where))
        assert result.exit_code == 2, result.stderr
        assert "agreements/" in result.stderr
    after = sorted(p.relative_to(fixture_registry) for p in fixture_registry.rglob("*"))
    assert after == before


def test_a_link_that_leads_into_agreements_is_refused(
    fixture_registry: Path, run: Run, tmp_path: Path
) -> None:
    (tmp_path / "laporan").symlink_to(fixture_registry / "agreements" / "2024")
    (tmp_path / "report.csv").symlink_to(fixture_registry / "agreements" / "x.csv")
    for target in (tmp_path / "laporan" / "x.csv", tmp_path / "report.csv"):
        result = run("export", "--format", "csv", "-o", str(target))
        assert result.exit_code == 2, result.stderr
        assert not (fixture_registry / "agreements" / "x.csv").exists()
        assert not (fixture_registry / "agreements" / "2024" / "x.csv").exists()


def test_a_relative_path_into_agreements_is_refused(fixture_registry: Path, run: Run) -> None:
    """The run fixture's working folder is the registry's parent: ``data/agreements/...``."""
    result = run("export", "-o", "data/agreements/2024/x.yaml", "--format", "csv")
    assert result.exit_code == 2
    assert "'data/agreements/2024/x.yaml' is inside" in result.stderr


def test_output_next_to_agreements_is_fine(fixture_registry: Path, run: Run) -> None:
    result = run("export", "--format", "csv", "-o", str(fixture_registry / "export.csv"))
    assert result.exit_code == 0, result.stderr
    assert (fixture_registry / "export.csv").read_bytes().startswith(b"id,title,")


def test_a_summary_file_inside_agreements_is_a_usage_error(
    fixture_registry: Path, run: Run
) -> None:
    target = fixture_registry / "agreements" / "summary.md"
    result = run("validate", "--summary-file", str(target))
    assert result.exit_code == 2
    assert "--summary-file" in result.stderr and "agreements/" in result.stderr
    assert not target.exists()


def test_github_step_summary_inside_agreements_is_a_warning(
    fixture_registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = fixture_registry / "agreements" / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    assert "warning: $GITHUB_STEP_SUMMARY" in result.stderr
    assert not target.exists()


def _kerjasama(
    data_dir: Path, *args: str, stdout: object = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", *args, "--data-dir", str(data_dir)],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )


def test_output_onto_a_link_that_loops_is_a_usage_error(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    write_fixture_registry(registry)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for args in (("summarise", "-o", str(loop)), ("export", "--format", "csv", "-o", str(loop))):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "is a symbolic link that loops" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_output_into_a_pipe_nobody_reads_is_refused_at_once(registry: Path, tmp_path: Path) -> None:
    write_fixture_registry(registry)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = _kerjasama(registry, "export", "--format", "csv", "-o", str(fifo))
    assert done.returncode == 2
    assert b"nothing is reading the pipe" in done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [("list",), ("summarise",), ("validate", "--format", "json"), ("export", "--format", "csv")],
)
def test_a_full_disk_under_stdout_is_one_line_and_exit_2(
    registry: Path, args: tuple[str, ...]
) -> None:
    write_fixture_registry(registry)
    with Path("/dev/full").open("wb") as full:
        done = _kerjasama(registry, *args, stdout=full)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[-1] == (
        "error: cannot write standard output: no space left on device"
    )
    assert b"Traceback" not in done.stderr


def test_an_existing_output_file_is_written_once_and_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replacing a file writes the document once: it was written (and synced) a first time
    to find the name taken, then again to replace it, twice 80 MB for an export of 100,000."""
    from kerjasama_cli.storage import output, writing

    target = tmp_path / "export.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    made: list[str] = []  # every temporary file written, by the name it was for
    real = writing.temporary_file

    def counted(folder: Path, name: str) -> contextlib.AbstractContextManager[tuple[int, Path]]:
        made.append(name)
        return real(folder, name)

    monkeypatch.setattr(writing, "temporary_file", counted)
    output.write_output(target, "new\n")
    assert made == ["export.csv"]
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    target.unlink()
    output.write_output(target, "made\n")  # a new file: created, also once
    assert made == ["export.csv", "export.csv"]
    assert target.read_text(encoding="utf-8") == "made\n"


def test_a_document_written_in_pieces_replaces_the_file_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``write_output_chunks`` (an export joined from the index): the pieces end up in the
    file, a replaced file keeps its mode, a new one gets the umask's; a full disk leaves the
    old file and no temporary one, and says why."""
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.storage import output, writing

    target = tmp_path / "export.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    output.write_output_chunks(target, iter(["id,title\n", "kb-1,Jalan\n"]))
    assert target.read_text(encoding="utf-8") == "id,title\nkb-1,Jalan\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    made = tmp_path / "new.csv"
    output.write_output_chunks(made, iter(["a\n"]))
    assert stat.S_IMODE(made.stat().st_mode) == writing._default_mode()

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writing.os, "fsync", full)
    with pytest.raises(UsageError, match="no space left on device"):
        output.write_output_chunks(target, iter(["x" * 100_000]))
    assert target.read_text(encoding="utf-8") == "id,title\nkb-1,Jalan\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "new.csv"]
