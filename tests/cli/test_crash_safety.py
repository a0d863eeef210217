"""kill -9 in the middle of a write leaves the old file or the new one, never half of one.

Each test runs the real command in a subprocess that is stopped at a chosen point of the
write (half the text written, the temporary file complete, just before the rename or link,
just after it) and killed there with SIGKILL: no cleanup runs, as with a power cut short of
the disk. The points are reached through hooks installed in the child, so the test does not
depend on timing. Afterwards the record is whole (old or new, byte for byte), the registry
validates as before, and the temporary file left behind is never taken for a record.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kerjasama_cli.registry import load_registry
from tests.conftest import write_record
from tests.killing import child_env, run_cli, run_killed_at

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

# Installed in the child before the CLI runs: KS_HOOK names where to stop, KS_MARKER is the
# file the child creates when it gets there (then it waits to be killed).
CHILD = r"""
import os, pathlib, sys, time
from kerjasama_cli.storage import writing

hook = os.environ["KS_HOOK"]
marker = pathlib.Path(os.environ["KS_MARKER"])


def stop(*args, **kwargs):
    marker.write_text("reached")
    while True:
        time.sleep(60)


class OsProxy:
    def __getattr__(self, name):
        return getattr(os, name)


proxy = OsProxy()
if hook == "mid-write":
    def fdopen(fd, *args, **kwargs):
        real = os.fdopen(fd, *args, **kwargs)

        class HalfWriter:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return real.__exit__(*exc)

            def write(self, text):
                real.write(text[: len(text) // 2])
                real.flush()
                stop()

        return HalfWriter()

    proxy.fdopen = fdopen
elif hook == "before-fsync":
    proxy.fsync = stop
elif hook == "before-rename":
    proxy.link = stop
    pathlib.Path.replace = stop
elif hook == "after-rename":
    writing._fsync_dir = stop
elif hook == "before-move":
    proxy.rename = stop
elif hook == "race":
    ready = pathlib.Path(os.environ["KS_READY"])
    go = pathlib.Path(os.environ["KS_GO"])

    def link(src, dst):
        ready.write_text("ready")
        while not go.exists():
            time.sleep(0.001)
        return os.link(src, dst)

    proxy.link = link
writing.os = proxy
sys.argv = ["kerjasama", *sys.argv[1:]]
from kerjasama_cli.cli.app import main

main()
"""

BEFORE = ("mid-write", "before-fsync", "before-rename")
AFTER = ("after-rename",)

SIGNED = """\
id: pks-jalan
title:   Pembangunan jalan tembus   # judul singkat
document: perjanjian_kerja_sama
parties:
  - region: Kaur
  - region: Muara Enim
sectors: [pekerjaan_umum]
signed_on: 2020-07-15
ends_on: 2025-07-14
sources:
  - url: https://example.org/berita
"""
ADD = ("add", "--id", "kb-kaur-lahat", "--title", "Kerja sama", "--party", "Kaur")
ADD += ("--party", "Lahat", "--sector", "sosial")
ACTIVITY = ("activity", "pks-jalan", "--on", "2021-03-01", "--summary", "Rapat koordinasi")


def record_files(data_dir: Path) -> dict[str, bytes]:
    """Every file under agreements/ (hidden ones too), by relative path."""
    root = data_dir / "agreements"
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def visible(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not Path(k).name.startswith(".")}


def expected_after(data_dir: Path, tmp_path: Path, *args: str) -> dict[str, bytes]:
    """The files the command leaves when nothing stops it (on a copy of the registry)."""
    copy = tmp_path / "undisturbed" / "data"
    shutil.copytree(data_dir, copy)
    done = run_cli(copy, *args)
    assert done.returncode == 0, done.stderr
    return record_files(copy)


def assert_registry_sound(data_dir: Path, records: int) -> None:
    """validate sees exactly the records (no temporary file taken for one), all valid."""
    registry = load_registry(data_dir)
    assert registry.stray == []
    assert len(registry.entries) == records
    assert all(e.record is not None for e in registry.entries)
    done = run_cli(data_dir, "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"checked {records} file" in done.stderr


@pytest.mark.parametrize("hook", BEFORE + AFTER)
def test_add_killed_leaves_no_record_or_the_whole_record(
    registry: Path, tmp_path: Path, hook: str
) -> None:
    new = expected_after(registry, tmp_path, *ADD)
    run_killed_at(CHILD, hook, registry, ADD, tmp_path)
    files = record_files(registry)
    assert visible(files) == ({} if hook in BEFORE else new)
    leftovers = set(files) - set(new)
    assert all(Path(name).name.startswith(".") and name.endswith(".tmp") for name in leftovers)
    assert_registry_sound(registry, 0 if hook in BEFORE else 1)
    again = run_cli(registry, *ADD)
    assert again.returncode == (0 if hook in BEFORE else 1), again.stderr
    assert visible(record_files(registry)) == new


@pytest.mark.parametrize("hook", BEFORE + AFTER)
def test_fmt_killed_leaves_the_old_or_the_new_file(
    registry: Path, tmp_path: Path, hook: str
) -> None:
    write_record(registry, SIGNED, "pks-jalan", "2020")
    old = record_files(registry)
    new = expected_after(registry, tmp_path, "fmt")
    assert new != old
    run_killed_at(CHILD, hook, registry, ("fmt",), tmp_path)
    files = record_files(registry)
    assert visible(files) == (old if hook in BEFORE else new)
    leftovers = {k: v for k, v in files.items() if k not in old}
    if hook in BEFORE:  # the killed write's temporary file: hidden, and partial at mid-write
        [(name, partial)] = leftovers.items()
        assert Path(name).name.startswith(".pks-jalan.yaml.") and name.endswith(".tmp")
        whole = new["2020/pks-jalan.yaml"]
        assert partial == whole[: len(partial)]
        assert (len(partial) < len(whole)) == (hook == "mid-write")
    else:
        assert leftovers == {}
    assert_registry_sound(registry, 1)
    assert run_cli(registry, "fmt").returncode == 0
    assert visible(record_files(registry)) == new


@pytest.mark.parametrize("hook", BEFORE + AFTER)
def test_activity_killed_leaves_the_old_or_the_new_file(
    registry: Path, tmp_path: Path, hook: str
) -> None:
    write_record(registry, SIGNED, "pks-jalan", "2020")
    old = record_files(registry)
    new = expected_after(registry, tmp_path, *ACTIVITY)
    run_killed_at(CHILD, hook, registry, ACTIVITY, tmp_path)
    assert visible(record_files(registry)) == (old if hook in BEFORE else new)
    assert_registry_sound(registry, 1)
    # The killed process held the folder lock; the kernel released it with the process.
    again = run_cli(registry, *ACTIVITY)
    assert again.returncode == (0 if hook in BEFORE else 1), again.stderr
    assert visible(record_files(registry)) == new


def test_two_adds_meeting_at_the_link_exactly_one_wins(registry: Path, tmp_path: Path) -> None:
    """Both processes have written their temporary file and link it at the same moment."""
    go = tmp_path / "go"
    procs = []
    for n, title in enumerate(["Kerja sama A", "Kerja sama B"]):
        args = ("add", "--id", "kb-race", "--title", title, "--party", "Kaur", "--party", "Lahat")
        args += ("--sector", "sosial")
        env = child_env(registry, KS_HOOK="race", KS_MARKER=str(tmp_path / f"unused-{n}"))
        env.update(KS_READY=str(tmp_path / f"ready-{n}"), KS_GO=str(go))
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", CHILD, *args],
                cwd=registry.parent,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + 60  # a safety net, not a measurement
    while not all((tmp_path / f"ready-{n}").exists() for n in range(2)):
        assert time.monotonic() < deadline, "the adds never reached the link"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.005)
    go.write_text("go")
    results = [(p.wait(timeout=60), *p.communicate(timeout=60)) for p in procs]
    assert sorted(code for code, _, _ in results) == [0, 1], results
    winner = 0 if results[0][0] == 0 else 1
    loser = results[1 - winner]
    assert "already exists" in loser[2]
    files = record_files(registry)
    assert list(files) == ["draf/kb-race.yaml"]  # no temporary file left by either
    title = ["Kerja sama A", "Kerja sama B"][winner]
    assert f"title: {title}\n".encode() in files["draf/kb-race.yaml"]
    assert_registry_sound(registry, 1)


DRAFT = """\
id: kb-kaur-lahat
title: Kerja sama   # judul sementara
document: kesepakatan_bersama
parties:
  - region: Kaur
  - region: Lahat
sectors: [sosial]
"""
SET = ("set", "pks-jalan", "stage=pelaksanaan", "parties[1].number=180/12/2020")
SIGN = ("sign", "kb-kaur-lahat", "--on", "2024-02-05", "--years", "2", "--number", "1=12/2024")


@pytest.mark.parametrize("hook", BEFORE + AFTER)
def test_set_killed_leaves_the_old_or_the_new_file(
    registry: Path, tmp_path: Path, hook: str
) -> None:
    write_record(registry, SIGNED, "pks-jalan", "2020")
    old = record_files(registry)
    new = expected_after(registry, tmp_path, *SET)
    assert new != old
    run_killed_at(CHILD, hook, registry, SET, tmp_path)
    assert visible(record_files(registry)) == (old if hook in BEFORE else new)
    assert_registry_sound(registry, 1)
    again = run_cli(registry, *SET)  # the same change again: the same result
    assert again.returncode == 0, again.stderr
    assert visible(record_files(registry)) == new


@pytest.mark.parametrize("hook", (*BEFORE, *AFTER, "before-move"))
def test_sign_killed_never_loses_or_doubles_the_record(
    registry: Path, tmp_path: Path, hook: str
) -> None:
    """Signing rewrites the draft in place, then renames it into its year's folder. Killed
    before the rewrite is in place: the draft, untouched. Killed between the rewrite and the
    rename: the signed record, once, still in draf/, which validate reports (KS211, naming
    the folder) and any change to it moves."""
    write_record(registry, DRAFT, "kb-kaur-lahat", "draf")
    old = record_files(registry)
    new = expected_after(registry, tmp_path, *SIGN)
    assert list(visible(new)) == ["2024/kb-kaur-lahat.yaml"]
    run_killed_at(CHILD, hook, registry, SIGN, tmp_path)
    files = visible(record_files(registry))
    if hook in BEFORE:
        assert files == old
        assert_registry_sound(registry, 1)
        assert run_cli(registry, *SIGN).returncode == 0
    else:
        assert files == {"draf/kb-kaur-lahat.yaml": new["2024/kb-kaur-lahat.yaml"]}
        done = run_cli(registry, "validate")
        assert done.returncode == 1
        assert done.stdout == (
            "data/agreements/draf/kb-kaur-lahat.yaml:9:12: error KS211 record stored in draf/ "
            "but signed_on is 2024-02-05; expected it under agreements/2024/ (kerjasama set "
            "and sign move files themselves)\n"
        )
        moved = run_cli(registry, "set", "kb-kaur-lahat", "signed_on=2024-02-05")
        assert moved.returncode == 0, moved.stderr
    assert visible(record_files(registry)) == new
    assert_registry_sound(registry, 1)


@pytest.mark.parametrize("hook", BEFORE + AFTER)
def test_edit_killed_leaves_the_old_or_the_new_file(
    registry: Path, tmp_path: Path, hook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor (a script) adds a note; the write is killed. The record is old or new, and
    the person's text is still in the work file."""
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text() + 'notes: Diubah\\n')\n",
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("TMPDIR", str(work))
    write_record(registry, SIGNED, "pks-jalan", "2020")
    old = record_files(registry)
    new = expected_after(registry, tmp_path, "edit", "pks-jalan")
    assert new != old
    for leftover in work.iterdir():  # the undisturbed run's work file is gone
        pytest.fail(f"{leftover} left by an edit that was written")
    run_killed_at(CHILD, hook, registry, ("edit", "pks-jalan"), tmp_path)
    assert visible(record_files(registry)) == (old if hook in BEFORE else new)
    assert_registry_sound(registry, 1)
    [kept] = work.iterdir()
    assert kept.read_text(encoding="utf-8").endswith("notes: Diubah\n")
