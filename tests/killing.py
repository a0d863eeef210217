"""Running the real CLI in a child process, and killing it with SIGKILL at a chosen point.

A test gives the child a script (``child``) that patches the code under test so that reaching
the point named by ``$KS_HOOK`` writes ``$KS_MARKER`` and waits; then it is killed there, as a
power cut would stop it, and the test looks at what was left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment less the test's own settings, with the registry and ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KERJASAMA_", "KS_")) or k == "KERJASAMA_CACHE_DIR"
    }
    return {**env, "KERJASAMA_DATA": str(data_dir), **extra}


def run_killed_at(child: str, hook: str, data_dir: Path, args: tuple[str, ...], work: Path) -> None:
    """Run ``child`` with ``args`` until it reaches ``hook``, then SIGKILL it."""
    marker = work / f"reached-{hook}"
    proc = subprocess.Popen(
        [sys.executable, "-c", child, *args],
        cwd=data_dir.parent,
        env=child_env(data_dir, KS_HOOK=hook, KS_MARKER=str(marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120  # a safety net, not a measurement
        while not marker.exists():
            if proc.poll() is not None:
                pytest.fail(f"the command ended before {hook}: {proc.stderr.read()!r}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                pytest.fail(f"the command never reached {hook}")
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=60)
        assert proc.stderr is not None
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``kerjasama args`` in a process of its own, on the registry ``data_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", *args],
        cwd=data_dir.parent,
        env=child_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
