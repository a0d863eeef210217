"""`kerjasama show ID` through the real CLI: readable text, JSON, YAML, links, unknown ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ANSI, Run, write_record
from tests.fixture_registry import RECORDS, write_fixture_registry


@pytest.fixture
def fixture_registry(registry: Path) -> Path:
    write_fixture_registry(registry)
    return registry


def show(run: Run, *args: str) -> str:
    result = run("show", "--as-of", "2025-06-01", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_piped_text_shows_the_whole_record(fixture_registry: Path, run: Run) -> None:
    assert show(run, "kb-jabar-bekasi-2023") == (
        "Peningkatan Layanan Pendidikan dan Kesehatan\n"
        "\n"
        "id        kb-jabar-bekasi-2023\n"
        "document  Memorandum of Understanding (Kesepakatan Bersama, KB/MoU)\n"
        "category  KSDD (region with another region), derived from the parties\n"
        "status    In force as of 1 June 2025 (ends in 1002 days)\n"
        "signed    1 March 2023 at Gedung Sate, Kota Bandung\n"
        "ends      28 February 2028\n"
        "sectors   pendidikan 1.01 (Education)\n"
        "          kesehatan 1.02 (Health)\n"
        "file      data/agreements/2023/kb-jabar-bekasi-2023.yaml\n"
        "\n"
        "Parties\n"
        "#  party             code   kind                   signatory                          number\n"
        "1  Prov. Jawa Barat  32     Provincial Government  Ridwan Kamil, Gubernur Jawa Barat  120/12/Pem\n"
        "2  Kota Bekasi       32.75  City Government        Tri Adhianto\n"
        "\n"
        "Linked records\n"
        "link            id                     document  status\n"
        "implemented by  pks-jabar-bekasi-2024  PKS       Expiring soon\n"
        "related         kb-bandung-pindad      KB        Ended\n"
        "\n"
        "Sources\n"
        "1.  Jabar dan Bekasi teken kesepakatan\n"
        "      Humas Jabar, 2 March 2023\n"
        "      https://example.org/jabar-bekasi\n"
    )


def test_text_shows_parent_and_activities(fixture_registry: Path, run: Run) -> None:
    out = show(run, "pks-jabar-bekasi-2024")
    assert "status    Expiring soon as of 1 June 2025 (ends in 60 days)\n" in out
    assert "link    id                    document  status\n" in out
    assert "parent  kb-jabar-bekasi-2023  KB        In force\n" in out
    assert (
        "Activities\n1 September 2024  40 beasiswa disalurkan\n"
        "                    https://example.org/beasiswa\n"
    ) in out


def test_text_shows_supersession_both_ways(fixture_registry: Path, run: Run) -> None:
    old = show(run, "kb-muara-enim-lahat-2019")
    assert "status    Ended as of 1 June 2025 (superseded by kb-muara-enim-lahat-2024)\n" in old
    assert "superseded by  kb-muara-enim-lahat-2024  KB        In force\n" in old
    new = show(run, "kb-muara-enim-lahat-2024")
    assert "supersedes  kb-muara-enim-lahat-2019  KB        Ended\n" in new


def test_related_is_shown_from_both_sides(fixture_registry: Path, run: Run) -> None:
    assert "related  kb-jabar-bekasi-2023  KB        In force\n" in show(run, "kb-bandung-pindad")


def test_text_of_a_draft_and_an_ended_record(fixture_registry: Path, run: Run) -> None:
    draft = show(run, "kb-kaur-muara-enim-draf")
    assert "status    Draft as of 1 June 2025\n" in draft
    assert "stage     Offer\n" in draft
    assert "signed    not signed (draft)\n" in draft
    assert "scope     - jalan penghubung Padang Guci - Muara Enim\n" in draft
    assert "Linked records" not in draft
    ended = show(run, "nk-kemendagri-sumsel")
    assert "status    Cancelled as of 1 June 2025\n" in ended
    assert "ended     31 December 2024 (Cancelled)\n" in ended
    assert "2  Kementerian Dalam Negeri        Ministry or Agency (Kementerian/Lembaga)\n" in ended


def test_in_indonesian_the_end_date_and_the_ending_have_two_names(
    fixture_registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both were "berakhir": the day the agreement runs to, and the day it was ended."""
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    ended = show(run, "nk-kemendagri-sumsel")
    lines = ended.splitlines()
    assert any(line.startswith("berlaku sampai  ") for line in lines), ended
    assert any(line.startswith("diakhiri        31 Desember 2024") for line in lines), ended
    assert not any(line.startswith("berakhir ") for line in lines)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2025-06-29", "Not yet in force as of 29 June 2025 (starts in 2 days)"),
        ("2025-06-30", "Not yet in force as of 30 June 2025 (starts in 1 day)"),
        ("2025-07-01", "In force as of 1 July 2025 (ends in 1825 days)"),
        ("2030-04-01", "Expiring soon as of 1 April 2030 (ends in 90 days)"),
        ("2030-07-01", "Expired as of 1 July 2030 (expired 1 day ago)"),
    ],
)
def test_as_of_sets_the_status_shown(
    fixture_registry: Path, run: Run, as_of: str, status: str
) -> None:
    result = run("show", "kb-muara-enim-unsri", "--as-of", as_of)
    assert f"status    {status}\n" in result.stdout


def test_expiry_window_sets_akan_berakhir(fixture_registry: Path, run: Run) -> None:
    assert "status    In force" in show(run, "pks-jabar-bekasi-2024", "--expiry-window", "59")


def test_configured_expiry_window_applies(fixture_registry: Path, run: Run) -> None:
    (fixture_registry / "kerjasama.toml").write_text("expiry_window = 59\n", encoding="utf-8")
    assert "status    In force" in show(run, "pks-jabar-bekasi-2024")
    assert "status    Expiring soon" in show(run, "pks-jabar-bekasi-2024", "--expiry-window", "60")


def test_json_is_the_list_shape_plus_every_key_and_links(fixture_registry: Path, run: Run) -> None:
    result = run("show", "pks-jabar-bekasi-2024", "--format", "json", "--as-of", "2025-06-01")
    assert result.exit_code == 0
    assert result.json() == {
        "id": "pks-jabar-bekasi-2024",
        "title": "Beasiswa Pendidikan Tinggi",
        "document": "perjanjian_kerja_sama",
        "category": "ksdd",
        "status": "akan_berakhir",
        "signed_on": "2024-01-10",
        "starts_on": "2024-01-10",
        "ends_on": "2025-07-31",
        "sectors": ["pendidikan"],
        "parties": [
            {
                "code": "32",
                "name": "Jawa Barat",
                "kind": "provinsi",
                "official_name": "Provinsi Jawa Barat",
            },
            {"code": "32.75", "name": "Bekasi", "kind": "kota", "official_name": "Kota Bekasi"},
        ],
        "path": "data/agreements/2024/pks-jabar-bekasi-2024.yaml",
        "category_derived": True,
        "as_of": "2025-06-01",
        "parent": "kb-jabar-bekasi-2023",
        "activities": [
            {
                "on": "2024-09-01",
                "summary": "40 beasiswa disalurkan",
                "evidence": ["https://example.org/beasiswa"],
            }
        ],
        "sources": [{"url": "https://example.org/pks"}],
        "links": {
            "parent": "kb-jabar-bekasi-2023",
            "implemented_by": [],
            "supersedes": [],
            "superseded_by": [],
            "related": [],
        },
    }


def test_json_carries_signatories_numbers_and_given_category(
    fixture_registry: Path, run: Run
) -> None:
    doc = run("show", "kb-jabar-bekasi-2023", "--format", "json").json()
    assert doc["parties"][0]["signatory"] == {
        "name": "Ridwan Kamil",
        "position": "Gubernur Jawa Barat",
    }
    assert doc["parties"][0]["number"] == "120/12/Pem"
    assert doc["links"]["implemented_by"] == ["pks-jabar-bekasi-2024"]
    assert doc["links"]["related"] == ["kb-bandung-pindad"]
    pindad = run("show", "kb-bandung-pindad", "--format", "json").json()
    assert (pindad["category"], pindad["category_derived"]) == ("ksdpk", False)
    assert pindad["parties"][1] == {"name": "PT Pindad (Persero)", "kind": "bumn"}
    assert pindad["ended"] == {"on": "2023-01-01", "reason": "kesepakatan_para_pihak"}


def test_yaml_is_the_file_as_stored(fixture_registry: Path, run: Run) -> None:
    result = run("show", "kb-bandung-pindad", "--format", "yaml")
    assert result.exit_code == 0
    assert result.stdout == RECORDS["kb-bandung-pindad"][1]


def test_unknown_id_exits_2_suggesting_close_ids(fixture_registry: Path, run: Run) -> None:
    result = run("show", "kb-muara-enim-lahat")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: no agreement has the id 'kb-muara-enim-lahat'; did you mean "
        "kb-muara-enim-lahat-2019, kb-muara-enim-lahat-2024?\n"
    )


def test_a_typo_in_an_id_gets_a_suggestion(fixture_registry: Path, run: Run) -> None:
    result = run("show", "kb-bandung-pindat")
    assert result.exit_code == 2
    assert "did you mean kb-bandung-pindad?" in result.stderr


def test_an_id_like_nothing_points_to_the_list(fixture_registry: Path, run: Run) -> None:
    result = run("show", "zzz")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no agreement has the id 'zzz'; `kerjasama list --format ids` lists them\n"
    )


def test_a_record_with_errors_exits_1_and_names_the_file(registry: Path, run: Run) -> None:
    write_record(registry, "id: kb-broken\ntitle: [unclosed\n", "kb-broken", "draf")
    result = run("show", "kb-broken")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: data/agreements/draf/kb-broken.yaml has errors; "
        "run `kerjasama validate data/agreements/draf/kb-broken.yaml` to see them\n"
    )


def test_bad_format_and_date_exit_2(fixture_registry: Path, run: Run) -> None:
    assert run("show", "kb-bandung-pindad", "--format", "xml").exit_code == 2
    result = run("show", "kb-bandung-pindad", "--as-of", "tomorrow")
    assert result.exit_code == 2
    assert "--as-of: expected a date YYYY-MM-DD" in result.stderr


def test_terminal_gets_rich_tables(fixture_registry: Path, run: Run, terminal: None) -> None:
    result = run("show", "kb-jabar-bekasi-2023", "--as-of", "2025-06-01")
    text = ANSI.sub("", result.stdout)
    assert result.stdout != text  # styled
    assert "─" in text  # the tables' header rules
    assert "Ridwan Kamil, Gubernur Jawa Barat" in text


def test_piped_text_has_no_box_drawing_or_trailing_spaces(fixture_registry: Path, run: Run) -> None:
    out = show(run, "kb-jabar-bekasi-2023")
    assert "─" not in out
    assert "\x1b" not in out
    assert all(line == line.rstrip() for line in out.splitlines())


CARRIAGE_RETURNS = """\
id: kb-garis-baru
title: Kerja Sama Air Bersih
document: kesepakatan_bersama
parties:
  - region: Kota Bekasi
  - region: Kab. Bekasi
sectors: [pekerjaan_umum]
signed_on: 2023-03-01
notes: "baris satu\\rbaris dua\\r\\nbaris tiga\\u2028baris empat"
activities:
  - on: 2024-01-10
    summary: "rapat pertama\\rrapat kedua"
"""


@pytest.mark.parametrize("in_terminal", [False, True], ids=["piped", "terminal"])
def test_a_carriage_return_in_free_text_starts_a_new_line(
    registry: Path, run: Run, in_terminal: bool, request: pytest.FixtureRequest
) -> None:
    """Rich drops "\\r": a note written with one between its lines showed the lines
    run together ("baris satubaris dua")."""
    if in_terminal:
        request.getfixturevalue("terminal")
    write_record(registry, CARRIAGE_RETURNS, "kb-garis-baru")
    result = run("show", "kb-garis-baru", "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in ANSI.sub("", result.stdout).splitlines()]
    notes = lines.index("notes     baris satu") if not in_terminal else None
    if notes is not None:
        assert lines[notes + 1 : notes + 4] == ["baris dua", "baris tiga", "baris empat"]
    for words in ("baris satu", "baris dua", "baris tiga", "baris empat"):
        assert any(line.endswith(words) for line in lines), words
    assert any(line.endswith("rapat pertama") for line in lines)
    assert any(line.endswith("rapat kedua") for line in lines)
    assert "satubaris" not in result.stdout and "pertamarapat" not in result.stdout


def test_each_sector_shows_its_label_in_indonesian_too(
    fixture_registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A label that is the key's own words ("Pendidikan") was left out, leaving the key alone."""
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    out = show(run, "kb-jabar-bekasi-2023")
    assert "pendidikan 1.01 (Pendidikan)\n" in out
    assert "kesehatan 1.02 (Kesehatan)\n" in out


def test_a_long_file_path_stays_on_one_line_to_be_copied(
    tmp_path: Path, run: Run, bundled: Path
) -> None:
    """Folded into 80 columns it broke inside a name (``...bengkulu-te`` / ``ngah.yaml``)."""
    deep = tmp_path / ("folder-with-a-long-name-" * 3) / "data"
    shutil.copytree(bundled, deep)
    result = run("show", "kb-2024-02-05-jawa-barat-bengkulu-tengah", data_dir=deep)
    assert result.exit_code == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("file ")]
    assert line.endswith("/agreements/2024/kb-2024-02-05-jawa-barat-bengkulu-tengah.yaml")
    assert len(line) > 80


def test_a_linked_id_is_never_cut_short_in_a_narrow_terminal(
    registry: Path, run: Run, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns in Indonesian, "ditindaklanjuti dengan" left the PKS's id
    "pks-2023-06-01-muara-enim-buki…": the id, what `show` is run with next, stays whole."""
    from kerjasama_cli import render
    from tests.conftest import record_text

    long_id = "pks-2023-06-01-muara-enim-bukit-asam-tanggung-jawab-sosial"
    write_record(registry, record_text("kb-induk"), "kb-induk")
    pks = record_text(long_id, document="perjanjian_kerja_sama", parent="kb-induk")
    write_record(registry, pks, long_id)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    render.stdout.cache_clear()
    text = ANSI.sub("", run("show", "kb-induk").stdout)
    assert long_id in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
