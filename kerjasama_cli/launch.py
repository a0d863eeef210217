"""The ``kerjasama`` program: the scan of the registry starts (prefetch.py), then the rest."""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    from kerjasama_cli import prefetch

    prefetch.start(sys.argv[1:])
    from kerjasama_cli.cli.app import main as run

    run()
