"""The cache of parsed records: same results with and without it, and never stale.

Every test runs with ``KERJASAMA_CACHE_DIR`` in its own tmp_path (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kerjasama_cli import registry as registry_module
from kerjasama_cli.registry import checking as registry_checking
from kerjasama_cli.storage import cache as cache_module
from tests.cli.test_examples import _examples
from tests.conftest import BUNDLED, Run, record_text, write_record

PKS = record_text(
    "pks-kaur-muara-enim",
    title="Jalan tembus",
    document="perjanjian_kerja_sama",
    before_parties={"parent": "kb-kaur-muara-enim"},
    parties=("region: Kaur", "region: Muara Enim"),
    sectors=("pekerjaan_umum",),
)


@pytest.fixture
def mixed(registry: Path) -> Path:
    """The bundled records, every invalid example, a duplicate id and a dangling parent."""
    shutil.copytree(BUNDLED / "agreements", registry / "agreements", dirs_exist_ok=True)
    for example in _examples("invalid"):
        target = registry / "agreements" / "contoh" / f"{example.stem}.yaml"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(example, target)
    write_record(registry, PKS, "pks-kaur-muara-enim", "draf")
    write_record(registry, PKS.replace("kb-kaur", "kb-kaurr"), "pks-kaur-muara-enim", "2025")
    (registry / "agreements" / "notes.txt").write_text("not a record\n", encoding="utf-8")
    return registry


@pytest.fixture
def checks_across(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of entries each check across files (ids, references) saw during the test."""
    seen: list[int] = []
    real = registry_checking.check_across

    def counting(entries: list[registry_module.Entry], found: Any = None) -> bool:
        seen.append(len(entries))
        return real(entries, found)

    monkeypatch.setattr(registry_checking, "check_across", counting)
    return seen


def cache_root() -> Path:
    return Path(os.environ["KERJASAMA_CACHE_DIR"])  # each test's own (conftest.py)


def cache_files() -> list[Path]:
    root = cache_root()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def index_file() -> Path:
    (index,) = [p for p in cache_files() if p.name == "index.sqlite"]
    return index


def index_sql(statement: str, *args: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(index_file())
    try:
        with connection:
            return connection.execute(statement, args).fetchall()
    finally:
        connection.close()


def damage_index(content: bytes) -> None:
    """Replace the index (and its write-ahead log) with ``content``."""
    index = index_file()
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    index.write_bytes(content)


def test_validate_json_is_the_same_without_cache_cold_and_warm(
    mixed: Path, run: Run, parses: list[Path]
) -> None:
    uncached = run("validate", "--format", "json", "--no-cache")
    assert uncached.exit_code == 1
    assert len(uncached.json()["findings"]) > len(_examples("invalid"))
    cold = run("validate", "--format", "json")
    parsed_cold = len(parses)
    warm = run("validate", "--format", "json")
    assert parsed_cold > 0
    assert len(parses) == parsed_cold  # the warm run parsed nothing
    assert cold.stdout == warm.stdout == uncached.stdout
    assert cold.stderr == warm.stderr == uncached.stderr
    assert cold.exit_code == warm.exit_code == 1


def test_text_and_github_formats_are_the_same_from_the_cache(mixed: Path, run: Run) -> None:
    for output in ("text", "github"):
        uncached = run("validate", "--format", output, "--no-cache")
        run("validate", "--format", output)
        warm = run("validate", "--format", output)
        assert (warm.stdout, warm.exit_code) == (uncached.stdout, uncached.exit_code)


def test_named_files_are_reported_the_same_from_the_cache(mixed: Path, run: Run) -> None:
    named = ["data/agreements/contoh/ks201-unknown-region.yaml", "data/agreements/draf"]
    uncached = run("validate", "--format", "json", "--no-cache", *named)
    run("validate")
    warm = run("validate", "--format", "json", *named)
    assert warm.stdout == uncached.stdout
    assert warm.json()["files"] == 1 + len(list((mixed / "agreements" / "draf").iterdir()))


def test_list_show_and_summarise_are_the_same_from_the_cache(mixed: Path, run: Run) -> None:
    commands = [
        ["list", "--format", "json", "--as-of", "2025-01-01"],
        ["list", "--region", "Muara Enim", "--format", "json", "--as-of", "2025-01-01"],
        ["list", "--within", "jabar", "--document", "kb", "--as-of", "2025-01-01"],
        ["show", "kb-kaur-muara-enim", "--format", "json", "--as-of", "2025-01-01"],
        ["summarise", "--by", "region", "--format", "json", "--as-of", "2025-01-01"],
    ]
    for command in commands:
        uncached = run(*command, "--no-cache")
        run(*command)
        warm = run(*command)
        assert uncached.exit_code == 0, uncached.stderr
        assert (warm.stdout, warm.stderr, warm.exit_code) == (
            uncached.stdout,
            uncached.stderr,
            uncached.exit_code,
        )


def test_no_cache_neither_reads_nor_writes_it(
    mixed: Path, run: Run, tmp_path: Path, parses: list[Path]
) -> None:
    run("validate", "--no-cache")
    assert cache_files() == []
    every_file = len(parses)
    run("validate")
    assert cache_files() != []
    before = len(parses)
    run("validate", "--no-cache")
    assert len(parses) == before + every_file  # parsed everything again


def test_parallel_parsing_gives_the_same_findings(
    mixed: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = run("validate", "--format", "json", "--no-cache")
    monkeypatch.setenv("KERJASAMA_JOBS", "2")
    parallel = run("validate", "--format", "json", "--no-cache")
    cached = run("validate", "--format", "json")
    warm = run("validate", "--format", "json")
    assert parallel.stdout == serial.stdout
    assert cached.stdout == warm.stdout == serial.stdout


def test_a_file_edited_in_the_same_second_with_the_same_size_is_read_again(
    registry: Path, run: Run
) -> None:
    path = write_record(registry, PKS.replace("parent: kb-kaur-muara-enim\n", ""), "pks-a")
    path.write_text(path.read_text().replace("pks-kaur-muara-enim", "pks-a"), encoding="utf-8")
    before = path.stat()
    assert run("validate", "--format", "json").json()["errors"] == 0
    edited = path.read_text().replace("pekerjaan_umum", "pekerjaan_umux")
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = run("validate", "--format", "json")
    assert [f["rule"] for f in result.json()["findings"]] == ["KS207"]


def _parsed(digest: bytes | None) -> cache_module.Parsed:
    return cache_module.Parsed(("kb-a", None, True), (), None, digest, None)


def test_a_row_in_doubt_is_checked_against_the_content(registry: Path) -> None:
    """Same size, mtime, ctime and inode (as on a file system with coarse time stamps): a file
    stored within seconds of its last change keeps a hash, and a changed hash is a miss."""
    path = write_record(registry, "id: kb-a\n", "kb-a")
    st = path.stat()
    stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    scanned = [(str(path), "2024/kb-a.yaml", stat, False)]
    cache = cache_module.RegistryCache.open(registry)
    assert cache is not None
    cache.put("2024/kb-a.yaml", stat, _parsed(cache_module.file_digest(path.read_bytes())))
    cache.save(scanned, {}, {"2024/kb-a.yaml": False})
    cache.close()
    again = cache_module.RegistryCache.open(registry)
    assert again is not None
    again.read_rows()
    assert again.lookup_files(scanned) != [None]
    path.write_bytes(b"id: kb-b\n")  # same size; the stat is passed as it was
    assert again.lookup_files(scanned) == [None]
    assert again.quick(scanned) is None  # the quick way checks the content too
    again.close()


def test_an_old_file_is_trusted_on_its_stat_alone(registry: Path) -> None:
    path = write_record(registry, "id: kb-a\n", "kb-a")
    os.utime(path, ns=(10**18, 10**18 - 10**12))  # long before the run
    st = path.stat()
    stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns - 10 * 10**9, st.st_ino)
    cache = cache_module.RegistryCache.open(registry)
    assert cache is not None
    cache.put("2024/kb-a.yaml", stat, _parsed(b"digest"))
    cache.save([(str(path), "2024/kb-a.yaml", stat, False)], {}, {"2024/kb-a.yaml": False})
    cache.close()
    assert index_sql("SELECT digest FROM files") == [(None,)]  # no hash kept


def test_added_changed_and_deleted_files_are_seen(registry: Path, run: Run) -> None:
    good = PKS.replace("parent: kb-kaur-muara-enim\n", "")
    first = write_record(registry, good.replace("pks-kaur-muara-enim", "pks-a"), "pks-a")
    assert run("validate", "--format", "json").json()["files"] == 1
    write_record(registry, good.replace("pks-kaur-muara-enim", "pks-b"), "pks-b")
    first.write_text(first.read_text() + "notes: longer now\n", encoding="utf-8")
    assert run("validate", "--format", "json").json()["files"] == 2
    first.unlink()
    result = run("validate", "--format", "json")
    assert result.json()["files"] == 1
    assert result.json()["findings"] == []


def test_the_cache_goes_to_kerjasama_cache_dir_not_the_data_folder(
    mixed: Path, run: Run, tmp_path: Path
) -> None:
    before = sorted(mixed.rglob("*"))
    run("validate")
    run("list")
    assert sorted(mixed.rglob("*")) == before
    assert index_file().is_relative_to(cache_root())


@pytest.mark.parametrize("inside", ["", ".cache", "agreements/.cache"])
def test_a_cache_dir_inside_the_data_folder_is_not_used(
    mixed: Path, run: Run, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    expected = run("validate", "--format", "json", "--no-cache")
    monkeypatch.setenv("KERJASAMA_CACHE_DIR", str(mixed / inside))
    before = sorted(mixed.rglob("*"))
    first = run("validate", "--format", "json")
    second = run("validate", "--format", "json")
    assert sorted(mixed.rglob("*")) == before
    assert first.stdout == second.stdout == expected.stdout


def test_without_kerjasama_cache_dir_the_cache_is_in_the_user_cache_folder(
    mixed: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KERJASAMA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    run("validate")
    written = [p for p in (tmp_path / "xdg").rglob("*") if p.is_file()]
    assert written
    assert all(p.is_relative_to(tmp_path / "xdg" / "kerjasama") for p in written)


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a database at all",
        b"SQLite format 3\0" + b"\xff" * 4080,
    ],
    ids=["empty", "garbage", "bad-header"],
)
def test_a_damaged_index_is_ignored_and_rewritten(
    mixed: Path, run: Run, tmp_path: Path, parses: list[Path], damage: bytes
) -> None:
    expected = run("validate", "--format", "json", "--no-cache")
    run("validate")
    damage_index(damage)
    parses.clear()
    result = run("validate", "--format", "json")
    assert (result.stdout, result.exit_code) == (expected.stdout, expected.exit_code)
    assert parses  # read the files again
    parses.clear()
    assert run("validate", "--format", "json").stdout == expected.stdout
    assert parses == []  # and the rewritten index works


def test_a_truncated_index_is_ignored(mixed: Path, run: Run, tmp_path: Path) -> None:
    expected = run("validate", "--format", "json", "--no-cache")
    listed = run("list", "--format", "json", "--as-of", "2025-01-01", "--no-cache")
    run("validate")
    index = index_file()
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    index.write_bytes(index.read_bytes()[: index.stat().st_size // 2])
    assert run("validate", "--format", "json").stdout == expected.stdout
    assert run("list", "--format", "json", "--as-of", "2025-01-01").stdout == listed.stdout


def test_a_foreign_database_at_the_index_is_rebuilt(mixed: Path, run: Run) -> None:
    expected = run("validate", "--format", "json", "--no-cache")
    run("validate")
    damage_index(b"")
    connection = sqlite3.connect(index_file())
    connection.execute("CREATE TABLE files (something TEXT)")
    connection.execute("CREATE TABLE index_info (key TEXT, value)")
    connection.commit()
    connection.close()
    assert run("validate", "--format", "json").stdout == expected.stdout
    assert run("validate", "--format", "json").stdout == expected.stdout
    assert index_sql("SELECT count(*) FROM files")[0][0] > 0


def test_stored_data_naming_a_forbidden_class_is_not_loaded(
    mixed: Path, run: Run, tmp_path: Path
) -> None:
    command = ["show", "kb-kaur-muara-enim", "--format", "json", "--as-of", "2025-01-01"]
    expected = run(*command, "--no-cache")
    run("validate")
    index_sql("UPDATE files SET data = ?", pickle.dumps({"id": Path("/etc/passwd")}))
    assert run(*command).stdout == expected.stdout


def test_damaged_stored_data_is_read_from_the_file_instead(
    mixed: Path, run: Run, tmp_path: Path
) -> None:
    command = ["show", "kb-kaur-muara-enim", "--format", "json", "--as-of", "2025-01-01"]
    expected = run(*command, "--no-cache")
    run(*command)
    index_sql("UPDATE files SET data = ?", b"\xff" * 64)
    assert run(*command).stdout == expected.stdout
    index_sql("UPDATE files SET data = NULL")
    assert run(*command).stdout == expected.stdout


def test_a_cache_dir_that_cannot_be_made_is_no_error(
    mixed: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = run("validate", "--format", "json", "--no-cache")
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KERJASAMA_CACHE_DIR", str(blocker / "cache"))
    result = run("validate", "--format", "json")
    assert (result.stdout, result.exit_code) == (expected.stdout, expected.exit_code)


def test_rewritten_files_replace_their_rows(registry: Path, run: Run, tmp_path: Path) -> None:
    good = PKS.replace("parent: kb-kaur-muara-enim\n", "")
    paths = [
        write_record(registry, good.replace("pks-kaur-muara-enim", f"pks-{i}"), f"pks-{i}", "x")
        for i in range(4)
    ]
    run("validate")
    for _ in range(3):  # every run rewrites all four
        for path in paths:
            path.write_text(path.read_text() + "# edited\n", encoding="utf-8")
        run("validate")
    assert index_sql("SELECT count(*) FROM files") == [(4,)]
    assert index_sql("SELECT count(*) FROM agreements") == [(4,)]
    assert index_sql("SELECT count(*) FROM parties") == [(8,)]


@pytest.mark.parametrize("first", ["data", "record"])
def test_stored_entries_give_the_same_data_and_records(mixed: Path, first: str) -> None:
    """Whichever is asked for first: a record built from the cache does not keep its data."""
    fresh = registry_module.load_registry(mixed, use_cache=False)
    registry_module.load_registry(mixed)
    stored = registry_module.load_registry(mixed)
    assert [e.path for e in stored.entries] == [e.path for e in fresh.entries]
    if first == "record":
        assert [e.record for e in stored.entries] == [e.record for e in fresh.entries]
    assert [e.data for e in stored.entries] == [e.data for e in fresh.entries]
    assert [e.record for e in stored.entries] == [e.record for e in fresh.entries]
    assert [e.brief for e in stored.entries] == [e.brief for e in fresh.entries]
    assert [e.findings for e in stored.entries] == [e.findings for e in fresh.entries]
    assert [e.raw_id for e in stored.entries] == [e.raw_id for e in fresh.entries]


def test_an_unchanged_clean_registry_is_not_checked_across_files_again(
    bundled: Path, run: Run, checks_across: list[int]
) -> None:
    assert run("validate", data_dir=bundled).exit_code == 0
    assert checks_across == [9]  # cold: checked
    assert run("validate", data_dir=bundled).exit_code == 0
    assert run("list", data_dir=bundled).exit_code == 0
    assert checks_across == [9]  # warm, nothing changed: not again


def test_any_change_checks_across_files_again(
    bundled: Path, run: Run, checks_across: list[int]
) -> None:
    assert run("validate", data_dir=bundled).exit_code == 0
    source = next((bundled / "agreements").rglob("kb-kaur-muara-enim.yaml"))
    twin = source.with_name("kb-kaur-muara-enim-lagi.yaml")
    shutil.copyfile(source, twin)  # a second file with the same id
    result = run("validate", "--format", "json", data_dir=bundled)
    assert sorted(f["rule"] for f in result.json()["findings"]) == ["KS209", "KS401", "KS401"]
    assert checks_across == [9, 10]
    # Problems across files are kept in the index with the files they were found in ...
    result = run("validate", "--format", "json", data_dir=bundled)
    assert sorted(f["rule"] for f in result.json()["findings"]) == ["KS209", "KS401", "KS401"]
    assert checks_across == [9, 10]
    # ... and once they are gone, a clean registry is again checked once.
    twin.unlink()
    assert run("validate", data_dir=bundled).exit_code == 0
    assert run("validate", data_dir=bundled).exit_code == 0
    assert checks_across == [9, 10, 9]


def test_files_named_besides_the_registry_are_checked_across_with_it(
    bundled: Path, run: Run, checks_across: list[int], tmp_path: Path
) -> None:
    assert run("validate", data_dir=bundled).exit_code == 0
    source = next((bundled / "agreements").rglob("kb-kaur-muara-enim.yaml"))
    outside = tmp_path / "kb-kaur-muara-enim.yaml"
    shutil.copyfile(source, outside)  # not under agreements/, same id as a record there
    result = run("validate", "--format", "json", str(outside), data_dir=bundled)
    assert [f["rule"] for f in result.json()["findings"]] == ["KS401"]
    assert checks_across == [9, 10]
    assert run("validate", data_dir=bundled).exit_code == 0  # the registry alone is clean
    assert checks_across == [9, 10]


def test_only_a_file_with_a_finding_of_the_day_is_read_again_the_next_day(
    registry: Path, run: Run, parses: list[Path]
) -> None:
    """KS906 (an activity dated after today) depends on the day, and nothing else does: the
    next day that file is read again, the rest are not, and the index is not rebuilt."""
    future = write_record(
        registry,
        record_text(
            "kb-future",
            signed_on="2024-02-05",
            activities="\n  - on: 2999-01-01\n    summary: Rapat",
        ),
        "kb-future",
    )
    write_record(registry, record_text("kb-plain", signed_on="2024-02-05"), "kb-plain")
    first = run("validate", "--format", "json").json()
    daily = [f["path"] for f in first["findings"] if f["rule"] == "KS906"]
    assert daily == ["data/agreements/2024/kb-future.yaml"]
    tomorrow = dt.date.today().toordinal() + 1
    assert index_sql("SELECT rel, recheck_on FROM files ORDER BY rel") == [
        ("2024/kb-future.yaml", tomorrow),
        ("2024/kb-plain.yaml", None),
    ]
    parses.clear()
    assert run("validate", "--format", "json").json() == first
    assert parses == []
    # As if the index had been written yesterday.
    index_sql("UPDATE files SET recheck_on = recheck_on - 1 WHERE recheck_on IS NOT NULL")
    assert run("validate", "--format", "json").json() == first
    assert parses == [future]
    assert index_sql("SELECT recheck_on FROM files WHERE rel = '2024/kb-future.yaml'") == [
        (tomorrow,)
    ]
