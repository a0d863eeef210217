"""`kerjasama init [DIR]`: scaffolds a registry repository, never overwriting a file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from kerjasama_cli.model import record_json_schema
from tests.conftest import Run

SCAFFOLD = [
    ".github/workflows/validate.yml",
    ".pre-commit-config.yaml",
    ".yamllint",
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


def test_scaffolded_registry_validates_and_lists_nothing_wrong(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "reg"
    run("init", str(target))
    monkeypatch.setenv("KERJASAMA_LANG", "en")  # init writes lang = "id"; English is read here
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


def _workflow(root: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(root / ".github" / "workflows" / "validate.yml")
    return loaded


def _hook(root: Path) -> dict[str, Any]:
    config = YAML(typ="safe").load(root / ".pre-commit-config.yaml")
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    [hook] = repo["hooks"]
    assert isinstance(hook, dict)
    return hook


def test_generated_workflow_validates_changes_uploads_sarif_and_fails_on_errors(
    run: Run, tmp_path: Path
) -> None:
    run("init", str(tmp_path / "reg"))
    workflow = _workflow(tmp_path / "reg")
    assert {"pull_request", "push", "workflow_dispatch"} <= set(workflow["on"])
    assert workflow["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",  # upload-sarif reads the run's details in a private repository
    }
    assert workflow["on"]["push"] == {"branches": ["main", "master"]}
    # Installed here from a clone, kerjasama has no source a runner could reach: the line is
    # empty, and the workflow's install step says what to write there.
    assert workflow["env"] == {"KERJASAMA_INSTALL": ""}
    steps = workflow["jobs"]["validate"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0}
    runs = [" ".join(step["run"].split()) for step in steps if "run" in step]
    assert runs[0].startswith('if [ -z "$KERJASAMA_INSTALL" ]; then echo "::error::')
    assert runs[0].endswith('exit 1 fi python -m pip install "$KERJASAMA_INSTALL"')
    assert 'echo "KERJASAMA_SINCE=$BASE" >> "$GITHUB_ENV"' in runs[1]
    assert runs[2] == (
        "GITHUB_STEP_SUMMARY= kerjasama validate --format sarif \\ ${KERJASAMA_SINCE:+"
        '--changed-since "$KERJASAMA_SINCE"} > kerjasama.sarif \\ || [ $? -eq 1 ]'
    )
    assert runs[3] == (
        'kerjasama validate --format github \\ ${KERJASAMA_SINCE:+--changed-since "$KERJASAMA_SINCE"}'
    )
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "kerjasama.sarif"
    assert steps.index(upload) == len(steps) - 2  # the step that fails on errors comes last


def test_generated_pre_commit_hook_runs_the_installed_kerjasama(run: Run, tmp_path: Path) -> None:
    run("init", str(tmp_path / "reg"))
    assert _hook(tmp_path / "reg") == {
        "id": "kerjasama-validate",
        "name": "kerjasama validate",
        "entry": "kerjasama validate",
        "language": "system",
        "files": "^data/agreements/",
        "pass_filenames": True,
        "require_serial": True,
    }


@pytest.mark.parametrize(
    "spec",
    ["kerjasama==0.1.0", "git+https://example.invalid/kerjasama.git@v0.1.0", "kerjasama"],
)
def test_install_spec_goes_to_the_hook_and_the_workflow(
    run: Run, tmp_path: Path, spec: str
) -> None:
    result = run("init", str(tmp_path / "reg"), "--install", spec)
    assert result.exit_code == 0, result.stderr
    assert _workflow(tmp_path / "reg")["env"]["KERJASAMA_INSTALL"] == spec
    hook = _hook(tmp_path / "reg")
    assert (hook["language"], hook["additional_dependencies"]) == ("python", [spec])
    assert hook["require_serial"] is True
    readme = (tmp_path / "reg" / "README.md").read_text(encoding="utf-8")
    assert f'python -m pip install "{spec}"' in readme
    assert f"the workflow installs kerjasama from {spec}; the pre-commit hook installs it too" in (
        " ".join(result.stderr.split())
    )


def test_install_wheel_in_the_registry_is_installed_by_the_workflow_only(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "reg"
    wheel = root / "wheels" / "kerjasama-0.1.0-py3-none-any.whl"
    wheel.parent.mkdir(parents=True)
    wheel.write_bytes(b"PK")
    monkeypatch.chdir(root)
    result = run("init", "--install", "wheels/kerjasama-0.1.0-py3-none-any.whl")
    assert result.exit_code == 0, result.stderr
    spec = "./wheels/kerjasama-0.1.0-py3-none-any.whl"
    assert _workflow(root)["env"]["KERJASAMA_INSTALL"] == spec
    assert _hook(root)["language"] == "system"


@pytest.mark.parametrize(
    "given",
    ["wheels/kerjasama-0.1.0-py3-none-any.whl", "reg/wheels/kerjasama-0.1.0-py3-none-any.whl"],
)
def test_a_wheel_is_found_inside_dir_or_from_the_current_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """`init DIR --install wheels/x.whl`, the README's example, names the wheel inside DIR."""
    root = tmp_path / "reg"
    wheel = root / "wheels" / "kerjasama-0.1.0-py3-none-any.whl"
    wheel.parent.mkdir(parents=True)
    wheel.write_bytes(b"PK")
    monkeypatch.chdir(tmp_path)
    result = run("init", "reg", "--install", given)
    assert result.exit_code == 0, result.stderr
    assert (
        _workflow(root)["env"]["KERJASAMA_INSTALL"] == "./wheels/kerjasama-0.1.0-py3-none-any.whl"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("../elsewhere.whl", "the wheel must be inside the registry folder"),
        ("missing.whl", "no such wheel file"),
        ('kerjasama"; rm -rf /', "without quotes"),
        ("", "expected a package name"),
    ],
)
def test_install_spec_that_cannot_work_is_a_usage_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str, message: str
) -> None:
    root = tmp_path / "reg"
    root.mkdir()
    (tmp_path / "elsewhere.whl").write_bytes(b"PK")
    monkeypatch.chdir(root)
    result = run("init", "--install", spec)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(root.iterdir()) == []


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


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        (
            {
                "url": "https://git.example/o/kerjasama.git",
                "vcs_info": {"vcs": "git", "requested_revision": "v0.1.0", "commit_id": "abc123"},
            },
            "git+https://git.example/o/kerjasama.git@v0.1.0",
        ),
        (
            {
                "url": "https://git.example/o/kerjasama.git",
                "vcs_info": {"vcs": "git", "commit_id": "abc123"},
            },
            "git+https://git.example/o/kerjasama.git@abc123",
        ),
        ({"url": "file:///home/me/kerjasama", "dir_info": {"editable": True}}, None),
        ({"url": "file:///tmp/kerjasama-0.1.0-py3-none-any.whl", "archive_info": {}}, None),
    ],
    ids=["git-tag", "git-commit", "editable-clone", "local-wheel"],
)
def test_the_workflow_installs_from_where_kerjasama_came_from_when_a_runner_can(
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorded: dict[str, Any],
    expected: str | None,
) -> None:
    from importlib import metadata

    class Installed:
        def read_text(self, name: str) -> str | None:
            return json.dumps(recorded) if name == "direct_url.json" else None

    monkeypatch.setattr(metadata, "distribution", lambda name: Installed())
    result = run("init", str(tmp_path / "reg"))
    assert result.exit_code == 0
    workflow = _workflow(tmp_path / "reg")
    if expected is None:
        assert workflow["env"] == {"KERJASAMA_INSTALL": ""}
        assert "write a pip requirement in KERJASAMA_INSTALL" in result.stderr
    else:
        assert workflow["env"] == {"KERJASAMA_INSTALL": expected}
        assert f"the workflow installs kerjasama from {expected}" in result.stderr


def test_the_registry_is_indonesian_unless_told_its_readme_and_comments_too(
    run: Run, tmp_path: Path
) -> None:
    assert run("init", str(tmp_path / "id")).exit_code == 0
    assert run("init", str(tmp_path / "en"), "--lang", "english").exit_code == 0
    indonesian, english = (tmp_path / "id", tmp_path / "en")
    assert 'lang = "id"' in (indonesian / "kerjasama.toml").read_text(encoding="utf-8")
    assert 'lang = "en"' in (english / "kerjasama.toml").read_text(encoding="utf-8")
    readme = (indonesian / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Register kerja sama daerah\n")
    assert "Hook pre-commit menjalankan perintah `kerjasama`" in readme
    # no install source known: the README says where to write one, not `""`
    assert (
        "dari spesifikasi pip pada baris\n`KERJASAMA_INSTALL` di bagian atasnya (belum diisi"
        in (readme)
    )
    assert '""' not in readme
    hook = (indonesian / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "# kerjasama yang terpasang di tempat Anda menjalankan git" in hook
    workflow = (indonesian / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    assert 'echo "::error::Dari mana kerjasama harus dipasang?' in workflow
    assert (
        (english / "README.md")
        .read_text(encoding="utf-8")
        .startswith("# Agreement registry (kerja sama daerah)\n")
    )
    # the same files, keys and commands in either language
    assert _files(indonesian) == _files(english) == SCAFFOLD
    assert _workflow(indonesian)["jobs"].keys() == _workflow(english)["jobs"].keys()
    assert _hook(indonesian) == _hook(english)


def test_init_with_a_language_it_cannot_write_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "reg"), "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr == "error: --lang: expected one of id, en, got 'fr'\n"
    assert not (tmp_path / "reg").exists()
