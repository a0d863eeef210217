"""What a command costs before it starts working: only its own module, no Rich over a pipe."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kerjasama_cli import render
from kerjasama_cli.cli.app import COMMANDS, app, build_app, command_run

BUNDLED = Path(__file__).parent.parent.parent / "data"


def _after_main(
    entry: str, args: list[str], cwd: Path, report: str, env: dict[str, str] | None = None
) -> str:
    """Run ``main`` of the module ``entry`` with ``args`` in a fresh interpreter, piped, then
    the Python lines ``report``, which print one last line ``REPORT:<text>``; that text."""
    code = (
        "import json, os, sys\n"
        f"from {entry} import main\n"
        f"sys.argv = ['kerjasama', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout.flush()\n" + report
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("REPORT:")
    return last.removeprefix("REPORT:")


def _modules_after_main(args: list[str], cwd: Path) -> set[str]:
    """The modules imported by running the console script's ``main`` with ``args``, piped."""
    report = "print('REPORT:' + ','.join(sorted(sys.modules)))\n"
    return set(_after_main("kerjasama_cli.cli.app", args, cwd, report).split(","))


def test_the_command_table_names_every_command_of_the_application() -> None:
    group = typer.main.get_group(app)
    assert set(group.commands) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_built_alone_has_the_same_help_as_in_the_full_application(
    command: str,
) -> None:
    alone = CliRunner().invoke(build_app(command), [command, "--help"], prog_name="kerjasama")
    full = CliRunner().invoke(app, [command, "--help"], prog_name="kerjasama")
    assert alone.exit_code == full.exit_code == 0
    assert alone.stdout == full.stdout


def test_only_a_known_command_in_first_place_builds_one_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert command_run(["list", "--region", "Muara Enim"]) == "list"
    assert command_run(["summarize"]) == "summarize"
    assert command_run([]) is None
    assert command_run(["--help"]) is None
    assert command_run(["lsit"]) is None  # the full application suggests `list`
    monkeypatch.setenv("_KERJASAMA_COMPLETE", "complete_bash")
    assert command_run(["list"]) is None  # completion offers every command


def test_running_list_imports_no_other_command_and_no_rich_when_piped(tmp_path: Path) -> None:
    imported = _modules_after_main(["list", "--data-dir", str(BUNDLED)], tmp_path)
    assert "kerjasama_cli.cli.list" in imported
    others = {f"kerjasama_cli.cli.{m}" for m in COMMANDS.values()} - {"kerjasama_cli.cli.list"}
    assert imported.isdisjoint(others)
    assert not any(m == "rich" or m.startswith("rich.") for m in imported)


def test_a_mistyped_command_is_still_suggested_by_main(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "lsit"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "No such command 'lsit'. Did you mean 'list'?" in done.stderr


class _FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_pipe_is_not_a_terminal_unless_the_environment_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    render.stdout.cache_clear()
    try:
        assert render.is_terminal() is False
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
        render.stdout.cache_clear()
        assert render.is_terminal() is True  # Rich's answer, as the tables will see it
        monkeypatch.delenv("TTY_COMPATIBLE")
        monkeypatch.setattr(sys, "stdout", _FakeTty())
        render.stdout.cache_clear()
        assert render.is_terminal() is True
    finally:
        render.stdout.cache_clear()


def _after_console_main(args: list[str], cwd: Path, env: dict[str, str]) -> dict[str, object]:
    """Run the console script's ``main`` (console.py) with ``args``, piped; say whether the
    record model's validator was built and what PYDANTIC_DISABLE_PLUGINS held at the end."""
    report = (
        "model = sys.modules.get('kerjasama_cli.model')\n"
        "built = model is not None and model.Record.__pydantic_complete__\n"
        "plugins = os.environ.get('PYDANTIC_DISABLE_PLUGINS')\n"
        "print('REPORT:' + json.dumps({'built': built, 'plugins': plugins}))\n"
    )
    state: dict[str, object] = json.loads(
        _after_main("kerjasama_cli.console", args, cwd, report, env)
    )
    return state


def test_a_list_from_the_index_builds_no_record_validator_and_a_parse_does(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "KERJASAMA_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    args = ["list", "--data-dir", str(BUNDLED)]
    assert _after_console_main(args, tmp_path, env)["built"] is True  # fills the index
    assert _after_console_main(args, tmp_path, env)["built"] is False  # answered from it
    assert _after_console_main([*args, "--no-cache"], tmp_path, env)["built"] is True


def test_the_console_script_turns_pydantic_plugins_off_unless_the_user_chose(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "KERJASAMA_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    args = ["list", "--data-dir", str(BUNDLED)]
    assert _after_console_main(args, tmp_path, env)["plugins"] == "__all__"
    env["PYDANTIC_DISABLE_PLUGINS"] = "some_plugin"
    assert _after_console_main(args, tmp_path, env)["plugins"] == "some_plugin"
