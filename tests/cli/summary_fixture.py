"""A small registry whose summaries were counted by hand (as of 2025-06-30).

| id    | document | parties                              | sectors                  | signed     | ends       | status        |
|-------|----------|--------------------------------------|--------------------------|------------|------------|---------------|
| kb-a  | KB       | Muara Enim 16.03, Lahat 16.04        | pendidikan, kesehatan    | 2023-03-01 | 2028-02-28 | aktif         |
| pks-a | PKS      | Muara Enim, Prov. Sumsel 16          | kesehatan                | 2024-01-10 | 2025-08-31 | akan_berakhir |
| kb-b  | KB       | Muara Enim, Prov. Jawa Barat 32      | pariwisata               | 2020-05-10 | 2025-12-31 | aktif         |
| kb-c  | KB       | Muara Enim, Unsri (ptn), PTBA (bumn) | pendidikan, energi_sdm   | 2024-06-30 | -          | aktif         |
| kb-d  | KB       | Muara Enim, Kota Bandung 32.73       | perdagangan              | -          | -          | draf          |
| nk-e  | NK       | Muara Enim, Kementerian PUPR (k/l)   | pekerjaan_umum           | 2021-02-01 | 2024-01-31 | kedaluwarsa   |
| kb-f  | KB       | Lahat, Kota Prabumulih 16.74         | pekerjaan_umum           | 2024-08-15 | 2025-07-15 | akan_berakhir |
| kb-g  | KB       | Muara Enim, PTBA (bumn)              | energi_sdm               | 2023-01-01 | 2028-01-01 | dibatalkan    |

pks-a has ``parent: kb-b`` and an activity; kb-g was cancelled on 2024-12-01.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import record_text, write_record

AS_OF = "2025-06-30"


def record(
    record_id: str,
    document: str,
    parties: list[str],
    sectors: list[str],
    signed: str | None = None,
    ends: str | None = None,
    extra: str = "",
) -> str:
    return (
        record_text(
            record_id,
            title=f"Kerja sama {record_id}",
            document=document,
            parties=parties,
            sectors=sectors,
            signed_on=signed,
            ends_on=ends,
        )
        + extra
    )


MUARA_ENIM = 'region: "16.03"'
LAHAT = 'region: "16.04"'
UNSRI = "{name: Universitas Sriwijaya, kind: ptn}"
PTBA = "{name: PT Bukit Asam, kind: bumn}"

RECORDS = {
    "kb-a": record(
        "kb-a",
        "kesepakatan_bersama",
        [MUARA_ENIM, LAHAT],
        ["pendidikan", "kesehatan"],
        "2023-03-01",
        "2028-02-28",
    ),
    "pks-a": record(
        "pks-a",
        "perjanjian_kerja_sama",
        [MUARA_ENIM, 'region: "16"'],
        ["kesehatan"],
        "2024-01-10",
        "2025-08-31",
        "parent: kb-b\nactivities:\n  - {on: 2024-03-01, summary: Pelatihan bidan}\n",
    ),
    "kb-b": record(
        "kb-b",
        "kesepakatan_bersama",
        [MUARA_ENIM, 'region: "32"'],
        ["pariwisata"],
        "2020-05-10",
        "2025-12-31",
    ),
    "kb-c": record(
        "kb-c",
        "kesepakatan_bersama",
        [MUARA_ENIM, UNSRI, PTBA],
        ["pendidikan", "energi_sdm"],
        "2024-06-30",
    ),
    "kb-d": record("kb-d", "kesepakatan_bersama", [MUARA_ENIM, 'region: "32.73"'], ["perdagangan"]),
    "nk-e": record(
        "nk-e",
        "nota_kesepakatan",
        [MUARA_ENIM, "{name: Kementerian PUPR, kind: kementerian_lembaga}"],
        ["pekerjaan_umum"],
        "2021-02-01",
        "2024-01-31",
    ),
    "kb-f": record(
        "kb-f",
        "kesepakatan_bersama",
        [LAHAT, 'region: "16.74"'],
        ["pekerjaan_umum"],
        "2024-08-15",
        "2025-07-15",
    ),
    "kb-g": record(
        "kb-g",
        "kesepakatan_bersama",
        [MUARA_ENIM, PTBA],
        ["energi_sdm"],
        "2023-01-01",
        "2028-01-01",
        "ended: {on: 2024-12-01, reason: dibatalkan}\n",
    ),
}


def install(registry: Path) -> None:
    """Write the eight records into ``registry``."""
    for record_id, text in RECORDS.items():
        folder = "draf" if "signed_on" not in text else text.split("signed_on: ")[1][:4]
        write_record(registry, text, record_id, folder)
