"""Closed and cut standard streams, an interrupt while starting, a file system that refuses a
write: each is said in one line with an exit code, never a traceback, and nothing is lost."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, write_record

KERJASAMA = [sys.executable, "-m", "kerjasama_cli"]


def _run(
    args: list[str], tmp_path: Path, *, close: int | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real program, with the standard stream ``close`` closed before it starts."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    environ.update(KERJASAMA_CACHE_DIR=str(tmp_path / "cache"), **(env or {}))
    return subprocess.run(
        [*KERJASAMA, *args],
        env=environ,
        stdin=subprocess.DEVNULL if close != 0 else None,
        stdout=subprocess.PIPE if close != 1 else None,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
        preexec_fn=(lambda: os.close(close)) if close is not None else None,
    )


@pytest.mark.parametrize(
    "args", [["list"], ["summarise"], ["--version"], ["show", "kb-kaur-muara-enim"]]
)
def test_a_closed_stdout_is_a_write_that_failed(
    args: list[str], bundled: Path, tmp_path: Path
) -> None:
    data = [] if args == ["--version"] else ["--data-dir", str(bundled)]
    done = _run([*args, *data], tmp_path, close=1)
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert done.stderr == "error: cannot write standard output: the stream is closed\n"
    assert done.returncode == 2


def test_a_closed_stdout_number_is_not_taken_by_a_file_written(
    bundled: Path, tmp_path: Path
) -> None:
    """The null device holds it: the export (and the index) never get descriptor 1."""
    target = tmp_path / "out.csv"
    done = _run(
        ["export", "--format", "csv", "-o", str(target), "--data-dir", str(bundled)],
        tmp_path,
        close=1,
    )
    assert done.returncode == 0, done.stderr
    expected = _run(["export", "--format", "csv", "--data-dir", str(bundled)], tmp_path)
    assert target.read_text(encoding="utf-8") == expected.stdout


def test_a_closed_stdin_reads_as_empty(bundled: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in (bundled / "agreements").rglob("*"))
    done = _run(["add", "--from-file", "-", "--data-dir", str(bundled)], tmp_path, close=0)
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    assert "<stdin>:1:1: error KS106 file is empty" in done.stderr
    assert done.returncode == 1
    interactive = _run(
        ["add", "--data-dir", str(bundled)], tmp_path, close=0, env={"KERJASAMA_INTERACTIVE": "1"}
    )
    assert "unexpected" not in interactive.stderr
    assert "the input ended before the record was complete" in interactive.stderr
    assert sorted(p.name for p in (bundled / "agreements").rglob("*")) == before


def test_regions_cut_short_by_its_reader_still_fails(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    environ["KERJASAMA_CACHE_DIR"] = str(tmp_path / "cache")
    queries = [f"Zzzz{n}" for n in range(3000)]  # more than a pipe holds
    with subprocess.Popen(
        [*KERJASAMA, "regions", *queries], env=environ, stdout=subprocess.PIPE
    ) as process:
        assert process.stdout is not None
        process.stdout.close()  # `| head -0`
        assert process.wait(timeout=120) == 1


def test_validate_cut_short_by_its_reader_still_fails(registry: Path, tmp_path: Path) -> None:
    """`validate | head -1` in CI: the reader leaves after one finding; the exit code is 1."""
    for n in range(800):
        write_record(registry, "id: [\n", f"kb-rusak-{n}", "draf")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    environ["KERJASAMA_CACHE_DIR"] = str(tmp_path / "cache")
    for fmt in ("text", "sarif"):
        with subprocess.Popen(
            [*KERJASAMA, "validate", "--format", fmt, "--data-dir", str(registry)],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            assert process.stdout.readline()
            process.stdout.close()  # the reader leaves, as `head -1` does
            said = process.stderr.read().decode()
            assert process.wait(timeout=120) == 1, (fmt, said)
        assert "Traceback" not in said


def test_an_interrupt_before_the_command_line_runs_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kerjasama_cli import console
    from kerjasama_cli.cli import app

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "main", interrupted)
    with pytest.raises(SystemExit) as stopped:
        console.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "\n"


def _refuse(monkeypatch: pytest.MonkeyPatch, name: str, code: int) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(args[0]))

    monkeypatch.setattr(os, name, refused)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_read_only_file_system_refuses_a_change_in_one_line(
    bundled: Path, run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    path = bundled / "agreements" / "draf" / "kb-kaur-muara-enim.yaml"
    before = path.read_bytes()
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    _refuse(monkeypatch, "fchmod", errno.EROFS)  # the first step of every write of a record
    result = run("set", "kb-kaur-muara-enim", "stage=persiapan", data_dir=bundled)
    assert result.exit_code == 2
    said = {
        "en": "read-only file system; nothing was changed",
        "id": "sistem berkas hanya-baca; tidak ada yang diubah",
    }[lang]
    assert result.stderr.rstrip("\n").endswith(said), result.stderr
    assert result.stderr.count("\n") == 1
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_file_system_without_hard_links_still_gets_the_new_record(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """exFAT and some network shares answer link() with EPERM: the name is taken, then the
    whole text renamed onto it."""
    _refuse(monkeypatch, "link", errno.EPERM)
    result = run(
        "add", "--title", "Uji", "--party", "Kaur", "--party", "Lahat", "--sector", "pendidikan"
    )
    assert result.exit_code == 0, result.stderr
    (written,) = (registry / "agreements" / "draf").iterdir()
    assert written.name == "kb-kaur-lahat.yaml"
    assert "title: Uji\n" in written.read_text(encoding="utf-8")
    again = run(
        "add",
        "--title",
        "Uji",
        "--party",
        "Kaur",
        "--party",
        "Lahat",
        "--sector",
        "pendidikan",
        "--allow-duplicate",
    )
    assert again.exit_code == 0, again.stderr
    assert sorted(p.name for p in (registry / "agreements" / "draf").iterdir()) == [
        "kb-kaur-lahat-2.yaml",
        "kb-kaur-lahat.yaml",
    ]


def test_a_path_the_system_refuses_is_said_with_its_reason(tmp_path: Path, run: Run) -> None:
    """`init` into a path below a file: the system's answer, not "unexpected ... a bug"."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run("init", str(blocker / "registry"))
    assert result.exit_code == 2
    assert "not a folder" in result.stderr
    assert "unexpected" not in result.stderr


def test_fmt_on_a_read_only_file_system_leaves_each_file_and_says_why(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "id: kb-x\ntitle: Uji\ndocument: kesepakatan_bersama\n"
        "parties: [{region: Kaur}, {region: Lahat}]\nsectors: [pendidikan]\n"
    )
    path = write_record(registry, text, "kb-x", "draf")
    _refuse(monkeypatch, "fchmod", errno.EROFS)
    result = run("fmt")
    assert result.exit_code == 1
    assert "kb-x.yaml: it cannot be written (read-only file system); left untouched" in (
        result.stdout + result.stderr
    )
    assert path.read_text(encoding="utf-8") == text


def test_a_change_that_cannot_move_its_file_says_it_stays_where_it_was(
    bundled: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sign writes the record, then moves it from draf/ to its year: a refused move leaves it
    changed in draf/ (KS211), and says so rather than "nothing was changed"."""
    _refuse(monkeypatch, "rename", errno.EACCES)
    result = run("sign", "kb-kaur-muara-enim", "--on", "2025-01-01", data_dir=bundled)
    assert result.exit_code == 1
    assert "was changed but stays where it was (validate reports it, KS211)" in result.stderr
    assert "permission denied" in result.stderr
    stayed = bundled / "agreements" / "draf" / "kb-kaur-muara-enim.yaml"
    assert "signed_on: 2025-01-01" in stayed.read_text(encoding="utf-8")
    assert not (bundled / "agreements" / "2025").exists()  # not even an empty year folder
