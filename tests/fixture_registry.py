"""A small registry with one agreement in each status (as of AS_OF) and every kind of link.

Used by the tests of `list` and `show`. As of 2025-06-01:

| id                          | status         | why                                          |
|-----------------------------|----------------|----------------------------------------------|
| kb-jabar-bekasi-2023        | aktif          | ends 2028                                    |
| pks-jabar-bekasi-2024       | akan_berakhir  | ends 2025-07-31, 60 days away                |
| kb-muara-enim-unsri         | belum_berlaku  | starts 2025-07-01                            |
| kb-muara-enim-lahat-2019    | berakhir       | superseded by the 2024 one since 2024-06-01  |
| kb-muara-enim-lahat-2024    | aktif          | ends 2029                                    |
| nk-kemendagri-sumsel        | dibatalkan     | ended 2024-12-31, dibatalkan                 |
| kb-bandung-pindad           | berakhir       | ended 2023-01-01 by agreement                |
| kb-kaur-muara-enim-draf     | draf           | not signed                                   |
| kb-lahat-pagaralam-2018     | kedaluwarsa    | ended 2023-11-30                             |
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import write_record

AS_OF = dt.date(2025, 6, 1)

RECORDS: dict[str, tuple[str, str]] = {
    "kb-jabar-bekasi-2023": (
        "2023",
        """\
id: kb-jabar-bekasi-2023
title: Peningkatan Layanan Pendidikan dan Kesehatan
document: kesepakatan_bersama
parties:
  - region: "32"
    signatory: {name: Ridwan Kamil, position: Gubernur Jawa Barat}
    number: 120/12/Pem
  - region: Kota Bekasi
    signatory: {name: Tri Adhianto}
sectors: [pendidikan, kesehatan]
signed_on: 2023-03-01
signed_at: Gedung Sate, Kota Bandung
ends_on: 2028-02-28
related: [kb-bandung-pindad]
sources:
  - url: https://example.org/jabar-bekasi
    title: Jabar dan Bekasi teken kesepakatan
    publisher: Humas Jabar
    published_on: 2023-03-02
""",
    ),
    "pks-jabar-bekasi-2024": (
        "2024",
        """\
id: pks-jabar-bekasi-2024
title: Beasiswa Pendidikan Tinggi
document: perjanjian_kerja_sama
parties:
  - region: "32"
  - region: "32.75"
sectors: [pendidikan]
signed_on: 2024-01-10
ends_on: 2025-07-31
parent: kb-jabar-bekasi-2023
activities:
  - on: 2024-09-01
    summary: 40 beasiswa disalurkan
    evidence: ["https://example.org/beasiswa"]
sources:
  - url: https://example.org/pks
""",
    ),
    "kb-muara-enim-unsri": (
        "2025",
        """\
id: kb-muara-enim-unsri
title: Tridharma Perguruan Tinggi
document: kesepakatan_bersama
parties:
  - region: Muara Enim
  - name: Universitas Sriwijaya
    kind: ptn
sectors: [pendidikan, riset]
signed_on: 2025-01-15
starts_on: 2025-07-01
ends_on: 2030-06-30
notes: Termasuk program beasiswa bagi putra daerah.
sources:
  - title: Muara Enim gandeng Unsri
""",
    ),
    "kb-muara-enim-lahat-2019": (
        "2019",
        """\
id: kb-muara-enim-lahat-2019
title: Jalan Penghubung Antar Kabupaten
document: kesepakatan_bersama
parties:
  - region: "16.03"
  - region: "16.04"
sectors: [pekerjaan_umum]
signed_on: 2019-05-01
ends_on: 2024-04-30
sources:
  - title: Muara Enim dan Lahat sepakat bangun jalan
""",
    ),
    "kb-muara-enim-lahat-2024": (
        "2024",
        """\
id: kb-muara-enim-lahat-2024
title: Jalan Penghubung Antar Kabupaten (pembaruan)
document: kesepakatan_bersama
parties:
  - region: "16.03"
  - region: "16.04"
sectors: [pekerjaan_umum, trantibum]
signed_on: 2024-06-01
ends_on: 2029-05-31
supersedes: [kb-muara-enim-lahat-2019]
sources:
  - title: Kesepakatan jalan diperbarui
""",
    ),
    "nk-kemendagri-sumsel": (
        "2022",
        """\
id: nk-kemendagri-sumsel
title: Penegasan Batas Daerah
document: nota_kesepakatan
parties:
  - region: Sumsel
  - name: Kementerian Dalam Negeri
    kind: kementerian_lembaga
sectors: [pemerintahan_umum]
signed_on: 2022-02-02
ends_on: 2027-02-01
ended: {on: 2024-12-31, reason: dibatalkan}
sources:
  - title: Nota kesepakatan batas daerah
""",
    ),
    "kb-bandung-pindad": (
        "2021",
        """\
id: kb-bandung-pindad
title: Pengembangan Industri Pertahanan
document: kesepakatan_bersama
category: ksdpk
parties:
  - region: Kota Bandung
  - name: PT Pindad (Persero)
    kind: bumn
sectors: [perindustrian]
signed_on: 2021-09-09
ends_on: 2026-09-08
ended: {on: 2023-01-01, reason: kesepakatan_para_pihak}
sources:
  - title: Bandung dan Pindad
""",
    ),
    "kb-kaur-muara-enim-draf": (
        "draf",
        """\
id: kb-kaur-muara-enim-draf
title: Kerja Sama Pembangunan Daerah
document: kesepakatan_bersama
parties:
  - region: Kaur
  - region: Muara Enim
sectors: [perencanaan_pembangunan]
scope: [jalan penghubung Padang Guci - Muara Enim]
stage: penawaran
""",
    ),
    "kb-lahat-pagaralam-2018": (
        "2018",
        """\
id: kb-lahat-pagaralam-2018
title: Pariwisata Bersama
document: kesepakatan_bersama
parties:
  - region: "16.04"
  - region: Kota Pagar Alam
sectors: [pariwisata]
signed_on: 2018-12-01
ends_on: 2023-11-30
sources:
  - title: Wisata Lahat dan Pagar Alam
""",
    ),
}


def write_fixture_registry(registry: Path) -> None:
    for record_id, (folder, text) in RECORDS.items():
        write_record(registry, text, record_id, folder)
