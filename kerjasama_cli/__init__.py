"""kerjasama: a registry of Indonesian regional cooperation agreements (kerja sama daerah).

The domain is usable without the command line::

    from kerjasama_cli import load_registry, check_registry, Record
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
# The project's source repository, as [project.urls] Source in pyproject.toml (a test keeps them
# equal): `init` installs tagged releases from it, and SARIF output names it.
__all__ = ["Record", "__version__", "check_registry", "load_registry"]

if TYPE_CHECKING:
    from kerjasama_cli.model import Record
    from kerjasama_cli.registry import check_registry, load_registry


def __getattr__(name: str) -> Any:
    # Imported lazily so that `kerjasama --help` does not pay for pydantic.
    if name == "Record":
        from kerjasama_cli.model import Record

        return Record
    if name == "check_registry":
        from kerjasama_cli.registry import check_registry

        return check_registry
    if name == "load_registry":
        from kerjasama_cli.registry import load_registry

        return load_registry
    raise AttributeError(name)
