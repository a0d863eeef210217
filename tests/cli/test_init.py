"""`kerjasama init [DIR]`: scaffolds a registry repository, never overwriting a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kerjasama_cli import __version__
from kerjasama_cli.model import record_json_schema
from tests.conftest import Run

SCAFFOLD = [
    ".github/workflows/validate.yml",
    ".pre-commit-config.yaml",
    "README.md",
    "data/agreements/.gitkeep",
    "kerjasama.toml",
    "schema/record.schema.json",
]


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_scaffolds_an_empty_folder(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "new-registry"
    result = run("init", str(target))
    assert result.exit_code == 0, result.stderr
    assert _files(target) == SCAFFOLD
    assert sorted(result.stdout.splitlines()) == sorted(f"new-registry/{f}" for f in SCAFFOLD)
    assert "initialised a registry in new-registry" in result.stderr


def test_init_defaults_to_the_current_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "here"
    target.mkdir()
    monkeypatch.chdir(target)
    assert run("init").exit_code == 0
    assert _files(target) == SCAFFOLD


def test_scaffolded_registry_validates_and_lists_nothing_wrong(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "reg"
    run("init", str(target))
    result = run("validate", "--strict", "--data-dir", str(target / "data"))
    assert result.exit_code == 0
    assert "checked 0 files: 0 errors, 0 warnings" in result.stderr


def test_init_refuses_to_overwrite_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    (target / ".github" / "workflows").mkdir(parents=True)
    (target / "README.md").write_text("mine\n", encoding="utf-8")
    (target / ".github" / "workflows" / "validate.yml").write_text("mine\n", encoding="utf-8")
    result = run("init", str(target))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: init: refusing to overwrite existing files: {target}/.github/workflows/"
        f"validate.yml, {target}/README.md; nothing written"
    )
    assert _files(target) == [".github/workflows/validate.yml", "README.md"]
    assert (target / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_init_keeps_existing_records_and_unrelated_files(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    record = target / "data" / "agreements" / "2024" / "kb-x.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("id: kb-x\n", encoding="utf-8")
    (target / "LICENSE").write_text("CC-BY\n", encoding="utf-8")
    assert run("init", str(target)).exit_code == 0
    assert record.read_text(encoding="utf-8") == "id: kb-x\n"
    assert "data/agreements/.gitkeep" not in _files(target)
    assert "LICENSE" in _files(target)


def test_init_on_a_file_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("", encoding="utf-8")
    result = run("init", str(target))
    assert result.exit_code == 2
    assert "exists and is not a folder" in result.stderr


def test_generated_workflow_runs_validate_on_pull_requests(run: Run, tmp_path: Path) -> None:
    run("init", str(tmp_path / "reg"))
    workflow = YAML(typ="safe").load(tmp_path / "reg" / ".github" / "workflows" / "validate.yml")
    assert "pull_request" in workflow["on"]
    steps = workflow["jobs"]["validate"]["steps"]
    commands = [step.get("run") for step in steps if "run" in step]
    assert commands == [
        f'python -m pip install "kerjasama=={__version__}"',
        "kerjasama validate --format github",
    ]
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)


def test_generated_pre_commit_config_runs_the_hook_on_records(run: Run, tmp_path: Path) -> None:
    run("init", str(tmp_path / "reg"))
    config = YAML(typ="safe").load(tmp_path / "reg" / ".pre-commit-config.yaml")
    [hook] = config["repos"][0]["hooks"]
    assert hook["id"] == "kerjasama-validate"
    assert hook["entry"] == "kerjasama validate"
    assert hook["files"] == "^data/agreements/"
    assert hook["require_serial"] is True
    assert hook["additional_dependencies"] == [f"kerjasama=={__version__}"]


def test_generated_schema_is_the_current_schema(run: Run, tmp_path: Path) -> None:
    run("init", str(tmp_path / "reg"))
    text = (tmp_path / "reg" / "schema" / "record.schema.json").read_text(encoding="utf-8")
    assert json.loads(text) == record_json_schema()


def test_scaffolded_files_get_the_usual_permissions(run: Run, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        run("init", str(tmp_path / "reg"))
    finally:
        os.umask(umask)
    assert (tmp_path / "reg" / "README.md").stat().st_mode & 0o777 == 0o644
