"""`kerjasama add` (issue 16): a flag for every optional key, duplicates refused, ids that name
the organisation and never its legal form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run
from tests.tree import snapshot

PERTAMINA = (
    "add", "--title", "Pengamanan pasokan energi", "--party", "Muara Enim",
    "--party-org", "PT Pertamina (Persero):bumn", "--sector", "energi",
    "--signed-on", "2025-11-03", "--ends-on", "2028-11-02",
)  # fmt: skip


def test_every_optional_key_has_a_flag(registry: Path, run: Run) -> None:
    result = run(
        *PERTAMINA,
        "--number", "Muara Enim=180/5/2025", "--number", "2=PTM-01",
        "--signatory", "PT Pertamina (Persero)=Budi Santoso:Direktur Utama",
        "--signatory", "1=Edison:Bupati Muara Enim",
        "--scope", "pasokan BBM", "--scope", "CSR", "--stage", "pelaksanaan",
        "--unit", "Bappeda", "--funding", "apbd", "--funding", "pihak_ketiga",
        "--notes", "Catatan", "--tag", "energi", "--signed-at", "Muara Enim",
        "--starts-on", "2025-11-10",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "data/agreements/2025/kb-2025-11-03-muara-enim-pertamina.yaml\n"
    path = registry / "agreements" / "2025" / "kb-2025-11-03-muara-enim-pertamina.yaml"
    assert path.read_text() == (
        "id: kb-2025-11-03-muara-enim-pertamina\n"
        "title: Pengamanan pasokan energi\n"
        "document: kesepakatan_bersama\n"
        "parties:\n"
        '  - region: "16.03"  # Kabupaten Muara Enim\n'
        "    signatory: {name: Edison, position: Bupati Muara Enim}\n"
        "    number: 180/5/2025\n"
        "  - name: PT Pertamina (Persero)\n"
        "    kind: bumn\n"
        "    signatory: {name: Budi Santoso, position: Direktur Utama}\n"
        "    number: PTM-01\n"
        "sectors: [energi_sdm]\n"
        "scope:\n"
        "  - pasokan BBM\n"
        "  - CSR\n"
        "stage: pelaksanaan\n"
        "signed_on: 2025-11-03\n"
        "signed_at: Muara Enim\n"
        "starts_on: 2025-11-10\n"
        "ends_on: 2028-11-02\n"
        "units: [Bappeda]\n"
        "funding: [apbd, pihak_ketiga]\n"
        "notes: Catatan\n"
        "tags: [energi]\n"
    )


def test_supersedes_and_related_name_existing_records(registry: Path, run: Run) -> None:
    assert run(*PERTAMINA).exit_code == 0
    result = run(
        "add", "--title", "Adendum", "--document", "adendum", "--party", "Muara Enim",
        "--party-org", "PT Pertamina (Persero):bumn", "--sector", "energi",
        "--supersedes", "kb-2025-11-03-muara-enim-pertamina",
        "--related", "kb-2025-11-03-muara-enim-pertamina", "--obligation", "sukarela",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (registry / "agreements" / "draf" / "adendum-muara-enim-pertamina.yaml").read_text()
    assert "supersedes: [kb-2025-11-03-muara-enim-pertamina]\n" in text
    assert "related: [kb-2025-11-03-muara-enim-pertamina]\n" in text


@pytest.mark.parametrize(
    ("org", "slug"),
    [
        ("PT Pertamina (Persero)", "pertamina"),
        ("PT PLN (Persero)", "pln"),
        ("PT Bank Rakyat Indonesia (Persero) Tbk", "bank-rakyat-indonesia"),
        ("PT. Semen Baturaja (Persero) Tbk.", "semen-baturaja"),
        ("CV Maju Jaya", "maju-jaya"),
        ("Perumda Air Minum Tirta Musi", "air-minum-tirta-musi"),
        ("Badan Standardisasi Instrumen Pertanian (BSIP)", "bsip"),
    ],
)
def test_ids_name_the_organisation_not_its_legal_form(
    registry: Path, run: Run, org: str, slug: str
) -> None:
    result = run(
        "add", "--title", "T", "--party", "Muara Enim", "--party-org", f"{org}:bumn",
        "--sector", "energi",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"data/agreements/draf/kb-muara-enim-{slug}.yaml\n"


def test_a_duplicate_is_refused_unless_allowed(registry: Path, run: Run) -> None:
    assert run(*PERTAMINA).exit_code == 0
    before = snapshot(registry)
    again = run(*PERTAMINA[:2], "Judul lain", *PERTAMINA[3:])  # another title: still the same
    assert again.exit_code == 1
    assert again.stdout == ""
    assert again.stderr == (
        "error: the registry already has this agreement: kb-2025-11-03-muara-enim-pertamina "
        "(data/agreements/2025/kb-2025-11-03-muara-enim-pertamina.yaml) has the same document, "
        "parties and signed_on; nothing was written (--allow-duplicate writes it anyway)\n"
    )
    assert snapshot(registry) == before
    allowed = run(*PERTAMINA, "--allow-duplicate")
    assert allowed.exit_code == 0
    assert allowed.stdout == "data/agreements/2025/kb-2025-11-03-muara-enim-pertamina-2.yaml\n"


def test_parties_in_another_order_are_the_same_parties(registry: Path, run: Run) -> None:
    base = ("add", "--title", "T", "--sector", "sosial", "--signed-on", "2024-02-05")
    assert run(*base, "--party", "Kaur", "--party", "Lahat").exit_code == 0
    assert run(*base, "--party", "Lahat", "--party", "17.04").exit_code == 1


def test_unsigned_records_are_duplicates_only_with_the_same_title(registry: Path, run: Run) -> None:
    base = ("add", "--sector", "sosial", "--party", "Kaur", "--party", "Lahat")
    assert run(*base, "--title", "Kerja sama sosial").exit_code == 0
    same = run(*base, "--title", "kerja  sama SOSIAL")
    assert same.exit_code == 1
    assert "has the same document, parties and title (both unsigned)" in same.stderr
    other = run(*base, "--title", "Kerja sama pendidikan")
    assert other.exit_code == 0
    assert other.stdout == "data/agreements/draf/kb-kaur-lahat-2.yaml\n"
    signed = run(*base, "--title", "Kerja sama sosial", "--signed-on", "2024-01-01")
    assert signed.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--stage", "selesai"), "error: --stage: unknown value 'selesai'"),
        (("--funding", "apbdes"), "error: --funding: unknown value 'apbdes'"),
        (("--obligation", "perlu"), "error: --obligation: unknown value 'perlu'"),
        (("--signatory", "Kaur=Budi"), 'error: --signatory: expected "PARTY=NAME:POSITION"'),
        (("--number", "Bekasi=1"), "error: --number: no party is 'Bekasi'; expected a position "
         "or a party: 1 (Kab. Kaur), 2 (Kab. Lahat)"),
        (("--number", "3=1"), "error: --number: there is no party 3; the record has 2 parties"),
        (("--ends-on", "5/2/2025"), "error: --ends-on: expected a date YYYY-MM-DD, got "
         "'5/2/2025'; if it means day 5 of month 2 (the Indonesian order), write 2025-02-05"),
    ],
)  # fmt: skip
def test_flag_values_are_checked(
    registry: Path, run: Run, args: tuple[str, ...], message: str
) -> None:
    result = run(
        "add", "--title", "T", "--party", "Kaur", "--party", "Lahat", "--sector", "sosial", *args
    )
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(message)
    assert snapshot(registry) == {"agreements/": "dir"}


def test_every_wrong_flag_is_said_at_once(registry: Path, run: Run) -> None:
    before = snapshot(registry)
    result = run(
        "add", "--title", "T", "--party", "Kaur", "--party", "Lahat",
        "--document", "kbx", "--sector", "nothing", "--signed-on", "2024-13-01",
        "--party-org", "x", "--stage", "selesai",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "--document",
        "--party-org",
        "--sector",
        "--signed-on",
        "--stage",
    ]
    assert all(line.startswith("error: --") for line in lines)
    assert snapshot(registry) == before


def test_every_wrong_flag_is_said_in_indonesian_too(
    registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    result = run(
        "add", "--title", "T", "--party", "Kaur", "--party", "Lahat",
        "--sector", "nothing", "--signed-on", "2024-13-01",
    )  # fmt: skip
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 2
    assert "error:" not in result.stderr
