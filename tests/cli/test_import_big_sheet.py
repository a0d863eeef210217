"""A sheet of 50,000 office rows, CSV and XLSX: imported (dry run) in a process of its own whose
peak memory (resident set size) is measured and must stay under 300 MB. Slow: minutes, not
seconds (bench/README.md has the figures, also of a real import)."""

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


HEADER = ["No", "Jenis Dokumen", "Tentang", "Pihak Pertama", "Pihak Kedua", "Tanggal"]
HEADER += ["Jangka Waktu", "Bidang", "Sumber"]


def _rows() -> list[list[str]]:
    regions = [r for r in load_gazetteer().regions if r.kind != "provinsi" and r.can_be_party]
    rows = []
    for i in range(ROWS):
        first = regions[i % len(regions)]
        second = regions[(i * 7 + 3) % len(regions)]
        if first == second:
            second = regions[(i + 1) % len(regions)]
        day = dt.date(2015, 1, 1) + dt.timedelta(days=i % 3000)
        rows.append(
            [
                str(i + 1),
                "KB",
                f"Kerja sama {i}",
                first.display_name,
                second.display_name,
                f"{day.day}/{day.month}/{day.year}",
                "5 (lima) tahun",
                "pendidikan",
                f"https://example.org/{i}",
            ]
        )
    return rows


def _big_sheet(path: Path) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Daftar")
        sheet.append(HEADER)
        for row in _rows():
            sheet.append(row)
        book.save(path)
    else:
        lines = [";".join(HEADER), *(";".join(row) for row in _rows())]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_fifty_thousand_rows_are_checked_in_under_300_mb(
    registry: Path, tmp_path: Path, suffix: str
) -> None:
    sheet = tmp_path / f"besar{suffix}"
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
