"""The JSON Schema and `validate` agree on every example, except where the schema cannot say it.

Each example under tests/examples/ is judged twice: by `validate` (one run over a registry of
all of them, errors only: warnings do not make a record invalid) and by the checked-in
schema/record.schema.json, loading the YAML as check-jsonschema does (dates as strings) and
checking formats. Where they differ, the example must be listed in SCHEMA_CANNOT_SAY with the
reason; the README lists the same kinds of rules ("The JSON Schema and validate").
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

pytest.importorskip("check_jsonschema")  # in the test extra; it loads YAML as editors' tools do
from check_jsonschema.parsers.yaml import (
    _normalize,
    construct_yaml_implementation,
)

from tests.cli.test_examples import _examples, expectations
from tests.conftest import Run, home_folder

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "schema" / "record.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

GAZETTEER = "region names, codes and aliases are looked up in the gazetteer of 552 regions"
SCHEMA_CANNOT_SAY = {
    "ks201-unknown-region.yaml": GAZETTEER,
    "ks202-ambiguous-region.yaml": GAZETTEER,
    "ks203-jakarta-admin-city.yaml": GAZETTEER,
    "ks204-same-region-twice.yaml": "a code and a name can be the same region (gazetteer)",
    "ks207-unknown-sector.yaml": "sector aliases are matched ignoring case and spacing",
    "ks209-id-not-file-name.yaml": "the file name is not part of the data",
    "ks302-ends-before-start.yaml": "JSON Schema cannot compare two dates",
    "ks303-starts-before-signing.yaml": "JSON Schema cannot compare two dates",
    "ks304-activity-before-signing.yaml": "JSON Schema cannot compare two dates",
    "ks306-evaluation-before-signing.yaml": "JSON Schema cannot compare two dates",
    "ks307-ended-before-signing.yaml": "JSON Schema cannot compare two dates",
    "ks402-unknown-parent.yaml": "ids of other records are across files",
    # What the schema is given is the loaded value: other YAML loaders read these as 32.
    "ks201-region-as-hex-number.yaml": "a YAML loader reads 0x20 as the number 32",
    "ks201-region-with-underscore.yaml": "a YAML 1.1 loader reads 3_2 as the number 32",
    "ks201-region-with-leading-zero.yaml": "a YAML loader reads 032 as the number 32",
}


def _loadable(example: Path) -> bool:
    """KS1xx examples are about the file, not the data: the loader refuses them (see README)."""
    return not any(rule.startswith("KS1") for rule, _, _ in expectations(example))


EXAMPLES = [p for kind in ("valid", "invalid") for p in _examples(kind) if _loadable(p)]
_YAML = construct_yaml_implementation()


def schema_accepts(data: Any) -> bool:
    return VALIDATOR.is_valid(data)


def _load(path: Path) -> Any:
    return _normalize(_YAML.load(path.read_bytes()))


@pytest.fixture(scope="module")
def validate_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bool]:
    """Example name -> whether validate finds no errors, from one run over all of them."""
    registry = tmp_path_factory.mktemp("all-examples") / "data"
    (registry / "agreements").mkdir(parents=True)
    for example in EXAMPLES:
        shutil.copyfile(example, registry / "agreements" / f"{example.stem}.yaml")
    from typer.testing import CliRunner

    from kerjasama_cli.cli.app import app

    out = CliRunner().invoke(
        app,
        ["validate", "--format", "json", "--data-dir", str(registry)],
        catch_exceptions=False,
    )
    with_errors = {
        Path(f["path"]).name for f in json.loads(out.stdout)["findings"] if f["severity"] == "error"
    }
    return {example.name: example.name not in with_errors for example in EXAMPLES}


def test_every_example_is_judged(validate_verdicts: dict[str, bool]) -> None:
    assert len(EXAMPLES) > 50
    assert set(validate_verdicts) == {e.name for e in EXAMPLES}
    assert set(SCHEMA_CANNOT_SAY) <= set(validate_verdicts)


def test_schema_and_validate_agree_except_where_the_schema_cannot_say_it(
    validate_verdicts: dict[str, bool],
) -> None:
    differ = {
        example.name
        for example in EXAMPLES
        if schema_accepts(_load(example)) != validate_verdicts[example.name]
    }
    assert differ == set(SCHEMA_CANNOT_SAY)


def test_where_they_differ_the_schema_is_the_lenient_one(
    validate_verdicts: dict[str, bool],
) -> None:
    """The schema never refuses a record that validate accepts."""
    by_name = {e.name: e for e in EXAMPLES}
    for name in SCHEMA_CANNOT_SAY:
        assert schema_accepts(_load(by_name[name]))
        assert validate_verdicts[name] is False


RECORD = (
    "id: kb-a\ntitle: T\ndocument: kesepakatan_bersama\n"
    'parties:\n  - region: {region}\n  - region: "33"\nsectors: [pelayanan_publik]\n{extra}'
)
CASES = {
    "unquoted-province-code": ("32", "", True),
    "quoted-province-code": ('"32"', "", True),
    "region-name": ("Jawa Barat", "", True),
    "empty-region": ("", "", False),
    "unquoted-kabupaten-code": ("16.03", "", False),  # YAML reads the float 16.03
    "region-and-name": ('"32"\n    name: Unpad\n    kind: ptn', "", False),
    "region-and-null-name": ('"32"\n    name:', "", True),
    "blank-title": ('"32"', "notes: '   '\n", False),
    "control-character": ('"32"', 'notes: "a\\u0007b"\n', False),
    "activity-on-a-draft": ('"32"', "activities:\n  - {on: 2024-01-01, summary: Rapat}\n", False),
    "no-activities-on-a-draft": ('"32"', "activities: []\n", True),
    "signed-with-activity": (
        '"32"',
        "signed_on: 2024-01-01\nactivities:\n  - {on: 2024-02-01, summary: Rapat}\n",
        True,
    ),
    "evaluation-on-a-draft": (
        '"32"',
        "evaluations:\n  - {on: 2024-01-01, summary: Baik, recommendation: lanjutkan}\n",
        False,
    ),
    "signed-with-evaluation": (
        '"32"',
        "signed_on: 2024-01-01\nevaluations:\n"
        "  - {on: 2024-02-01, summary: Baik, recommendation: lanjutkan, score: 4}\n",
        True,
    ),
    "evaluation-score-out-of-range": (
        '"32"',
        "signed_on: 2024-01-01\nevaluations:\n"
        "  - {on: 2024-02-01, summary: Baik, recommendation: lanjutkan, score: 6}\n",
        False,
    ),
    "unknown-key": ('"32"', "remarks: x\n", False),
    # An unquoted two-digit code that is no province (the schema allowed 10-99).
    "unquoted-code-of-no-province": ("99", "", False),
    "unquoted-code-of-a-new-province": ("96", "", True),  # Papua Barat Daya
    # A source names its url or its title (the schema took a publisher alone).
    "source-with-a-publisher-only": ('"32"', "sources:\n  - publisher: Humas\n", False),
    "source-with-a-title": ('"32"', "sources:\n  - {title: Berita, publisher: Humas}\n", True),
    "source-with-a-url": ('"32"', "sources:\n  - url: https://example.org/a\n", True),
}


@pytest.mark.parametrize(("region", "extra", "valid"), CASES.values(), ids=list(CASES))
def test_schema_and_validate_agree_on_each_case(
    registry: Path, run: Run, region: str, extra: str, valid: bool
) -> None:
    text = RECORD.format(region=region, extra=extra)
    path = registry / "agreements" / home_folder(text) / "kb-a.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    findings = run("validate", "--format", "json").json()["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert (not errors) is valid, findings
    assert schema_accepts(_load(path)) is valid
