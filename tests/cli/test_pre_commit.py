"""The pre-commit hook this repository provides, its own use of it, and validate as it runs it."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import Run, record_text, write_record

ROOT = Path(__file__).parents[2]


def test_hook_definition() -> None:
    [hook] = YAML(typ="safe").load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "kerjasama-validate"
    assert hook["entry"] == "kerjasama validate"
    assert hook["language"] == "python"
    assert hook["files"] == "^data/agreements/"
    assert hook["pass_filenames"] is True
    assert hook["require_serial"] is True


def test_this_repository_runs_the_hook_on_its_own_records() -> None:
    config = YAML(typ="safe").load(ROOT / ".pre-commit-config.yaml")
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert (repo["repo"], hook["id"], hook["entry"]) == (
        "local",
        "kerjasama-validate",
        "kerjasama validate",
    )
    assert hook["files"] == "^data/agreements/"
    assert hook["require_serial"] is True


def test_files_as_pre_commit_passes_them_get_the_registry_verdict(registry: Path, run: Run) -> None:
    """pre-commit passes every staged file under data/agreements/, .gitkeep included."""
    (registry / "agreements" / ".gitkeep").write_text("", encoding="utf-8")
    (registry / "agreements" / "notes.txt").write_text("hello\n", encoding="utf-8")
    record = write_record(
        registry,
        record_text("kb-a", title="T"),
        "kb-a",
    )
    result = run(
        "validate",
        "data/agreements/.gitkeep",
        "data/agreements/notes.txt",
        str(record.relative_to(registry.parent)),
    )
    assert result.exit_code == 1
    assert result.stdout == (
        "data/agreements/notes.txt:1:1: error KS108 not a record: only <id>.yaml files belong "
        "under agreements/\n"
    )
    assert "checked 1 file: 1 error, 0 warnings" in result.stderr
