"""`kerjasama export`: CSV, XLSX, JSON and SQLite through the real CLI."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import sqlite3
import sys
from pathlib import Path

import openpyxl
import pytest

from kerjasama_cli.exchange.database import AGREEMENTS_PER_PROVINCE
from kerjasama_cli.model import Record
from kerjasama_cli.registry import load_registry
from tests.conftest import Run, record_text, write_record

ROOT = Path(__file__).parents[2]
JABAR = "kb-2024-02-05-jawa-barat-bengkulu-tengah"

# An en dash, curly quotes and an accented letter: text that a wrong encoding garbles.
TITLE = "Kerja Sama Pendidikan \u2013 Beasiswa Universitas \u201cN\u00e9geri\u201d"
UNICODE_RECORD = f"""\
id: pks-unicode
title: "{TITLE}"
document: perjanjian_kerja_sama
parties:
  - region: "16.03"
  - name: Universitas Sriwijaya
    kind: ptn
sectors: [pendidikan]
"""


def _csv_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_one_row_per_agreement_with_readable_and_coded_parties(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    result = run("export", "--output", str(target), "--as-of", "2026-01-01", data_dir=bundled)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"exported 9 agreements as csv to {target}\n"
    rows = _csv_rows(target)
    assert len(rows) == 9
    row = next(r for r in rows if r["id"] == JABAR)
    assert row["title"] == "Pengembangan Potensi Daerah dan Peningkatan Pelayanan Publik"
    assert row["document"] == "kesepakatan_bersama"
    assert row["status"] == "aktif"
    assert row["parties"] == "Prov. Jawa Barat\nKab. Bengkulu Tengah"
    assert row["party_codes"] == "32\n17.09"
    assert row["party_2"] == "Kab. Bengkulu Tengah"
    assert row["party_2_code"] == "17.09"
    assert row["party_2_kind"] == "kabupaten"
    assert row["party_2_signatory"] == "Heriyandi Roni"
    assert row["sectors"].splitlines()[:2] == ["perencanaan_pembangunan", "pelayanan_publik"]
    assert (row["signed_on"], row["ends_on"]) == ("2024-02-05", "2029-02-04")
    assert (row["category"], row["effective_category"]) == ("ksdd", "ksdd")
    pks = next(r for r in rows if r["id"] == "pks-seruyan-kotawaringin-timur")
    assert pks["parent"] == "kb-seruyan-kotawaringin-timur"
    assert (pks["category"], pks["effective_category"]) == ("", "ksdd")


def test_csv_status_is_computed_as_of_the_given_date(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    assert (
        run("export", "-o", str(target), "--as-of", "2029-01-01", data_dir=bundled).exit_code == 0
    )
    statuses = {r["id"]: r["status"] for r in _csv_rows(target)}
    assert statuses[JABAR] == "akan_berakhir"
    assert statuses["kb-kaur-muara-enim"] == "draf"


def test_csv_is_utf8_without_bom_by_default(run: Run, registry: Path, tmp_path: Path) -> None:
    write_record(registry, UNICODE_RECORD, "pks-unicode", folder="draf")
    target = tmp_path / "out.csv"
    assert run("export", "-o", str(target)).exit_code == 0
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert _csv_rows(target)[0]["title"] == TITLE


def test_csv_excel_option_writes_utf8_with_byte_order_mark_and_crlf(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    write_record(registry, UNICODE_RECORD, "pks-unicode", folder="draf")
    target = tmp_path / "out.csv"
    assert run("export", "-o", str(target), "--excel").exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,title,")
    assert raw.count(b"\r\n") == 2
    rows = _csv_rows(target, encoding="utf-8-sig")
    assert rows[0]["title"] == TITLE


def test_csv_goes_to_stdout_without_output(run: Run, bundled: Path) -> None:
    result = run("export", "--region", "Muara Enim", data_dir=bundled)
    assert result.exit_code == 0
    ids = [r["id"] for r in csv.DictReader(io.StringIO(result.stdout))]
    assert sorted(ids) == [
        "kb-kaur-muara-enim",
        "kb-muara-enim-bsip-pusat-penelitian-karet",
        "kb-muara-enim-kabupaten-kota-berbatasan",
    ]
    assert result.stderr == "exported 3 agreements as csv\n"


def test_export_takes_the_filters_of_list(run: Run, bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run(
        "export", "-o", str(target), "--document", "pks", "--within", "Kalteng", data_dir=bundled
    )
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(target.read_text("utf-8"))] == [
        "pks-seruyan-kotawaringin-timur"
    ]


def test_json_has_the_records_in_full(run: Run, bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert (
        run("export", "--format", "json", "--output", str(target), data_dir=bundled).exit_code == 0
    )
    exported = json.loads(target.read_text("utf-8"))
    loaded = {r.id: r for r in load_registry(bundled).records}
    assert len(exported) == len(loaded) == 9
    for item in exported:
        assert Record.model_validate(item) == loaded[item["id"]]
    first = next(i for i in exported if i["id"] == JABAR)
    assert list(first)[:4] == ["id", "title", "document", "category"]
    assert first["parties"][0] == {
        "region": "32",
        "signatory": {"name": "Bey Triadi Machmudin", "position": "Penjabat Gubernur Jawa Barat"},
    }


def test_xlsx_has_styled_frozen_filterable_header_and_a_parties_sheet(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.xlsx"
    result = run("export", "-o", str(target), "--as-of", "2026-01-01", data_dir=bundled)
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["agreements", "parties"]
    sheet = book["agreements"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["id", "title", "document", "status"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}10"
    assert all(c.font.bold for c in sheet[1])
    assert sheet.max_row == 10
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == JABAR)
    assert row[header.index("signed_on")] == dt.datetime(2024, 2, 5)
    assert row[header.index("party_1_code")] == "32"
    parties = book["parties"]
    assert parties.freeze_panes == "B2"
    assert parties.auto_filter.ref is not None
    party_header = [c.value for c in parties[1]]
    assert party_header[:2] == ["agreement_id", "agreement_title"]
    rows = list(parties.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(r.parties) for r in load_registry(bundled).records)
    assert [r[party_header.index("code")] for r in rows if r[0] == JABAR] == ["32", "17.09"]
    provinces = [r[party_header.index("province_name")] for r in rows if r[0] == JABAR]
    assert provinces == ["Prov. Jawa Barat", "Prov. Bengkulu"]


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    text = UNICODE_RECORD.replace(UNICODE_RECORD.splitlines()[1], 'title: "=HYPERLINK(1)"')
    write_record(registry, text, "pks-unicode", folder="draf")
    target = tmp_path / "out.xlsx"
    assert run("export", "-o", str(target)).exit_code == 0
    cell = openpyxl.load_workbook(target)["agreements"]["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_xlsx_without_openpyxl_is_a_usage_error_naming_the_extra(
    run: Run, bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    target = tmp_path / "out.xlsx"
    result = run("export", "-o", str(target), data_dir=bundled)
    assert result.exit_code == 2
    assert "pip install 'kerjasama[xlsx]'" in result.stderr
    assert not target.exists()


def test_sqlite_answers_agreements_per_province(run: Run, bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.db"
    assert run("export", "-o", str(target), data_dir=bundled).exit_code == 0
    with sqlite3.connect(target) as db:
        rows = db.execute(AGREEMENTS_PER_PROVINCE).fetchall()
        assert rows == [
            ("32", "Jawa Barat", 4),
            ("16", "Sumatera Selatan", 3),
            ("62", "Kalimantan Tengah", 3),
            ("17", "Bengkulu", 2),
            ("72", "Sulawesi Tengah", 1),
            ("73", "Sulawesi Selatan", 1),
        ]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()


def test_the_readme_query_for_agreements_per_province_runs_on_the_export(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = readme.split('sqlite3 agreements.db "', 1)[1].split('"', 1)[0]
    target = tmp_path / "agreements.db"
    assert run("export", "-o", str(target), data_dir=bundled).exit_code == 0
    db = sqlite3.connect(target)
    try:
        assert db.execute(query).fetchall()[:2] == [
            ("32", "Jawa Barat", 4),
            ("16", "Sumatera Selatan", 3),
        ]
    finally:
        db.close()


def test_sqlite_tables_are_normalised_with_foreign_keys_and_indexes(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.sqlite"
    assert (
        run("export", "-o", str(target), "--as-of", "2026-01-01", data_dir=bundled).exit_code == 0
    )
    db = sqlite3.connect(target)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"agreements", "parties", "sectors", "activities", "sources", "regions"} <= tables
        assert db.execute("SELECT count(*) FROM agreements").fetchone() == (9,)
        assert db.execute("SELECT count(*) FROM regions").fetchone() == (552,)
        keys = db.execute("PRAGMA foreign_key_list(parties)").fetchall()
        assert {(k[2], k[3], k[4]) for k in keys} == {
            ("agreements", "agreement_id", "id"),
            ("regions", "region_code", "code"),
        }
        indexes = {r[1] for r in db.execute("PRAGMA index_list(parties)")}
        assert "parties_region" in indexes
        status = db.execute("SELECT status FROM agreements WHERE id = ?", (JABAR,)).fetchone()
        assert status == ("aktif",)
        assert db.execute("SELECT value FROM export_info WHERE key = 'as_of'").fetchone() == (
            "2026-01-01",
        )
    finally:
        db.close()


@pytest.mark.parametrize("cache", [True, False], ids=["index", "no-cache"])
def test_sqlite_export_info_says_which_filters_chose_the_agreements(
    run: Run, bundled: Path, tmp_path: Path, cache: bool
) -> None:
    everything, chosen = tmp_path / "all.sqlite", tmp_path / "chosen.sqlite"
    flags = () if cache else ("--no-cache",)
    assert run("export", "-o", str(everything), *flags, data_dir=bundled).exit_code == 0
    asked = ("--region", "Kab. Muara Enim", "--status", "berlaku", "--search", "air bersih")
    assert run("export", "-o", str(chosen), *asked, *flags, data_dir=bundled).exit_code == 0
    filters = "SELECT value FROM export_info WHERE key = 'filters'"
    with contextlib.closing(sqlite3.connect(everything)) as db:
        assert db.execute(filters).fetchone() == ("",)
    with contextlib.closing(sqlite3.connect(chosen)) as db:
        # Canonical: the region by its code, the status by its key, the text quoted.
        assert db.execute(filters).fetchone() == (
            "--region 16.03 --status aktif --search 'air bersih'",
        )


def test_export_info_filters_are_one_text_for_one_filter(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    texts = set()
    for i, asked in enumerate(
        [
            ("--region", "Kaur", "--region", "Lahat", "--status", "berlaku,aktif", "--search", ""),
            ("--region", "16.04", "--region", "Kaur", "--region", "17.04", "--status", "aktif"),
        ]
    ):
        target = tmp_path / f"{i}.sqlite"
        assert run("export", "-o", str(target), *asked, data_dir=bundled).exit_code == 0
        with contextlib.closing(sqlite3.connect(target)) as db:
            (text,) = db.execute("SELECT value FROM export_info WHERE key = 'filters'").fetchone()
        texts.add(text)
    # Each flag's values once and sorted (OR within a flag); an empty search says nothing.
    assert texts == {"--region 16.04 --region 17.04 --status aktif"}


def test_export_replaces_an_existing_file_and_leaves_no_temporary_file(
    run: Run, bundled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "agreements.db"
    target.write_text("old", encoding="utf-8")
    assert run("export", "-o", str(target), data_dir=bundled).exit_code == 0
    assert [p.name for p in out.iterdir()] == ["agreements.db"]
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM agreements").fetchone() == (9,)
    db.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "error: --format xlsx writes a binary file; give --output FILE\n"),
        (
            ["--format", "sqlite", "-o", "-"],
            "error: --format sqlite writes a binary file; give --output FILE\n",
        ),
        (
            ["-o", "out.txt"],
            "error: --output out.txt: cannot tell the format from the file name; "
            "add --format csv, xlsx, json or sqlite\n",
        ),
        (["-o", "missing/out.csv"], "error: --output: folder 'missing' does not exist\n"),
        (
            ["--excel", "--format", "json"],
            "error: --excel writes CSV; it cannot be combined with --format json\n",
        ),
    ],
)
def test_export_usage_errors_exit_2(run: Run, bundled: Path, args: list[str], message: str) -> None:
    result = run("export", *args, data_dir=bundled)
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.stdout == ""


def test_export_skips_invalid_files_with_a_warning(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    write_record(registry, UNICODE_RECORD, "pks-unicode", folder="draf")
    write_record(registry, "id: broken\n", "broken")
    target = tmp_path / "out.json"
    result = run("export", "-o", str(target))
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(target.read_text("utf-8"))] == ["pks-unicode"]
    assert "warning: 1 invalid record file not exported; run `kerjasama validate`" in result.stderr


def test_a_line_break_inside_a_list_item_becomes_a_space_with_a_warning(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    text = UNICODE_RECORD + 'scope: ["beasiswa\\nS2", penelitian]\n'
    write_record(registry, text, "pks-unicode", folder="draf")
    target = tmp_path / "out.csv"
    result = run("export", "-o", str(target))
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "warning: pks-unicode: scope: a line break inside a list item became a space in the csv cell"
    )
    assert _csv_rows(target)[0]["scope"] == "beasiswa S2\npenelitian"


FORMULA_TITLE = '=HYPERLINK("http://example.invalid","klik")'


def _formula_registry(registry: Path) -> None:
    text = UNICODE_RECORD.replace(f'title: "{TITLE}"', f"title: '{FORMULA_TITLE}'")
    text += "notes: \"-5 tahun; '=not a formula\"\nscope: ['@all', '+62 21', plain]\n"
    write_record(registry, text, "pks-unicode", folder="draf")


def test_csv_escape_formulas_neutralises_cells_a_spreadsheet_would_run(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    _formula_registry(registry)
    target = tmp_path / "out.csv"
    assert run("export", "--escape-formulas", "-o", str(target)).exit_code == 0
    [row] = _csv_rows(target)
    assert row["title"] == "'" + FORMULA_TITLE
    assert row["notes"] == "'-5 tahun; '=not a formula"
    assert row["scope"].startswith("'")
    assert row["id"] == "pks-unicode"
    cells = [value for value in row.values() if value]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_csv_without_escape_formulas_keeps_formulas(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    _formula_registry(registry)
    target = tmp_path / "out.csv"
    assert run("export", "-o", str(target)).exit_code == 0
    assert _csv_rows(target)[0]["title"] == FORMULA_TITLE


@pytest.mark.parametrize("escape", [True, False], ids=["escaped", "plain"])
def test_escaped_csv_imports_back_to_the_same_record(
    run: Run, registry: Path, tmp_path: Path, escape: bool
) -> None:
    source = tmp_path / "source"
    (source / "agreements").mkdir(parents=True)
    _formula_registry(source)
    target = tmp_path / "out.csv"
    flags = ["--escape-formulas"] if escape else []
    assert run("export", *flags, "-o", str(target), data_dir=source).exit_code == 0
    result = run("import", str(target))
    assert result.exit_code == 0, result.stderr
    assert load_registry(registry).records == load_registry(source).records


@pytest.mark.parametrize("excel", [False, True], ids=["lf", "excel"])
def test_a_carriage_return_in_a_cell_survives_export_and_import(
    run: Run, registry: Path, tmp_path: Path, excel: bool
) -> None:
    # A bare carriage return left unquoted in an LF file ended the row for every reader.
    source = tmp_path / "source"
    text = record_text("kb-cr", notes='"baris satu\\rbaris dua"', signed_on="2024-03-01")
    write_record(source, text, "kb-cr")
    target = tmp_path / "out.csv"
    flags = ["--excel"] if excel else []
    assert run("export", *flags, "-o", str(target), data_dir=source).exit_code == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 2 and "baris satu\rbaris dua" in rows[1]
    result = run("import", str(target))
    assert result.exit_code == 0, result.stderr
    assert load_registry(registry).records == load_registry(source).records


def test_escape_formulas_is_only_for_csv(run: Run, bundled: Path, tmp_path: Path) -> None:
    result = run("export", "--escape-formulas", "--format", "json", data_dir=bundled)
    assert result.exit_code == 2
    assert "--escape-formulas is for CSV" in result.stderr
