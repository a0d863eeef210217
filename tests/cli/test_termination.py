"""SIGTERM (a cancelled CI job, `kill`) and SIGHUP (a closed terminal) end a command as Ctrl-C
does: the write in progress removes its temporary file and leaves the file it was replacing
whole. Before, the process died where it was, and `.name.yaml.<random>.tmp` stayed in the
registry (hidden, so never read as a record, but shown by `git status`). A signal the parent
ignores (`nohup`) stays ignored.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write_record
from tests.killing import child_env

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs POSIX signals")

# The console script's entry point, in a child that stops just before the new text of a record
# is synced (the temporary file is written, the record not yet replaced), and says so.
CHILD = r"""
import os, pathlib, sys, time
from kerjasama_cli.storage import writing

marker = pathlib.Path(os.environ["KS_MARKER"])


class OsProxy:
    def __getattr__(self, name):
        return getattr(os, name)

    def fsync(self, fd):
        marker.write_text("reached")
        while True:
            time.sleep(60)


writing.os = OsProxy()
sys.argv = ["kerjasama", *sys.argv[1:]]
from kerjasama_cli.console import main

main()
"""

UNTIDY = """\
id: pks-jalan
title:   Pembangunan jalan tembus   # judul singkat
document: perjanjian_kerja_sama
parties:
  - region: Kaur
  - region: Muara Enim
sectors: [pekerjaan_umum]
"""


def _stopped_in_a_write(
    registry: Path, tmp_path: Path, *, ignore_hup: bool = False
) -> subprocess.Popen[bytes]:
    """`kerjasama fmt` in a child process, waiting in the middle of rewriting the record."""
    marker = tmp_path / "reached"

    def ignoring_hup() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, "fmt"],
        cwd=registry.parent,
        env=child_env(registry, KS_MARKER=str(marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=ignoring_hup if ignore_hup else None,
    )
    deadline = time.monotonic() + 60  # a safety net, not a measurement
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"fmt never reached its write: {proc.communicate()[1]!r}")
        time.sleep(0.005)
    return proc


def _files(registry: Path) -> list[str]:
    root = registry / "agreements"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_in_the_middle_of_a_write_leaves_the_record_whole_and_no_temporary_file(
    registry: Path, tmp_path: Path, name: str, code: int
) -> None:
    path = write_record(registry, UNTIDY, "pks-jalan", "draf")
    proc = _stopped_in_a_write(registry, tmp_path)
    assert len(_files(registry)) == 2  # the record and fmt's temporary file beside it
    proc.send_signal(getattr(signal, name))
    _, said = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert b"Traceback" not in said
    assert path.read_text(encoding="utf-8") == UNTIDY
    assert _files(registry) == ["draf/pks-jalan.yaml"]


def test_a_hangup_the_parent_ignores_stays_ignored(registry: Path, tmp_path: Path) -> None:
    # `nohup kerjasama import ...`: closing the terminal must not stop it.
    write_record(registry, UNTIDY, "pks-jalan", "draf")
    proc = _stopped_in_a_write(registry, tmp_path, ignore_hup=True)
    proc.send_signal(signal.SIGHUP)
    with pytest.raises(subprocess.TimeoutExpired):
        proc.wait(timeout=1)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert _files(registry) == ["draf/pks-jalan.yaml"]
