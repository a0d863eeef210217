"""`kerjasama serve`: Datasette on the registry's database, for real, on a free local port."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run


def test_without_datasette_serve_says_how_to_install_it(
    run: Run, bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec

    def missing(name: str, *args: Any) -> Any:
        return None if name == "datasette" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", missing)
    result = run("serve", data_dir=bundled)
    assert result.exit_code == 2
    assert "pip install 'kerjasama[web]'" in result.stderr


needs_datasette = pytest.mark.skipif(
    importlib.util.find_spec("datasette") is None, reason="needs the [web] extra (Datasette)"
)


@needs_datasette
def test_a_port_in_use_is_a_usage_error_said_before_anything_is_made(
    run: Run, bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), data_dir=bundled)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot listen on 127.0.0.1 port {port}: ")
    assert result.stderr.endswith("; choose another with --port\n")
    assert list(temporary.iterdir()) == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def answered(server: subprocess.Popen[str], url: str) -> Any:
    """The first answer of the starting server to ``url`` (it may take a while to listen)."""
    deadline = time.monotonic() + 90
    while True:
        try:
            return get(url)
        except (urllib.error.URLError, ConnectionError):
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.3)


@needs_datasette
def test_serve_answers_its_json_api_with_agreements_and_full_text_search(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/kerjasama"
    (bundled / "agreements" / "2024" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    command = [sys.executable, "-m", "kerjasama_cli", "serve", "--data-dir", str(bundled)]
    command += ["--port", str(port), "--as-of", "2026-01-01"]
    server = subprocess.Popen(
        command,
        env=dict(os.environ, TMPDIR=str(temporary)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        rows = answered(server, f"{base}/agreements.json?_shape=array&_size=max")
        listed = run("list", "--format", "json", "--as-of", "2026-01-01", data_dir=bundled)
        expected = {a["id"]: a["status"] for a in listed.json()}
        assert {r["id"]: r["status"] for r in rows} == expected
        query = urllib.parse.urlencode({"_search": "muara", "_shape": "array", "_col": "id"})
        found = sorted(r["id"] for r in get(f"{base}/agreements.json?{query}"))
        searched = run("list", "--search", "muara", "--format", "ids", data_dir=bundled)
        assert found == sorted(searched.stdout.split())
        assert found
        table = get(f"{base}/agreements.json?_size=0")
        facets = table["facet_results"]
        # cli.md: default facets status, category, document, year, province.
        assert set(facets) >= {"status", "document", "effective_category", "year", "provinces"}
        years = {v["value"]: v["count"] for v in facets["year"]["results"]}
        signed = [int(a["signed_on"][:4]) for a in listed.json() if a["signed_on"]]
        assert years == {year: signed.count(year) for year in signed}
        provinces = {v["value"] for v in facets["provinces"]["results"]}
        assert {"Sumatera Selatan", "Jawa Barat"} <= provinces
        view = get(f"{base}/agreements_with_parties.json?_shape=array&_size=max")
        assert len(view) == len(expected)
        per_year = get(f"{base}/agreements_per_province_year.json?_shape=array&_size=max")
        assert per_year
        # Read-only: a statement that writes is refused.
        refused = urllib.parse.urlencode({"sql": "DELETE FROM agreements"})
        with pytest.raises(urllib.error.HTTPError):
            get(f"{base}.json?{refused}")
        assert len(get(f"{base}/agreements.json?_shape=array&_size=max")) == len(expected)
        # A search people may type (an unbalanced quote) is refused, in one line of the log.
        with pytest.raises(urllib.error.HTTPError):
            get(f"{base}/agreements.json?_search=%22")
        # The descriptions give the date the statuses are computed as of.
        metadata = get(f"http://127.0.0.1:{port}/-/metadata.json")
        tables = metadata["databases"]["kerjasama"]["tables"]
        assert "2026-01-01" in tables["agreements"]["description"]
        assert "2026-01-01" in tables["agreements"]["columns"]["status"]
        # Its style sheet (the column descriptions in columns), served and linked.
        with urllib.request.urlopen(f"{base}/agreements", timeout=10) as response:
            page = response.read().decode("utf-8")
        assert 'href="/kerjasama-static/kerjasama.css"' in page
        style = f"http://127.0.0.1:{port}/kerjasama-static/kerjasama.css"
        with urllib.request.urlopen(style, timeout=10) as response:
            assert b"dl.column-descriptions" in response.read()
        # Its own database, in a temporary folder of its own, not in the cache folder.
        (own,) = temporary.iterdir()
        assert own.name.startswith("kerjasama-serve-")
    finally:
        server.terminate()
        server.wait(timeout=30)
        said = server.stderr.read() if server.stderr else ""
        if server.stderr:
            server.stderr.close()
    assert server.returncode == 0
    assert "1 invalid record file not served; run `kerjasama validate`" in said
    assert "Traceback" not in said
    assert list(temporary.iterdir()) == []  # removed when the server stopped


@needs_datasette
def test_a_hangup_stops_the_server_and_removes_its_database(bundled: Path, tmp_path: Path) -> None:
    """SIGHUP (the terminal closed, `kill -HUP`) to `serve` alone stops Datasette too: before,
    `serve` died and left the server running, with its database."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with serving_as_a_terminal_job(bundled, temporary) as (server, url):
        server.send_signal(signal.SIGHUP)
        assert server.wait(timeout=30) == 0
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        get(url)
    assert list(temporary.iterdir()) == []


@contextlib.contextmanager
def serving_as_a_terminal_job(
    bundled: Path, temporary: Path
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`serve` started as a shell starts a job (in a process group of its own, which Ctrl-C
    at the terminal interrupts as a whole), once it answers: it and an address it answers.
    Killed with its group at the end."""
    port = free_port()
    command = [sys.executable, "-m", "kerjasama_cli", "serve", "--data-dir", str(bundled)]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=dict(os.environ, TMPDIR=str(temporary)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/kerjasama/agreements.json?_size=1"
    try:
        answered(server, url)
        yield server, url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()


@needs_datasette
def test_ctrl_c_twice_stops_the_server_quietly(bundled: Path, tmp_path: Path) -> None:
    """Ctrl-C pressed twice reached Datasette too (one process group), and the second one
    made it quit at once with tracebacks (asyncio's CancelledError)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with serving_as_a_terminal_job(bundled, temporary) as (server, url):
        os.killpg(server.pid, signal.SIGINT)
        time.sleep(0.01)
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=30) == 0
        said = server.stderr.read() if server.stderr else ""
    assert "Traceback" not in said
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        get(url)
    assert list(temporary.iterdir()) == []


@needs_datasette
def test_the_server_ends_with_serve_even_when_serve_is_killed(
    bundled: Path, tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with serving_as_a_terminal_job(bundled, temporary) as (server, url):
        server.kill()  # serve alone: its server is in a process group of its own
        server.wait(timeout=30)
        deadline = time.monotonic() + 30
        while True:
            try:
                get(url)
            except (urllib.error.URLError, ConnectionError):
                break
            assert time.monotonic() < deadline, "the server outlived serve"
            time.sleep(0.2)


PREPARING = """
import os, sys, time
from pathlib import Path
from kerjasama_cli.exchange import served

def held(*args, **kwargs):
    Path(os.environ["KS_MARKER"]).write_text("")
    time.sleep(60)

served.prepare_served = held
sys.argv[0] = "kerjasama"
from kerjasama_cli.console import main
main()
"""


@needs_datasette
def test_sigterm_before_the_server_runs_removes_its_folder(bundled: Path, tmp_path: Path) -> None:
    """`serve` stopped by a service manager while it still made its database left the
    folder `kerjasama-serve-*` in the system's temporary folder."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    marker = tmp_path / "preparing"
    proc = subprocess.Popen(
        [sys.executable, "-c", PREPARING, "serve", "--data-dir", str(bundled)],
        env=dict(os.environ, TMPDIR=str(temporary), KS_MARKER=str(marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert [p.name[:16] for p in temporary.iterdir()] == ["kerjasama-serve-"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        proc.kill()
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()
    assert list(temporary.iterdir()) == []
