"""`validate --changed-since REF` on real temporary git repositories."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, record_text, write_record

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Git:
    """A git repository at the registry's parent folder, isolated from the user's git config."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.invalid")
    repo = Git(tmp_path)
    repo("init", "-q", "-b", "main")
    return repo


class Git:
    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def commit(self, message: str = "change") -> None:
        self("add", "-A")
        self("commit", "-q", "-m", message)


def _paths(result_json: dict[str, object]) -> list[tuple[str, str]]:
    findings = result_json["findings"]
    assert isinstance(findings, list)
    return [(f["path"], f["rule"]) for f in findings]


@pytest.fixture
def committed(registry: Path, git: Git) -> Path:
    """A registry with a clean KB, a PKS under it, and an already broken record; committed."""
    write_record(
        registry,
        record_text("kb-parent", title="T", parties=('region: "32"', 'region: "33"')),
        "kb-parent",
    )
    write_record(
        registry,
        record_text("kb-other", title="T", parties=('region: "32"', 'region: "34"')),
        "kb-other",
    )
    write_record(
        registry,
        record_text("kb-broken", title="T", parties=('region: "32"', "region: Nowhere Land")),
        "kb-broken",
    )
    git.commit("initial")
    return registry


def test_outside_a_git_repository_is_a_usage_error(registry: Path, run: Run) -> None:
    result = run("validate", "--changed-since", "main")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
    assert result.stdout == ""


def test_unknown_ref_is_a_usage_error(committed: Path, run: Run) -> None:
    result = run("validate", "--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown git ref 'no-such-branch'" in result.stderr


def test_nothing_changed_reports_nothing_even_with_old_errors(committed: Path, run: Run) -> None:
    result = run("validate", "--changed-since", "HEAD", "--format", "json")
    assert result.exit_code == 0
    assert result.json() == {"files": 0, "errors": 0, "warnings": 0, "findings": []}


def test_committed_change_is_reported_and_unchanged_files_are_not(
    committed: Path, git: Git, run: Run
) -> None:
    git("checkout", "-q", "-b", "topic")
    write_record(
        committed,
        record_text("kb-other", title="T", parties=('region: "32"', "region: Nowhere Else")),
        "kb-other",
    )
    git.commit()
    result = run("validate", "--changed-since", "main", "--format", "json")
    assert result.exit_code == 1
    assert result.json()["files"] == 1
    assert _paths(result.json()) == [("data/agreements/draf/kb-other.yaml", "KS201")]


def test_unstaged_staged_and_untracked_changes_count(committed: Path, git: Git, run: Run) -> None:
    write_record(
        committed,
        record_text("kb-other", title="T", parties=('region: "32"', "region: Nowhere Else")),
        "kb-other",
    )
    write_record(
        committed,
        record_text("kb-parent", title="T", parties=('region: "32"', "region: '32'")),
        "kb-parent",
    )
    git("add", "data/agreements/draf/kb-parent.yaml")
    write_record(
        committed,
        record_text("kb-new", title="T", parties=('region: "32"', "region: Atlantis")),
        "kb-new",
    )
    result = run("validate", "--changed-since", "HEAD", "--format", "json")
    assert result.json()["files"] == 3
    assert _paths(result.json()) == [
        ("data/agreements/draf/kb-new.yaml", "KS201"),
        ("data/agreements/draf/kb-other.yaml", "KS201"),
        ("data/agreements/draf/kb-parent.yaml", "KS204"),
    ]


def test_renamed_record_is_reported_under_its_new_path(committed: Path, git: Git, run: Run) -> None:
    (committed / "agreements" / "2025").mkdir()
    git("mv", "data/agreements/draf/kb-other.yaml", "data/agreements/draf/kb-renamed.yaml")
    git.commit("rename")
    result = run("validate", "--changed-since", "HEAD~1", "--format", "json")
    assert result.exit_code == 1
    assert result.json()["files"] == 1
    assert _paths(result.json()) == [("data/agreements/draf/kb-renamed.yaml", "KS209")]


def test_deleting_a_referenced_record_fails_on_the_unchanged_referencing_file(
    committed: Path, git: Git, run: Run
) -> None:
    write_record(
        committed,
        record_text(
            "pks-child",
            title="T",
            document="perjanjian_kerja_sama",
            before_parties={"parent": "kb-parent", "related": "[kb-never-existed]"},
        ),
        "pks-child",
    )
    git.commit("add a PKS (which also names an id that never existed)")
    git("rm", "-q", "data/agreements/draf/kb-parent.yaml")
    git.commit("delete its KB")
    result = run("validate", "--changed-since", "HEAD~1", "--format", "json")
    assert result.exit_code == 1
    assert result.json()["files"] == 1
    [finding] = result.json()["findings"]
    assert (finding["path"], finding["key"], finding["rule"], finding["line"]) == (
        "data/agreements/draf/pks-child.yaml",
        "parent",
        "KS402",
        4,
    )
    assert finding["message"].endswith("(its record was deleted or renamed)")


def test_deleting_an_unreferenced_record_is_fine(committed: Path, git: Git, run: Run) -> None:
    (committed / "agreements" / "draf" / "kb-other.yaml").unlink()
    result = run("validate", "--changed-since", "HEAD", "--format", "json")
    assert result.exit_code == 0
    assert result.json()["files"] == 0


def test_changes_on_the_ref_after_branching_are_not_reported(
    committed: Path, git: Git, run: Run
) -> None:
    git("checkout", "-q", "-b", "topic")
    git("checkout", "-q", "main")
    write_record(
        committed,
        record_text("kb-broken", title="T", parties=('region: "32"', 'region: "35"')),
        "kb-broken",
    )
    git.commit("main fixes kb-broken after topic branched off")
    git("checkout", "-q", "topic")
    write_record(
        committed,
        record_text("kb-topic", title="T", parties=('region: "32"', 'region: "35"')),
        "kb-topic",
    )
    # Compared with main itself, topic's (older, broken) kb-broken would count as changed.
    result = run("validate", "--changed-since", "main", "--format", "json")
    assert result.exit_code == 0
    assert result.json()["files"] == 1


def test_paths_narrow_the_changed_files(committed: Path, git: Git, run: Run) -> None:
    write_record(
        committed,
        record_text("kb-a", title="T", parties=('region: "32"', "region: Atlantis")),
        "kb-a",
        folder="2025",
    )
    write_record(
        committed,
        record_text("kb-b", title="T", parties=('region: "32"', "region: Atlantis")),
        "kb-b",
        folder="2026",
    )
    result = run("validate", "--changed-since", "HEAD", "--format", "json", "data/agreements/2026")
    assert _paths(result.json()) == [
        ("data/agreements/2026/kb-b.yaml", "KS211"),  # a draft in a year's folder
        ("data/agreements/2026/kb-b.yaml", "KS201"),
    ]


def test_github_format_with_changed_since(committed: Path, git: Git, run: Run) -> None:
    write_record(
        committed,
        record_text("kb-other", title="T", parties=('region: "32"', "region: Nowhere Else")),
        "kb-other",
    )
    result = run("validate", "--changed-since", "HEAD", "--format", "github")
    assert result.stdout.splitlines() == [
        "::error file=data/agreements/draf/kb-other.yaml,line=6,col=13,title=KS201::"
        "unknown region 'Nowhere Else'; expected a Kemendagri code or a region name"
    ]
