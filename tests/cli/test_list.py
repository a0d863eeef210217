"""`kerjasama list` through the real CLI: every filter, combinations, sorting, formats, errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kerjasama_cli import render
from tests.conftest import ANSI, Run, write_record
from tests.fixture_registry import AS_OF, write_fixture_registry

# The default order: newest signed first, drafts last.
ALL = [
    "kb-muara-enim-unsri",
    "kb-muara-enim-lahat-2024",
    "pks-jabar-bekasi-2024",
    "kb-jabar-bekasi-2023",
    "nk-kemendagri-sumsel",
    "kb-bandung-pindad",
    "kb-muara-enim-lahat-2019",
    "kb-lahat-pagaralam-2018",
    "kb-kaur-muara-enim-draf",
]


@pytest.fixture
def fixture_registry(registry: Path) -> Path:
    write_fixture_registry(registry)
    return registry


def ids(run: Run, *args: str) -> list[str]:
    result = run("list", "--as-of", AS_OF.isoformat(), "--format", "ids", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def test_ids_lists_every_agreement_newest_signed_first(fixture_registry: Path, run: Run) -> None:
    assert ids(run) == ALL


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # --region: a party is exactly this region (code, name with prefix, alias)
        (["--region", "32.75"], ["pks-jabar-bekasi-2024", "kb-jabar-bekasi-2023"]),
        (["--region", "Kota Bekasi"], ["pks-jabar-bekasi-2024", "kb-jabar-bekasi-2023"]),
        (["--region", "16"], ["nk-kemendagri-sumsel"]),
        (["--region", "Sumsel"], ["nk-kemendagri-sumsel"]),
        (
            ["--region", "muaraenim"],
            [
                "kb-muara-enim-unsri",
                "kb-muara-enim-lahat-2024",
                "kb-muara-enim-lahat-2019",
                "kb-kaur-muara-enim-draf",
            ],
        ),
        # repeated: any of them
        (
            ["--region", "Kaur", "--region", "Kota Bandung"],
            ["kb-bandung-pindad", "kb-kaur-muara-enim-draf"],
        ),
        # --within: the region itself or anything inside the province
        (
            ["--within", "Sumatera Selatan"],
            [
                "kb-muara-enim-unsri",
                "kb-muara-enim-lahat-2024",
                "nk-kemendagri-sumsel",
                "kb-muara-enim-lahat-2019",
                "kb-lahat-pagaralam-2018",
                "kb-kaur-muara-enim-draf",
            ],
        ),
        (
            ["--within", "jabar"],
            ["pks-jabar-bekasi-2024", "kb-jabar-bekasi-2023", "kb-bandung-pindad"],
        ),
        (["--within", "Kota Pagar Alam"], ["kb-lahat-pagaralam-2018"]),
        # --document, with the abbreviations
        (["--document", "pks"], ["pks-jabar-bekasi-2024"]),
        (["--document", "nota_kesepakatan"], ["nk-kemendagri-sumsel"]),
        (
            ["--document", "pks,nk"],
            ["pks-jabar-bekasi-2024", "nk-kemendagri-sumsel"],
        ),
        # --category: given or derived
        (["--category", "sinergi"], ["nk-kemendagri-sumsel"]),
        (["--category", "ksdpk"], ["kb-muara-enim-unsri", "kb-bandung-pindad"]),
        # --status: computed as of --as-of
        (["--status", "aktif"], ["kb-muara-enim-lahat-2024", "kb-jabar-bekasi-2023"]),
        (["--status", "akan_berakhir"], ["pks-jabar-bekasi-2024"]),
        (["--status", "belum_berlaku"], ["kb-muara-enim-unsri"]),
        (["--status", "kedaluwarsa"], ["kb-lahat-pagaralam-2018"]),
        (["--status", "berakhir"], ["kb-bandung-pindad", "kb-muara-enim-lahat-2019"]),
        (["--status", "dibatalkan"], ["nk-kemendagri-sumsel"]),
        (["--status", "draf"], ["kb-kaur-muara-enim-draf"]),
        (
            ["--status", "draf", "--status", "dibatalkan"],
            ["nk-kemendagri-sumsel", "kb-kaur-muara-enim-draf"],
        ),
        # --sector: key, code or alias
        (
            ["--sector", "pendidikan"],
            ["kb-muara-enim-unsri", "pks-jabar-bekasi-2024", "kb-jabar-bekasi-2023"],
        ),
        (["--sector", "1.02"], ["kb-jabar-bekasi-2023"]),
        (["--sector", "litbang"], ["kb-muara-enim-unsri"]),
        (
            ["--sector", "pariwisata", "--sector", "perindustrian"],
            ["kb-bandung-pindad", "kb-lahat-pagaralam-2018"],
        ),
        # --party-kind: regional kinds and others
        (["--party-kind", "ptn"], ["kb-muara-enim-unsri"]),
        (
            ["--party-kind", "kota"],
            [
                "pks-jabar-bekasi-2024",
                "kb-jabar-bekasi-2023",
                "kb-bandung-pindad",
                "kb-lahat-pagaralam-2018",
            ],
        ),
        (
            ["--party-kind", "provinsi"],
            ["pks-jabar-bekasi-2024", "kb-jabar-bekasi-2023", "nk-kemendagri-sumsel"],
        ),
        # --year of signed_on; drafts have none
        (["--year", "2024"], ["kb-muara-enim-lahat-2024", "pks-jabar-bekasi-2024"]),
        (
            ["--year", "2018", "--year", "2021"],
            ["kb-bandung-pindad", "kb-lahat-pagaralam-2018"],
        ),
        # --signed-from / --signed-to include their day
        (
            ["--signed-from", "2024-01-10", "--signed-to", "2024-06-01"],
            ["kb-muara-enim-lahat-2024", "pks-jabar-bekasi-2024"],
        ),
        (["--signed-from", "2024-06-02"], ["kb-muara-enim-unsri"]),
        (["--signed-to", "2019-05-01"], ["kb-muara-enim-lahat-2019", "kb-lahat-pagaralam-2018"]),
        # --expiring-within DAYS: in force and ending within DAYS (2025-07-31 is 60 days away)
        (["--expiring-within", "60"], ["pks-jabar-bekasi-2024"]),
        (["--expiring-within", "59"], []),
        # --search: title, scope, notes, party names (case-insensitive)
        (["--search", "BEASISWA"], ["kb-muara-enim-unsri", "pks-jabar-bekasi-2024"]),
        (["--search", "padang guci"], ["kb-kaur-muara-enim-draf"]),
        (["--search", "sriwijaya"], ["kb-muara-enim-unsri"]),
        (["--search", "Pagar Alam"], ["kb-lahat-pagaralam-2018"]),
        (["--search", "Kota Bandung"], ["kb-bandung-pindad"]),
        # combinations: AND across flags
        (["--within", "sumsel", "--status", "aktif"], ["kb-muara-enim-lahat-2024"]),
        (["--region", "32", "--document", "kb"], ["kb-jabar-bekasi-2023"]),
        (
            ["--within", "sumsel", "--sector", "pekerjaan_umum", "--year", "2019"],
            ["kb-muara-enim-lahat-2019"],
        ),
        (["--party-kind", "ptn", "--status", "aktif"], []),
        (
            ["--region", "16.03", "--status", "aktif", "--status", "berakhir"],
            ["kb-muara-enim-lahat-2024", "kb-muara-enim-lahat-2019"],
        ),
    ],
)
def test_filter(fixture_registry: Path, run: Run, args: list[str], expected: list[str]) -> None:
    assert ids(run, *args) == expected


def test_filters_combine_with_and(fixture_registry: Path, run: Run) -> None:
    both = ids(run, "--sector", "pendidikan", "--search", "beasiswa", "--document", "pks")
    assert both == ["pks-jabar-bekasi-2024"]
    assert ids(run, "--sector", "pendidikan", "--search", "beasiswa") == [
        "kb-muara-enim-unsri",
        "pks-jabar-bekasi-2024",
    ]


def test_ambiguous_region_exits_2_naming_the_candidates(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--region", "Bekasi")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --region: region 'Bekasi' is ambiguous: it could be Kabupaten Bekasi (32.16), "
        "Kota Bekasi (32.75); write the code\n"
    )


def test_ambiguous_within_exits_2(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--within", "Bengkulu", "--within", "Kota Bandung")
    assert result.exit_code == 2
    assert "--within: region 'Bengkulu' is ambiguous" in result.stderr
    assert "Provinsi Bengkulu (17)" in result.stderr
    assert "Kota Bengkulu (17.71)" in result.stderr


def test_unknown_region_exits_2_with_the_closest_names(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--region", "Muara Enimm")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --region: unknown region 'Muara Enimm'; did you mean 'Muara Enim' (16.03)?\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "aktiv"], "--status: unknown value 'aktiv'; did you mean 'aktif'?"),
        (["--document", "mou2"], "--document: unknown value 'mou2'"),
        (["--category", "kdd"], "--category: unknown value 'kdd'"),
        (["--sector", "kesehatann"], "--sector: unknown sector 'kesehatann'"),
        (["--party-kind", "universitas"], "--party-kind: unknown value 'universitas'"),
        (
            ["--signed-from", "2024-02-30"],
            "--signed-from: '2024-02-30' is not a real calendar date",
        ),
        (["--as-of", "01/06/2025"], "--as-of: expected a date YYYY-MM-DD"),
        (["--sort", "parties"], "--sort: unknown field 'parties'; expected one of signed_on"),
        (["--excel", "--format", "json"], "--excel writes CSV"),
    ],
)
def test_bad_option_values_exit_2(
    fixture_registry: Path, run: Run, args: list[str], message: str
) -> None:
    result = run("list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize(
    "args",
    [["--year", "twenty"], ["--limit", "-1"], ["--format", "xml"], ["--expiring-within", "x"]],
)
def test_bad_option_types_exit_2(fixture_registry: Path, run: Run, args: list[str]) -> None:
    result = run("list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_missing_data_folder_exits_2(tmp_path: Path, run: Run) -> None:
    result = run("list", "--data-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# --- status as of a date --------------------------------------------------------------------


def test_as_of_moves_every_status(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--format", "json", "--as-of", "2025-08-01")
    statuses = {item["id"]: item["status"] for item in result.json()}
    assert statuses == {
        "kb-muara-enim-unsri": "aktif",
        "kb-muara-enim-lahat-2024": "aktif",
        "pks-jabar-bekasi-2024": "kedaluwarsa",
        "kb-jabar-bekasi-2023": "aktif",
        "nk-kemendagri-sumsel": "dibatalkan",
        "kb-bandung-pindad": "berakhir",
        "kb-muara-enim-lahat-2019": "berakhir",
        "kb-lahat-pagaralam-2018": "kedaluwarsa",
        "kb-kaur-muara-enim-draf": "draf",
    }


def test_expiry_window_sets_what_counts_as_akan_berakhir(fixture_registry: Path, run: Run) -> None:
    assert ids(run, "--status", "akan_berakhir", "--expiry-window", "60") == [
        "pks-jabar-bekasi-2024"
    ]
    assert ids(run, "--status", "akan_berakhir", "--expiry-window", "59") == []
    assert ids(run, "--status", "aktif", "--expiry-window", "59") == [
        "kb-muara-enim-lahat-2024",
        "pks-jabar-bekasi-2024",
        "kb-jabar-bekasi-2023",
    ]


# --- sorting and limits -----------------------------------------------------------------------


def test_sort_by_status_follows_the_record_format_order(fixture_registry: Path, run: Run) -> None:
    assert ids(run, "--sort", "status") == [
        "nk-kemendagri-sumsel",  # dibatalkan
        "kb-bandung-pindad",  # berakhir, signed 2021
        "kb-muara-enim-lahat-2019",  # berakhir, signed 2019
        "kb-kaur-muara-enim-draf",  # draf
        "kb-muara-enim-unsri",  # belum_berlaku
        "kb-lahat-pagaralam-2018",  # kedaluwarsa
        "pks-jabar-bekasi-2024",  # akan_berakhir
        "kb-muara-enim-lahat-2024",  # aktif, signed 2024
        "kb-jabar-bekasi-2023",  # aktif, signed 2023
    ]


def test_sort_by_ends_on_is_latest_first_with_blanks_last(fixture_registry: Path, run: Run) -> None:
    assert ids(run, "--sort", "ends_on") == [
        "kb-muara-enim-unsri",  # 2030-06-30
        "kb-muara-enim-lahat-2024",  # 2029-05-31
        "kb-jabar-bekasi-2023",  # 2028-02-28
        "nk-kemendagri-sumsel",  # 2027-02-01
        "kb-bandung-pindad",  # 2026-09-08
        "pks-jabar-bekasi-2024",  # 2025-07-31
        "kb-muara-enim-lahat-2019",  # 2024-04-30
        "kb-lahat-pagaralam-2018",  # 2023-11-30
        "kb-kaur-muara-enim-draf",  # none
    ]


def test_reverse_flips_the_order_but_keeps_blanks_last(fixture_registry: Path, run: Run) -> None:
    assert ids(run, "--sort", "ends_on", "--reverse")[:2] == [
        "kb-lahat-pagaralam-2018",
        "kb-muara-enim-lahat-2019",
    ]
    assert ids(run, "--reverse")[-1] == "kb-kaur-muara-enim-draf"


def test_sort_by_id_and_title_is_alphabetical(fixture_registry: Path, run: Run) -> None:
    assert ids(run, "--sort", "id") == sorted(ALL)
    titles = ids(run, "--sort", "title", "--limit", "3")
    assert titles == [
        "pks-jabar-bekasi-2024",  # Beasiswa Pendidikan Tinggi
        "kb-muara-enim-lahat-2019",  # Jalan Penghubung Antar Kabupaten
        "kb-muara-enim-lahat-2024",  # Jalan Penghubung Antar Kabupaten (pembaruan)
    ]


def test_sort_by_document_and_category(fixture_registry: Path, run: Run) -> None:
    assert ids(run, "--sort", "document")[-2:] == ["nk-kemendagri-sumsel", "pks-jabar-bekasi-2024"]
    assert ids(run, "--sort", "category") == [
        # ksdd, newest signed first, drafts last
        "kb-muara-enim-lahat-2024",
        "pks-jabar-bekasi-2024",
        "kb-jabar-bekasi-2023",
        "kb-muara-enim-lahat-2019",
        "kb-lahat-pagaralam-2018",
        "kb-kaur-muara-enim-draf",
        # ksdpk
        "kb-muara-enim-unsri",
        "kb-bandung-pindad",
        # sinergi
        "nk-kemendagri-sumsel",
    ]


def test_limit_keeps_the_first_n_after_sorting(fixture_registry: Path, run: Run) -> None:
    assert ids(run, "--limit", "2") == ALL[:2]
    assert ids(run, "--limit", "0") == []
    assert ids(run, "--limit", "100") == ALL


# --- formats ----------------------------------------------------------------------------------


def test_piped_table_is_tab_separated_with_a_header(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--as-of", "2025-06-01", "--within", "jabar")
    assert result.exit_code == 0
    # Labels and dates as people write them; --format csv, json and ids keep keys and ISO.
    assert result.stdout == (
        "ID\tStatus\tDocument\tParties\tSectors\tSigned on\tEnds on\n"
        "pks-jabar-bekasi-2024\tExpiring soon\tCooperation Agreement (Perjanjian Kerja Sama, PKS)\t"
        "Prov. Jawa Barat; Kota Bekasi\tEducation\t10 January 2024\t31 July 2025\n"
        "kb-jabar-bekasi-2023\tIn force\t"
        "Memorandum of Understanding (Kesepakatan Bersama, KB/MoU)\t"
        "Prov. Jawa Barat; Kota Bekasi\tEducation, Health\t1 March 2023\t28 February 2028\n"
        "kb-bandung-pindad\tEnded\tMemorandum of Understanding (Kesepakatan Bersama, KB/MoU)\t"
        "Kota Bandung; PT Pindad (Persero)\tIndustry\t9 September 2021\t8 September 2026\n"
    )
    assert result.stderr == ""


def test_no_match_prints_only_the_header_when_piped(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--year", "1999")
    assert result.exit_code == 0
    assert result.stdout == "ID\tStatus\tDocument\tParties\tSectors\tSigned on\tEnds on\n"


def test_json_matches_the_contract(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--format", "json", "--as-of", "2025-06-01", "--party-kind", "ptn")
    assert result.exit_code == 0
    assert result.json() == [
        {
            "id": "kb-muara-enim-unsri",
            "title": "Tridharma Perguruan Tinggi",
            "document": "kesepakatan_bersama",
            "category": "ksdpk",
            "status": "belum_berlaku",
            "signed_on": "2025-01-15",
            "starts_on": "2025-07-01",
            "ends_on": "2030-06-30",
            "sectors": ["pendidikan", "penelitian_pengembangan"],
            "parties": [
                {
                    "code": "16.03",
                    "name": "Muara Enim",
                    "kind": "kabupaten",
                    "official_name": "Kabupaten Muara Enim",
                },
                {"name": "Universitas Sriwijaya", "kind": "ptn"},
            ],
            "path": "data/agreements/2025/kb-muara-enim-unsri.yaml",
        }
    ]


def test_json_of_a_draft_has_null_dates(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--format", "json", "--status", "draf")
    (item,) = result.json()
    assert (item["signed_on"], item["starts_on"], item["ends_on"]) == (None, None, None)
    assert item["category"] == "ksdd"


def test_json_with_no_match_is_an_empty_array(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--format", "json", "--year", "1999")
    assert result.stdout == "[]\n"


def test_csv_has_a_header_and_codes(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--format", "csv", "--as-of", "2025-06-01", "--region", "Kota Bandung")
    assert result.exit_code == 0
    assert result.stdout == (
        "id,title,document,category,status,signed_on,starts_on,ends_on,sectors,parties,"
        "region_codes,path\n"
        "kb-bandung-pindad,Pengembangan Industri Pertahanan,kesepakatan_bersama,ksdpk,berakhir,"
        "2021-09-09,2021-09-09,2026-09-08,perindustrian,Kota Bandung; PT Pindad (Persero),"
        "32.73,data/agreements/2021/kb-bandung-pindad.yaml\n"
    )


def test_excel_csv_starts_with_a_bom_and_uses_crlf(fixture_registry: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", "list", "--excel", "--region", "Kaur"],
        cwd=fixture_registry.parent,
        env={**os.environ, "KERJASAMA_DATA": str(fixture_registry), "PYTHONIOENCODING": "latin-1"},
        capture_output=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"\xef\xbb\xbfid,title,")
    lines = out.stdout.split(b"\r\n")
    assert len(lines) == 3  # header, one record, and the empty rest after the last CRLF
    assert lines[1].startswith(b"kb-kaur-muara-enim-draf,")
    assert lines[2] == b""


def test_ids_of_an_empty_selection_print_nothing(fixture_registry: Path, run: Run) -> None:
    result = run("list", "--format", "ids", "--year", "1999")
    assert (result.exit_code, result.stdout) == (0, "")


# --- files with errors ------------------------------------------------------------------------


def test_files_with_errors_are_skipped_with_one_warning(fixture_registry: Path, run: Run) -> None:
    write_record(fixture_registry, "id: broken\ntitle: [unclosed\n", "broken", "draf")
    write_record(fixture_registry, "id: also-broken\n", "also-broken", "draf")
    result = run("list", "--format", "ids")
    assert result.exit_code == 0
    assert result.stdout.split() == ids(run)
    assert len(result.stdout.split()) == len(ALL)
    assert result.stderr == (
        "warning: 2 record files are invalid and left out; run `kerjasama validate`\n"
    )


# --- terminal output --------------------------------------------------------------------------


def test_terminal_gets_a_rich_table(fixture_registry: Path, run: Run, terminal: None) -> None:
    result = run("list", "--as-of", "2025-06-01", "--within", "jabar")
    assert result.exit_code == 0
    lines = [line.rstrip() for line in ANSI.sub("", result.stdout).splitlines()]
    assert "\t" not in result.stdout
    assert lines[1].split() == ["ID", "Status", "Doc", "Parties", "Sectors", "Signed", "Ends"]
    assert set(lines[2].strip()) == {"─"}
    assert lines[3].split()[:4] == ["pks-jabar-bekasi-2024", "Expiring", "soon", "PKS"]
    assert "Prov. Jawa Barat, Kota Bekasi" in lines[3]
    assert lines[-1] == "3 of 9 agreements, status as of 1 June 2025"


def test_terminal_truncates_long_cells_to_the_width(
    fixture_registry: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    render.stdout.cache_clear()
    result = run("list", "--as-of", "2025-06-01")
    lines = ANSI.sub("", result.stdout).splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 120
    assert any("…" in line for line in lines)
    # every agreement stays on one line
    assert len([line for line in lines if line.startswith((" kb-", " nk-", " pks-"))]) == len(ALL)


def test_terminal_colours_the_status(
    fixture_registry: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    render.stdout.cache_clear()
    result = run("list", "--as-of", "2025-06-01", "--status", "aktif")
    assert "\x1b[32mIn force" in result.stdout  # green


def test_no_color_is_honoured_in_a_terminal(
    fixture_registry: Path, run: Run, terminal: None
) -> None:
    result = run("list", "--as-of", "2025-06-01", "--status", "aktif")
    assert "In force" in result.stdout
    assert not re.search(r"\x1b\[3\dm", result.stdout)  # no foreground colour


@pytest.mark.parametrize(
    ("columns", "headers"),
    [
        (160, ["ID", "Status", "Doc", "Parties", "Sectors", "Signed", "Ends"]),
        (120, ["ID", "Status", "Doc", "Parties", "Signed", "Ends"]),
        (100, ["ID", "Status", "Parties", "Signed"]),
    ],
)
def test_a_wide_terminal_shows_one_line_per_agreement_leaving_columns_out_first(
    bundled: Path,
    run: Run,
    terminal: None,
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
    headers: list[str],
) -> None:
    """As gh does: fewer columns rather than ids wrapped; the parties keep room enough to
    name the partner (30 columns)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    render.stdout.cache_clear()
    result = run("list", "--as-of", "2026-11-23", data_dir=bundled)
    lines = [line.rstrip() for line in ANSI.sub("", result.stdout).splitlines()]
    assert lines[1].split() == headers
    body = lines[3 : lines.index("", 3)]
    assert len(body) == 9  # the bundled agreements, a line each
    assert max(len(line) for line in lines) <= columns
    parties = lines[1].index("Parties")
    assert all(len(line) >= parties + 30 for line in body)
    assert any("kb-muara-enim-bsip-pusat-penelitian-karet " in line for line in body)


@pytest.mark.parametrize("columns", [80, 60, 40])
def test_a_narrow_terminal_stacks_each_agreement_with_its_id_and_parties_whole(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    """At 80 columns the table showed "Prov. Jawa …" for every agreement: the parties, what a
    list is read for, were cut to nothing. Each agreement is its id and status, then its
    parties in full and its dates, indented."""
    monkeypatch.setenv("COLUMNS", str(columns))
    render.stdout.cache_clear()
    result = run("list", "--as-of", "2026-11-23", data_dir=bundled)
    text = ANSI.sub("", result.stdout)
    lines = [line.rstrip() for line in text.splitlines()]
    assert max(len(line) for line in lines) <= columns
    assert "…" not in text
    squeezed = "".join(text.split())  # an id longer than the terminal is folded, not cut
    assert squeezed.endswith("9of9agreements,statusasof23November2026")
    assert "kb-muara-enim-bsip-pusat-penelitian-karetDraftKab.MuaraEnim;Badan" in squeezed
    if columns == 40:  # the 41-character id is folded; its status goes below it, not inside
        assert "\n  Draft  Kab. Muara Enim; Badan" in text
    joined = " ".join(text.split())
    assert "Prov. Jawa Barat; Kab. Bengkulu Tengah (5 Feb 2024 - 4 Feb 2029)" in joined


def test_with_region_a_terminal_shows_each_agreement_s_partners_first(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list --region "Muara Enim"` said "Kab. Muara E..." on every line. The partner comes
    first; piped output keeps the record's order."""
    monkeypatch.setenv("COLUMNS", "80")
    render.stdout.cache_clear()
    result = run("list", "--region", "Muara Enim", "--as-of", "2026-11-23", data_dir=bundled)
    lines = [line.strip() for line in ANSI.sub("", result.stdout).splitlines()]
    bsip = lines.index("kb-muara-enim-bsip-pusat-penelitian-karet  Draft")
    assert lines[bsip + 1].startswith("Badan Standardisasi Instrumen Pertanian (BSIP)")
    piped = run("list", "--region", "Muara Enim", "--format", "csv", data_dir=bundled).stdout
    assert "Kab. Muara Enim; Badan Standardisasi" in piped


def test_a_dumb_terminal_takes_its_width_from_columns(
    bundled: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "60")
    render.stdout.cache_clear()
    result = run("list", "--as-of", "2026-11-23", data_dir=bundled)
    lines = [line.rstrip() for line in ANSI.sub("", result.stdout).splitlines()]
    assert max(len(line) for line in lines) <= 60
    assert lines[0] == "kb-2024-02-05-jawa-barat-bengkulu-tengah  In force"  # stacked at 60


def test_an_empty_table_says_that_nothing_matches(bundled: Path, run: Run) -> None:
    result = run("list", "--search", "no such words anywhere", data_dir=bundled)
    assert result.exit_code == 0
    assert result.stderr == "no agreement matches\n"
    as_json = run(
        "list", "--search", "no such words anywhere", "--format", "json", data_dir=bundled
    )
    assert as_json.stdout == "[]\n"
    assert as_json.stderr == ""


def test_an_empty_table_in_a_terminal_says_it_once(bundled: Path, run: Run, terminal: None) -> None:
    result = run("list", "--search", "no such words anywhere", data_dir=bundled)
    assert result.exit_code == 0
    assert "0 of 9 agreements" in ANSI.sub("", result.stdout)
    assert "no agreement matches" not in result.stderr
