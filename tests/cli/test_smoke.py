from __future__ import annotations

from pathlib import Path

from tests.conftest import Run


def test_bundled_registry_validates_clean(run: Run, bundled: Path) -> None:
    result = run("validate", "--strict", data_dir=bundled)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 errors, 0 warnings" in result.stderr


def test_version_prints_the_package_version(run: Run) -> None:
    from kerjasama_cli import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"kerjasama {__version__}\n"
