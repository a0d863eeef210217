"""Real processes writing at the same time: one `add` wins an id, no file is half-written,
and two activities recorded at once both end up in the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerjasama_cli.registry import load_registry
from tests.conftest import record_text, write_record

pytestmark = pytest.mark.slow


def _start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kerjasama_cli", *args, "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        cwd=data_dir.parent,
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=60)
        out.append((proc.returncode, stdout, stderr))
    return out


ADD = ("add", "--title", "Kerja sama", "--party", "Kaur", "--party", "Lahat", "--sector", "sosial")


def test_two_adds_racing_for_one_id_one_wins_the_other_is_refused(registry: Path) -> None:
    for round_ in range(3):
        record_id = f"kb-race-{round_}"
        # Each round another title: a draft with the title of an earlier one is a duplicate.
        args = (*ADD, "--title", f"Kerja sama {round_}", "--id", record_id)
        results = _finish([_start(registry, *args) for _ in range(2)])
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 1], results
        winner = next(r for r in results if r[0] == 0)
        loser = next(r for r in results if r[0] == 1)
        assert winner[1] == f"data/agreements/draf/{record_id}.yaml\n"
        assert loser[1] == ""
        assert "nothing was written" in loser[2] or "never overwritten" in loser[2]
    files = sorted(p.name for p in (registry / "agreements").rglob("*") if p.is_file())
    # Whole records only: no temporary file left behind, every file a valid record.
    assert files == [f"kb-race-{n}.yaml" for n in range(3)]
    registry_after = load_registry(registry)
    assert [e.record is not None for e in registry_after.entries] == [True] * 3


def test_two_adds_with_generated_ids_both_get_written(registry: Path) -> None:
    # The same agreement twice: written twice only as allowed duplicates (the duplicate check
    # reads the registry before the write, so two racing adds would both pass it, or not).
    results = _finish([_start(registry, *ADD, "--allow-duplicate") for _ in range(2)])
    assert [code for code, _, _ in results] == [0, 0], results
    paths = sorted(stdout for _, stdout, _ in results)
    assert paths == [
        "data/agreements/draf/kb-kaur-lahat-2.yaml\n",
        "data/agreements/draf/kb-kaur-lahat.yaml\n",
    ]


SIGNED = record_text(
    "pks-jalan",
    title="Pembangunan jalan tembus",
    document="perjanjian_kerja_sama",
    parties=('region: "17.04"  # Kabupaten Kaur', 'region: "16.03"  # Kabupaten Muara Enim'),
    sectors=("pekerjaan_umum",),
    signed_on="2020-07-15",
    ends_on="2025-07-14",
    sources="\n  - url: https://example.org/berita",
)


def test_activities_recorded_at_the_same_time_are_both_kept(registry: Path) -> None:
    write_record(registry, SIGNED, "pks-jalan", "2020")
    procs = [
        _start(
            registry, "activity", "pks-jalan", "--on", f"2021-0{n}-01", "--summary", f"Tahap {n}"
        )
        for n in range(1, 4)
    ]
    results = _finish(procs)
    assert [code for code, _, _ in results] == [0, 0, 0], results
    record = load_registry(registry).records[0]
    assert sorted(a.summary for a in record.activities or []) == [
        "Tahap 1",
        "Tahap 2",
        "Tahap 3",
    ]
