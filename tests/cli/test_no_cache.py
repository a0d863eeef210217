"""`--no-cache` on add, activity, export, import and fmt: the cache is neither read nor
written, and the result is the same as with it.

validate, list, show and summarise are covered in test_cache.py. Each test here runs the
command three times from the same registry: with --no-cache on a cold cache (nothing may
appear in the cache folder), without it (the cache fills: proof that the command uses it, so
that a flag accepted but ignored fails the test), and with --no-cache again on that warm cache
(every file is parsed again and the cache folder is left byte for byte as it was). The three
runs must print the same, exit the same and write the same files.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.cli.test_cache import cache_files
from tests.conftest import BUNDLED, EXAMPLES, Result, Run, record_text, write_record

# A draft naming a parent no record has: the registry has a cross-file error too.
DANGLING = record_text(
    "pks-kaur-lahat",
    title="Jalan tembus",
    document="perjanjian_kerja_sama",
    before_parties={"parent": "kb-kaur-lahat"},
    parties=("region: Kaur", "region: Lahat"),
    sectors=("pekerjaan_umum",),
)

SIGNED = "kb-2024-02-05-jawa-barat-sukamara"  # a bundled record signed on 2024-02-05

State = dict[str, bytes | None]  # path -> content, None for a folder


@pytest.fixture
def populated(registry: Path) -> Path:
    """The bundled records, an invalid file and a dangling parent (not a clean registry)."""
    shutil.copytree(BUNDLED / "agreements", registry / "agreements", dirs_exist_ok=True)
    invalid = EXAMPLES / "invalid" / "ks201-unknown-region.yaml"
    write_record(registry, invalid.read_text(encoding="utf-8"), invalid.stem, "contoh")
    write_record(registry, DANGLING, "pks-kaur-lahat", "draf")
    return registry


def _state(data: Path, outputs: Sequence[Path]) -> State:
    """Every file and folder of the data folder, and the output files that exist."""
    state: State = {}
    for path in sorted(data.rglob("*")):
        state[str(path)] = path.read_bytes() if path.is_file() else None
    for path in outputs:
        if path.exists():
            state[str(path)] = path.read_bytes()
    return state


def _restore(data: Path, outputs: Sequence[Path], before: State) -> None:
    """Put back what the command changed: remove what it added, rewrite what it edited."""
    now = _state(data, outputs)
    for name in sorted(now, reverse=True):  # a folder's files before the folder
        path, content = Path(name), before.get(name)
        if name not in before and now[name] is None:
            path.rmdir()
        elif name not in before:
            path.unlink()
        elif content is not None and now[name] != content:
            path.write_bytes(content)  # only this file's stat changes: the rest stays cached
    assert _state(data, outputs) == before


def _outcome(result: Result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def _same_without_cache(
    run: Run,
    parses: list[Path],
    data: Path,
    command: Sequence[str],
    *,
    input: str | None = None,
    outputs: Sequence[Path] = (),
) -> Result:
    """Run ``command`` with --no-cache (cold), without it, and with it again (warm); check
    that --no-cache never touched the cache and that all three did the same; the first run."""
    before = _state(data, outputs)
    records = {p.resolve() for p in (data / "agreements").rglob("*.yaml")}

    uncached = run(*command, "--no-cache", input=input)
    wrote = _state(data, outputs)
    assert cache_files() == []  # nothing written to the cache
    _restore(data, outputs, before)

    cached = run(*command, input=input)
    assert cache_files() != []  # without the flag this command does use the cache
    assert _outcome(cached) == _outcome(uncached)
    assert _state(data, outputs) == wrote
    _restore(data, outputs, before)

    stored = {p: p.read_bytes() for p in cache_files()}
    parses.clear()
    again = run(*command, "--no-cache", input=input)
    assert {Path(p).resolve() for p in parses} == records  # every file parsed: nothing read
    assert {p: p.read_bytes() for p in cache_files()} == stored  # nothing written
    assert _outcome(again) == _outcome(uncached)
    assert _state(data, outputs) == wrote
    return uncached


# --- add -------------------------------------------------------------------------------------


def test_add_with_no_cache_leaves_the_cache_alone_and_adds_the_same_file(
    populated: Path, run: Run, parses: list[Path]
) -> None:
    # The id generated avoids the bundled kb-kaur-muara-enim: it depends on the registry.
    command = ["add", "--title", "Jalan", "--party", "Kaur", "--party", "Muara Enim"]
    result = _same_without_cache(run, parses, populated, [*command, "--sector", "jalan"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim-2.yaml\n"


def test_add_refused_by_the_registry_is_refused_the_same_with_no_cache(
    populated: Path, run: Run, parses: list[Path]
) -> None:
    command = ["add", "--id", SIGNED, "--title", "Lagi", "--party", "Kaur", "--party", "Lahat"]
    result = _same_without_cache(run, parses, populated, [*command, "--sector", "jalan"])
    assert result.exit_code == 1
    assert f"KS401 id (--id): id {SIGNED!r} is already used by" in result.stderr


def test_add_from_prompts_with_no_cache_leaves_the_cache_alone(
    populated: Path, run: Run, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERJASAMA_INTERACTIVE", "1")  # ask although stdin is not a terminal
    answers = ["Jalan", "Kaur", "", "Muara Enim", "", "", "pekerjaan_umum", "", "", "", "y"]
    command = ["add", "--document", "kb"]
    result = _same_without_cache(run, parses, populated, command, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim-2.yaml\n"


# --- activity --------------------------------------------------------------------------------


def test_activity_with_no_cache_leaves_the_cache_alone_and_edits_the_same(
    populated: Path, run: Run, parses: list[Path]
) -> None:
    command = ["activity", SIGNED, "--on", "2024-06-01", "--summary", "Rapat koordinasi"]
    result = _same_without_cache(run, parses, populated, command)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"data/agreements/2024/{SIGNED}.yaml\n"


# --- export ----------------------------------------------------------------------------------


def test_export_to_stdout_with_no_cache_leaves_the_cache_alone_and_prints_the_same(
    populated: Path, run: Run, parses: list[Path]
) -> None:
    command = ["export", "--format", "json", "--as-of", "2025-01-01"]
    result = _same_without_cache(run, parses, populated, command)
    assert result.exit_code == 0, result.stderr
    assert SIGNED in result.stdout


def test_export_to_a_file_with_no_cache_leaves_the_cache_alone_and_writes_the_same(
    populated: Path, run: Run, parses: list[Path], tmp_path: Path
) -> None:
    sheet = tmp_path / "all.csv"
    command = ["export", "-o", str(sheet), "--as-of", "2025-01-01"]
    result = _same_without_cache(run, parses, populated, command, outputs=[sheet])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert SIGNED in sheet.read_text(encoding="utf-8")


# --- import ----------------------------------------------------------------------------------

HEADER = "id,title,document,party_1,party_2,sectors"


def test_import_with_no_cache_leaves_the_cache_alone_and_writes_the_same(
    populated: Path, run: Run, parses: list[Path], tmp_path: Path
) -> None:
    sheet = tmp_path / "new.csv"
    # No id: the one generated avoids the bundled kb-kaur-muara-enim.
    sheet.write_text(f"{HEADER}\n,Jalan,kb,Kaur,Muara Enim,pekerjaan_umum\n", encoding="utf-8")
    result = _same_without_cache(run, parses, populated, ["import", str(sheet)])
    assert result.exit_code == 0, result.stderr
    assert "kb-kaur-muara-enim-2 (generated)\tdata/agreements/draf/" in result.stdout
    assert (populated / "agreements/draf/kb-kaur-muara-enim-2.yaml").is_file()


def test_import_refused_by_the_registry_is_refused_the_same_with_no_cache(
    populated: Path, run: Run, parses: list[Path], tmp_path: Path
) -> None:
    sheet = tmp_path / "new.csv"
    sheet.write_text(f"{HEADER}\n{SIGNED},Lagi,kb,Kaur,Muara Enim,pekerjaan_umum\n")
    result = _same_without_cache(run, parses, populated, ["import", str(sheet)])
    assert result.exit_code == 1
    assert f"error KS401 id {SIGNED!r} is already used by" in result.stderr


# --- fmt -------------------------------------------------------------------------------------

MESSY = """\
title: Jalan   # as in the invitation
document: kesepakatan_bersama
parties:
    - region: Kaur
    - region: Muaraenim
sectors: [jalan]
id: kb-kaur-muara-enim-2
"""


@pytest.mark.parametrize("check", [[], ["--check"]], ids=["write", "check"])
def test_fmt_with_no_cache_leaves_the_cache_alone_and_formats_the_same(
    populated: Path, run: Run, parses: list[Path], check: list[str]
) -> None:
    write_record(populated, MESSY, "kb-kaur-muara-enim-2", "draf")
    result = _same_without_cache(run, parses, populated, ["fmt", *check])
    assert result.exit_code == 1  # files with errors are left untouched
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim-2.yaml\n"
    # An error across files: found by checking the whole registry.
    assert "pks-kaur-lahat.yaml:4:9: error KS402 parent names 'kb-kaur-lahat'" in result.stderr
    assert "reformatted, 9 already canonical, 2 left untouched\n" in result.stderr
