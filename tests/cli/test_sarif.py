"""`validate --format sarif`: SARIF 2.1.0 that GitHub code scanning accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from kerjasama_cli import __version__
from kerjasama_cli.rules import RULES
from tests.conftest import Run, write_record

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

BAD = (
    "id: kb-a\ntitle: T\ndocument: kesepakatan_bersama\n"
    'parties:\n  - region: "99.99"\n  - region: "33"\nsectors: [pelayanan_publik]\n'
    "signed_on: 2024-02-05\n"
)


def _sarif(run: Run, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("validate", "--format", "sarif", *args)
    return result.exit_code, json.loads(result.stdout)


def test_sarif_output_is_valid_against_the_sarif_2_1_0_schema(registry: Path, run: Run) -> None:
    write_record(registry, BAD, "kb-a")
    _, log = _sarif(run)
    errors = sorted(Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert errors == []
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_sarif_clean_registry_is_valid_with_no_results(registry: Path, run: Run) -> None:
    code, log = _sarif(run)
    assert code == 0
    assert list(Draft4Validator(SCHEMA).iter_errors(log)) == []
    assert log["runs"][0]["results"] == []


def test_schema_check_is_not_vacuous() -> None:
    """The vendored schema refuses a result without a message: the test above can fail."""
    log = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "KS201"}]}],
    }
    assert list(Draft4Validator(SCHEMA).iter_errors(log)) != []


def test_driver_lists_every_rule_with_its_code_and_help(registry: Path, run: Run) -> None:
    _, log = _sarif(run)
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kerjasama", __version__)
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    ks201 = driver["rules"][list(RULES).index("KS201")]
    assert ks201["shortDescription"]["text"] == RULES["KS201"][1]
    assert RULES["KS201"][1] in ks201["help"]["text"]
    assert ks201["defaultConfiguration"]["level"] == "error"
    ks902 = driver["rules"][list(RULES).index("KS902")]
    assert ks902["defaultConfiguration"]["level"] == "warning"


def test_each_finding_is_a_result_with_rule_level_file_line_and_column(
    registry: Path, run: Run
) -> None:
    write_record(registry, BAD, "kb-a")
    code, log = _sarif(run)
    expected = run("validate", "--format", "json").json()["findings"]
    results = log["runs"][0]["results"]
    assert code == 1
    assert [
        (
            r["ruleId"],
            r["level"],
            r["message"]["text"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in results
    ] == [
        (f["rule"], f["severity"], f["message"], f["path"], f["line"], f["column"])
        for f in expected
    ]
    ks201 = next(r for r in results if r["ruleId"] == "KS201")
    assert ks201["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "data/agreements/2024/kb-a.yaml"},
        "region": {"startLine": 5, "startColumn": 13},
    }
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_warnings_are_warning_results_and_strict_fails(registry: Path, run: Run) -> None:
    write_record(registry, BAD.replace('"99.99"', '"32"'), "kb-a")
    code, log = _sarif(run)
    assert code == 0
    assert {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]} == {
        ("KS902", "warning"),
        ("KS904", "warning"),
    }
    assert _sarif(run, "--strict")[0] == 1


@pytest.mark.parametrize(
    ("name", "uri"),
    [("kb a#1", "kb%20a%231"), ("kb-ü", "kb-%C3%BC"), ("kb\\a", "kb%5Ca")],
    ids=["space-hash", "utf8", "backslash-in-a-posix-name"],
)
def test_file_names_become_uri_references(registry: Path, run: Run, name: str, uri: str) -> None:
    write_record(registry, BAD, name)
    _, log = _sarif(run)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {f"data/agreements/2024/{uri}.yaml"}
    assert list(Draft4Validator(SCHEMA).iter_errors(log)) == []
