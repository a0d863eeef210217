"""Shell completion: the scripts Typer installs, and what they offer for regions, vocabularies, ids.

The shells call the program with Typer's environment variables; so do these tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kerjasama_cli.cli.app import app
from kerjasama_cli.cli.completion import region_candidates
from tests.conftest import write_record


def complete(env: dict[str, str], cwd: Path | None = None) -> str:
    """What the program prints when a shell asks it for completions (in-process)."""
    before = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, [], env=env, prog_name="kerjasama")
    finally:
        os.chdir(before)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def bash(line: str, cwd: Path | None = None) -> list[str]:
    words = line.split(" ")
    env = {
        "_KERJASAMA_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    return [line for line in complete(env, cwd).splitlines() if line]


def zsh(line: str) -> str:
    return complete({"_KERJASAMA_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line})


def fish(line: str) -> list[str]:
    env = {
        "_KERJASAMA_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    return complete(env).splitlines()


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F _kerjasama_completion kerjasama"),
        ("zsh", "compdef _kerjasama_completion kerjasama"),
        ("fish", "complete --command kerjasama"),
    ],
)
def test_show_completion_prints_the_script_for_each_shell(shell: str, marker: str) -> None:
    script = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "--show-completion", shell],
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert marker in script
    assert "_KERJASAMA_COMPLETE=complete_" in script


def test_help_offers_install_and_show_completion() -> None:
    out = CliRunner().invoke(app, ["--help"], prog_name="kerjasama").stdout
    assert "--install-completion" in out
    assert "--show-completion" in out


def test_bash_completes_a_region_with_hyphens_for_spaces() -> None:
    assert bash("kerjasama list --region Muara") == ["Muara-Enim", "Muara-Jambi"]


def test_completion_follows_the_case_typed() -> None:
    assert bash("kerjasama list --region muara") == ["muara-enim", "muara-jambi"]


def test_zsh_completes_region_names_with_their_official_name_and_code() -> None:
    assert zsh("kerjasama list --within Muara\\ E") == (
        '_arguments \'*: :(("Muara Enim":"Kabupaten Muara Enim (16.03)"))\'\n'
    )


def test_fish_completes_aliases_and_official_names() -> None:
    assert fish("kerjasama list --region jaba") == ["jabar\tProvinsi Jawa Barat (32)"]
    assert fish("kerjasama list --region 'Kota Bek") == ["Kota Bekasi\tKota Bekasi (32.75)"]


def test_codes_complete_to_codes() -> None:
    assert bash("kerjasama list --region 16.0")[:3] == ["16.01", "16.02", "16.03"]


def test_vocabularies_complete() -> None:
    assert bash("kerjasama list --sector kes") == ["kesehatan"]
    assert bash("kerjasama list --status a") == ["akan_berakhir", "aktif"]
    assert bash("kerjasama list --document per") == [
        "perjanjian_kerja_sama",
        "pernyataan_kehendak",
    ]
    assert bash("kerjasama list --party-kind b") == ["bumn", "bumd", "bums"]
    assert bash("kerjasama list --sort s") == ["signed_on", "starts_on", "status"]
    assert bash("kerjasama regions --kind k") == ["kabupaten", "kota"]


def test_show_completes_record_ids_from_the_data_folder(registry: Path) -> None:
    for name in ("kb-a-one", "kb-a-two", "pks-b"):
        write_record(registry, "id: x\n", name)
    assert bash("kerjasama show kb-a", cwd=registry.parent) == ["kb-a-one", "kb-a-two"]
    assert bash(f"kerjasama show --data-dir {registry} p", cwd=Path("/")) == ["pks-b"]


def test_show_completion_without_a_data_folder_offers_nothing(tmp_path: Path) -> None:
    assert bash("kerjasama show kb", cwd=tmp_path) == []


def test_regions_completes_jakartas_administrative_cities_but_filters_do_not() -> None:
    assert "Jakarta Barat" in [v for v, _ in region_candidates("Jakarta B", parties_only=False)]
    assert [v for v, _ in region_candidates("Jakarta B")] == []


def test_a_shared_name_completes_only_to_unambiguous_official_names() -> None:
    assert [v for v, _ in region_candidates("Bekasi")] == []
    assert [v for v, _ in region_candidates("Kabupaten Bek")] == ["Kabupaten Bekasi"]
