"""`kerjasama serve`: the registry in a browser, through Datasette (the optional extra [web])."""

from __future__ import annotations

from typing import Annotated

import typer

from kerjasama_cli.cli.options import AsOf, DataDir, NoCache
from kerjasama_cli.i18n import N_

INSTALL = "pip install 'kerjasama[web]'"


def serve(
    data_dir: DataDir = None,
    host: Annotated[
        str, typer.Option("--host", help=N_("Address to listen on (127.0.0.1: this machine only)."))
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help=N_("Port to listen on."))
    ] = 8001,
    as_of: AsOf = None,
    no_cache: NoCache = False,
) -> None:
    """Open the registry in a browser with Datasette (help: SERVE_HELP)."""
    import datetime as dt
    import importlib.util
    import os
    import subprocess
    import sys

    from kerjasama_cli import render
    from kerjasama_cli.cli.filters import parse_date
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.i18n import _

    if importlib.util.find_spec("datasette") is None:
        raise UsageError(
            _("kerjasama serve needs Datasette, which is not installed: {command}").format(
                command=INSTALL
            )
        )
    from kerjasama_cli.exchange.served import prepare_served
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    day = parse_date(as_of, "--as-of") or dt.date.today()
    database, metadata = prepare_served(folder, day, use_cache=not no_cache)
    render.note(
        _("serving {database} on http://{host}:{port}/ (Ctrl-C stops)").format(
            database=database, host=host, port=port
        )
    )
    command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(database)]
    command += ["--metadata", str(metadata), "--host", host, "--port", str(port)]
    command += ["--setting", "default_allow_sql", "off"]
    sys.stdout.flush()
    sys.stderr.flush()
    if hasattr(os, "execv") and sys.platform != "win32":
        # Datasette takes this process's place: stopping it (Ctrl-C, a signal) stops the server.
        os.execv(sys.executable, command)
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)


SERVE_HELP = N_(
    "Open the registry in a browser with Datasette, read-only (needs kerjasama[web]).\n\n"
    "Serves the database that export --format sqlite writes, brought up to date with the "
    "files first, with full-text search, views, table and column descriptions and default "
    "facets; status is computed as of --as-of (default today)."
)


def register(app: typer.Typer) -> None:
    app.command(help=SERVE_HELP)(serve)
