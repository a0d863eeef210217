"""Export's CSV from LightRecords (exchange/light_csv.py) is the text of csv_text(table(...)).

The records here have what the registry rarely has: cells that start with ' or a formula
start, line breaks inside list items (noted as lossy, in order), and more parties, sources and
activities than the least header, first or last, so that the rows are written again.
"""

from __future__ import annotations

import datetime as dt
import marshal

import pytest

from kerjasama_cli.exchange.export import table
from kerjasama_cli.exchange.light_csv import csv_of_light
from kerjasama_cli.exchange.sheets import csv_text
from kerjasama_cli.light import LightRecord
from kerjasama_cli.status import StatusContext

DAY = dt.date(2021, 7, 17)


def light(
    number: int, title: str, notes: str | None, parties: int = 2, acts: int = 0, srcs: int = 0
) -> LightRecord:
    day = DAY.toordinal()
    party_view = tuple(
        (
            ("32.73", None, None, None, ("Nama", None), None, "kota", "Kota Bandung")
            if k % 2 == 0
            else (
                None,
                f"'=Org\n {k}",
                "ptn",
                None,
                ("Nama", "'-jabatan"),
                "1/2",
                "ptn",
                f"Org {k}",
            )
        )
        for k in range(parties)
    )
    activities = tuple((day + a, f"=SUM({a})", ("a\nb", "'-x")) for a in range(acts)) or None
    sources = tuple((f"https://x.example/{s}", "+t", None, day) for s in range(srcs)) or None
    view = (
        *(f"kb-{number}", title, "kesepakatan_bersama", None, None, ("pendidikan",)),
        *(("'@scope", "line\nbreak"), None, day, None, None, None, None, None, None, None),
        *(("u1", "'=u"), None, (True, "'-n", day), notes, None, "ksdd", ("32.73",)),
        *(party_view, activities, None, sources),
    )
    days = None if activities is None else ",".join(DAY.isoformat() for _ in activities)
    head = (
        *(view[0], title, "kesepakatan_bersama", None, "ksdd", DAY.isoformat(), None, None),
        *(None, None, None, "32.73", "pendidikan", days),
    )
    return LightRecord(head, marshal.dumps(party_view), marshal.dumps(view))


RECORDS = [
    light(0, "'=x", "-note"),
    light(1, "plain", "a, b"),
    light(2, "t", "'x", parties=3, acts=2, srcs=1),
    light(3, "@t", "\tn", acts=1, srcs=2),
    light(4, "'''=y", None),
]


@pytest.mark.parametrize("escape_formulas", [False, True])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize(
    "records", [RECORDS, RECORDS[::-1], RECORDS[:2], RECORDS[1:2]], ids=["", "rev", "two", "one"]
)
def test_the_csv_of_light_records_is_csv_text_of_their_table(
    records: list[LightRecord], line_end: str, escape_formulas: bool
) -> None:
    ctx = StatusContext(dt.date(2025, 1, 1))
    layout = table(records, ctx)  # type: ignore[arg-type]
    want = csv_text(layout.header, layout.rows, line_end, escape_formulas=escape_formulas)
    text, lossy = csv_of_light(records, ctx, line_end, escape_formulas=escape_formulas)
    assert text == want
    assert lossy == layout.lossy
