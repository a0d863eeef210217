"""Write an office-style sheet of N rows (CSV or XLSX) for measuring `import` on big sheets.

    python bench/big_sheet.py 50000 big.csv
    python bench/big_sheet.py 50000 big.xlsx

The rows are those of tests/cli/test_import_big_sheet.py: two regions of the gazetteer per
row, a date written as an office writes it (d/m/yyyy), a duration in words, a source.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from kerjasama_cli.gazetteer import load_gazetteer

HEADER = [
    "No",
    "Jenis Dokumen",
    "Tentang",
    "Pihak Pertama",
    "Pihak Kedua",
    "Tanggal",
    "Jangka Waktu",
    "Bidang",
    "Sumber",
]


def rows(count: int) -> Iterator[list[str]]:
    regions = [r for r in load_gazetteer().regions if r.kind != "provinsi" and r.can_be_party]
    for i in range(count):
        first = regions[i % len(regions)]
        second = regions[(i * 7 + 3) % len(regions)]
        if first == second:
            second = regions[(i + 1) % len(regions)]
        day = dt.date(2015, 1, 1) + dt.timedelta(days=i % 3000)
        yield [
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


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(HEADER) + "\n")
        for row in rows(count):
            out.write(";".join(row) + "\n")


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Daftar")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("path", type=Path, help="a .csv or .xlsx file name")
    args = parser.parse_args()
    if args.path.suffix == ".xlsx":
        write_xlsx(args.path, args.rows)
    else:
        write_csv(args.path, args.rows)


if __name__ == "__main__":
    main()
