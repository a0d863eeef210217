"""What is on disk besides records: links, unreadable files and folders, pipes, odd names.

CI validates whatever a pull request contains, so a link to a secret must be reported and
never read (its content would end up in a finding), and nothing on disk may hang or crash
the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, record_text, write_record

SECRET = "AWS_SECRET_ACCESS_KEY: hunter2-do-not-print\n"


def findings(run: Run, *args: str) -> list[dict[str, object]]:
    result = run("validate", "--format", "json", *args)
    assert "Traceback" not in result.stdout + result.stderr
    return list(result.json()["findings"])


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the data folder whose content must never be shown."""
    path = tmp_path / "outside" / "secret.yaml"
    path.parent.mkdir()
    path.write_text(SECRET, encoding="utf-8")
    return path


# --- symbolic links ------------------------------------------------------------------------


def test_link_to_a_file_outside_is_reported_and_not_read(
    registry: Path, run: Run, secret: Path
) -> None:
    (registry / "agreements" / "kb-link.yaml").symlink_to(secret)
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout.startswith("data/agreements/kb-link.yaml:1:1: error KS109 ")
    assert "hunter2" not in result.stdout + result.stderr


def test_link_named_on_the_command_line_is_not_followed_either(
    registry: Path, run: Run, secret: Path
) -> None:
    link = registry / "agreements" / "kb-link.yaml"
    link.symlink_to(secret)
    result = run("validate", "--format", "json", str(link))
    assert [f["rule"] for f in result.json()["findings"]] == ["KS109"]
    assert "hunter2" not in result.stdout + result.stderr


def test_link_inside_a_named_folder_is_reported(registry: Path, run: Run, secret: Path) -> None:
    (registry / "agreements" / "2024").mkdir()
    (registry / "agreements" / "2024" / "kb-link.yaml").symlink_to(secret)
    found = findings(run, "data/agreements/2024")
    assert [(f["rule"], f["path"]) for f in found] == [
        ("KS109", "data/agreements/2024/kb-link.yaml")
    ]


def test_link_to_a_folder_outside_is_reported_and_not_descended(
    registry: Path, run: Run, secret: Path
) -> None:
    (registry / "agreements" / "2024").symlink_to(secret.parent, target_is_directory=True)
    found = findings(run)
    assert [(f["rule"], f["path"]) for f in found] == [("KS109", "data/agreements/2024")]


def test_link_inside_the_folder_is_followed(registry: Path, run: Run) -> None:
    write_record(registry, record_text("kb-a"), "kb-a", "draf")
    (registry / "agreements" / "draf" / "kb-b.yaml").symlink_to("kb-a.yaml")
    found = findings(run)
    assert {(f["rule"], f["path"]) for f in found} == {
        ("KS209", "data/agreements/draf/kb-b.yaml"),
        ("KS401", "data/agreements/draf/kb-a.yaml"),
        ("KS401", "data/agreements/draf/kb-b.yaml"),
    }


def test_link_loop_is_unreadable_not_a_crash(registry: Path, run: Run) -> None:
    folder = registry / "agreements"
    (folder / "kb-a.yaml").symlink_to("kb-b.yaml")
    (folder / "kb-b.yaml").symlink_to("kb-a.yaml")
    (folder / "self").symlink_to(".", target_is_directory=True)
    found = findings(run)
    assert [(f["rule"], f["path"]) for f in found] == [
        ("KS100", "data/agreements/kb-a.yaml"),
        ("KS100", "data/agreements/kb-b.yaml"),
    ]


def test_named_folder_outside_the_data_folder_follows_the_same_rules(
    registry: Path, run: Run, secret: Path, tmp_path: Path
) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "kb-draft.yaml").write_text(record_text("kb-draft"), encoding="utf-8")
    (drafts / ".kb-draft.yaml.abc.tmp").write_text("id: [", encoding="utf-8")
    (drafts / "kb-link.yaml").symlink_to(secret)
    result = run("validate", "--format", "json", str(drafts))
    assert result.json()["files"] == 1
    assert [f["rule"] for f in result.json()["findings"]] == ["KS109"]
    assert "hunter2" not in result.stdout


# --- things that are not files ---------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_is_reported_without_blocking(registry: Path, run: Run) -> None:
    os.mkfifo(registry / "agreements" / "kb-pipe.yaml")
    found = findings(run)
    assert [(f["rule"], f["path"]) for f in found] == [("KS108", "data/agreements/kb-pipe.yaml")]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_device_named_on_the_command_line_is_not_read(run: Run) -> None:
    found = findings(run, "/dev/zero")
    assert [(f["rule"], f["message"]) for f in found] == [
        ("KS100", "not a regular file (a folder, pipe or device); expected a text file")
    ]


def test_folder_named_like_a_record_is_reported_and_its_files_still_checked(
    registry: Path, run: Run
) -> None:
    write_record(
        registry,
        record_text("kb-a", parties=('region: "32"', "region: Nowhere")),
        "kb-a",
        "kb-x.yaml",
    )
    found = findings(run)
    assert [(f["rule"], f["path"]) for f in found] == [
        ("KS108", "data/agreements/kb-x.yaml"),
        ("KS211", "data/agreements/kb-x.yaml/kb-a.yaml"),  # not in draf/, where it belongs
        ("KS201", "data/agreements/kb-x.yaml/kb-a.yaml"),
    ]


def test_yml_file_gets_a_rename_hint(registry: Path, run: Run) -> None:
    path = registry / "agreements" / "kb-a.yml"
    path.write_text(record_text("kb-a"), encoding="utf-8")
    found = findings(run)
    assert [(f["rule"], f["message"]) for f in found] == [
        ("KS108", "records end in .yaml; rename 'kb-a.yml' to kb-a.yaml")
    ]


# --- permissions: real ones, even when the tests run as root --------------------------------


def validate_without_privileges(data_dir: Path) -> list[tuple[str, str, str]]:
    """Run `validate` in a subprocess that file permissions apply to.

    Root ignores permissions through two capabilities (DAC_OVERRIDE, DAC_READ_SEARCH); when the
    tests run as root, the subprocess is started without them (util-linux ``setpriv``).
    """
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions do not apply to root")
        drop = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}"]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KERJASAMA_") or k == "KERJASAMA_CACHE_DIR"
    }
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "kerjasama_cli", "validate", "--format", "json"],
        cwd=data_dir.parent,
        env={**env, "KERJASAMA_DATA": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return [(f["rule"], f["path"], f["message"]) for f in json.loads(done.stdout)["findings"]]


def test_unreadable_file_is_a_finding(registry: Path) -> None:
    path = write_record(registry, record_text("kb-a"), "kb-a", "draf")
    path.chmod(0)
    try:
        found = validate_without_privileges(registry)
    finally:
        path.chmod(0o644)
    assert found == [
        ("KS100", "data/agreements/draf/kb-a.yaml", "file cannot be read: permission denied")
    ]


def test_unreadable_folder_is_a_finding(registry: Path) -> None:
    path = write_record(registry, record_text("kb-a"), "kb-a", "draf")
    path.parent.chmod(0)
    try:
        found = validate_without_privileges(registry)
    finally:
        path.parent.chmod(0o755)
    assert [(rule, where) for rule, where, _ in found] == [("KS100", "data/agreements/draf")]
    assert "the records in it were not checked" in found[0][2]


@pytest.mark.parametrize("name", ["a,b:c%", "Kerja Sama 2024", "new\nline"])
def test_a_file_name_that_is_no_id_is_not_offered_as_the_id(
    registry: Path, run: Run, name: str
) -> None:
    """KS209 offered "expected id: a,b:c%", which is no id (KS208): only renaming can mend it."""
    folder = registry / "agreements" / "draf"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(record_text("kb-a"), encoding="utf-8")
    [found] = findings(run)
    assert found["rule"] == "KS209"
    assert "expected id:" not in found["message"]
    assert "which is not an id" in found["message"]
    assert found["message"].endswith("expected the file named kb-a.yaml")


@pytest.mark.parametrize("name", ["daftar.csv", "Daftar Kerja Sama.xlsx", "lama.XLS"])
def test_a_spreadsheet_is_pointed_to_import_in_the_registry_and_when_named(
    registry: Path, run: Run, tmp_path: Path, name: str
) -> None:
    """An office's list dropped into agreements/, or named to validate, was "not a record" or
    a YAML error (KS106): it is a sheet, and `import` brings its rows in."""
    folder = registry / "agreements"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("No;Judul\n1;Air bersih\n", encoding="utf-8")
    [inside] = findings(run)
    assert inside["rule"] == "KS108"
    assert inside["message"].endswith(
        f"bring its rows in with: kerjasama import data/agreements/{name}"
    )
    outside = tmp_path / name
    outside.write_text("No;Judul\n1;Air bersih\n", encoding="utf-8")
    named = run("validate", str(outside), "--format", "json")
    assert named.exit_code == 1
    [finding] = json.loads(named.stdout)["findings"]
    assert finding["rule"] == "KS108" and "kerjasama import" in finding["message"]
