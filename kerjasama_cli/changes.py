"""Which record files changed since a git ref: the one module that runs git (locally, no network).

"Changed since REF" is what a pull request changes: the files that differ between the merge
base of REF and HEAD, and the working tree (so commits on the branch, staged and unstaged edits
all count), plus untracked files that git does not ignore. For a REF that is an ancestor of
HEAD (``HEAD~1``, a tag) the merge base is REF itself. Added, modified, type-changed, renamed
(the new path) and unmerged files are *changed*; deleted files and the old path of a rename are
*deleted*. Renames are detected as ``git diff -M`` does.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kerjasama_cli.errors import UsageError
from kerjasama_cli.i18n import _
from kerjasama_cli.storage import AGREEMENTS


class GitError(UsageError):
    """git is missing, the folder is not in a git repository, or the ref is unknown."""


@dataclass(frozen=True, slots=True)
class Changes:
    """Record files changed and deleted since ``ref`` (compared from commit ``base``)."""

    ref: str
    base: str
    changed: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)

    @property
    def gone_ids(self) -> set[str]:
        """Ids (file names) of deleted or renamed-away records no changed file now carries."""
        kept = {p.stem for p in self.changed}
        return {p.stem for p in self.deleted if p.suffix == ".yaml"} - kept


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    try:
        return subprocess.run(
            ["git", "-C", str(cwd), *args], capture_output=True, env=env, check=False
        )
    except FileNotFoundError:
        raise GitError(_("--changed-since needs git, and git is not installed")) from None


def _lines(output: bytes) -> list[str]:
    return [part for part in os.fsdecode(output).split("\0") if part]


def repository_root(folder: Path) -> Path:
    """The top of the git work tree that holds ``folder``; GitError outside one."""
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        said = os.fsdecode(done.stderr).strip().splitlines()
        if said and "not a git repository" not in said[0]:
            # e.g. "detected dubious ownership" in a container: git's words say what to do.
            raise GitError(
                _("--changed-since: git cannot use {folder}: {reason}").format(
                    folder=folder, reason=said[0]
                )
            )
        raise GitError(
            _(
                "--changed-since: {folder} is not inside a git repository "
                "(run it in a clone of the registry, or validate without --changed-since)"
            ).format(folder=folder)
        )
    return Path(os.fsdecode(done.stdout).strip()).resolve()


def resolve_base(root: Path, ref: str) -> str:
    """The commit to compare with: the merge base of ``ref`` and HEAD, else ``ref`` itself."""
    if not ref or ref.startswith("-"):
        raise GitError(_("--changed-since: {ref!r} is not a git ref").format(ref=ref))
    done = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if done.returncode != 0:
        raise GitError(
            _(
                "--changed-since: unknown git ref {ref!r} (a branch, tag or commit; in a shallow "
                "CI checkout fetch it first, e.g. actions/checkout with fetch-depth: 0)"
            ).format(ref=ref)
        )
    commit = os.fsdecode(done.stdout).strip()
    merge_base = _git(root, "merge-base", commit, "HEAD")
    if merge_base.returncode == 0 and merge_base.stdout.strip():
        return os.fsdecode(merge_base.stdout).strip()
    return commit


def changed_since(ref: str, data_dir: Path, within: list[Path] | None = None) -> Changes:
    """The record files under ``data_dir/agreements`` (or ``within`` those paths) changed since ``ref``."""
    root = repository_root(data_dir)
    base = resolve_base(root, ref)
    scopes = within or [data_dir / AGREEMENTS]
    pathspecs: list[str] = []
    for scope in scopes:
        try:
            pathspecs.append(scope.resolve().relative_to(root).as_posix() or ".")
        except ValueError:
            raise GitError(
                _("--changed-since: {path} is outside the git repository at {root}").format(
                    path=scope, root=root
                )
            ) from None
    diff = _git(
        root,
        "diff",
        "--name-status",
        "-M",
        "-z",
        "--no-color",
        "--no-ext-diff",
        base,
        "--",
        *pathspecs,
    )
    if diff.returncode != 0:
        raise GitError(
            _("--changed-since: git diff failed: {reason}").format(
                reason=os.fsdecode(diff.stderr).strip()
            )
        )
    changed: list[Path] = []
    deleted: list[Path] = []
    parts = _lines(diff.stdout)
    i = 0
    while i < len(parts):
        status = parts[i][0]
        if status in "RC":
            old, new = parts[i + 1], parts[i + 2]
            if status == "R":
                deleted.append(root / old)
            changed.append(root / new)
            i += 3
            continue
        (deleted if status == "D" else changed).append(root / parts[i + 1])
        i += 2
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *pathspecs)
    changed += [root / p for p in _lines(untracked.stdout)] if untracked.returncode == 0 else []
    return Changes(ref, base, sorted(set(changed)), sorted(set(deleted)))
