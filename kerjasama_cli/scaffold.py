"""The files `kerjasama init` writes into a new registry repository, from packaged templates.

Templates live in ``kerjasama_cli/templates/`` (shipped in the wheel), in English, and in
Indonesian under ``templates/id/``: a registry's README and comments are in the language it is
set to (``init --lang``, Indonesian unless told). Their ``@NAME@`` placeholders become the
running version, the repository URL and where the hook and workflow get kerjasama from
(install_source.py).
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

SCHEMA_PATH = "schema/record.schema.json"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One file to create: its path and its content."""

    path: Path
    text: str


# The words the templates' placeholders are filled with, in each language of the templates.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "system_hook": "# The kerjasama installed where you run git (pip install ...): nothing to "
        "download.",
        "system_note": "# The hook runs the kerjasama command installed where you commit (see "
        "README.md, Set-up).",
        "installing_note": "# pre-commit installs kerjasama for the hook itself, from {spec}.",
        "install_from": "`{spec}` (the\n`KERJASAMA_INSTALL` line at its top)",
        "install_from_unknown": "the pip requirement in the\n`KERJASAMA_INSTALL` line at its top "
        "(not written yet: write one there)",
        "installing_readme": "The pre-commit hook installs kerjasama for itself from `{spec}`,\n"
        "the same source as the workflow.",
        "system_readme": "The pre-commit hook runs the `kerjasama` command installed where you "
        "commit (it\ndownloads nothing), so install kerjasama first, with the command above or "
        "any other\nway; the workflow installs it from the source above.",
    },
    "id": {
        "system_hook": "# kerjasama yang terpasang di tempat Anda menjalankan git (pip install "
        "...): tanpa unduhan.",
        "system_note": "# Hook ini menjalankan perintah kerjasama yang terpasang di tempat Anda "
        "melakukan commit\n# (lihat README.md, Persiapan).",
        "installing_note": "# pre-commit memasang sendiri kerjasama untuk hook ini, dari {spec}.",
        "install_from": "`{spec}` (baris\n`KERJASAMA_INSTALL` di bagian atasnya)",
        "install_from_unknown": "spesifikasi pip pada baris\n`KERJASAMA_INSTALL` di bagian "
        "atasnya (belum diisi: tuliskan di sana)",
        "installing_readme": "Hook pre-commit memasang sendiri kerjasama dari `{spec}`,\n"
        "sumber yang sama dengan workflow.",
        "system_readme": "Hook pre-commit menjalankan perintah `kerjasama` yang terpasang di "
        "tempat Anda melakukan\ncommit (hook ini tidak mengunduh apa pun), jadi pasang kerjasama "
        "terlebih dahulu, dengan\nperintah di atas atau cara lain; workflow memasangnya dari "
        "sumber di atas.",
    },
}
TEMPLATE_LANGUAGES = tuple(_WORDS)


def _hook_language(source: InstallSource, words: dict[str, str]) -> str:
    if not source.hook_installs:
        return f"        {words['system_hook']}\n        language: system"
    return (
        "        language: python\n"
        f"        additional_dependencies: [{json.dumps(source.spec, ensure_ascii=False)}]"
    )


def _hook_note(source: InstallSource, words: dict[str, str]) -> str:
    if source.hook_installs:
        return words["installing_note"].format(spec=source.spec)
    return words["system_note"]


def _hook_readme(source: InstallSource, words: dict[str, str]) -> str:
    if source.hook_installs:
        return words["installing_readme"].format(spec=source.spec)
    return words["system_readme"]


def template_text(name: str, source: InstallSource | None = None, lang: str = "id") -> str:
    """A packaged template in ``lang`` ("id" or "en") with its placeholders filled in."""
    source = source or install_source(None, Path())
    folder = files("kerjasama_cli") / "templates"
    if lang != "en":
        folder = folder / lang
    text = (folder / name).read_text(encoding="utf-8")
    words = _WORDS[lang]
    values = {
        "@KERJASAMA_VERSION@": __version__,
        # A JSON string is a YAML double-quoted scalar: any spec is written safely. Without a
        # known source it is empty, and the workflow's first step asks for it.
        "@INSTALL_SPEC@": json.dumps(source.spec or "", ensure_ascii=False),
        "@INSTALL_SPEC_SHOWN@": source.spec or "git+https://HOST/OWNER/kerjasama@TAG",
        "@INSTALL_FROM@": (
            words["install_from"].format(spec=source.spec)
            if source.spec
            else words["install_from_unknown"]
        ),
        "@HOOK_LANGUAGE@": _hook_language(source, words),
        "@HOOK_NOTE@": _hook_note(source, words),
        "@HOOK_README@": _hook_readme(source, words),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def schema_text() -> str:
    """The record JSON Schema exactly as `kerjasama schema` prints it."""
    from kerjasama_cli.model import record_json_schema

    return json.dumps(record_json_schema(), ensure_ascii=False, indent=2) + "\n"


def plan_scaffold(
    root: Path, source: InstallSource | None = None, lang: str = "id"
) -> list[PlannedFile]:
    """Every file a new registry at ``root`` gets, its words in ``lang``."""
    planned = [
        PlannedFile(root / target, template_text(name, source, lang)) for target, name in TEMPLATES
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


def write_scaffold(root: Path, source: InstallSource | None = None, lang: str = "id") -> list[Path]:
    """Create the registry files under ``root``, in ``lang``; RefusedWrite (writing nothing) if
    any exists."""
    planned = plan_scaffold(root, source, lang)
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
