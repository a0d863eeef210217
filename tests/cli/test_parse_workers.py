"""The processes that parse record files, interrupted or killed.

Each command runs as a real process with two workers (``KERJASAMA_JOBS=2``). A child script
holds each worker at the start of its first chunk (its pid written to a marker file) until the
test lets it go, so that the test acts while the files are being parsed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import record_text, write_record

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only"),
]

HOLD = """
import os, sys, time
from pathlib import Path
from kerjasama_cli.registry import loading

real = loading._load_chunk
gate = Path(os.environ["KS_GATE"])

def held(paths, keep=False):
    (gate / f"worker-{os.getpid()}").write_text("")
    deadline = time.monotonic() + 60
    while not (gate / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return real(paths, keep)

loading._load_chunk = held
sys.argv[0] = "kerjasama"
from kerjasama_cli.console import main
main()
"""


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for i in range(40):
        write_record(data, record_text(f"kb-{i:03d}"), f"kb-{i:03d}")
    return data


@pytest.fixture
def gate(tmp_path: Path) -> Path:
    folder = tmp_path / "gate"
    folder.mkdir()
    return folder


def start(registry: Path, gate: Path, *args: str, lang: str = "en") -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    env.update(
        KERJASAMA_JOBS="2",
        KERJASAMA_LANG=lang,
        KERJASAMA_CACHE_DIR=os.environ.get("KERJASAMA_CACHE_DIR", ""),
        KS_GATE=str(gate),
    )
    return subprocess.Popen(
        [sys.executable, "-c", HOLD, *args, "--data-dir", str(registry)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's job is
    )


def workers_held(gate: Path, proc: subprocess.Popen[str], count: int = 2) -> list[int]:
    """The pids of the workers, once ``count`` of them are held."""
    deadline = time.monotonic() + 60  # a safety net, not a measurement
    while True:
        found = sorted(gate.glob("worker-*"))
        if len(found) >= count:
            return [int(p.name.removeprefix("worker-")) for p in found]
        if proc.poll() is not None:
            pytest.fail(f"the command ended before its workers started: {proc.stderr!r}")
        if time.monotonic() > deadline:
            pytest.fail("the workers never started")
        time.sleep(0.01)


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie no one has reaped yet does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the command waited for ever")
    return proc.returncode, err


@pytest.fixture(autouse=True)
def no_worker_left(gate: Path) -> Iterator[None]:
    yield
    (gate / "go").write_text("")
    for marker in gate.glob("worker-*"):
        pid = int(marker.name.removeprefix("worker-"))
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("command", [("validate",), ("validate", "--no-cache"), ("list",)])
def test_ctrl_c_while_parsing_ends_quietly_with_no_worker_left(
    registry: Path, gate: Path, command: tuple[str, ...]
) -> None:
    proc = start(registry, gate, *command)
    pids = workers_held(gate, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole group
    code, err = finish(proc)
    assert code == 130
    assert "Traceback" not in err
    assert "KeyboardInterrupt" not in err
    assert "Process" not in err  # multiprocessing's "Process ForkPoolWorker-1:"
    assert err.strip() == ""
    assert gone_within(pids, 10)


def test_a_worker_killed_while_parsing_stops_the_command_with_one_line(
    registry: Path, gate: Path
) -> None:
    proc = start(registry, gate, "validate", "--no-cache")
    pids = workers_held(gate, proc)
    os.kill(pids[0], signal.SIGKILL)  # as the out-of-memory killer would
    code, err = finish(proc)
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "stopped unexpectedly" in lines[0]
    assert "SIGKILL" in lines[0]
    assert "KERJASAMA_JOBS=1" in lines[0]
    assert gone_within(pids, 10)


def test_a_worker_killed_while_parsing_is_said_in_indonesian(registry: Path, gate: Path) -> None:
    proc = start(registry, gate, "validate", "--no-cache", lang="id")
    pids = workers_held(gate, proc)
    os.kill(pids[1], signal.SIGKILL)
    code, err = finish(proc)
    assert code == 3
    assert "berhenti" in err
    assert "SIGKILL" in err


def test_workers_of_a_command_killed_alone_do_not_stay(registry: Path, gate: Path) -> None:
    proc = start(registry, gate, "validate", "--no-cache")
    pids = workers_held(gate, proc)
    proc.kill()  # the command alone, not its workers
    proc.wait(timeout=60)
    (gate / "go").write_text("")  # each worker finishes its chunk, and finds no one to tell
    assert gone_within(pids, 20)
    finish(proc)  # the workers held standard error open: it ends with them


STARTING = """
import os, sys, time
from pathlib import Path
from kerjasama_cli.registry import workers

real = workers._serve
gate = Path(os.environ["KS_GATE"])

def starting(*args):
    # multiprocessing's own start-up in the new worker, before _serve ignores interrupts
    (gate / f"worker-{os.getpid()}").write_text("")
    time.sleep(1)
    return real(*args)

workers._serve = starting
sys.argv[0] = "kerjasama"
from kerjasama_cli.console import main
main()
"""


def test_ctrl_c_while_a_worker_starts_prints_nothing(registry: Path, gate: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    env.update(KERJASAMA_JOBS="2", KS_GATE=str(gate))
    proc = subprocess.Popen(
        [sys.executable, "-c", STARTING, "validate", "--no-cache", "--data-dir", str(registry)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    pids = workers_held(gate, proc, count=1)
    os.killpg(proc.pid, signal.SIGINT)
    code, err = finish(proc)
    assert code == 130
    assert err.strip() == ""  # it was "Process ForkProcess-1: Traceback ... KeyboardInterrupt"
    assert gone_within(pids, 10)


def test_ctrl_c_pressed_again_and_again_ends_as_once(registry: Path, gate: Path) -> None:
    """The first Ctrl-C stops the command; the next ones, while it stops, are not heard (they
    interrupted its clean-up: "Exception ignored in ... KeyboardInterrupt", or a death by
    SIGINT instead of exit 130)."""
    for _attempt in range(3):
        for marker in gate.glob("worker-*"):
            marker.unlink()
        proc = start(registry, gate, "validate", "--no-cache")
        workers_held(gate, proc)
        for _ in range(5):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.003)
        code, err = finish(proc)
        assert code == 130
        assert err.strip() == "", err
