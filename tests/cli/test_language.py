"""The language a command speaks: chosen by KERJASAMA_LANG, then `lang` in the registry's
kerjasama.toml (which `init` writes as "id"), then the locale, then English; and what never
changes with it (flags, rule codes, JSON keys, exit codes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run


def test_help_in_english_by_default(run: Run) -> None:
    result = run("list", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: kerjasama list")
    assert "Options:" in result.stdout
    assert "Show this message and exit." in result.stdout


def test_help_in_indonesian_with_kerjasama_lang(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    result = run("list", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Penggunaan: kerjasama list [OPSI]\n")
    assert "Opsi:" in result.stdout
    assert "Menampilkan bantuan ini, lalu keluar." in result.stdout
    assert "Usage:" not in result.stdout
    # flags are a contract: the same in every language
    assert "--data-dir" in result.stdout
    assert "--help" in result.stdout


def test_the_usage_lines_placeholders_are_in_the_language_in_force(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    assert run("--help").stdout.startswith("Penggunaan: kerjasama [OPSI] PERINTAH [ARGUMEN]...\n")
    wrong = run("lst")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("Penggunaan: kerjasama [OPSI] PERINTAH [ARGUMEN]...\n")
    monkeypatch.setenv("KERJASAMA_LANG", "en")
    assert run("--help").stdout.startswith("Usage: kerjasama [OPTIONS] COMMAND [ARGS]...\n")


def test_the_same_tree_speaks_english_again_after_indonesian(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    assert "Penggunaan:" in run("--help").stdout
    monkeypatch.setenv("KERJASAMA_LANG", "en")
    again = run("--help").stdout
    assert "Usage:" in again
    assert "Penggunaan:" not in again
    assert "Show this message and exit." in again


def test_usage_errors_in_indonesian(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    result = run("list", "--bogus")
    assert result.exit_code == 2
    assert "Kesalahan: Tidak ada opsi --bogus" in result.stderr
    assert "Lihat 'kerjasama list -h' untuk bantuan." in result.stderr
    wrong_number = run("list", "--year", "abc")
    assert wrong_number.exit_code == 2
    assert wrong_number.stderr == "kesalahan: --year: seharusnya bilangan bulat, tertulis 'abc'\n"


def test_lang_in_the_registry_configuration(
    run: Run, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (registry / "kerjasama.toml").write_text('lang = "id"\n', encoding="utf-8")
    assert "Penggunaan:" in run("list", "--help").stdout
    assert run("list", "--year", "x").stderr.startswith("kesalahan: ")
    # KERJASAMA_LANG comes first
    monkeypatch.setenv("KERJASAMA_LANG", "en")
    assert "Usage:" in run("list", "--help").stdout


def test_lang_of_the_registry_named_by_data_dir(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "agreements").mkdir(parents=True)
    (other / "kerjasama.toml").write_text('lang = "id"\n', encoding="utf-8")
    assert "Penggunaan:" in run("list", "--data-dir", str(other), "--help").stdout
    assert "Penggunaan:" in run("list", f"--data-dir={other}", "--help").stdout
    assert "Usage:" in run("list", "--help").stdout


def test_a_wrong_lang_is_a_usage_error_that_names_it(run: Run, registry: Path) -> None:
    (registry / "kerjasama.toml").write_text('lang = "fr"\n', encoding="utf-8")
    result = run("list")
    assert result.exit_code == 2
    assert 'lang must be "id" or "en"; found \'fr\'' in result.stderr


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ({"LANG": "id_ID.UTF-8"}, "Penggunaan:"),
        ({"LC_MESSAGES": "id_ID.UTF-8"}, "Penggunaan:"),
        ({"LC_ALL": "C.UTF-8", "LANG": "id_ID.UTF-8"}, "Usage:"),
        ({"LANG": "en_GB.UTF-8"}, "Usage:"),
    ],
)
def test_the_locale_chooses_when_nothing_else_does(
    run: Run, monkeypatch: pytest.MonkeyPatch, locale: dict[str, str], expected: str
) -> None:
    for name, value in locale.items():
        monkeypatch.setenv(name, value)
    assert expected in run("--help").stdout


def test_init_writes_indonesian_and_the_new_registry_speaks_it(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "kantor"
    assert run("init", str(target)).exit_code == 0
    assert 'lang = "id"' in (target / "kerjasama.toml").read_text(encoding="utf-8")
    result = run("list", "--data-dir", str(target / "data"), "--limit", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith("kesalahan: --limit: seharusnya bilangan bulat")


def test_json_keys_and_exit_codes_do_not_change(
    run: Run, bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = run("list", "--format", "json", data_dir=bundled)
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    indonesian = run("list", "--format", "json", data_dir=bundled)
    assert english.exit_code == indonesian.exit_code == 0
    assert json.loads(english.stdout) == json.loads(indonesian.stdout)


def test_a_fresh_process_speaks_indonesian(tmp_path: Path) -> None:
    """The console script, not the in-process runner: the language is chosen before Typer
    builds the command."""
    env = {**os.environ, "KERJASAMA_LANG": "id"}
    done = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "validate", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("Penggunaan: ")


@pytest.mark.parametrize(
    ("lang", "args", "expected"),
    [
        ("en", ["show"], "Error: Missing argument 'ID'."),
        ("id", ["show"], "Kesalahan: Argumen 'ID' belum diisi."),
        ("en", ["sign", "kb-x"], "Error: Missing option '--on'."),
        ("id", ["sign", "kb-x"], "Kesalahan: Opsi '--on' belum diisi."),
        ("en", ["lst"], "Error: No such command 'lst'. Did you mean 'list', 'set'?"),
        ("id", ["lst"], "Kesalahan: Tidak ada perintah 'lst'. Maksud Anda 'list', 'set'?"),
    ],
)
def test_a_missing_argument_is_named(
    run: Run, monkeypatch: pytest.MonkeyPatch, lang: str, args: list[str], expected: str
) -> None:
    """Once `error: record_id: ` and nothing more: Click's missing-parameter error is a
    BadParameter with no message of its own."""
    monkeypatch.setenv("KERJASAMA_LANG", lang)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith(expected)


def test_help_texts_written_out_agree_with_the_code(run: Run) -> None:
    """A help text is one literal (for the catalog), so two of them spell out what the code
    knows: the default expiry window and the statuses. They must stay in step."""
    from kerjasama_cli.status import DEFAULT_WINDOW_DAYS
    from kerjasama_cli.vocab import STATUSES

    help_text = " ".join(run("list", "--help").stdout.split())
    assert f"else {DEFAULT_WINDOW_DAYS})" in help_text
    status_help = help_text[help_text.index("--status") :]
    for status in STATUSES:
        assert status in status_help


@pytest.mark.parametrize("word", ["aktif", "berlaku", "Berlaku", "in force", "In-Force"])
def test_status_filter_takes_the_label_people_see(run: Run, bundled: Path, word: str) -> None:
    """Tables say "Berlaku" / "In force" for the status key aktif: either is taken."""
    by_key = run("list", "--status", "aktif", "--format", "ids", data_dir=bundled)
    by_word = run("list", "--status", word, "--format", "ids", data_dir=bundled)
    assert by_key.exit_code == by_word.exit_code == 0
    assert by_word.stdout == by_key.stdout != ""


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("y", True), ("Ya", True), ("yes", True), ("n", False), ("tidak", False), ("T", False)],
)
def test_yes_no_questions_take_either_languages_words(answer: str, expected: bool) -> None:
    from kerjasama_cli.render.prompts import _YesNo

    assert _YesNo("?").process_response(answer) is expected


def test_yes_no_questions_refuse_other_words() -> None:
    from rich.prompt import InvalidResponse

    from kerjasama_cli.render.prompts import _YesNo

    with pytest.raises(InvalidResponse):
        _YesNo("?").process_response("mungkin")
