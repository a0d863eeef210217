"""``import`` is all rows or none, even when it is killed (issue 14, class H).

A SIGKILL runs no cleanup: before the import's journal, a kill half-way through 40 rows left
the rows written so far. Each test here kills the real command in a subprocess at a chosen
point (reached through a hook, not a timer), then runs another command, which must settle
the journal: roll the import back, or keep it when every row had been written.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from kerjasama_cli.storage import journal
from tests.conftest import Run
from tests.killing import run_cli, run_killed_at

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROWS = 40

# Installed in the child: KS_HOOK says where to stop; KS_MARKER is created there (then the
# child waits to be killed).
CHILD = r"""
import os, pathlib, sys, time
from kerjasama_cli.storage import journal, writing

hook = os.environ["KS_HOOK"]
marker = pathlib.Path(os.environ["KS_MARKER"])


def stop(*args, **kwargs):
    marker.write_text("reached")
    while True:
        time.sleep(60)


if hook.startswith("after-"):  # after-N: killed once N files are linked into place
    limit = int(hook.split("-")[1])
    real_create = writing.create_exclusive
    done = []

    def create(path, text):
        if len(done) == limit:
            stop()
        real_create(path, text)
        done.append(path)

    import kerjasama_cli.storage.canonical as canonical
    canonical.create_exclusive = create
elif hook == "before-commit":
    journal.Journal.commit = stop
sys.argv = ["kerjasama", *sys.argv[1:]]
from kerjasama_cli.cli.app import main

main()
"""


def sheet(path: Path, rows: int = ROWS) -> Path:
    lines = ["id,title,document,party_1,party_2,sectors,signed_on,ends_on,source_1_url"]
    for n in range(1, rows + 1):
        year = 2023 if n % 2 else 2024
        lines.append(
            f"kb-uji-{n},Kerja sama {n},kb,Jawa Barat,Banten,pendidikan,"
            f"{year}-01-02,{year + 2}-01-01,https://example.org/{n}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def records(data_dir: Path) -> list[str]:
    root = data_dir / "agreements"
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*.yaml") if not p.name.startswith(".")
    )


def journal_file(data_dir: Path) -> Path:
    path = journal.journal_path(data_dir)
    assert path is not None
    return path


@pytest.mark.slow
@pytest.mark.parametrize("killed_after", [1, 20, 39])
@pytest.mark.parametrize("then", ["list", "validate", "import"])
def test_an_import_killed_part_way_is_rolled_back_by_the_next_command(
    registry: Path, tmp_path: Path, killed_after: int, then: str
) -> None:
    source = sheet(tmp_path / "baru.csv")
    run_killed_at(CHILD, f"after-{killed_after}", registry, ("import", str(source)), tmp_path)
    assert len(records(registry)) == killed_after  # what the kill left, before the journal
    assert journal_file(registry).exists()

    args = ("import", str(source)) if then == "import" else (then,)
    done = run_cli(registry, *args)
    assert "rolled back" in done.stderr
    assert f"removed the {killed_after} record file(s)" in done.stderr
    assert not journal_file(registry).exists()
    if then == "import":  # rolled back first, then imported whole
        assert done.returncode == 0, done.stderr
        assert len(records(registry)) == ROWS
    else:
        assert done.returncode == 0, done.stderr
        assert records(registry) == []
        assert sorted(p.name for p in (registry / "agreements").iterdir()) == []  # folders too


@pytest.mark.slow
def test_an_import_killed_after_its_last_write_is_kept(registry: Path, tmp_path: Path) -> None:
    source = sheet(tmp_path / "baru.csv")
    run_killed_at(CHILD, "before-commit", registry, ("import", str(source)), tmp_path)
    assert len(records(registry)) == ROWS
    done = run_cli(registry, "list", "--format", "ids")
    assert done.returncode == 0, done.stderr
    assert "after writing all its records; kept" in done.stderr
    assert len(done.stdout.split()) == ROWS
    assert len(records(registry)) == ROWS
    assert not journal_file(registry).exists()


@pytest.mark.slow
def test_a_file_changed_or_written_by_a_person_after_the_kill_is_kept(
    registry: Path, tmp_path: Path
) -> None:
    source = sheet(tmp_path / "baru.csv")
    run_killed_at(CHILD, "after-10", registry, ("import", str(source)), tmp_path)
    written = records(registry)
    edited = registry / "agreements" / written[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "notes: diperiksa\n", encoding="utf-8")
    # A record at a path the import meant to write next, written by a person meanwhile.
    own = registry / "agreements" / "2024" / "kb-uji-40.yaml"
    own.write_text("id: kb-uji-40\n", encoding="utf-8")
    done = run_cli(registry, "list")
    assert "rolled back" in done.stderr
    assert "removed the 9 record file(s)" in done.stderr
    assert "kept 2 changed since" in done.stderr
    assert written[0] in done.stderr and "kb-uji-40.yaml" in done.stderr
    assert records(registry) == sorted([written[0], "2024/kb-uji-40.yaml"])
    assert edited.read_text(encoding="utf-8").endswith("notes: diperiksa\n")
    assert own.read_text(encoding="utf-8") == "id: kb-uji-40\n"


def test_a_finished_import_leaves_no_journal(registry: Path, tmp_path: Path, run: Run) -> None:
    result = run("import", str(sheet(tmp_path / "baru.csv", rows=3)))
    assert result.exit_code == 0, result.stderr
    assert len(records(registry)) == 3
    assert not journal_file(registry).exists()
    assert not list(journal_file(registry).parent.glob("*"))  # no temporary file either


def test_the_journal_of_a_running_import_is_left_alone(
    registry: Path, tmp_path: Path, run: Run
) -> None:
    """A journal that is locked belongs to an import that is still writing: another command
    neither rolls it back nor finishes it, and a second import is refused."""
    path = registry / "agreements" / "2024" / "kb-live.yaml"
    path.parent.mkdir()
    live = journal.begin(registry, [(path, "id: kb-live\n")])
    try:
        path.write_text("id: kb-live\n", encoding="utf-8")
        assert journal.recover(registry) is None
        assert path.exists()
        listed = run("list", "--format", "ids")
        assert listed.exit_code == 0
        assert "rolled back" not in listed.stderr
        refused = run("import", str(sheet(tmp_path / "baru.csv", rows=2)))
        assert refused.exit_code == 1
        assert "another import" in refused.stderr
        assert path.exists()
    finally:
        live.commit()
    assert not journal_file(registry).exists()


def test_a_journal_in_the_data_folder_is_not_read(registry: Path, run: Run) -> None:
    """A journal cannot arrive with the data (a pull request): only the cache folder's is."""
    path = registry / "agreements" / "2024" / "kb-a.yaml"
    path.parent.mkdir()
    path.write_text("id: kb-a\n", encoding="utf-8")
    forged = {
        "format": journal.FORMAT,
        "data_dir": str(registry.resolve()),
        "files": [["agreements/2024/kb-a.yaml", journal.digest(path.read_bytes())]],
        "folders": [],
    }
    (registry / ".kerjasama-import.journal").write_text(json.dumps(forged), encoding="utf-8")
    (registry / "agreements" / ".kerjasama-import.journal").write_text(
        json.dumps(forged), encoding="utf-8"
    )
    run("validate")
    assert path.exists()


@pytest.mark.parametrize(
    ("rel", "data_dir"),
    [("../outside.txt", None), ("agreements/../../outside.txt", None), ("x", "/elsewhere")],
    ids=["outside-the-data-folder", "dot-dot", "another-data-folder"],
)
def test_a_journal_naming_files_outside_agreements_deletes_nothing(
    registry: Path, tmp_path: Path, run: Run, rel: str, data_dir: str | None
) -> None:
    victim = tmp_path / "outside.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    target = journal_file(registry)
    target.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "format": journal.FORMAT,
        "data_dir": data_dir or str(registry.resolve()),
        "files": [[rel, journal.digest(victim.read_bytes())]],
        "folders": [],
    }
    target.write_text(json.dumps(document), encoding="utf-8")
    target.chmod(0o600)
    result = run("list")
    assert result.exit_code == 0
    assert "cannot be read" in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert target.exists()  # left for a person to look at


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_journal_that_is_not_private_is_not_acted_on(
    registry: Path, tmp_path: Path, run: Run, mode: int
) -> None:
    """As a journal checked out by git (0644), e.g. into a cache folder kept in the work tree:
    it names a real record with its real hash, and must not make a command delete it."""
    path = registry / "agreements" / "2024" / "kb-a.yaml"
    path.parent.mkdir()
    path.write_text("id: kb-a\n", encoding="utf-8")
    target = journal_file(registry)
    target.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "format": journal.FORMAT,
        "data_dir": str(registry.resolve()),
        "files": [
            ["agreements/2024/kb-a.yaml", journal.digest(path.read_bytes())],
            ["agreements/2024/kb-b.yaml", journal.digest(b"never written")],
        ],
        "folders": ["agreements/2024"],
    }
    target.write_text(json.dumps(document), encoding="utf-8")
    target.chmod(mode)
    result = run("validate")
    assert "not private to you" in result.stderr
    assert path.exists()
    target.chmod(0o600)  # the same journal, as kerjasama would have made it: rolled back
    assert "rolled back" in run("validate").stderr
    assert not path.exists()


INTERRUPTED = r"""
import os, signal, sys
from kerjasama_cli.storage import writing
import kerjasama_cli.storage.canonical as canonical

limit = int(os.environ["KS_AFTER"])
real_create = writing.create_exclusive
done = []

def create(path, text):
    real_create(path, text)
    done.append(path)
    if len(done) == limit:  # Ctrl-C just after a file is made, before the import lists it
        os.kill(os.getpid(), signal.SIGINT)

canonical.create_exclusive = create
sys.argv = ["kerjasama", *sys.argv[1:]]
from kerjasama_cli.console import main

main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("after", [1, 17, ROWS])
def test_ctrl_c_during_an_import_removes_every_file_it_made(
    registry: Path, tmp_path: Path, after: int
) -> None:
    """An interrupt that came just after a record file was made, before the import had it on
    its list of files to remove, left that one file behind (a valid record, and no journal
    to roll it back)."""
    import subprocess
    import sys

    from tests.killing import child_env

    source = sheet(tmp_path / "baru.csv")
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED, "import", str(source)],
        cwd=registry.parent,
        env={**child_env(registry), "KS_AFTER": str(after), "KERJASAMA_LANG": "en"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert records(registry) == []
    assert not journal_file(registry).exists()
    assert sorted(p.name for p in (registry / "agreements").iterdir()) == []  # folders too
