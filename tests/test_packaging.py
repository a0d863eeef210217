"""Package metadata: licence, version, no invented URLs; .ci/run builds and checks the distributions."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kerjasama_cli import __version__

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def test_the_licence_file_is_the_declared_mit_licence() -> None:
    assert PROJECT["license"] == "MIT"
    assert "LICENSE" in PROJECT["license-files"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_version_is_one_number_in_both_places() -> None:
    assert PROJECT["version"] == __version__


def test_no_invented_project_address() -> None:
    """Until the project has a public home, no metadata or template points at one."""
    assert "urls" not in PROJECT
    for path in [*(ROOT / "kerjasama_cli").rglob("*.py"), *(ROOT / "kerjasama_cli").rglob("*.yml")]:
        assert "github.com/kerjasama" not in path.read_text(encoding="utf-8"), path


def test_every_supported_python_has_a_classifier() -> None:
    assert PROJECT["requires-python"] == ">=3.11"
    versions = {
        c.rsplit(" ", 1)[1] for c in PROJECT["classifiers"] if c.startswith("Programming Language")
    }
    assert {"3.11", "3.12", "3.13"} <= versions


def test_the_sdist_is_the_whole_repository() -> None:
    """Not a list of folders to keep up to date: the tests read data/, .ci/, bench/, hooks."""
    sdist = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]
    assert "include" not in sdist
    assert set(sdist["exclude"]) <= {"/.git", "/.venv", "/venv", "/dist", "/build"}


def test_ci_builds_checks_and_tests_the_distributions() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert 'python -m build --outdir "$work/dist" .' in lines
    assert 'twine check --strict "$work/dist"/*' in lines
    assert lines[-1] == 'python -m pytest -q -p no:cacheprovider -m "not slow"'
    assert 'cd "$work"/kerjasama-*/' in lines
