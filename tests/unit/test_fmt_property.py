"""Property: fmt never changes what a valid record says, keeps every comment, and is idempotent.

Records are generated as data, then written out the way people write them: keys in any order,
regions as codes, names or aliases, sectors as keys, codes or aliases, indentation of 2 or 4,
lists in flow or block style, quoted or plain text, and comments above and after any line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerjasama_cli.model import Record
from kerjasama_cli.rules import check_record
from kerjasama_cli.storage.reading import parse_text
from kerjasama_cli.storage.rewriting import format_record_text

pytestmark = pytest.mark.slow

# The same region, written in different ways.
REGIONS = [
    ["16.03", "Muara Enim", "Muaraenim", "Kabupaten Muara Enim", "Pemkab Muara Enim"],
    ["17.04", "Kaur", "Kab. Kaur"],
    ["32", "Jawa Barat", "Jabar", "Provinsi Jawa Barat"],
    ["62.02", "Kotawaringin Timur", "Kotim"],
    ["32.75", "Kota Bekasi"],
    ["16", "Sumatera Selatan", "Sumsel"],
]
SECTORS = [
    ["pekerjaan_umum", "1.03", "jalan", "pupr"],
    ["kesehatan", "1.02", "health"],
    ["pariwisata", "3.26"],
    ["pelayanan_publik", "layanan_publik"],
    ["komunikasi_informatika", "2.16", "kominfo"],
]
DOCUMENTS = ["kesepakatan_bersama", "perjanjian_kerja_sama", "nota_kesepakatan"]
ORGS = [("Universitas Sriwijaya", "ptn"), ("PT Bukit Asam", "bumn"), ("Bank Sumsel Babel", "bumd")]
WORDS = (
    st.text(
        alphabet=st.sampled_from(list("abcdefghij KLMNOP-,.:#'()/\"0123")), min_size=1, max_size=40
    )
    .map(str.strip)
    .filter(bool)
)
COMMENT = st.text(alphabet=st.sampled_from(list("abc XYZ#:-'\"")), max_size=20)
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z ()]*[A-Za-z)]$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    n_regions = draw(st.integers(min_value=1, max_value=3))
    chosen = draw(st.permutations(range(len(REGIONS))))[:n_regions]
    parties: list[dict[str, Any]] = [{"region": draw(st.sampled_from(REGIONS[i]))} for i in chosen]
    for name, kind in draw(st.lists(st.sampled_from(ORGS), max_size=2, unique=True)):
        parties.append({"name": name, "kind": kind})
    if len(parties) < 2:
        parties.append({"region": REGIONS[chosen[0] - 1][0]})
    for party in parties:
        if draw(st.booleans()):
            party["signatory"] = {"name": draw(WORDS), "position": draw(WORDS)}
    parties = draw(st.permutations(parties))
    sector_sets = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=3, unique_by=id))
    data: dict[str, Any] = {
        "id": "kb-prop",
        "title": draw(WORDS),
        "document": draw(st.sampled_from(DOCUMENTS)),
        "parties": list(parties),
        "sectors": [draw(st.sampled_from(s)) for s in sector_sets],
    }
    if draw(st.booleans()):
        signed = draw(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 1, 1)))
        data["signed_on"] = signed
        data["ends_on"] = signed + dt.timedelta(days=draw(st.integers(1, 1500)))
        activities = draw(st.lists(st.integers(0, 400), max_size=2))
        if activities:
            data["activities"] = [
                {"on": signed + dt.timedelta(days=d), "summary": draw(WORDS)} for d in activities
            ]
    if draw(st.booleans()):
        data["scope"] = draw(st.lists(WORDS, min_size=1, max_size=3))
    if draw(st.booleans()):
        data["sources"] = [{"url": "https://example.org/a#b", "title": draw(WORDS)}]
    if draw(st.booleans()):
        data["notes"] = draw(WORDS)
    keys = draw(st.permutations(list(data)))
    return {k: data[k] for k in keys}


def _scalar(value: Any, draw: st.DrawFn, flow: bool) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not flow and _PLAIN.match(text) and text.lower() not in _RESERVED and draw(st.booleans()):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any, draw: st.DrawFn) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v, draw, True)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_scalar(v, draw, True) for v in value) + "]"


def _block(value: Any, pad: int, step: int, draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    indent = " " * pad
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(item, dict | list):
                lines.append(f"{indent}{key}: {_scalar(item, draw, False)}")
            elif all(
                not isinstance(v, dict | list)
                for v in (item.values() if isinstance(item, dict) else item)
            ) and draw(st.booleans()):
                lines.append(f"{indent}{key}: {_flow(item, draw)}")
            else:
                lines.append(f"{indent}{key}:")
                inner = pad + (step if isinstance(item, dict) else draw(st.sampled_from([0, step])))
                lines += _block(item, inner, step, draw)
        return lines
    for item in value:
        if isinstance(item, dict):
            inner = _block(item, pad + 2, step, draw)
            lines.append(f"{indent}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            lines.append(f"{indent}- {_scalar(item, draw, False)}")
    return lines


@st.composite
def written(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A record written by a person: the text and the comments in it."""
    data = draw(records())
    lines = _block(data, 0, draw(st.sampled_from([2, 4])), draw)
    out: list[str] = []
    comments: list[str] = []
    for n, line in enumerate(lines):
        if draw(st.integers(0, 5)) == 0:
            comment = f"# above {n} {draw(COMMENT)}".rstrip()
            comments.append(comment)
            out.append(" " * draw(st.integers(0, 6)) + comment)
        if draw(st.integers(0, 4)) == 0:
            comment = f"# after {n} {draw(COMMENT)}".rstrip()
            comments.append(comment)
            line += " " * draw(st.integers(1, 3)) + comment
        out.append(line)
    return "\n".join(out) + "\n", comments


def _record(text: str) -> Record:
    loaded = parse_text(Path("kb-prop.yaml"), text)
    assert loaded.data is not None and not loaded.findings, (text, loaded.findings)
    return Record.model_validate(loaded.data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written())
def test_fmt_keeps_the_data_and_every_comment_and_is_idempotent(
    case: tuple[str, list[str]],
) -> None:
    text, comments = case
    before = _record(text)
    assert not [p for p in check_record(before) if p.severity == "error"]
    once = format_record_text(text).text
    assert _record(once) == before
    for comment in comments:
        assert comment in once
    assert format_record_text(once).text == once
