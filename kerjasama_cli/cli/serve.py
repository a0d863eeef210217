"""`kerjasama serve`: the registry in a browser, through Datasette (the optional extra [web])."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kerjasama_cli.cli.options import AsOf, DataDir, NoCache
from kerjasama_cli.i18n import N_

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

INSTALL = "pip install 'kerjasama[web]'"
INSTALL_FROM_CLONE = "pip install -e '.[web]'"


def serve(
    data_dir: DataDir = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="HOST",
            help=N_("Address to listen on (127.0.0.1: this machine only)."),
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=1, max=65535, help=N_("Port to listen on."))
    ] = 8001,
    as_of: AsOf = None,
    no_cache: NoCache = False,
) -> None:
    """Open the registry in a browser with Datasette (help: SERVE_HELP)."""
    import datetime as dt
    import importlib.util

    from kerjasama_cli.cli.filters import parse_date
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.i18n import _

    if importlib.util.find_spec("datasette") is None:
        raise UsageError(
            _(
                "kerjasama serve needs Datasette, which is not installed: {command} (in a "
                "clone of kerjasama's source: {clone})"
            ).format(command=INSTALL, clone=INSTALL_FROM_CLONE)
        )
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    day = parse_date(as_of, "--as-of") or dt.date.today()
    _check_port(host, port)
    # This process's own database, removed when it stops (a SIGTERM before Datasette runs
    # too: console.py): two servers of one registry (each with its own --as-of) never share
    # one, and the cache folder need not be writable.
    from kerjasama_cli.storage.writing import temporary_folder

    with temporary_folder("kerjasama-serve-") as served:
        _serve(folder, served, day, host, port, use_cache=not no_cache)


def _serve(
    folder: Path, served: Path, day: dt.date, host: str, port: int, *, use_cache: bool
) -> None:
    import os
    import signal
    import subprocess
    import sys

    from kerjasama_cli import render
    from kerjasama_cli.console import ending_signals
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.exchange.served import STATIC_MOUNT, prepare_served
    from kerjasama_cli.i18n import _, ngettext

    try:
        database, metadata, invalid = prepare_served(folder, day, served, use_cache=use_cache)
    except OSError as exc:
        raise UsageError(
            _("cannot write the served database in {folder}: {problem}").format(
                folder=served, problem=exc
            )
        ) from None
    if invalid:
        render.warn(
            ngettext(
                "{n} invalid record file not served; run `kerjasama validate`",
                "{n} invalid record files not served; run `kerjasama validate`",
                invalid,
            ).format(n=invalid)
        )
    render.note(
        _("serving the registry as of {day} on http://{host}:{port}/ (Ctrl-C stops)").format(
            day=day.isoformat(), host=host, port=port
        )
    )
    command = [sys.executable, "-c", _DATASETTE, str(os.getpid())]
    command += ["serve", "--immutable", str(database)]
    command += ["--metadata", str(metadata), "--host", host, "--port", str(port)]
    command += ["--setting", "default_allow_sql", "off"]
    # The province facet counts through a JSON array in each row: about half a second for
    # 100,000 agreements, beyond Datasette's default 0.2 s (it said "timed out" instead).
    command += ["--setting", "facet_time_limit_ms", str(FACET_TIME_LIMIT_MS)]
    command += ["--static", f"{STATIC_MOUNT}:{served / STATIC_MOUNT}"]
    sys.stdout.flush()
    sys.stderr.flush()
    server: subprocess.Popen[bytes] | None = None
    try:
        # Datasette in a process group of its own: Ctrl-C at the terminal reaches serve alone,
        # which stops it. A second Ctrl-C made Datasette quit at once with tracebacks.
        server = subprocess.Popen(command, process_group=0 if os.name == "posix" else None)
        # A signal to stop (kill, a service manager, a closed terminal) stops the server too,
        # then the database goes; a signal the parent ignores (nohup) stays ignored.
        for number in ending_signals():
            if signal.getsignal(number) != signal.SIG_IGN:
                signal.signal(number, lambda *_: server.terminate() if server else None)
        code = server.wait()
    except KeyboardInterrupt:
        # Ctrl-C reaches serve alone (the server has a process group of its own): serve
        # stops the server.
        if server is None:
            raise
        server.terminate()
        try:  # a second Ctrl-C is not heard now (console.py): do not wait for ever
            code = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
    raise typer.Exit(0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code)


# Datasette, with Rich hidden from it: when Rich can be imported (kerjasama uses it), Datasette
# prints every error it answers, even a search with an unbalanced quote, as a full traceback
# with local variables (hundreds of lines a request); without, one line a request.
FACET_TIME_LIMIT_MS = 3000
# On Linux it also ends when serve does, even killed (``kill -9``), since it no longer shares
# serve's process group: the parent's death sends it SIGTERM (``PR_SET_PDEATHSIG``); if serve
# was gone before that was set, it does not start.
_DATASETTE = """
import os, signal, sys
parent = int(sys.argv.pop(1))
if sys.platform == "linux":
    import ctypes
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
if os.getppid() != parent:
    sys.exit(0)
sys.modules["rich"] = None
sys.argv[0] = "datasette"
from datasette.cli import cli
cli()
"""


def _check_port(host: str, port: int) -> None:
    """A usage error when ``port`` on ``host`` cannot be listened on (in use, not allowed),
    said before anything is made."""
    import socket

    from kerjasama_cli.errors import UsageError, system_reason
    from kerjasama_cli.i18n import _

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(
            _("cannot listen on {host} port {port}: {problem}; choose another with --port").format(
                host=host, port=port, problem=system_reason(exc)
            )
        ) from None


SERVE_HELP = N_(
    "Open the registry in a browser with Datasette, read-only (needs kerjasama[web]).\n\n"
    "Serves the database that export --format sqlite writes, brought up to date with the "
    "files first, with full-text search, views, table and column descriptions and default "
    "facets; status is computed as of --as-of (default today)."
)


def register(app: typer.Typer) -> None:
    app.command(help=SERVE_HELP)(serve)
