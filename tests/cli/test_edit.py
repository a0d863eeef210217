"""`kerjasama edit`: the record changed by an editor (here a script playing the person), checked,
re-opened with the findings until valid or given up, and the person's text never lost."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Run, write_record
from tests.tree import snapshot

DRAFT = """\
# Jalan tembus
id: kb-jalan
title: Pembangunan jalan tembus  # working title
document: kesepakatan_bersama
parties:
  - region: "17.04"  # Kabupaten Kaur
  - region: "16.03"  # Kabupaten Muara Enim
sectors: [pekerjaan_umum]
"""

# The editor: each time it is run it takes the next step of the plan: replace text in the
# file (``["replace", old, new]``), write a whole text (``["write", text]``), leave it as it
# is (``["keep"]``), or fail (``["exit", N]``).
# It saves what it was given each time, to compare with what the person would see.
EDITOR = r"""
import json, pathlib, sys
work = pathlib.Path(sys.argv[-1])
state = pathlib.Path(sys.argv[1])
plan = json.loads(state.read_text())
step = plan["steps"][plan["done"]]
plan["seen"].append(work.read_text())
plan["done"] += 1
state.write_text(json.dumps(plan))
if step[0] == "replace":
    text = work.read_text()
    assert step[1] in text, (step[1], text)
    work.write_text(text.replace(step[1], step[2]))
elif step[0] == "write":
    work.write_text(step[1])
elif step[0] == "exit":
    sys.exit(step[1])
"""


class Editor:
    """The EDITOR of a test: its plan, and what it saw each time it ran."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.script = tmp_path / "editor.py"
        self.script.write_text(EDITOR, encoding="utf-8")
        self.state = tmp_path / "plan.json"
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv(
            "EDITOR", shlex.join([sys.executable, str(self.script), str(self.state)])
        )

    def plan(self, *steps: list[object]) -> None:
        self.state.write_text(json.dumps({"steps": steps, "done": 0, "seen": []}))

    @property
    def seen(self) -> list[str]:
        return list(json.loads(self.state.read_text())["seen"])


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Editor:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "work"))
    (tmp_path / "work").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    return Editor(tmp_path, monkeypatch)


@pytest.fixture
def draft(registry: Path) -> Path:
    return write_record(registry, DRAFT, "kb-jalan")


def _work_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "work").iterdir())


def test_an_edit_is_written_in_place_keeping_comments(
    draft: Path, editor: Editor, run: Run, tmp_path: Path
) -> None:
    editor.plan(["replace", "sectors: [pekerjaan_umum]", "sectors: [pekerjaan_umum]\nnotes: Baru"])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/kb-jalan.yaml\n"
    assert draft.read_text() == DRAFT + "notes: Baru\n"
    assert editor.seen == [DRAFT]
    assert _work_files(tmp_path) == []  # written: the work file is gone


def test_signing_in_the_editor_moves_the_file(
    draft: Path, editor: Editor, registry: Path, run: Run
) -> None:
    editor.plan(
        ["replace", "sectors: [pekerjaan_umum]\n",
         "sectors: [pekerjaan_umum]\nsigned_on: 2024-02-05\nends_on: 2026-02-04\n"
         "sources: [{title: Arsip}]\n"]
    )  # fmt: skip
    result = run("edit", "kb-jalan")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2024/kb-jalan.yaml\n"
    assert not draft.exists()
    assert run("validate").exit_code == 0


def test_a_refused_text_opens_again_with_the_findings_on_top(
    draft: Path, editor: Editor, run: Run, tmp_path: Path
) -> None:
    editor.plan(
        ["replace", "sectors: [pekerjaan_umum]", "sectors: [pekerjaan_umum]\nstage: selesai"],
        ["replace", "stage: selesai", "stage: pelaksanaan"],
    )
    result = run("edit", "kb-jalan")
    assert result.exit_code == 0, result.stderr
    assert draft.read_text() == DRAFT + "stage: pelaksanaan\n"
    first, second = editor.seen
    edited = DRAFT + "stage: selesai\n"
    assert first == DRAFT
    header = second[: len(second) - len(edited)]
    assert second.endswith(edited)
    lines = header.splitlines()
    assert lines[0].startswith("# --- kerjasama edit: the record was refused")
    # the finding points at its line as shown, below the comments
    assert lines[2].startswith("# line 13, column 8: error KS207 ")
    assert second.splitlines()[12] == "stage: selesai"
    assert lines[-1].startswith("# --- end of the findings")
    assert "opening the editor again" in result.stderr


def test_giving_up_writes_nothing_and_keeps_the_text(
    draft: Path, editor: Editor, registry: Path, run: Run, tmp_path: Path
) -> None:
    before = snapshot(registry)
    editor.plan(["replace", "[pekerjaan_umum]", "[pekerjaan_umum]\nstage: selesai"], ["keep"])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 1
    assert snapshot(registry) == before
    [kept] = _work_files(tmp_path)
    assert kept.read_text() == DRAFT + "stage: selesai\n"  # without the findings
    assert result.stderr.endswith(
        f"error: left unchanged: nothing was written; your text is kept in {kept}\n"
    )


def test_an_editor_that_writes_the_same_refused_text_again_is_not_run_for_ever(
    draft: Path, editor: Editor, registry: Path, run: Run, tmp_path: Path
) -> None:
    """An editor run by a script wrote the same broken text each time, and `edit` opened it
    again and again, for ever: the same text refused twice ends it, the text kept."""
    before = snapshot(registry)
    broken = DRAFT.replace("[pekerjaan_umum]", "[pekerjaan_umum")
    editor.plan(["write", broken], ["write", broken], ["write", DRAFT])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 1
    assert len(editor.seen) == 2
    assert snapshot(registry) == before
    [kept] = _work_files(tmp_path)
    assert kept.read_text() == broken
    assert result.stderr.endswith(f"your text is kept in {kept}\n")


def test_an_editor_that_alternates_two_refused_texts_is_stopped_too(
    draft: Path, editor: Editor, registry: Path, run: Run, tmp_path: Path
) -> None:
    before = snapshot(registry)
    one = DRAFT.replace("[pekerjaan_umum]", "[pekerjaan_umum")
    two = DRAFT.replace("[pekerjaan_umum]", "{pekerjaan_umum")
    editor.plan(["write", one], ["write", two], ["write", one], ["write", DRAFT])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 1
    assert len(editor.seen) == 3  # the first text again: no fourth round
    assert snapshot(registry) == before


def test_an_editor_that_fails_writes_nothing_and_keeps_a_changed_text(
    draft: Path, editor: Editor, registry: Path, run: Run, tmp_path: Path
) -> None:
    before = snapshot(registry)
    editor.plan(["exit", 3])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 1
    assert "the editor exited with status 3; nothing was written" in result.stderr
    assert snapshot(registry) == before
    assert _work_files(tmp_path) == []  # nothing was changed: nothing to keep


def test_an_editor_failing_after_a_change_keeps_the_text(
    draft: Path, editor: Editor, registry: Path, run: Run, tmp_path: Path
) -> None:
    before = snapshot(registry)
    editor.plan(
        ["replace", "[pekerjaan_umum]", "[pekerjaan_umum]\nstage: selesai"],
        ["replace", "stage: selesai", "stage: pelaksanaan"],
    )
    # the second round changes the text but the editor then fails: nothing is written
    state = json.loads(editor.state.read_text())
    state["steps"][1] = ["exit", 1]
    editor.state.write_text(json.dumps(state))
    result = run("edit", "kb-jalan")
    assert result.exit_code == 1
    assert snapshot(registry) == before
    [kept] = _work_files(tmp_path)
    assert kept.read_text() == DRAFT + "stage: selesai\n"


def test_an_unchanged_text_writes_nothing(
    draft: Path, editor: Editor, registry: Path, run: Run, tmp_path: Path
) -> None:
    before = snapshot(registry)
    editor.plan(["keep"])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no change; nothing was written\n"
    assert snapshot(registry) == before
    assert _work_files(tmp_path) == []


def test_the_id_cannot_be_changed_in_the_editor(
    draft: Path, editor: Editor, registry: Path, run: Run
) -> None:
    before = snapshot(registry)
    editor.plan(["replace", "id: kb-jalan", "id: kb-lain"], ["keep"])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 1
    assert "the id never changes (expected id kb-jalan" in result.stderr
    assert snapshot(registry) == before


def test_without_an_editor_it_is_a_usage_error(
    draft: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    result = run("edit", "kb-jalan")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: set VISUAL or EDITOR to the command of your editor (e.g. EDITOR=nano)\n"
    )


def test_unknown_id(draft: Path, editor: Editor, run: Run) -> None:
    result = run("edit", "kb-jalam")
    assert result.exit_code == 2
    assert result.stderr == "error: no record has id 'kb-jalam'; did you mean kb-jalan?\n"


def test_an_editor_that_cannot_be_run_is_a_usage_error(
    draft: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work").mkdir(exist_ok=True)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "work"))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("edit", "kb-jalan")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot run the editor ")
    assert _work_files(tmp_path) == []  # nothing was typed: nothing to keep


def test_visual_comes_before_editor(
    draft: Path, editor: Editor, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setenv("VISUAL", os.environ["EDITOR"])
    monkeypatch.setenv("EDITOR", "false")  # would fail: not the one run
    editor.plan(["replace", "[pekerjaan_umum]", "[pekerjaan_umum]\nnotes: Lewat VISUAL"])
    result = run("edit", "kb-jalan")
    assert result.exit_code == 0, result.stderr
    assert draft.read_text().endswith("notes: Lewat VISUAL\n")


# An editor in line mode (as ed is): Ctrl-C is its own, it goes on and saves.
LINE_EDITOR = r"""
import pathlib, signal, sys, time
work = pathlib.Path(sys.argv[-1])
marker = pathlib.Path(sys.argv[1])
heard = []
signal.signal(signal.SIGINT, lambda *_: heard.append(1))
marker.write_text("")
deadline = time.monotonic() + 60
while not heard and time.monotonic() < deadline:
    time.sleep(0.01)
work.write_text(work.read_text() + "notes: Baru\n")
"""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups")
def test_ctrl_c_belongs_to_the_editor_while_it_runs(
    draft: Path, registry: Path, tmp_path: Path
) -> None:
    """As git does, `edit` does not hear Ctrl-C while the editor runs: an editor that takes
    it for itself was killed with the change not yet saved, and the command ended (130)."""
    script = tmp_path / "line_editor.py"
    script.write_text(LINE_EDITOR, encoding="utf-8")
    marker = tmp_path / "editing"
    env = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "KERJASAMA_DATA")}
    env["EDITOR"] = shlex.join([sys.executable, str(script), str(marker)])
    proc = subprocess.Popen(
        [sys.executable, "-m", "kerjasama_cli", "edit", "kb-jalan", "--data-dir", str(registry)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal's job: Ctrl-C reaches the whole group
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 0, err
    assert draft.read_text() == DRAFT + "notes: Baru\n"
