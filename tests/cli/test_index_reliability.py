"""The SQLite index under stress: killed while writing, written by several processes at once,
left by an older version, or in a folder that cannot be written. Never a wrong answer.

Each command runs as a real process (``python -m kerjasama_cli``) against the same
``KERJASAMA_CACHE_DIR``; the answer with the index is compared with the answer without it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Run, record_text, write_record

pytestmark = pytest.mark.slow

REGIONS = ('region: "32"', 'region: "33"', 'region: "16.03"', 'region: "17.04"', 'region: "35"')


def fill(registry: Path, count: int) -> list[Path]:
    """``count`` small valid records, signed over ten years, some with a parent."""
    paths = []
    for i in range(count):
        parties = (REGIONS[i % 5], REGIONS[(i + 1) % 5])
        keys: dict[str, str | None] = {
            "signed_on": f"{2015 + i % 10}-0{1 + i % 9}-1{i % 10}",
            "ends_on": f"{2020 + i % 10}-0{1 + i % 9}-1{i % 10}",
        }
        text = record_text(f"kb-{i:04d}", parties=parties, **keys)
        paths.append(write_record(registry, text, f"kb-{i:04d}", str(2015 + i % 10)))
    return paths


def kerjasama(registry: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kerjasama_cli", *args, "--data-dir", str(registry)]


def process_env() -> dict[str, str]:
    env = dict(os.environ)
    env["KERJASAMA_JOBS"] = "1"
    return env


def answer(registry: Path, *args: str, cache: bool = True) -> tuple[int, str]:
    command = kerjasama(registry, *args, *(() if cache else ("--no-cache",)))
    done = subprocess.run(command, capture_output=True, text=True, env=process_env(), check=False)
    return done.returncode, done.stdout


QUESTIONS = (
    ("validate", "--format", "json"),
    ("list", "--format", "json", "--as-of", "2025-01-01"),
    ("summarise", "--by", "region", "--format", "json", "--as-of", "2025-01-01"),
)


def assert_answers_are_right(registry: Path) -> None:
    for question in QUESTIONS:
        expected = answer(registry, *question, cache=False)
        assert answer(registry, *question) == expected, question
        assert answer(registry, *question) == expected, question  # and once it is rewritten


def index_files() -> list[Path]:
    root = Path(os.environ["KERJASAMA_CACHE_DIR"])
    return sorted(root.rglob("index.sqlite"))


KILLER = """
import os, signal, sys
from pathlib import Path
from kerjasama_cli.storage import cache

real = cache.RegistryCache._write

def dying(self, *args):
    real(self, *args)  # every statement of the write transaction, then no COMMIT
    os.kill(os.getpid(), signal.SIGKILL)

cache.RegistryCache._write = dying
from kerjasama_cli.registry import load_registry
load_registry(Path(sys.argv[1]))
"""


def killed_while_writing(registry: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(registry)],
        env=process_env(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_killed_inside_the_write_transaction_leaves_the_index_as_it_was(registry: Path) -> None:
    paths = fill(registry, 120)
    killed_while_writing(registry)  # the very first write
    assert_answers_are_right(registry)
    # Now an index exists: edit a file (an error now), add one, remove one; killed again.
    paths[0].write_text(paths[0].read_text().replace("pelayanan_publik", "nowhere"), "utf-8")
    write_record(registry, record_text("kb-new", signed_on="2024-05-05"), "kb-new", "2024")
    paths[1].unlink()
    killed_while_writing(registry)
    assert_answers_are_right(registry)
    assert answer(registry, "validate")[0] == 1


def test_killed_at_any_moment_never_gives_a_wrong_answer(registry: Path) -> None:
    paths = fill(registry, 300)
    for round_, delay in enumerate((0.2, 0.4, 0.6, 0.8, 1.0, 1.3)):
        for path in paths[round_ * 20 : round_ * 20 + 20]:  # something to write every time
            path.write_text(path.read_text() + f"notes: round {round_}\n", encoding="utf-8")
        process = subprocess.Popen(
            kerjasama(registry, "validate"),
            env=process_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        expected = answer(registry, "list", "--format", "json", cache=False)
        assert answer(registry, "list", "--format", "json") == expected
    assert_answers_are_right(registry)


def test_two_validates_and_an_add_at_once(registry: Path) -> None:
    paths = fill(registry, 200)
    for round_ in range(3):
        for path in paths[round_ * 30 : round_ * 30 + 30]:
            path.write_text(path.read_text() + f"notes: round {round_}\n", encoding="utf-8")
        add = kerjasama(
            registry,
            "add",
            "--title",
            f"Tambahan {round_}",
            "--document",
            "kb",
            "--party",
            "Kaur",
            "--party",
            "Muara Enim",
            "--sector",
            "pekerjaan_umum",
            "--signed-on",
            f"2024-0{round_ + 1}-02",
        )
        processes = [
            subprocess.Popen(
                command, env=process_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for command in (kerjasama(registry, "validate"), add, kerjasama(registry, "validate"))
        ]
        outcomes = [(p.wait(), p.stderr.read() if p.stderr else b"") for p in processes]
        for process in processes:
            for stream in (process.stdout, process.stderr):
                if stream:
                    stream.close()
        assert [code for code, _ in outcomes] == [0, 0, 0], outcomes
        assert_answers_are_right(registry)
        listed = answer(registry, "list", "--format", "ids")[1].split()
        assert len(listed) == 200 + round_ + 1
    (index,) = index_files()
    connection = sqlite3.connect(index)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        connection.close()


def test_a_read_only_index_falls_back_to_the_files(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch, parses: list[Path]
) -> None:
    """An index that can be read but not written (a read-only cache folder; made so here by
    opening it read-only, since permissions do not bind root): a changed file is read again
    rather than taken from the index, and the answers are those of the files."""
    from kerjasama_cli.storage import cache

    fill(registry, 30)
    expected = [run(*question, "--no-cache").stdout for question in QUESTIONS]
    assert [run(*question).stdout for question in QUESTIONS] == expected  # the index filled
    real_connect = cache.connect

    def read_only(path: Path) -> sqlite3.Connection:
        return real_connect(path, read_only=True)

    monkeypatch.setattr(cache, "connect", read_only)
    first = registry / "agreements" / "2015" / "kb-0000.yaml"
    first.write_text(first.read_text() + "notes: changed\n", encoding="utf-8")
    expected = [run(*question, "--no-cache").stdout for question in QUESTIONS]
    parses.clear()
    assert [run(*question).stdout for question in QUESTIONS] == expected
    assert first in parses
    parses.clear()
    assert [run(*question).stdout for question in QUESTIONS] == expected  # again
    assert first in parses  # the index could not keep it


def test_a_cache_folder_that_cannot_be_written_at_all_falls_back_to_the_files(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.storage import cache

    fill(registry, 20)
    expected = [run(*question, "--no-cache").stdout for question in QUESTIONS]

    def refusing(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(cache, "connect", refusing)
    assert [run(*question).stdout for question in QUESTIONS] == expected
    assert index_files() == []


def test_an_index_of_an_older_version_is_rebuilt(registry: Path, parses: list[Path]) -> None:
    fill(registry, 40)
    assert_answers_are_right(registry)
    (index,) = index_files()
    connection = sqlite3.connect(index)
    with connection:
        connection.execute(
            "UPDATE index_info SET value = 'kerjasama-index-0' WHERE key = 'version'"
        )
        connection.execute("DROP TABLE search")  # and its tables were not these
    connection.close()
    assert_answers_are_right(registry)
    connection = sqlite3.connect(index)
    try:
        version = connection.execute("SELECT value FROM index_info WHERE key = 'version'")
        assert version.fetchone()[0] != "kerjasama-index-0"
        assert connection.execute("SELECT count(*) FROM agreements").fetchone()[0] == 40
    finally:
        connection.close()


def test_a_write_that_waits_for_another_process_says_so_and_then_goes_on(registry: Path) -> None:
    paths = fill(registry, 3)
    assert answer(registry, "validate")[0] == 0  # the index exists, up to date
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "notes: changed\n", "utf-8")
    (index,) = index_files()
    holder = sqlite3.connect(index, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing the index, for a while
    try:
        command = kerjasama(registry, "validate")
        env = process_env() | {"KERJASAMA_LANG": "en"}
        waiting = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        time.sleep(3)
        assert waiting.poll() is None  # still waiting for the lock
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "another kerjasama command is writing the index of this data folder" in err
    assert "at most 20 s" in err
    assert "still being written" not in err
    assert_answers_are_right(registry)  # and the index took the edit


def test_a_write_that_waits_in_vain_says_so_and_answers_from_the_files(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.storage import cache

    paths = fill(registry, 3)
    assert run("validate").exit_code == 0
    expected = run("list", "--format", "ids").stdout
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "notes: changed\n", "utf-8")
    (index,) = index_files()
    holder = sqlite3.connect(index, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # held for longer than this command will wait
    monkeypatch.setattr(cache, "BUSY_TIMEOUT_MS", 1_000)
    monkeypatch.setattr(cache, "QUIET_WAIT_MS", 10)
    try:
        english = run("list", "--format", "ids")
        monkeypatch.setenv("KERJASAMA_LANG", "id")
        indonesian = run("list", "--format", "ids")
        monkeypatch.delenv("KERJASAMA_LANG")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert english.exit_code == 0 and english.stdout == expected
    assert "another kerjasama command is writing the index" in english.stderr
    assert "this one goes on without it" in english.stderr
    assert indonesian.exit_code == 0 and indonesian.stdout == expected
    assert "menunggu" in indonesian.stderr and "indeks" in indonesian.stderr
    assert run("list", "--format", "ids").stdout == expected  # the lock released: written now


def test_confirming_a_file_read_in_doubt_does_not_wait_for_another_writer(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.storage import cache

    paths = fill(registry, 3)
    assert run("validate").exit_code == 0
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "notes: changed\n", "utf-8")
    expected = run("list", "--format", "ids").stdout  # reads the edit: stored in doubt
    (index,) = index_files()
    holder = sqlite3.connect(index, isolation_level=None)
    assert holder.execute("SELECT count(*) FROM files WHERE digest IS NOT NULL").fetchone()[0]
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(cache, "BUSY_TIMEOUT_MS", 600_000)  # a wait would not end in this test
    try:
        again = run("list", "--format", "ids")  # confirms the file unchanged: nothing to wait for
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert again.exit_code == 0 and again.stdout == expected
    assert "writing the index" not in again.stderr
    assert run("list", "--format", "ids").stdout == expected
