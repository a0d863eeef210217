"""Properties that hold for every input: the loader and validate never raise, every finding is
located, the loader reads back what a YAML writer wrote, and every official region name
resolves under any spelling a person might use.
"""

from __future__ import annotations

import io
import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kerjasama_cli.gazetteer import Region, load_gazetteer
from kerjasama_cli.model import KEY_ORDER
from kerjasama_cli.registry import check_registry, load_entry, locate_entry
from kerjasama_cli.rules import RULES
from kerjasama_cli.storage.reading import parse_text

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).parents[1] / "examples"
VALID_TEXT = (EXAMPLES / "valid" / "kb-full-record.yaml").read_text(encoding="utf-8")
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def assert_well_formed(findings: list[Any]) -> None:
    for finding in findings:
        assert finding.rule in RULES
        assert finding.line >= 1 and finding.column >= 1
        assert finding.message and "\n" not in finding.message


def check_file(path: Path, data: bytes) -> None:
    """Load, validate and locate one file: no exception, every finding well formed."""
    path.write_bytes(data)
    entry = load_entry(path)
    assert_well_formed(locate_entry(entry))


# --- arbitrary bytes -------------------------------------------------------------------------

YAML_ALPHABET = (
    list(" \t\n\r-:?[]{},#&*!|>'\"%@`.\\~=+")
    + list("ab01")
    + [
        "\x00",
        "\x07",
        "\x85",
        "\ufeff",
        "\u2028",
        "é",
        "“",
    ]
)


def mutated(text: str) -> st.SearchStrategy[bytes]:
    """A valid record with a few bytes replaced, inserted or deleted."""
    raw = text.encode()

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        out = bytearray(raw)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(out)))
            what = draw(st.sampled_from(["replace", "insert", "delete"]))
            byte = draw(st.binary(min_size=1, max_size=3))
            if what == "replace":
                out[at : at + len(byte)] = byte
            elif what == "insert":
                out[at:at] = byte
            else:
                del out[at : at + draw(st.integers(1, 20))]
        return bytes(out)

    return build()


ARBITRARY_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.text(alphabet=st.sampled_from(YAML_ALPHABET), max_size=400).map(str.encode),
    mutated(VALID_TEXT),
)


@SETTINGS
@given(data=ARBITRARY_BYTES)
def test_loader_never_raises_on_arbitrary_bytes(workdir: Path, data: bytes) -> None:
    check_file(workdir / "kb-bytes.yaml", data)


# --- arbitrary YAML documents ------------------------------------------------------------------

SUB_KEYS = ["region", "name", "kind", "signatory", "number", "position", "on", "reason"]
SUB_KEYS += ["required", "summary", "evidence", "url", "title", "publisher", "published_on"]
TRICKY = [
    "yes", "no", "on", "off", "~", "null", "", " ", "16.10", "16.03", "32", "99.99",
    "2024-02-05", "2024-02-30", "5/2/24", "Bekasi", "Muara Enim", "Kab. Muara Enim",
    "kesepakatan_bersama", "pelayanan_publik", "../../etc/passwd", "kb-a", "ptn", "dibatalkan",
    "https://example.org/x", "{found!r}", "%s", "\x1b[31m",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False),
    st.text(max_size=60),
    st.sampled_from(TRICKY),
    st.dates().map(str),
)
KEYS = st.one_of(st.sampled_from([*KEY_ORDER, *SUB_KEYS]), st.text(max_size=20))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)
DOCUMENTS = st.one_of(
    st.dictionaries(KEYS, VALUES, max_size=12),
    VALUES,
    # a valid record with some values replaced: reaches the rules past the model
    st.dictionaries(st.sampled_from(KEY_ORDER), VALUES, max_size=4).map(
        lambda changes: {**_valid_data(), **changes}
    ),
)


def _valid_data() -> dict[str, Any]:
    loaded = parse_text(Path("kb-full-record.yaml"), VALID_TEXT)
    assert loaded.data is not None
    return dict(loaded.data)


def dump(document: Any, style: str) -> str:
    if style == "json":
        return json.dumps(document, ensure_ascii=False)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = style == "flow"
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


@SETTINGS
@given(document=DOCUMENTS, style=st.sampled_from(["block", "flow", "json"]))
def test_validate_never_raises_on_arbitrary_documents(
    workdir: Path, document: Any, style: str
) -> None:
    registry = workdir / "data"
    folder = registry / "agreements" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kb-full-record.yaml").write_text(dump(document, style), encoding="utf-8")
    result = check_registry(registry)
    assert result.files == 1
    assert_well_formed(result.findings)


# Printable text: control characters and YAML's own line breaks are the writer's business
# (json.dumps leaves U+007F raw, which YAML forbids), not what this property is about.
PRINTABLE = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cc", "Cs", "Zl", "Zp"], blacklist_characters="\ufeff"
    ),
    max_size=60,
)
SIMPLE_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63),
        st.floats(allow_nan=False, allow_infinity=False),  # JSON has no infinity
        PRINTABLE,
        st.sampled_from(TRICKY[:-1]),
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(PRINTABLE, children, max_size=5)
    ),
    max_leaves=25,
)


@SETTINGS
@given(
    document=st.dictionaries(PRINTABLE, SIMPLE_VALUES, min_size=1, max_size=8),
    style=st.sampled_from(["block", "json"]),
)
def test_loader_reads_back_what_a_yaml_writer_wrote(document: dict[str, Any], style: str) -> None:
    """Plain values survive a round trip: our YAML 1.2 reading agrees with what writers write.

    (Not ruamel's flow style: it writes plain scalars such as ``?0`` and ``https://x`` inside
    ``{ }`` that YAML 1.2 allows and libyaml, a YAML 1.1 scanner, does not. Records written
    that way get a located KS102, which the test above covers.)
    """
    text = dump(document, style)
    assume(all(len(line) <= 10_000 for line in text.splitlines()))
    loaded = parse_text(Path("x.yaml"), text)
    assert loaded.findings == []
    assert loaded.data == document


# --- region names ------------------------------------------------------------------------------

GAZ = load_gazetteer()
PREFIXES = {
    "provinsi": ["Provinsi", "Prov.", "Prov", "Propinsi", "Pemprov", "Pemerintah Provinsi"],
    "kabupaten": ["Kabupaten", "Kab.", "Kab", "Pemkab", "Pemerintah Kabupaten"],
    "kota": ["Kota", "Pemkot", "Pemerintah Kota"],
}


@st.composite
def spelled(draw: st.DrawFn) -> tuple[Region, str]:
    """An official region and a way a person could write it."""
    region = draw(st.sampled_from(GAZ.regions))
    words = re.split(r"[\s-]+", region.name)
    bare_is_unique = GAZ.resolve(region.name).region == region
    prefix = draw(st.sampled_from(PREFIXES[region.kind] + ([""] if bare_is_unique else [])))
    separators = st.sampled_from([" ", "  ", "\t", "-", ""])
    name = words[0] + "".join(draw(separators) + word for word in words[1:])
    text = f"{prefix} {name}" if prefix else name
    text = "".join(
        ch.upper() if draw(st.booleans()) else ch.lower() if ch in string.ascii_letters else ch
        for ch in text
    )
    padding = st.sampled_from(["", " ", "  ", "\t"])
    return region, draw(padding) + text + draw(padding)


@settings(max_examples=1000, deadline=None)
@given(case=spelled())
def test_every_region_resolves_under_any_case_spacing_and_prefix(case: tuple[Region, str]) -> None:
    region, text = case
    assert GAZ.resolve(text).region == region, text
