"""`kerjasama add` through the real CLI: flags, files, stdin, prompts, ids and every refusal."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import Run, write_record
from tests.tree import snapshot

JABAR_BENTENG = (
    "--title",
    "Pengembangan Potensi Daerah dan Peningkatan Pelayanan Publik",
    "--party",
    "Jabar",
    "--party",
    "Bengkulu Tengah",
    "--sector",
    "perencanaan_pembangunan,pelayanan_publik",
    "--sector",
    "2.16",
    "--signed-on",
    "2024-02-05",
    "--signed-at",
    "Gedung Sate, Kota Bandung",
    "--ends-on",
    "2029-02-04",
    "--source",
    "https://kantor-berita.com/perjanjian-kerjasama-bengkulu-tengah-dan-jawa-barat/",
)

JABAR_BENTENG_YAML = """\
id: kb-2024-02-05-jawa-barat-bengkulu-tengah
title: Pengembangan Potensi Daerah dan Peningkatan Pelayanan Publik
document: kesepakatan_bersama
parties:
  - region: "32"  # Provinsi Jawa Barat
  - region: "17.09"  # Kabupaten Bengkulu Tengah
sectors: [perencanaan_pembangunan, pelayanan_publik, komunikasi_informatika]
signed_on: 2024-02-05
signed_at: Gedung Sate, Kota Bandung
ends_on: 2029-02-04
sources:
  - url: https://kantor-berita.com/perjanjian-kerjasama-bengkulu-tengah-dan-jawa-barat/
"""

DRAFT = (
    "--title",
    "Kerja sama",
    "--party",
    "Kaur",
    "--party",
    "Muara Enim",
    "--sector",
    "pekerjaan_umum",
)

KB_FILE = """\
id: {id}
title: Kerja sama
document: kesepakatan_bersama
parties:
  - region: "17.04"  # Kabupaten Kaur
  - region: "16.03"  # Kabupaten Muara Enim
sectors: [pekerjaan_umum]
"""


def tree(registry: Path) -> dict[str, str]:
    return snapshot(registry.parent)


# --- flags -----------------------------------------------------------------------------------


def test_add_with_flags_writes_the_canonical_file_and_prints_its_path(
    registry: Path, run: Run
) -> None:
    result = run("add", *JABAR_BENTENG)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2024/kb-2024-02-05-jawa-barat-bengkulu-tengah.yaml\n"
    assert result.stderr == ""
    written = registry / "agreements/2024/kb-2024-02-05-jawa-barat-bengkulu-tengah.yaml"
    assert written.read_text(encoding="utf-8") == JABAR_BENTENG_YAML


def test_added_record_validates_and_is_already_canonical(registry: Path, run: Run) -> None:
    run("add", *JABAR_BENTENG)
    assert run("validate", "--strict").exit_code == 0
    check = run("fmt", "--check")
    assert check.exit_code == 0
    assert check.stdout == ""


def test_draft_goes_to_draf_with_an_id_without_date(registry: Path, run: Run) -> None:
    result = run("add", *DRAFT)
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim.yaml\n"
    assert (registry / "agreements/draf/kb-kaur-muara-enim.yaml").read_text() == KB_FILE.format(
        id="kb-kaur-muara-enim"
    )


def test_party_org_document_abbreviation_and_category(registry: Path, run: Run) -> None:
    result = run(
        "add",
        "--title",
        "Pengembangan Usaha Tani Karet",
        "--document",
        "pks",
        "--category",
        "ksdpk",
        "--party",
        "Pemkab Muara Enim",
        "--party-org",
        "Badan Standardisasi Instrumen Pertanian (BSIP):kementerian_lembaga",
        "--party-org",
        "Pusat Penelitian Karet: BUMN",
        "--sector",
        "perkebunan",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/pks-muara-enim-bsip-pusat-penelitian-karet.yaml\n"
    # ksdpk given, sinergi derived: a warning, the record is still written.
    assert "warning KS901 category (--category): category 'ksdpk' disagrees" in result.stderr
    path = registry / "agreements/draf/pks-muara-enim-bsip-pusat-penelitian-karet.yaml"
    assert path.read_text() == (
        "id: pks-muara-enim-bsip-pusat-penelitian-karet\n"
        "title: Pengembangan Usaha Tani Karet\n"
        "document: perjanjian_kerja_sama\n"
        "category: ksdpk\n"
        "parties:\n"
        '  - region: "16.03"  # Kabupaten Muara Enim\n'
        "  - name: Badan Standardisasi Instrumen Pertanian (BSIP)\n"
        "    kind: kementerian_lembaga\n"
        "  - name: Pusat Penelitian Karet\n"
        "    kind: bumn\n"
        "sectors: [pertanian]\n"
    )


def test_warnings_are_shown_but_the_record_is_written(registry: Path, run: Run) -> None:
    result = run("add", *DRAFT, "--signed-on", "2024-03-01")
    assert result.exit_code == 0
    assert result.stdout == "data/agreements/2024/kb-2024-03-01-kaur-muara-enim.yaml\n"
    assert result.stderr.splitlines() == [
        "warning KS902 signed_on (--signed-on): signed record without ends_on; expected the last day in force",
        "warning KS904 signed_on (--signed-on): signed record with no sources and no party number; expected a source (url or title) or the document number",
    ]


def test_long_title_is_folded_and_source_without_scheme_is_a_title(
    registry: Path, run: Run
) -> None:
    title = " ".join(["Peningkatan kapasitas sumber daya manusia aparatur"] * 3)
    result = run("add", *DRAFT[2:], "--title", title, "--source", "Radar Selatan, 3 Maret")
    text = (registry.parent / result.stdout.strip()).read_text()
    assert text.splitlines()[1:5] == [
        "title: >-",
        "  Peningkatan kapasitas sumber daya manusia aparatur Peningkatan kapasitas sumber daya manusia",
        "  aparatur Peningkatan kapasitas sumber daya manusia aparatur",
        "document: kesepakatan_bersama",
    ]
    assert text.endswith("sources:\n  - title: Radar Selatan, 3 Maret\n")
    assert run("validate", "--strict").exit_code == 0


# --- ids -----------------------------------------------------------------------------------


def test_generated_id_collision_gets_a_suffix(registry: Path, run: Run) -> None:
    first = run("add", *DRAFT)
    second = run("add", *DRAFT, "--allow-duplicate")  # the same agreement, written anyway
    third = run("add", *DRAFT, "--title", "Kerja sama lain")  # another draft, other title
    assert first.stdout == "data/agreements/draf/kb-kaur-muara-enim.yaml\n"
    assert second.stdout == "data/agreements/draf/kb-kaur-muara-enim-2.yaml\n"
    assert third.stdout == "data/agreements/draf/kb-kaur-muara-enim-3.yaml\n"
    assert (
        (registry / "agreements/draf/kb-kaur-muara-enim-2.yaml")
        .read_text()
        .startswith("id: kb-kaur-muara-enim-2\n")
    )


def test_generated_id_avoids_ids_in_other_folders(registry: Path, run: Run) -> None:
    # The same id under another year folder is still taken: ids are unique across the registry.
    signed = KB_FILE.format(id="kb-kaur-muara-enim") + "signed_on: 2019-05-01\n"
    write_record(registry, signed, "kb-kaur-muara-enim", "2019")
    result = run("add", *DRAFT)
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim-2.yaml\n"


def test_kota_sharing_a_name_is_prefixed_in_the_id(run: Run) -> None:
    result = run(
        "add", "--title", "x", "--party", "Kota Bekasi", "--party", "32.16", "--sector", "sosial"
    )
    assert result.stdout == "data/agreements/draf/kb-kota-bekasi-bekasi.yaml\n"


def test_explicit_id_is_used(registry: Path, run: Run) -> None:
    result = run("add", *DRAFT, "--id", "kb-kaur-muara-enim-jalan")
    assert result.stdout == "data/agreements/draf/kb-kaur-muara-enim-jalan.yaml\n"


# --- whole records from a file or stdin ----------------------------------------------------

FROM_FILE = """\
# Notes from the Bappeda meeting
title: Kerja sama jalan tembus   # working title
document: pks
parties:
  # the initiator
  - region: Muaraenim
  - {region: Kaur, signatory: {name: Lismidianto, position: Bupati Kaur}}
sectors: [jalan, "2.15"]
"""


def test_from_file_keeps_comments_and_canonicalises(
    tmp_path: Path, registry: Path, run: Run
) -> None:
    source = tmp_path / "new.yaml"
    source.write_text(FROM_FILE.replace("document: pks", "document: perjanjian_kerja_sama"))
    result = run("add", "--from-file", str(source))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/pks-muara-enim-kaur.yaml\n"
    assert (registry / "agreements/draf/pks-muara-enim-kaur.yaml").read_text() == (
        "# Notes from the Bappeda meeting\n"
        "id: pks-muara-enim-kaur\n"
        "title: Kerja sama jalan tembus  # working title\n"
        "document: perjanjian_kerja_sama\n"
        "parties:\n"
        "  # the initiator\n"
        '  - region: "16.03"  # Kabupaten Muara Enim\n'
        '  - region: "17.04"  # Kabupaten Kaur\n'
        "    signatory: {name: Lismidianto, position: Bupati Kaur}\n"
        "sectors: [pekerjaan_umum, perhubungan]\n"
    )


def test_from_stdin_with_flags_overriding_the_file(registry: Path, run: Run) -> None:
    result = run(
        "add",
        "--from-file",
        "-",
        "--id",
        "pks-jalan-tembus",
        "--document",
        "pks",
        input=FROM_FILE,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/draf/pks-jalan-tembus.yaml\n"


def test_json_on_stdin_is_a_record_too(registry: Path, run: Run) -> None:
    record = (
        '{"title": "Dari JSON", "document": "kesepakatan_bersama",'
        ' "parties": [{"region": "16.03"}, {"region": "17.04"}], "sectors": ["1.03"]}'
    )
    result = run("add", "--from-file", "-", input=record)
    assert result.stdout == "data/agreements/draf/kb-muara-enim-kaur.yaml\n"
    assert (registry / "agreements/draf/kb-muara-enim-kaur.yaml").read_text() == (
        "id: kb-muara-enim-kaur\n"
        "title: Dari JSON\n"
        "document: kesepakatan_bersama\n"
        "parties:\n"
        '  - region: "16.03"  # Kabupaten Muara Enim\n'
        '  - region: "17.04"  # Kabupaten Kaur\n'
        "sectors: [pekerjaan_umum]\n"
    )


def test_refused_file_findings_point_into_the_file(
    tmp_path: Path, registry: Path, run: Run
) -> None:
    source = tmp_path / "new.yaml"
    source.write_text(FROM_FILE.replace("Muaraenim", "Muara Enimm"))
    before = tree(registry)
    result = run("add", "--from-file", str(source))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "new.yaml:3:11: error KS207 document must be one of kesepakatan_bersama, perjanjian_kerja_sama, "
        "nota_kesepakatan, pernyataan_kehendak, naskah_kerja_sama, adendum; found 'pks'; "
        "did you mean 'perjanjian_kerja_sama'?",
        "new.yaml:6:13: error KS201 unknown region 'Muara Enimm'; did you mean 'Muara Enim' (16.03)?",
        "error: the record would be invalid (2 errors); nothing was written",
    ]
    assert tree(registry) == before


# --- prompts -------------------------------------------------------------------------------


@pytest.fixture
def interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ask even though the test's stdin is not a terminal (documented KERJASAMA_INTERACTIVE)."""
    monkeypatch.setenv("KERJASAMA_INTERACTIVE", "1")


ANSWERS = [
    "pks",  # document, by its abbreviation
    "Pemeliharaan jalan perbatasan",  # title
    "Bekasi",  # ambiguous: the candidates to choose from
    "",  # none of them: asked again
    "Muaraenim",  # resolves...
    "n",  # ...but is not confirmed
    "Muara Enim",
    "",  # confirmed (default yes)
    "org",
    "Universitas Sriwijaya",
    "ptn",
    "",  # done with parties
    "jalan, pertanan",  # unknown sector: asked again
    "jalan, 2.15",
    "2024-02-30",  # not a date: asked again
    "2024-03-01",  # signed on
    "Muara Enim",  # signed at
    "",  # starts on
    "2027-02-28",  # ends on
    "",  # category: derived
    "",  # parent: none
    "https://example.org/berita",  # source
    "y",  # write it
]


def test_prompts_ask_check_and_write(interactive: None, registry: Path, run: Run) -> None:
    result = run("add", input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "data/agreements/2024/pks-2024-03-01-muara-enim-universitas-sriwijaya.yaml\n"
    )
    assert (
        "'Bekasi' could be:\n    1) Kabupaten Bekasi (32.16)\n    2) Kota Bekasi (32.75)\n"
        in result.stderr
    )
    assert "Kabupaten Muara Enim (16.03)? [y/n]" in result.stderr
    assert "unknown sector 'pertanan'; did you mean 'pertanian'?" in result.stderr
    assert "'2024-02-30' is not a real calendar date" in result.stderr
    written = registry / "agreements/2024/pks-2024-03-01-muara-enim-universitas-sriwijaya.yaml"
    assert written.read_text() == (
        "id: pks-2024-03-01-muara-enim-universitas-sriwijaya\n"
        "title: Pemeliharaan jalan perbatasan\n"
        "document: perjanjian_kerja_sama\n"
        "parties:\n"
        '  - region: "16.03"  # Kabupaten Muara Enim\n'
        "  - name: Universitas Sriwijaya\n"
        "    kind: ptn\n"
        "sectors: [pekerjaan_umum, perhubungan]\n"
        "signed_on: 2024-03-01\n"
        "signed_at: Muara Enim\n"
        "ends_on: 2027-02-28\n"
        "sources:\n"
        "  - url: https://example.org/berita\n"
    )


def test_prompts_skip_what_flags_give(interactive: None, registry: Path, run: Run) -> None:
    answers = ["Jalan", "Kaur", "", "Lahat", "", "", "pekerjaan_umum", "", "", "", "y"]
    result = run("add", "--document", "kb", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Document" not in result.stderr
    assert result.stdout == "data/agreements/draf/kb-kaur-lahat.yaml\n"


def test_declining_at_the_end_writes_nothing(interactive: None, registry: Path, run: Run) -> None:
    answers = ["", "Jalan", "Kaur", "", "Lahat", "", "", "pekerjaan_umum", "", "", "", "n"]
    before = tree(registry)
    result = run("add", input="\n".join(answers) + "\n")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert re.search(
        r"nothing was written; your answers are kept in \S+\.json; kerjasama add --resume "
        r"starts from them\n$",
        result.stderr,
    )
    assert tree(registry) == before


def test_input_ending_early_writes_nothing(interactive: None, registry: Path, run: Run) -> None:
    before = tree(registry)
    result = run("add", input="kb\nJalan\n")
    assert result.exit_code == 2
    assert re.search(
        r"error: the input ended before the record was complete; nothing was written; your "
        r"answers are kept in \S+\.json; kerjasama add --resume starts from them\n$",
        result.stderr,
    )
    assert tree(registry) == before


def test_without_title_and_without_a_terminal_add_does_not_ask(run: Run) -> None:
    result = run("add", "--party", "Kaur")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --title is required when stdin is not a terminal (or give --from-file FILE|-)\n"
    )


# --- refusals leave the tree byte-identical ------------------------------------------------

REFUSED = {
    "unknown-region": (
        ("add", "--title", "x", "--party", "Muara Enimm", "--party", "Kaur", "--sector", "sosial"),
        "error KS201 parties[1].region (--party/--party-org): unknown region 'Muara Enimm'; "
        "did you mean 'Muara Enim' (16.03)?",
    ),
    "ambiguous-region": (
        ("add", "--title", "x", "--party", "Bekasi", "--party", "Kaur", "--sector", "sosial"),
        "error KS202 parties[1].region (--party/--party-org): region 'Bekasi' is ambiguous: "
        "it could be Kabupaten Bekasi (32.16), Kota Bekasi (32.75); write the code",
    ),
    "same-region-twice": (
        ("add", "--title", "x", "--party", "Kaur", "--party", "17.04", "--sector", "sosial"),
        "error KS204 parties[2].region (--party/--party-org): party 2 (Kabupaten Kaur, 17.04) is "
        "already party 1; expected each region once",
    ),
    "one-party": (
        ("add", "--title", "x", "--party", "Kaur", "--sector", "sosial"),
        "error KS206 parties (--party/--party-org): parties needs at least 2 parties; found 1",
    ),
    "unknown-parent": (
        ("add", *DRAFT, "--document", "pks", "--parent", "kb-nowhere"),
        "error KS402 parent (--parent): parent names 'kb-nowhere', which is not in the registry",
    ),
    "ends-before-start": (
        ("add", *DRAFT, "--signed-on", "2024-01-01", "--ends-on", "2023-01-01"),
        "error KS302 ends_on (--ends-on): ends_on 2023-01-01 is before signed_on 2024-01-01; "
        "expected a later end date",
    ),
    "existing-id": (
        ("add", *DRAFT, "--id", "kb-existing"),
        "error KS401 id (--id): id 'kb-existing' is already used by "
        "data/agreements/2019/kb-existing.yaml; a record is never overwritten "
        "(choose another id, or leave it out to generate one)",
    ),
    "path-separator-id": (
        ("add", *DRAFT, "--id", "../../etc/kb"),
        "error KS208 id (--id): id '../../etc/kb' is not a slug (lowercase letters, digits and "
        "single hyphens, at most 120 characters, e.g. kb-2024-02-05-jawa-barat-bengkulu-tengah)",
    ),
    "dot-dot-id": (
        ("add", *DRAFT, "--id", ".."),
        "error KS208 id (--id): id '..' is not a slug",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_add_exits_1_says_why_and_changes_nothing(
    case: str, registry: Path, run: Run
) -> None:
    write_record(registry, KB_FILE.format(id="kb-existing"), "kb-existing", "2019")
    args, message = REFUSED[case]
    before = tree(registry)
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(message)
    assert result.stderr.splitlines()[-1].endswith("nothing was written")
    assert tree(registry) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--sector", "pertanan"),
            "error: --sector: unknown sector 'pertanan'; did you mean 'pertanian'?",
        ),
        (("--document", "mou2"), "error: --document: unknown value 'mou2'"),
        (
            ("--signed-on", "2024-02-30"),
            "error: --signed-on: '2024-02-30' is not a real calendar date (February 2024 has 29 "
            "days); expected YYYY-MM-DD",
        ),
        (("--party-org", "Unsri"), 'error: --party-org: expected "NAME:KIND"'),
        (
            ("--party-org", "Unsri:universitas"),
            "error: --party-org KIND: unknown value 'universitas'",
        ),
        (("--party-org", "Bekasi:kota"), "error: --party-org: 'kota' is a regional government"),
    ],
)
def test_bad_flag_values_are_usage_errors(
    args: tuple[str, ...], message: str, registry: Path, run: Run
) -> None:
    before = tree(registry)
    result = run("add", *DRAFT, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert tree(registry) == before


def test_existing_file_is_never_overwritten(registry: Path, run: Run) -> None:
    # A file that is not (yet) a valid record still blocks its path.
    path = write_record(registry, "not a record\n", "kb-kaur-muara-enim-jalan", "draf")
    before = tree(registry)
    result = run("add", *DRAFT, "--id", "kb-kaur-muara-enim-jalan")
    assert result.exit_code == 1
    assert "kb-kaur-muara-enim-jalan.yaml already exists; a record is never overwritten" in (
        result.stderr
    )
    assert path.read_text() == "not a record\n"
    assert tree(registry) == before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_year_folder_linking_outside_the_data_folder_is_refused(
    tmp_path: Path, registry: Path, run: Run
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (registry / "agreements" / "2024").symlink_to(outside, target_is_directory=True)
    before = tree(registry)
    result = run("add", *DRAFT, "--signed-on", "2024-03-01")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: data/agreements/2024 leads outside the data folder (a symbolic link); "
        "nothing was written"
    )
    assert list(outside.iterdir()) == []
    assert tree(registry) == before


def test_unreadable_stdin_record_is_refused_with_its_position(registry: Path, run: Run) -> None:
    before = tree(registry)
    result = run("add", "--from-file", "-", input="title: x\n\tdocument: kb\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("<stdin>:2:1: error KS102 YAML syntax error")
    assert result.stderr.splitlines()[-1] == (
        "error: <stdin> is not a readable record; nothing was written"
    )
    assert tree(registry) == before


def test_missing_from_file_is_a_usage_error(run: Run) -> None:
    result = run("add", "--from-file", "nowhere.yaml")
    assert result.exit_code == 2
    assert result.stderr == "error: --from-file: no such file: nowhere.yaml\n"


def test_a_folder_given_as_from_file_or_to_import_is_named_a_folder(
    run: Run, tmp_path: Path
) -> None:
    """It was "no such file", which the folder is not."""
    folder = tmp_path / "arsip"
    folder.mkdir()
    result = run("add", "--from-file", str(folder))
    assert result.exit_code == 2
    assert result.stderr == f"error: --from-file: {folder} is a folder; expected a record file\n"
    imported = run("import", str(folder))
    assert imported.exit_code == 2
    assert imported.stderr == f"error: {folder} is a folder; expected a .csv or .xlsx file\n"
