"""A data folder without agreements/ is a usage error (exit 2) for every command but init, and
for add/import only when it is not empty: pointing CI at the wrong folder must never pass as
"checked 0 files: 0 errors"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run

COMMANDS = [
    ("validate",),
    ("list",),
    ("show", "kb-a"),
    ("summarise",),
    ("fmt", "--check"),
    ("export", "--format", "csv"),
    ("activity", "kb-a", "--on", "2024-01-01", "--summary", "x"),
    ("set", "kb-a", "stage=persiapan"),
    ("sign", "kb-a", "--on", "2024-01-01"),
    ("end", "kb-a", "--on", "2024-01-01", "--reason", "dibatalkan"),
    ("evaluate", "kb-a", "--on", "2024-01-01", "--recommendation", "revisi", "--summary", "x"),
    ("edit", "kb-a"),
    ("add", "--title", "T", "--party", "Kaur", "--party", "Lahat", "--sector", "sosial"),
]


@pytest.fixture
def not_a_registry(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "README.md").write_text("not a registry\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_folder_without_agreements_is_a_usage_error(
    not_a_registry: Path, run: Run, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "true")
    result = run(*args, "--data-dir", str(not_a_registry))
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"error: data folder {str(not_a_registry)!r} (--data-dir) has no agreements/ folder, so "
        "it is not a registry; pass the folder that holds agreements/ (kerjasama init makes a "
        "new registry)\n"
    )
    assert sorted(p.name for p in not_a_registry.iterdir()) == ["README.md"]


def test_add_makes_an_empty_folder_a_registry(tmp_path: Path, run: Run) -> None:
    empty = tmp_path / "baru"
    empty.mkdir()
    result = run(
        "add", "--title", "T", "--party", "Kaur", "--party", "Lahat", "--sector", "sosial",
        "--data-dir", str(empty),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (empty / "agreements" / "draf" / "kb-kaur-lahat.yaml").is_file()
    assert run("validate", "--data-dir", str(empty)).exit_code == 0


def test_validate_of_an_empty_folder_is_a_usage_error(tmp_path: Path, run: Run) -> None:
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert run("validate", "--data-dir", str(empty)).exit_code == 2


def test_run_inside_the_data_folder_says_to_pass_it(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cd data && kerjasama list`: ./data does not exist, but the folder itself is one."""
    from typer.testing import CliRunner

    from kerjasama_cli.cli.app import app

    monkeypatch.chdir(registry)
    result = CliRunner().invoke(app, ["list"], env={"KERJASAMA_DATA": None})
    assert result.exit_code == 2
    assert result.stderr == (
        "error: data folder 'data' (default) does not exist, but this folder holds "
        "agreements/: it is the data folder; pass --data-dir . (or run from the folder above "
        "it)\n"
    )
    monkeypatch.chdir(registry.parent.parent)  # no data/ and no agreements/ here
    result = CliRunner().invoke(app, ["list"], env={"KERJASAMA_DATA": None})
    assert result.exit_code == 2
    assert "(kerjasama init makes a new registry)" in result.stderr
