"""Bytes from the environment and from input that once reached exit 3 (issue 14, class F).

A data folder whose path is not UTF-8, numbers in the environment that ``str.isdigit`` accepts
but ``int`` does not, a configuration file that is not UTF-8 or nests thousands of levels deep,
a record on stdin that is not UTF-8: each is a finding (exit 1) or a usage error (exit 2) with
one line that names it, never an unexpected failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kerjasama_cli import render
from kerjasama_cli.cli.app import app
from tests.conftest import BUNDLED, Result, Run

GOOD = (
    "id: kb-2024-01-02-uji\n"
    "title: Uji\n"
    "document: kesepakatan_bersama\n"
    "signed_on: 2024-01-02\n"
    "ends_on: 2026-01-01\n"
    "parties:\n"
    '  - region: "32"\n'
    '  - region: "33"\n'
    "sectors: [pendidikan]\n"
    "sources:\n"
    "  - url: https://example.org/berita\n"
)


def invoke(*args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """The CLI in-process with bytes on stdin (the ``run`` fixture feeds text)."""
    out = CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)
    return Result(out.exit_code, out.stdout, out.stderr)


def assert_one_line_usage_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr


# --- a data folder whose path is not UTF-8 ---------------------------------------------------


@pytest.fixture
def undecodable_registry(tmp_path: Path) -> Path:
    """A copy of the bundled registry in a folder named with the byte 0xff."""
    target = tmp_path / os.fsdecode(b"data-\xff")
    try:
        shutil.copytree(BUNDLED, target)
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system does not accept non-UTF-8 file names")
    return target


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("list", "--format", "json"),
        ("summarise", "--format", "json"),
        ("show", "kb-2024-02-05-jawa-barat-bengkulu-tengah"),
        ("export", "--format", "csv"),
    ],
    ids=lambda args: args[0],
)
def test_a_data_folder_path_that_is_not_utf8_is_read_with_the_cache(
    undecodable_registry: Path, run: Run, args: tuple[str, ...]
) -> None:
    for _ in range(2):  # the first run fills the cache, the second reads it
        result = run(*args, data_dir=undecodable_registry)
        assert result.exit_code == 0, result.stderr
        assert "unexpected" not in result.stderr


def test_add_and_import_write_into_a_data_folder_whose_path_is_not_utf8(
    undecodable_registry: Path, run: Run, tmp_path: Path
) -> None:
    added = run(
        "add", "--title", "Uji", "--party", "32", "--party", "33", "--sector", "pendidikan",
        data_dir=undecodable_registry,
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert "\\udcff" in added.stdout  # the path is shown escaped, not as a crash
    sheet = tmp_path / "baru.csv"
    sheet.write_text(
        "title,document,party_1,party_2,sectors\nDua,kb,Jawa Barat,Banten,pendidikan\n",
        encoding="utf-8",
    )
    imported = run("import", str(sheet), data_dir=undecodable_registry)
    assert imported.exit_code == 0, imported.stderr


# --- numbers in the environment -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["²", "٣", "1.5", "abc", "0", "-1", "1e3"],
    ids=["superscript", "arabic-indic", "decimal", "word", "zero", "negative", "exponent"],
)
def test_kerjasama_jobs_that_is_not_a_whole_number_is_a_usage_error(
    bundled: Path, run: Run, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KERJASAMA_JOBS", value)
    result = run("validate", "--no-cache", data_dir=bundled)
    assert_one_line_usage_error(result, "KERJASAMA_JOBS", "whole number")
    # Also when the index answers and no file is parsed (it was ignored then).
    monkeypatch.delenv("KERJASAMA_JOBS")
    assert run("list", data_dir=bundled).exit_code == 0  # fills the index
    monkeypatch.setenv("KERJASAMA_JOBS", value)
    assert_one_line_usage_error(run("list", data_dir=bundled), "KERJASAMA_JOBS", "whole number")


@pytest.mark.parametrize("value", ["1", " 2 ", ""])
def test_kerjasama_jobs_as_a_whole_number_is_used(
    bundled: Path, run: Run, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KERJASAMA_JOBS", value)
    result = run("validate", "--no-cache", data_dir=bundled)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("name", ["COLUMNS", "LINES"])
@pytest.mark.parametrize("value", ["²", "٣٣", "x"])
def test_a_terminal_size_that_is_not_a_number_is_ignored(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """Rich reads COLUMNS and LINES with isdigit() and int(): "²" made it raise."""
    monkeypatch.setenv(name, value)
    render.stdout.cache_clear()
    render.stderr.cache_clear()
    try:
        listed = run("list", "--as-of", "2025-01-01", data_dir=bundled)
        refused = run("list", "--region", "Zzzzq", data_dir=bundled)
    finally:
        render.stderr.cache_clear()
    assert listed.exit_code == 0, listed.stderr
    assert "9 of 9 agreements" in listed.stdout  # a table, at the default width
    assert refused.exit_code == 2
    assert "unknown region" in refused.stderr


# --- configuration files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'select = ["KS"]\n# caf\xe9\n', ("kerjasama.toml", "not UTF-8", "0xe9")),
        (b"\xff\xfes\x00e\x00l\x00", ("kerjasama.toml", "not UTF-8")),
        (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", ("kerjasama.toml", "nested")),
        (b"x = " + b"{a = " * 5000 + b"}" * 5000 + b"\n", ("kerjasama.toml", "nested")),
        (b"x = [" + b"1," * 600_000 + b"]\n", ("kerjasama.toml", "larger than")),
        (b"select = [\n", ("kerjasama.toml", "not valid TOML")),
    ],
    ids=["latin1", "utf16", "deep-arrays", "deep-tables", "huge", "broken"],
)
def test_a_kerjasama_toml_that_is_not_small_utf8_toml_is_a_usage_error(
    bundled: Path, run: Run, content: bytes, words: tuple[str, ...]
) -> None:
    (bundled / "kerjasama.toml").write_bytes(content)
    for command in ("validate", "list"):
        assert_one_line_usage_error(run(command, data_dir=bundled), *words)


def test_a_pyproject_toml_that_is_not_utf8_is_a_usage_error(bundled: Path, run: Run) -> None:
    (bundled / "pyproject.toml").write_bytes(b"[tool.kerjasama]\n# \xff\n")
    assert_one_line_usage_error(run("validate", data_dir=bundled), "pyproject.toml", "not UTF-8")


def test_a_deep_pyproject_toml_in_the_parent_folder_is_a_usage_error(
    bundled: Path, run: Run
) -> None:
    (bundled.parent / "pyproject.toml").write_bytes(b"x = " + b"[" * 3000 + b"]" * 3000)
    assert_one_line_usage_error(run("validate", data_dir=bundled), "pyproject.toml", "nested")


# --- a record on stdin -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (GOOD.replace("title: Uji", "title: Caf\xe9").encode("latin-1"), "KS101"),
        (GOOD.encode("utf-16-le"), "KS101"),
        (GOOD.encode("utf-8") + b"notes: a\x00b\n", "KS101"),
        (GOOD.encode("utf-8") + b"notes: " + b"x" * 1_100_000 + b"\n", "KS107"),
        (GOOD.encode("utf-8") + b"notes: " + b"x" * 20_000 + b"\n", "KS110"),
    ],
    ids=["latin1", "utf16-without-bom", "nul", "over-1-mb", "long-line"],
)
def test_add_from_stdin_that_is_not_a_utf8_record_is_refused_with_a_finding(
    registry: Path, content: bytes, rule: str
) -> None:
    result = invoke("add", "--from-file", "-", input=content, env={"KERJASAMA_DATA": str(registry)})
    assert result.exit_code == 1, result.stderr
    assert "unexpected" not in result.stderr
    assert "<stdin>:" in result.stderr and f" {rule} " in result.stderr
    assert "nothing was written" in result.stderr
    assert not list((registry / "agreements").rglob("*.yaml"))


def test_add_from_stdin_in_utf8_still_writes(registry: Path) -> None:
    result = invoke(
        "add", "--from-file", "-", input=GOOD.encode(), env={"KERJASAMA_DATA": str(registry)}
    )
    assert result.exit_code == 0, result.stderr
    assert (registry / "agreements" / "2024" / "kb-2024-01-02-uji.yaml").is_file()


def test_an_interactive_answer_that_is_not_utf8_is_a_usage_error(registry: Path) -> None:
    result = invoke(
        "add",
        input=b"Judul caf\xe9\n",
        env={"KERJASAMA_DATA": str(registry), "KERJASAMA_INTERACTIVE": "1"},
    )
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr
    assert "not UTF-8" in result.stderr
    assert not list((registry / "agreements").rglob("*.yaml"))


# --- the encoding of the standard streams --------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--format", "json"),
        ("summarise", "--format", "json"),
        ("show", "kb-2024-01-02-uji"),
        ("export", "--format", "csv"),
    ],
    ids=lambda args: "-".join(args[:3]),
)
def test_output_is_utf8_whatever_pythonioencoding_says(
    registry: Path, tmp_path: Path, encoding: str, args: tuple[str, ...]
) -> None:
    """An en dash and a Greek letter in a title: stdout is UTF-8 (the contract), never exit 3."""
    record = GOOD.replace("title: Uji", 'title: "Kerja sama \u2013 caf\u00e9 \u03b1"')
    path = registry / "agreements" / "2024" / "kb-2024-01-02-uji.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(record, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERJASAMA_")}
    env.update(
        KERJASAMA_DATA=str(registry),
        KERJASAMA_CACHE_DIR=str(tmp_path / "cache"),
        PYTHONIOENCODING=encoding,
    )
    done = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", *args, "--as-of", "2025-01-01"],
        env=env,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    if args[0] != "summarise" and args != ("list",):  # those that print the title
        assert "Kerja sama \u2013 caf\u00e9 \u03b1" in out
    assert b"unexpected" not in done.stderr
