"""A signal that ends a command while it writes (SIGTERM from a CI runner that cancels a job,
SIGHUP from a closed terminal): the command ends by that signal, as before, the file it was
writing is left as it was, and its hidden temporary file is removed first.

Each command runs as a real process; a child script holds it at its first ``fsync`` or
``replace`` of a temporary file (the moment a write is half done) until the test signals it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import record_text, write_record

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd"),
]

HOLD = """
import os, sys, time
from pathlib import Path

marker = Path(os.environ["KS_MARKER"])

def hold(name):
    if ".tmp" in name and not marker.exists():
        marker.write_text(name)
        time.sleep(60)

real_fsync, real_replace = os.fsync, os.replace

def fsync(fd):
    try:
        hold(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        pass
    return real_fsync(fd)

def replace(src, dst, **kwargs):
    hold(os.fspath(src))
    return real_replace(src, dst, **kwargs)

os.fsync, os.replace = fsync, replace
sys.argv[0] = "kerjasama"
from kerjasama_cli.console import main
main()
"""

UNTIDY = """\
id:   kb-untidy
title: Kerja sama
document: kesepakatan_bersama
parties:
  - region: "32"
  - region: "33"
sectors: [pelayanan_publik]
"""

COMMANDS = {
    "add": ("add", "--id", "kb-baru", "--title", "Kerja sama", "--party", "Kaur", "--party",
            "Lahat", "--sector", "sosial"),
    "fmt": ("fmt",),
    "export csv": ("export", "--format", "csv", "-o", "{out}/export.csv"),
    "export xlsx": ("export", "--format", "xlsx", "-o", "{out}/export.xlsx"),
}  # fmt: skip


def every_file(root: Path) -> dict[str, bytes]:
    """Every file below ``root``, hidden ones too, by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    write_record(data, record_text("kb-satu"), "kb-satu")
    write_record(data, UNTIDY, "kb-untidy", "draf")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "export.csv").write_text("old export\n", encoding="utf-8")
    return data


def start(
    registry: Path, marker: Path, args: tuple[str, ...], *, ignore: int | None = None
) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    env.update(
        KERJASAMA_DATA=str(registry),
        KERJASAMA_CACHE_DIR=os.environ.get("KERJASAMA_CACHE_DIR", ""),
        KS_MARKER=str(marker),
    )
    out = str(registry.parent / "out")

    def ignored() -> None:
        if ignore is not None:
            signal.signal(ignore, signal.SIG_IGN)  # as nohup does

    return subprocess.Popen(
        [sys.executable, "-c", HOLD, *(a.format(out=out) for a in args)],
        cwd=registry.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ignored,  # a test's child: no threads started
    )


def held(marker: Path, proc: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 60  # a safety net, not a measurement
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the command ended before it wrote: {proc.communicate()[1]!r}")
        if time.monotonic() > deadline:
            pytest.fail("the command never wrote")
        time.sleep(0.01)
    return marker.read_text()


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_write_leaves_no_temporary_file_and_the_files_as_they_were(
    registry: Path, tmp_path: Path, command: str, name: str
) -> None:
    number = getattr(signal, name)
    before = every_file(tmp_path)
    marker = tmp_path.parent / f"{tmp_path.name}-marker"
    proc = start(registry, marker, COMMANDS[command])
    temporary = held(marker, proc)
    assert Path(temporary).exists()
    proc.send_signal(number)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == -number  # ended by the signal, as a program without a handler
    assert "Traceback" not in err
    assert not Path(temporary).exists()
    assert every_file(tmp_path) == before  # no temporary file, nothing half written


def test_a_signal_the_parent_ignores_stays_ignored(registry: Path, tmp_path: Path) -> None:
    marker = tmp_path.parent / f"{tmp_path.name}-marker"
    proc = start(registry, marker, COMMANDS["export csv"], ignore=signal.SIGHUP)
    held(marker, proc)
    proc.send_signal(signal.SIGHUP)  # ignored: the export goes on once the hold ends
    time.sleep(0.5)
    assert proc.poll() is None
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGTERM
    assert (tmp_path / "out" / "export.csv").read_text(encoding="utf-8") == "old export\n"
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def ended_by_sigterm(script: str, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``script``, which sends itself SIGTERM, and check that the signal ended it."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGTERM, done.stderr
    return done


ENDED_WHILE_HOLDING = """
import os, signal, sys
from pathlib import Path
from kerjasama_cli import console
from kerjasama_cli.storage import writing

console.remove_temporary_files_on_signals()
where = Path(sys.argv[1])
if sys.argv[2] == "file":
    with writing.temporary_file(where, "export.sqlite") as (fd, tmp):
        Path(str(tmp) + "-journal").write_text("")  # as SQLite makes beside a database
        print(tmp, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)
else:
    with writing.temporary_folder("kerjasama-output-") as folder:
        (folder / "document").write_text("half")
        print(folder, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)
"""


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_the_temporary_files_of_a_write_go_with_sqlites_and_a_streams_folder(
    tmp_path: Path, kind: str
) -> None:
    """An export to SQLite leaves ``<tmp>-journal`` beside its temporary file while SQLite
    writes; an export to ``/dev/stdout`` is made in a folder of the system's temporary
    folder. SIGTERM removes both."""
    done = ended_by_sigterm(ENDED_WHILE_HOLDING, [str(tmp_path), kind], TMPDIR=str(tmp_path))
    made = Path(done.stdout.strip())
    assert made.parent == tmp_path
    assert not made.exists()
    assert list(tmp_path.iterdir()) == []  # nor -journal, nor anything else


JOURNAL_HELD = """
import os, signal, sys
from pathlib import Path
from kerjasama_cli import console
from kerjasama_cli.storage import journal

console.remove_temporary_files_on_signals()
real = os.fsync

def fsync(fd):
    if ".journal." in os.readlink(f"/proc/self/fd/{fd}"):
        os.kill(os.getpid(), signal.SIGTERM)  # the journal written, not yet in place
    return real(fd)

os.fsync = fsync
data = Path(sys.argv[1])
journal.begin(data, [(data / "agreements" / "draf" / "kb-x.yaml", "id: kb-x\\n")])
"""


def test_an_import_ended_while_it_writes_its_journal_leaves_no_temporary_file(
    registry: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    ended_by_sigterm(JOURNAL_HELD, [str(registry)], KERJASAMA_CACHE_DIR=str(cache))
    left = [p.name for p in cache.rglob("*") if p.is_file()]
    assert left == []
