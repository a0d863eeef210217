"""The index changes no answer: every read command and format, with and without ``--no-cache``,
on a registry with every kind of record, at several ``--as-of`` dates, byte for byte.

The registry: the fixture registry (one record in each status, every kind of link) plus
generated records: drafts, PKS with a parent, superseded and superseding records, records ended
early or cancelled, records with activities, organisations as parties, scope and notes to
search. A run with the index is made twice (the first fills it, the second is served from it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, record_text, write_record
from tests.fixture_registry import write_fixture_registry

REGIONS = ('region: "32"', 'region: "32.73"', 'region: "16.03"', 'region: "17.04"', 'region: "16"')
ORGS = (
    "{name: Universitas Sriwijaya, kind: ptn}",
    "{name: PT Bank Sumsel Babel, kind: bumd}",
    "{name: Kementerian Dalam Negeri, kind: kementerian_lembaga}",
)
SECTORS = ("pendidikan", "kesehatan", "pariwisata", "pekerjaan_umum")


def generated(registry: Path) -> None:
    for i in range(36):
        year = 2016 + i % 9
        signed = f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}"
        parties = (REGIONS[i % 5], REGIONS[(i + 2) % 5] if i % 4 else ORGS[i % 3])
        keys: dict[str, str | None] = {
            "scope": f"[jalan penghubung ruas {i}, pelatihan aparatur]" if i % 3 == 0 else None,
            "stage": None,
            "signed_on": signed,
            "ends_on": f"{year + 1 + i % 8}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "notes": "Perpanjangan dari kerja sama JALAN lama" if i % 5 == 0 else None,
        }
        before: dict[str, str] = {}
        document = "kesepakatan_bersama"
        if i % 6 == 1:  # a draft
            keys["signed_on"] = keys["ends_on"] = None
            keys["stage"] = "penawaran"
        if i % 6 == 2 and i > 6:  # a PKS implementing an earlier KB
            document = "perjanjian_kerja_sama"
            before = {"parent": f"kb-gen-{i - 8:02d}"}
        if i % 7 == 3:
            keys["ended"] = f"{{on: {year + 2}-06-30, reason: kesepakatan_para_pihak}}"
        if i % 11 == 4:
            keys["ended"] = f"{{on: {year + 1}-01-15, reason: dibatalkan}}"
        if i % 9 == 5 and keys["signed_on"]:
            keys["supersedes"] = f"[kb-gen-{i - 4:02d}]"
        if i % 4 == 0 and keys["signed_on"]:
            keys["activities"] = (
                f"\n  - {{on: {year}-12-01, summary: Rapat koordinasi}}"
                f"\n  - {{on: {year + 3}-03-01, summary: Pelatihan bersama}}"
            )
        prefix = "pks" if document == "perjanjian_kerja_sama" else "kb"
        record_id = f"{prefix}-gen-{i:02d}"
        text = record_text(
            record_id,
            title=f"Kerja sama bidang {SECTORS[i % 4].replace('_', ' ')} {i}",
            document=document,
            before_parties=before,
            parties=parties,
            sectors=(SECTORS[i % 4], SECTORS[(i + 1) % 4]) if i % 2 else (SECTORS[i % 4],),
            **keys,
        )
        write_record(registry, text, record_id, str(year) if keys["signed_on"] else "draf")


@pytest.fixture
def full(registry: Path) -> Path:
    write_fixture_registry(registry)
    generated(registry)
    return registry


AS_OF = ("2017-03-01", "2020-12-31", "2024-02-29", "2025-06-01", "2031-01-01")
FILTERS: tuple[tuple[str, ...], ...] = (
    (),
    ("--region", "Muara Enim"),
    ("--region", "Jawa Barat", "--region", "Kaur"),
    ("--within", "Jawa Barat"),
    ("--within", "Sumatera Selatan", "--document", "pks"),
    ("--document", "kb"),
    ("--category", "ksdpk"),
    ("--status", "aktif"),
    ("--status", "berakhir,dibatalkan,draf"),
    ("--status", "akan_berakhir,kedaluwarsa,belum_berlaku"),
    ("--sector", "kesehatan"),
    ("--party-kind", "ptn,bumd"),
    ("--year", "2018", "--year", "2023"),
    ("--signed-from", "2018-02-01", "--signed-to", "2021-12-31"),
    ("--expiring-within", "400"),
    ("--search", "jalan"),
    ("--search", "SRIWIJAYA", "--search", "bekasi"),
    ("--search", "muara enim"),
)


def commands() -> list[list[str]]:
    out: list[list[str]] = [["validate", "--format", "json"]]
    for as_of in AS_OF:
        date = ["--as-of", as_of]
        for filters in FILTERS:
            for fmt in ("json", "csv", "ids", "table"):
                out.append(["list", *filters, *date, "--format", fmt])
            out.append(["summarise", *filters, *date, "--format", "json"])
            out.append(["export", *filters, *date, "--format", "csv"])
        for sort in ("title", "status", "ends_on", "starts_on", "category", "id", "document"):
            out.append(["list", "--sort", sort, *date, "--format", "csv"])
            out.append(["list", "--sort", sort, "--reverse", "--limit", "7", *date])
        for fmt in ("table", "json", "csv", "markdown", "html"):
            out.append(["summarise", *date, "--format", fmt])
            out.append(["summarise", "--region", "Muara Enim", *date, "--format", fmt])
        for by in ("year", "document", "category", "status", "sector", "region", "province"):
            out.append(["summarise", "--by", by, *date, "--format", "json"])
        for by in ("party_kind", "province,year", "year,category", "region,status"):
            for fmt in ("json", "table", "csv", "markdown"):
                out.append(["summarise", "--by", by, *date, "--format", fmt])
        out.append(["export", *date, "--format", "json"])
    return out


def test_every_answer_is_the_same_with_and_without_the_index(full: Path, run: Run) -> None:
    battery = commands()
    uncached = [run(*command, "--no-cache") for command in battery]
    assert all(r.exit_code == 0 for r in uncached[1:]), [r.stderr for r in uncached if r.exit_code]
    assert uncached[0].json()["errors"] == 0
    filling = [run(*command) for command in battery]
    warm = [run(*command) for command in battery]
    for command, expected, first, second in zip(battery, uncached, filling, warm, strict=True):
        want = (expected.exit_code, expected.stdout, expected.stderr)
        assert (first.exit_code, first.stdout, first.stderr) == want, command
        assert (second.exit_code, second.stdout, second.stderr) == want, command
    # The battery says something: filters select, dates change statuses.
    counts = {
        len(r.stdout.splitlines()) for r, c in zip(uncached, battery, strict=True) if "ids" in c
    }
    assert len(counts) > 10
    statuses = {run("list", "--as-of", d, "--format", "csv").stdout for d in AS_OF}
    assert len(statuses) == len(AS_OF)


def test_an_edit_between_runs_is_in_the_answers(full: Path, run: Run) -> None:
    command = ["summarise", "--by", "region", "--format", "json", "--as-of", "2025-06-01"]
    run(*command)
    path = full / "agreements" / "2018" / "kb-gen-02.yaml"
    path.write_text(path.read_text().replace('region: "16.03"', 'region: "16.04"'), "utf-8")
    listed = ["list", "--region", "Lahat", "--format", "ids", "--as-of", "2025-06-01"]
    assert run(*listed).stdout == run(*listed, "--no-cache").stdout
    assert "kb-gen-02" in run(*listed).stdout.split()
    assert run(*command).stdout == run(*command, "--no-cache").stdout


def test_a_light_record_has_the_values_of_the_record(full: Path) -> None:
    """The index's light records (which both paths use) against pydantic's records: every
    attribute the read commands use, of every record, stored and read back."""
    from kerjasama_cli.catalog import light_records
    from kerjasama_cli.light import ReadRecord
    from kerjasama_cli.registry import load_registry

    def plain(value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(plain(v) for v in value)
        return value

    records = load_registry(full, use_cache=False).records
    load_registry(full)  # fills the index
    registry = load_registry(full)
    assert all(e.cached is not None for e in registry.entries)
    lights = light_records(registry)
    assert [r.id for r in lights] == [r.id for r in records]
    fields = [f for f in dir(ReadRecord) if not f.startswith("_")]
    assert len(fields) == 19
    for record, light in zip(records, lights, strict=True):
        for name in fields:
            want, got = getattr(record, name), getattr(light, name)
            if name == "activities":
                assert bool(want) == bool(got)
            elif name == "ended":
                assert (want.on, want.reason) == tuple(got) if want else got is None
            elif name == "parties":
                for p, q in zip(want, got, strict=True):
                    for attribute in ("region", "name", "kind", "country", "party_kind", "label"):
                        assert getattr(p, attribute) == getattr(q, attribute)
            else:
                assert plain(want) == plain(got), (record.id, name)
