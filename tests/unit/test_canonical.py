"""The canonical writer and the comment-keeping formatter, below the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kerjasama_cli.errors import RecordExists, RefusedWrite
from kerjasama_cli.ids import base_id, generate_id, slugify
from kerjasama_cli.model import Party, Record
from kerjasama_cli.storage.canonical import record_path, render_record_yaml, write_new_record
from kerjasama_cli.storage.comments import extract_comments
from kerjasama_cli.storage.reading import parse_text
from kerjasama_cli.storage.rewriting import format_record_text
from tests.conftest import BUNDLED, EXAMPLES


def _record(text: str) -> Record:
    loaded = parse_text(Path("x.yaml"), text)
    assert loaded.data is not None, loaded.findings
    return Record.model_validate(loaded.data)


SAMPLES = sorted((EXAMPLES / "valid").glob("*.yaml")) + sorted(BUNDLED.rglob("*.yaml"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_rendered_record_is_a_fixed_point_of_fmt(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rendered = render_record_yaml(_record(text), extract_comments(text))
    assert format_record_text(rendered).text == rendered
    assert _record(rendered) == _record(text)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_fmt_of_samples_is_idempotent_and_keeps_the_data(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_record_text(text).text
    assert format_record_text(once).text == once
    assert _record(once) == _record(text)


@pytest.mark.parametrize(
    "bad_id", ["..", "../kb-a", "kb/a", "kb\\a", "KB-A", "kb--a", "-kb", "kb a", "a" * 121, ""]
)
def test_record_path_refuses_ids_that_are_not_slugs(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(RefusedWrite, match="is not a slug"):
        record_path(tmp_path, bad_id, None)
    assert list(tmp_path.iterdir()) == []


def test_record_path_uses_the_year_or_draf(tmp_path: Path) -> None:
    assert record_path(tmp_path, "kb-a", dt.date(2024, 2, 5)) == (
        tmp_path / "agreements" / "2024" / "kb-a.yaml"
    )
    assert record_path(tmp_path, "kb-a", None) == tmp_path / "agreements" / "draf" / "kb-a.yaml"


MINIMAL = """\
id: kb-a
title: Kerja sama
document: kesepakatan_bersama
parties:
  - region: "17.04"  # Kabupaten Kaur
  - region: "16.04"  # Kabupaten Lahat
sectors: [sosial]
"""


def test_write_new_record_never_overwrites(tmp_path: Path) -> None:
    record = _record(MINIMAL)
    path = write_new_record(tmp_path, record)
    assert path.read_text() == MINIMAL
    path.write_text("changed by hand\n")
    with pytest.raises(RecordExists):
        write_new_record(tmp_path, record)
    assert path.read_text() == "changed by hand\n"
    assert [p.name for p in path.parent.iterdir()] == ["kb-a.yaml"]  # no temporary file left


def test_hash_inside_quotes_urls_and_block_text_is_not_a_comment() -> None:
    text = MINIMAL + (
        'signed_at: "Ruang #2"\n'
        "sources:\n"
        "  - url: https://example.org/page#section  # the article\n"
        "notes: |\n"
        "  # not a comment: part of the text\n"
        "  line two\n"
    )
    comments = extract_comments(text)
    assert comments.inline == {
        ("parties", 0, "region"): ["# Kabupaten Kaur"],
        ("parties", 1, "region"): ["# Kabupaten Lahat"],
        ("sources", 0, "url"): ["# the article"],
    }
    assert comments.before == {}
    formatted = format_record_text(text).text
    assert "  - url: https://example.org/page#section  # the article\n" in formatted
    assert "notes: |\n  # not a comment: part of the text\n  line two\n" in formatted


def test_comment_between_list_items_stays_between_them() -> None:
    text = MINIMAL.replace(
        '  - region: "16.04"', '  # the second party, invited later\n  - region: "16.04"'
    )
    assert format_record_text(text).text == text


def test_comment_on_a_key_that_moves_down_goes_with_it() -> None:
    text = MINIMAL.replace("id: kb-a\n", "") + "# the id comes last here\nid: kb-a  # stable\n"
    formatted = format_record_text(text).text
    assert formatted.startswith("# the id comes last here\nid: kb-a  # stable\ntitle:")


def test_ids_from_document_date_and_parties() -> None:
    parties = [Party(region="32"), Party(region="Bengkulu Tengah")]
    assert base_id("kesepakatan_bersama", dt.date(2024, 2, 5), parties) == (
        "kb-2024-02-05-jawa-barat-bengkulu-tengah"
    )
    assert base_id("nota_kesepakatan", None, parties) == "nk-jawa-barat-bengkulu-tengah"
    taken = {"nk-jawa-barat-bengkulu-tengah", "nk-jawa-barat-bengkulu-tengah-2"}
    assert generate_id("nota_kesepakatan", None, parties, taken) == (
        "nk-jawa-barat-bengkulu-tengah-3"
    )


def test_long_ids_are_cut_at_a_hyphen_with_room_for_a_suffix() -> None:
    parties = [Party(name=f"Universitas Nomor {n} Yang Panjang", kind="ptn") for n in range(9)]
    parties.insert(0, Party(region="16.03"))
    long_id = base_id("perjanjian_kerja_sama", dt.date(2024, 2, 5), parties)
    assert len(long_id) <= 116
    assert not long_id.endswith("-")
    assert long_id.startswith("pks-2024-02-05-muara-enim-universitas-nomor-0-yang-panjang-")


def test_slugify_drops_accents_and_punctuation() -> None:
    assert slugify("Kabupaten Tojo Una-Una") == "kabupaten-tojo-una-una"
    assert slugify("Université d'État (UE)") == "universite-d-etat-ue"


def test_regions_in_a_flow_list_share_one_comment_line() -> None:
    text = MINIMAL.replace(
        'parties:\n  - region: "17.04"  # Kabupaten Kaur\n  - region: "16.04"  # Kabupaten Lahat\n',
        "parties: [{region: Kaur}, {region: Lahat}]  # both bordering\n",
    )
    formatted = format_record_text(text).text
    assert (
        'parties: [{region: "17.04"}, {region: "16.04"}]  # Kabupaten Kaur, Kabupaten Lahat'
        " # both bordering\n"
    ) in formatted
    assert format_record_text(formatted).text == formatted


def test_ids_for_many_rows_are_made_without_rescanning_suffixes() -> None:
    """An import of thousands of rows with the same parties and date: each id is found by
    looking at one or two candidates, not by counting -2, -3, ... again each time."""
    from kerjasama_cli.ids import IdMaker

    class Counting(set[str]):
        looked = 0

        def __contains__(self, item: object) -> bool:
            Counting.looked += 1
            return super().__contains__(item)

    taken = Counting({"kb-2024-03-01-muara-enim-lahat", "kb-2024-03-01-muara-enim-lahat-3"})
    maker = IdMaker(taken)
    parties = [Party(region="16.03"), Party(region="16.04")]
    made = [maker.new_id("kesepakatan_bersama", dt.date(2024, 3, 1), parties) for _ in range(2000)]
    assert made[:3] == [
        "kb-2024-03-01-muara-enim-lahat-2",
        "kb-2024-03-01-muara-enim-lahat-4",
        "kb-2024-03-01-muara-enim-lahat-5",
    ]
    assert len(set(made)) == 2000 and not set(made) & {"kb-2024-03-01-muara-enim-lahat-3"}
    assert Counting.looked < 2 * 2000 + 10


# --- the flow-style width test without writing (a speed-up of import's rendering) -------------

_FLOW_SCALARS = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40),
    st.sampled_from(["", " a", "a ", "'", '"', "\\", "a: b", "#x", "- a", "[x]", "{y}", "null"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.dates(),
)


@settings(max_examples=400, deadline=None)
@given(
    key=st.sampled_from(["sectors", "tags", "signatory", "ended", "related"]),
    items=st.lists(_FLOW_SCALARS, max_size=6),
    depth=st.integers(min_value=0, max_value=3),
    mapping=st.booleans(),
)
def test_a_flow_line_said_to_fit_without_writing_it_fits_when_written(
    key: str, items: list[object], depth: int, mapping: bool
) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from kerjasama_cli.storage.canonical import _fits_as_written, _flow_scalar, _surely_fits

    loc: tuple[str | int, ...] = ("parties", 0) * depth + (key,)
    value: CommentedMap | CommentedSeq
    if mapping:
        value = CommentedMap((f"k{i}", _flow_scalar(v)) for i, v in enumerate(items))
    else:
        value = CommentedSeq(_flow_scalar(v) for v in items)
    value.fa.set_flow_style()
    if _surely_fits(key, value, loc):
        assert _fits_as_written(key, value, loc)
