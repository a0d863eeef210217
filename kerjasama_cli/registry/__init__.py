"""The registry as a whole: every record file under a data folder, loaded and checked.

- entry.py: one record file (``Entry``), parsed here or kept in the cache;
- loading.py: ``load_registry`` (the cache, worker processes) and ``Registry``;
- checking.py: the cross-file rules and ``validate``'s checks, findings placed in files;
- selection.py: which entries the files and folders named on the command line are.
"""

from kerjasama_cli.registry.checking import check_changes, check_registry, locate_entry
from kerjasama_cli.registry.entry import Brief, Entry, load_entry
from kerjasama_cli.registry.loading import (
    Progress,
    Registry,
    collector_paused,
    load_registry,
)

__all__ = [
    "Brief",
    "Entry",
    "Progress",
    "Registry",
    "check_changes",
    "check_registry",
    "collector_paused",
    "load_entry",
    "load_registry",
    "locate_entry",
]
