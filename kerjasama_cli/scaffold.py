"""The files `kerjasama init` writes into a new registry repository, from packaged templates.

Templates live in ``kerjasama_cli/templates/`` (shipped in the wheel); ``@KERJASAMA_VERSION@``
in them becomes the running version, so a new registry pins the kerjasama it was made with.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from kerjasama_cli import __version__
from kerjasama_cli.errors import RefusedWrite
from kerjasama_cli.storage import AGREEMENTS, create_exclusive

_VERSION = "@KERJASAMA_VERSION@"
# (target path inside the new repository, template name)
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("README.md", "README.md"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml"),
    (".github/workflows/validate.yml", "validate.yml"),
    ("kerjasama.toml", "kerjasama.toml"),
)
SCHEMA_PATH = "schema/record.schema.json"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One file to create: its path and its content."""

    path: Path
    text: str


def template_text(name: str) -> str:
    """A packaged template with the version filled in."""
    text = (files("kerjasama_cli") / "templates" / name).read_text(encoding="utf-8")
    return text.replace(_VERSION, __version__)


def schema_text() -> str:
    """The record JSON Schema exactly as `kerjasama schema` prints it."""
    from kerjasama_cli.model import record_json_schema

    return json.dumps(record_json_schema(), ensure_ascii=False, indent=2) + "\n"


def plan_scaffold(root: Path) -> list[PlannedFile]:
    """Every file a new registry at ``root`` gets."""
    planned = [PlannedFile(root / target, template_text(name)) for target, name in TEMPLATES]
    planned.append(PlannedFile(root / SCHEMA_PATH, schema_text()))
    agreements = root / "data" / AGREEMENTS
    if not agreements.is_dir():
        # An empty folder is not kept by git; a hidden file is skipped by validate.
        planned.append(PlannedFile(agreements / ".gitkeep", ""))
    return planned


def conflicts(root: Path, planned: list[PlannedFile]) -> list[Path]:
    """Planned files that exist already, or whose folder is in the way as a file."""
    found: set[Path] = set()
    for item in planned:
        if os.path.lexists(item.path):
            found.add(item.path)
        for parent in item.path.relative_to(root).parents:
            folder = root / parent
            if os.path.lexists(folder) and not folder.is_dir():
                found.add(folder)
    return sorted(found)


def write_scaffold(root: Path) -> list[Path]:
    """Create the registry files under ``root``; RefusedWrite (writing nothing) if any exists."""
    planned = plan_scaffold(root)
    existing = conflicts(root, planned)
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise RefusedWrite(f"init: refusing to overwrite existing files: {names}; nothing written")
    written: list[Path] = []
    for item in planned:
        create_exclusive(item.path, item.text)
        written.append(item.path)
    return written
