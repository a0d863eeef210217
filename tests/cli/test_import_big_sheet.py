"""A sheet of 50,000 office rows: imported (dry run) in a process of its own whose peak memory
(resident set size) is measured and must stay under 300 MB. Slow: minutes, not seconds."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerjasama_cli.gazetteer import load_gazetteer

ROWS = 50_000
LIMIT_MB = 300

# A parent of its own, so that the children's peak is the import's alone.
MEASURE = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "kerjasama_cli", "import", *sys.argv[1:]],
                      capture_output=True, text=True)
sys.stderr.write(done.stderr[-2000:])
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _big_sheet(path: Path) -> None:
    regions = [r for r in load_gazetteer().regions if r.kind != "provinsi" and r.can_be_party]
    lines = [
        "No;Jenis Dokumen;Tentang;Pihak Pertama;Pihak Kedua;Tanggal;Jangka Waktu;Bidang;Sumber"
    ]
    for i in range(ROWS):
        first = regions[i % len(regions)]
        second = regions[(i * 7 + 3) % len(regions)]
        if first == second:
            second = regions[(i + 1) % len(regions)]
        day = dt.date(2015, 1, 1) + dt.timedelta(days=i % 3000)
        lines.append(
            f"{i + 1};KB;Kerja sama {i};{first.display_name};{second.display_name};"
            f"{day.day}/{day.month}/{day.year};5 (lima) tahun;pendidikan;https://example.org/{i}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
@pytest.mark.xfail(
    strict=True,
    reason="measured 384 MB peak RSS for 50,000 rows (dry run): every row's validated record "
    "(about 3.4 KB of pydantic objects) and rendered file text are kept until the all-or-none "
    "write; keeping only the text is the open fix (README, 'Big sheets')",
)
def test_fifty_thousand_rows_are_checked_in_under_300_mb(registry: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "besar.csv"
    _big_sheet(sheet)
    env = {**os.environ, "NO_COLOR": "1", "KERJASAMA_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(sheet), "--data-dir", str(registry), "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    code, peak_kb = (int(v) for v in done.stdout.split())  # ru_maxrss: KB on Linux
    assert code == 0, done.stderr
    assert f"would write {ROWS:,}" in done.stderr or f"would write {ROWS} " in done.stderr
    assert peak_kb / 1024 < LIMIT_MB, f"peak RSS {peak_kb / 1024:.0f} MB"
