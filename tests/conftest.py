"""Shared fixtures: a CLI runner on an isolated registry in tmp_path."""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from kerjasama_cli import i18n, render
from kerjasama_cli.cli.app import app
from kerjasama_cli.registry import Entry
from kerjasama_cli.registry import loading as registry_loading
from kerjasama_cli.storage import cache as cache_module

EXAMPLES = Path(__file__).parent / "examples"
BUNDLED = Path(__file__).parent.parent / "data"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test sees the developer's environment, cache or terminal.

    Each test gets its own cache folder, outside its tmp_path, so that tests which check that
    a command changed nothing in tmp_path do not see the cache being written.
    """
    for name in ("KERJASAMA_DATA", "KERJASAMA_DEBUG", "KERJASAMA_JOBS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("KERJASAMA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    # English unless a test asks for Indonesian (KERJASAMA_LANG, a kerjasama.toml, the locale).
    for name in ("KERJASAMA_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.set_language("en")
    # Indexes opened by calls other than the CLI's (which closes its own) close with the test.
    monkeypatch.setattr(cache_module, "_OPEN", [])
    yield
    cache_module.close_all()


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """An empty registry folder (``<tmp>/data`` with ``agreements/``)."""
    root = tmp_path / "data"
    (root / "agreements").mkdir(parents=True)
    return root


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files parsed during the test (the cache spares the others)."""
    seen: list[Path] = []
    real = registry_loading.load_entry

    def counting(path: Path) -> Entry:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(registry_loading, "load_entry", counting)
    return seen


# Rich's styling, to compare what a terminal shows.
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make Rich treat the captured stdout as a terminal (TTY_COMPATIBLE=1), fresh consoles
    (stderr's too: one made here would stay a terminal's for the tests after)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    render.stdout.cache_clear()
    render.stderr.cache_clear()
    yield
    render.stdout.cache_clear()
    render.stderr.cache_clear()


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the bundled registry that a test may change."""
    target = tmp_path / "bundled"
    shutil.copytree(BUNDLED, target)
    return target


def record_text(
    record_id: str,
    *,
    title: str = "Kerja sama",
    document: str = "kesepakatan_bersama",
    before_parties: Mapping[str, str] | None = None,
    parties: Sequence[str] = ('region: "32"', 'region: "33"'),
    sectors: Sequence[str] = ("pelayanan_publik",),
    **keys: str | None,
) -> str:
    """The text of a small record, a valid draft unless told otherwise::

        id: <record_id>
        title: Kerja sama
        document: kesepakatan_bersama
        <before_parties, in order>
        parties:
          - region: "32"
          - region: "33"
        sectors: [pelayanan_publik]
        <keys, in order>

    Values are written as they are, as YAML text (``signed_on="2024-02-05"``,
    ``region: Nowhere Land`` as a party); a value that starts with a newline is a block below
    its key (``sources="\n  - url: https://example.org"``); a key given None is left out.
    """
    lines = [f"id: {record_id}", f"title: {title}", f"document: {document}"]
    lines += [_key_line(key, value) for key, value in (before_parties or {}).items()]
    lines += ["parties:", *(f"  - {party}" for party in parties)]
    lines.append(f"sectors: [{', '.join(sectors)}]")
    lines += [_key_line(key, value) for key, value in keys.items() if value is not None]
    return "\n".join(lines) + "\n"


def _key_line(key: str, value: str) -> str:
    return f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}"


_SIGNED_ON = re.compile(r"^signed_on: *['\"]?(\d{4})-", re.MULTILINE)


def home_folder(text: str) -> str:
    """The folder of agreements/ where a record with this text belongs: the year of its
    signed_on, else ``draf``."""
    match = _SIGNED_ON.search(text)
    return match.group(1) if match else "draf"


def write_record(registry: Path, text: str, name: str, folder: str | None = None) -> Path:
    """Write a record file under ``agreements/<folder>/<name>.yaml`` (by default the folder
    where it belongs: the year of its signed_on, else draf)."""
    folder = home_folder(text) if folder is None else folder
    path = registry / "agreements" / folder / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@functools.cache
def _command_of(app: typer.Typer) -> Any:
    """The Click command Typer builds for ``app``, built once per test session.

    Typer's CliRunner builds it again on every invoke (about a tenth of a second for this app,
    most of the time of a short test); a process that runs the CLI builds it once, as here.
    """
    return typer.main.get_command(app)


@pytest.fixture
def run(registry: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the real CLI in-process with the registry as KERJASAMA_DATA and cwd at its parent."""
    monkeypatch.chdir(registry.parent)
    monkeypatch.setattr(typer.testing, "_get_command", _command_of)

    def _run(*args: str, input: str | None = None, data_dir: Path | None = None) -> Result:
        runner = CliRunner()
        env = {"KERJASAMA_DATA": str(data_dir or registry)}
        out = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return Result(out.exit_code, out.stdout, out.stderr)

    return _run
