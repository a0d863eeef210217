"""The only package that touches record files and ruamel.yaml.

discovery.py finds record files (and reports whatever else is there), files.py reads them (size,
encoding, line lengths), reading.py parses them with positions, writing.py writes them
atomically, cache.py keeps what parsing and checking gave, per file, outside the data folder.

Importing this package does not import ruamel.yaml (a command whose records all come from the
cache parses no YAML): the parsing functions are imported from kerjasama_cli.storage.reading,
where they are needed.
"""

from __future__ import annotations

from kerjasama_cli.storage.discovery import (
    ScannedFile,
    Stat,
    agreements_root,
    iter_record_paths,
    scan_folder,
    scan_record_files,
)
from kerjasama_cli.storage.files import (
    AGREEMENTS,
    LoadedFile,
    absolute_path,
    display_path,
    find_data_dir,
    read_text,
)
from kerjasama_cli.storage.writing import (
    append_text,
    create_exclusive,
    file_size,
    replace_atomic,
)

__all__ = [
    "AGREEMENTS",
    "LoadedFile",
    "ScannedFile",
    "Stat",
    "absolute_path",
    "agreements_root",
    "append_text",
    "create_exclusive",
    "display_path",
    "file_size",
    "find_data_dir",
    "iter_record_paths",
    "read_text",
    "replace_atomic",
    "scan_folder",
    "scan_record_files",
]
