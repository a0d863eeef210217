"""Loading details: record files in path order, the progress bar, and a fast --help."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from kerjasama_cli.render import progress
from kerjasama_cli.storage import iter_record_paths


def test_record_files_come_in_path_order(tmp_path: Path) -> None:
    root = tmp_path / "data" / "agreements"
    names = [
        "2024/b.yaml",
        "2024/a.yaml",
        "2024-x/c.yaml",
        "2024x/d.yaml",
        "2024/sub/e.yaml",
        "2024/z.yaml",
        "a b/f.yaml",
        "Z/g.yaml",
        "top.yaml",
    ]
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("id: x\n", encoding="utf-8")
    paths, findings = iter_record_paths(tmp_path / "data")
    assert paths == sorted(root / name for name in names)
    assert findings == []


@pytest.fixture
def terminal_console(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    monkeypatch.setattr(progress, "stderr", lambda: console)
    monkeypatch.setattr(progress, "is_terminal", lambda *, err=False: True)
    return out


def test_progress_bar_appears_after_a_second(
    terminal_console: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    with progress.progress_bar("checking records") as tick:
        assert tick is not None
        tick(100, 5000)
        clock[0] += 0.5
        tick(200, 5000)
        assert terminal_console.getvalue() == ""
        clock[0] += 1.0
        tick(300, 5000)
        shown = terminal_console.getvalue()
        assert "checking records" in shown
        assert "300/5000" in shown


def _shown_near_the_end(
    console: io.StringIO, monkeypatch: pytest.MonkeyPatch, *, use_cache: bool
) -> tuple[str, str]:
    """What a registry bar has shown at 4,000 of 5,000 files parsed, then at all 5,000."""
    clock = [1000.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    with progress.registry_bar("reading records", use_cache=use_cache) as tick:
        assert tick is not None
        clock[0] += 2.0
        tick(4000, 5000)
        before = console.getvalue()
        clock[0] += 2.0
        tick(5000, 5000)
    return before, console.getvalue()


def test_once_every_file_is_parsed_the_bar_says_what_it_is_doing_next(
    terminal_console: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, after = _shown_near_the_end(terminal_console, monkeypatch, use_cache=True)
    assert "writing the index" not in before
    assert "writing the index" in after


def test_without_the_index_the_bar_keeps_its_words(
    terminal_console: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, after = _shown_near_the_end(terminal_console, monkeypatch, use_cache=False)
    assert "writing the index" not in after
    assert "reading records" in after


def test_progress_bar_never_shows_for_work_done_within_a_second(
    terminal_console: io.StringIO,
) -> None:
    with progress.progress_bar("checking records") as tick:
        assert tick is not None
        tick(5000, 5000)
    assert terminal_console.getvalue() == ""


def test_no_progress_bar_when_not_a_terminal() -> None:
    with progress.progress_bar("checking records") as tick:
        assert tick is None


def _imported_after(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from kerjasama_cli.cli.app import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='kerjasama')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('IMPORTED:' + ','.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("IMPORTED:")
    return set(last.removeprefix("IMPORTED:").split(","))


def test_help_imports_neither_pydantic_nor_rich_nor_ruamel() -> None:
    heavy = {m.split(".")[0] for m in _imported_after(["--help"])}
    assert heavy.isdisjoint({"pydantic", "rich", "ruamel"})


@pytest.mark.parametrize("command", ["validate", "list", "show", "summarise"])
def test_command_help_does_not_build_the_model_or_load_rich(command: str) -> None:
    """Typer itself imports pydantic for a command's options; the record model stays out."""
    imported = _imported_after([command, "--help"])
    assert "kerjasama_cli.model" not in imported
    assert {m.split(".")[0] for m in imported}.isdisjoint({"rich", "ruamel"})


def _run_as_console_script(args: list[str]) -> tuple[int, str, set[str]]:
    """``kerjasama ARGS`` in a fresh interpreter, through main() as the installed script runs it:
    its exit code, its output and every module it imported."""
    code = (
        "import json, sys\n"
        "from kerjasama_cli.cli.app import main\n"
        f"sys.argv = ['kerjasama', *{args!r}]\n"
        "status = 0\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    status = exc.code if isinstance(exc.code, int) else 1\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    output, _, last = done.stdout.rstrip("\n").rpartition("\n")
    status, modules = json.loads(last)
    return status, output, set(modules)


def test_a_list_served_from_the_cache_does_not_import_ruamel(bundled: Path) -> None:
    """Every record comes from the cache (each test has its own), so no YAML is parsed, and
    ruamel.yaml, which only parsing needs, is not imported; a run that parses still imports it."""
    args = ["list", "--data-dir", str(bundled), "--region", "Muara Enim"]
    uncached = _run_as_console_script([*args, "--no-cache"])
    filling = _run_as_console_script(args)
    warm = _run_as_console_script(args)
    assert uncached[:2] == filling[:2] == warm[:2]
    assert uncached[0] == 0
    assert "kb-kaur-muara-enim\t" in uncached[1]
    assert "ruamel.yaml" in uncached[2]
    assert "ruamel.yaml" in filling[2]
    assert "ruamel.yaml" not in warm[2]


def test_entries_resolving_to_named_files_are_found_without_resolving_each(
    tmp_path: Path,
) -> None:
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.registry.selection import resolving_to

    data = tmp_path / "data"
    root = data / "agreements"
    for name in ["2024/a.yaml", "2024/b.yaml", "draf/c.yaml", "2024 x/d.yaml"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("id: x\n", encoding="utf-8")
    (root / "draf" / "link-to-a.yaml").symlink_to(root / "2024" / "a.yaml")
    (root / "linked-folder").symlink_to(root / "2024")
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: y\n", encoding="utf-8")
    alias = tmp_path / "alias-data"
    alias.symlink_to(data)
    registry = load_registry(data, [outside], use_cache=False)
    candidates = [
        root / "2024" / "a.yaml",
        alias / "agreements" / "2024" / "b.yaml",
        root / "linked-folder" / "b.yaml",
        root / "2024 x" / "d.yaml",
        root / "draf" / "link-to-a.yaml",
        outside,
        tmp_path / "missing.yaml",
    ]
    for i in range(len(candidates)):
        targets = {p.resolve() for p in candidates[i : i + 2]}
        expected = {n for n, e in enumerate(registry.entries) if e.path.resolve() in targets}
        assert resolving_to(registry, targets) == expected
