"""The files `kerjasama init` writes into a new registry repository, from packaged templates.

Templates live in ``kerjasama_cli/templates/`` (shipped in the wheel). Their ``@NAME@``
placeholders become the running version, the repository URL and where the hook and workflow
get kerjasama from (install_source.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from kerjasama_cli import __version__
from kerjasama_cli.errors import RefusedWrite
from kerjasama_cli.i18n import _
from kerjasama_cli.install_source import InstallSource, install_source
from kerjasama_cli.storage import AGREEMENTS, create_exclusive

# (target path inside the new repository, template name)
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("README.md", "README.md"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml"),
    (".github/workflows/validate.yml", "validate.yml"),
    (".yamllint", "yamllint.yaml"),
    ("kerjasama.toml", "kerjasama.toml"),
)

_SYSTEM_HOOK = """\
        # The kerjasama installed where you run git (pip install ...): nothing to download.
        language: system"""
_SYSTEM_NOTE = (
    "# The hook runs the kerjasama command installed where you commit (see README.md, Set-up)."
)
SCHEMA_PATH = "schema/record.schema.json"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One file to create: its path and its content."""

    path: Path
    text: str


def _hook_language(source: InstallSource) -> str:
    if not source.hook_installs:
        return _SYSTEM_HOOK
    return (
        "        language: python\n"
        f"        additional_dependencies: [{json.dumps(source.spec, ensure_ascii=False)}]"
    )


def _hook_note(source: InstallSource) -> str:
    if source.hook_installs:
        return f"# pre-commit installs kerjasama for the hook itself, from {source.spec}."
    return _SYSTEM_NOTE


def _hook_readme(source: InstallSource) -> str:
    if source.hook_installs:
        return (
            f"The pre-commit hook installs kerjasama for itself from `{source.spec}`,\n"
            "the same source as the workflow."
        )
    return (
        "The pre-commit hook runs the `kerjasama` command installed where you commit (it\n"
        "downloads nothing), so install kerjasama first, with the command above or any other\n"
        "way; the workflow installs it from the source above."
    )


def template_text(name: str, source: InstallSource | None = None) -> str:
    """A packaged template with its placeholders filled in."""
    source = source or install_source(None, Path())
    text = (files("kerjasama_cli") / "templates" / name).read_text(encoding="utf-8")
    values = {
        "@KERJASAMA_VERSION@": __version__,
        # A JSON string is a YAML double-quoted scalar: any spec is written safely. Without a
        # known source it is empty, and the workflow's first step asks for it.
        "@INSTALL_SPEC@": json.dumps(source.spec or "", ensure_ascii=False),
        "@INSTALL_SPEC_SHOWN@": source.spec or "git+https://HOST/OWNER/kerjasama@TAG",
        "@HOOK_LANGUAGE@": _hook_language(source),
        "@HOOK_NOTE@": _hook_note(source),
        "@HOOK_README@": _hook_readme(source),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def schema_text() -> str:
    """The record JSON Schema exactly as `kerjasama schema` prints it."""
    from kerjasama_cli.model import record_json_schema

    return json.dumps(record_json_schema(), ensure_ascii=False, indent=2) + "\n"


def plan_scaffold(root: Path, source: InstallSource | None = None) -> list[PlannedFile]:
    """Every file a new registry at ``root`` gets."""
    planned = [
        PlannedFile(root / target, template_text(name, source)) for target, name in TEMPLATES
    ]
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


def write_scaffold(root: Path, source: InstallSource | None = None) -> list[Path]:
    """Create the registry files under ``root``; RefusedWrite (writing nothing) if any exists."""
    planned = plan_scaffold(root, source)
    existing = conflicts(root, planned)
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise RefusedWrite(
            _("init: refusing to overwrite existing files: {paths}; nothing written").format(
                paths=names
            )
        )
    written: list[Path] = []
    for item in planned:
        create_exclusive(item.path, item.text)
        written.append(item.path)
    return written
