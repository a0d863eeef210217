"""A bug (an exception nobody meant) is one line on stderr and exit 3; the traceback on request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerjasama_cli import registry as registry_module
from kerjasama_cli.storage import discovery
from tests.conftest import Run

ONE_LINE = (
    "error: unexpected RuntimeError: disk on fire second line "
    "(this is a bug; rerun with KERJASAMA_DEBUG=1 for the traceback)\n"
)


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a domain function fail the way a bug would."""

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire\n  second line")

    # Deep in the domain, looked up at call time by every command that reads the registry.
    monkeypatch.setattr(discovery, "scan_files", boom)


@pytest.mark.usefixtures("broken")
@pytest.mark.parametrize("command", [["validate"], ["list"], ["summarise"]])
def test_unexpected_exception_is_one_line_and_exit_3(run: Run, command: list[str]) -> None:
    result = run(*command)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == ONE_LINE


@pytest.mark.usefixtures("broken")
@pytest.mark.parametrize("value", ["", "0"])
def test_debug_off_values_show_no_traceback(
    run: Run, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KERJASAMA_DEBUG", value)
    assert run("validate").stderr == ONE_LINE


@pytest.mark.usefixtures("broken")
def test_debug_shows_the_traceback_then_the_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERJASAMA_DEBUG", "1")
    result = run("validate")
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert 'in boom\n    raise RuntimeError("disk on fire\\n  second line")' in result.stderr
    assert result.stderr.endswith("error: unexpected RuntimeError: disk on fire second line\n")


def test_control_characters_in_the_exception_are_escaped(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("bad \x1b[31mred")

    monkeypatch.setattr(registry_module, "check_registry", boom)
    result = run("validate")
    assert result.exit_code == 3
    assert "\x1b" not in result.stderr
    assert "unexpected ValueError: bad \\x1b[31mred" in result.stderr


SCRIPT = """
import sys
import kerjasama_cli.registry as registry

def boom(*args, **kwargs):
    raise KeyError("no such thing")

registry.check_registry = boom
sys.argv = ["kerjasama", "validate"]
from kerjasama_cli.cli.app import main
main()
"""


@pytest.mark.parametrize("debug", [False, True])
def test_real_process_exits_3(registry: Path, tmp_path: Path, debug: bool) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KERJASAMA_") or k == "KERJASAMA_CACHE_DIR"
    }
    env["KERJASAMA_DATA"] = str(registry)
    if debug:
        env["KERJASAMA_DEBUG"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 3
    assert done.stdout == ""
    last = done.stderr.splitlines()[-1]
    assert last.startswith("error: unexpected KeyError: 'no such thing'")
    if debug:
        assert "Traceback (most recent call last)" in done.stderr
    else:
        assert done.stderr.count("\n") == 1
