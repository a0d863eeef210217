"""`kerjasama vocab`, and the words people use for sectors (issue 18, "Words people use")."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kerjasama_cli.vocab import DOCUMENTS, SECTOR_KEYS, close_sector, resolve_sector
from tests.conftest import Run, record_text, write_record


def test_json_lists_every_vocabulary_with_labels_codes_and_aliases(run: Run) -> None:
    result = run("vocab", "--format", "json")
    assert result.exit_code == 0
    data = result.json()
    assert list(data) == [
        "document",
        "category",
        "party_kind",
        "sector",
        "stage",
        "end_reason",
        "funding",
        "recommendation",
    ]
    assert [t["key"] for t in data["document"]] == list(DOCUMENTS)
    assert [t["key"] for t in data["sector"]] == list(SECTOR_KEYS)
    works = next(t for t in data["sector"] if t["key"] == "pekerjaan_umum")
    assert works["code"] == "1.03"
    assert works["label"] == "Public Works and Spatial Planning"
    assert {"pu", "pupr", "pekerjaan_umum_dan_penataan_ruang"} <= set(works["aliases"])
    kb = next(t for t in data["document"] if t["key"] == "kesepakatan_bersama")
    assert kb["code"] is None and set(kb["aliases"]) == {"kb", "mou"}
    assert [t["key"] for t in data["recommendation"]] == [
        "lanjutkan",
        "perpanjang",
        "revisi",
        "hentikan",
    ]
    assert all(t["label"] for terms in data.values() for t in terms)


def test_names_choose_vocabularies_and_csv_has_one_row_per_value(run: Run) -> None:
    result = run("vocab", "stage", "end-reason", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["vocabulary"] for r in rows} == {"stage", "end_reason"}
    assert len(rows) == 9 + 8
    assert rows[0] == {
        "vocabulary": "stage",
        "key": "persiapan",
        "code": "",
        "label": "Preparation",
        "aliases": "",
    }


def test_labels_are_in_the_chosen_language_and_keys_are_not(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = run("vocab", "--format", "json").json()
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    indonesian = run("vocab", "--format", "json").json()
    assert [[t["key"] for t in terms] for terms in indonesian.values()] == [
        [t["key"] for t in terms] for terms in english.values()
    ]
    works = next(t for t in indonesian["sector"] if t["key"] == "pekerjaan_umum")
    assert works["label"] == "Pekerjaan Umum dan Penataan Ruang"
    kb = next(t for t in indonesian["document"] if t["key"] == "kesepakatan_bersama")
    assert kb["label"] == "Kesepakatan Bersama (KB/MoU)"
    assert indonesian["stage"][0]["label"] == "Persiapan"


def test_piped_vocabularies_are_in_the_chosen_language_and_csv_keeps_keys(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("vocab", "stage").stdout.splitlines()[:2] == [
        "Vocabulary\tKey\tCode\tLabel\tAliases",
        "stage\tpersiapan\t\tPreparation\t",
    ]
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    assert run("vocab", "stage").stdout.splitlines()[:2] == [
        "Kosakata\tKunci\tKode\tLabel\tAlias",
        "stage\tpersiapan\t\tPersiapan\t",
    ]
    assert run("vocab", "stage", "--format", "csv").stdout.splitlines()[0] == (
        "vocabulary,key,code,label,aliases"
    )


def test_every_value_has_a_label_and_unknown_keys_are_shown_as_written() -> None:
    from kerjasama_cli import vocab

    for name, terms in vocab.vocabularies().items():
        assert [vocab.label(name, t.key) for t in terms] == [t.label for t in terms]
    assert [vocab.label("status", s) for s in vocab.STATUSES] == [
        "cancelled",
        "ended",
        "draft",
        "not yet in force",
        "expired",
        "expiring soon",
        "in force",
    ]
    assert vocab.label("sector", "keuangan") == "keuangan"
    assert vocab.label("nothing", "x") == "x"


def test_an_unknown_vocabulary_is_a_usage_error_with_a_close_name(run: Run) -> None:
    result = run("vocab", "sektor")
    assert result.exit_code == 2
    assert "did you mean 'sector'?" in result.stderr


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Administrasi Kependudukan dan Pencatatan Sipil", "kependudukan"),
        ("Pekerjaan Umum & Penataan Ruang", "pekerjaan_umum"),
        ("PU", "pekerjaan_umum"),
        ("PUPR", "pekerjaan_umum"),
        ("Damkar", "trantibum"),
        ("Dukcapil", "kependudukan"),
        ("Satpol PP", "trantibum"),
        ("pertambangan", "energi_sdm"),
        ("Bappeda", "perencanaan_pembangunan"),
    ],
)
def test_official_urusan_names_and_office_short_forms_are_sectors(written: str, key: str) -> None:
    assert resolve_sector(written) == key


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("kesehatn", "kesehatan"),
        ("pendidkan", "pendidikan"),
        ("pertanain", "pertanian"),  # two letters swapped
        ("lingkungan hidp", "lingkungan_hidup"),
        ("pemerintahan", "pemerintahan_umum"),
        ("keuangan", None),  # not kehutanan: four edits away
        ("keamanan", None),
        ("olahraga pemuda", None),
    ],
)
def test_did_you_mean_only_when_the_sector_is_close(written: str, suggested: str | None) -> None:
    assert close_sector(written) == suggested


def test_validate_suggests_nothing_far_and_points_to_vocab(registry: Path, run: Run) -> None:
    write_record(registry, record_text("kb-a", sectors=("keuangan",)), "kb-a", "draf")
    (finding,) = run("validate", "--format", "json").json()["findings"]
    assert finding["rule"] == "KS207"
    assert "kehutanan" not in finding["message"]
    assert "`kerjasama vocab sector`" in finding["message"]


def test_fmt_writes_the_key_for_an_official_name(registry: Path, run: Run) -> None:
    path = write_record(
        registry,
        record_text("kb-a", sectors=('"Administrasi Kependudukan dan Pencatatan Sipil"',)),
        "kb-a",
        "draf",
    )
    assert run("validate").exit_code == 0
    assert run("fmt").exit_code == 0
    assert "sectors: [kependudukan]" in path.read_text(encoding="utf-8")
