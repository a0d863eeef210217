"""The findings a change prints (`set`, `add`, `activity`, ...) count positions from 1, as
`set` takes them: a key copied from a message into `set` names the same item. The JSON `key`
of `validate` keeps the contract's 0-based positions."""

from __future__ import annotations

from pathlib import Path

from kerjasama_cli.findings import Finding, counted_from_one
from kerjasama_cli.render.writes import finding_line
from tests.conftest import Run, record_text, write_record


def test_every_position_of_a_key_counts_from_one() -> None:
    assert counted_from_one("activities[0].evidence[1]") == "activities[1].evidence[2]"
    assert counted_from_one("parties[9].region") == "parties[10].region"
    assert counted_from_one("ends_on") == "ends_on"


def test_the_key_and_its_paths_in_the_message_count_from_one_and_nothing_else() -> None:
    finding = Finding(
        "KS200",
        "missing required key 'region' in parties[1] (parties[1] of 3; parties[10] is another)",
        ("parties", 1, "region"),
    )
    assert finding_line(finding).plain == (
        "error KS200 parties[2].region: missing required key 'region' in parties[2] "
        "(parties[2] of 3; parties[10] is another)"
    )
    nested = Finding("KS402", "related[0] names 'kb-x'", ("related", 0))
    assert finding_line(nested).plain == "error KS402 related[1]: related[1] names 'kb-x'"


def test_a_key_copied_from_sets_refusal_into_set_names_the_same_activity(
    registry: Path, run: Run
) -> None:
    text = record_text("kb-a", signed_on="2024-02-05")
    text += "activities:\n  - on: 2024-03-01\n    summary: Rapat\n  - on: 2024-04-01\n    summary: Kunjungan\n"
    write_record(registry, text, "kb-a")
    refused = run("set", "kb-a", "activities[2].on=2020-01-01")
    assert refused.exit_code == 1
    assert "error KS304 activities[2].on: activity dated 2020-01-01" in refused.stderr
    as_json = run("validate", "--format", "json")
    assert as_json.exit_code == 0  # nothing was written; the JSON keys stay 0-based:
    write_record(registry, text.replace("2024-04-01", "2020-01-01"), "kb-a")
    assert '"key": "activities[1].on"' in run("validate", "--format", "json").stdout


def test_a_value_quoted_in_the_message_is_never_rewritten() -> None:
    """`set 'parties[2].region="parties[1]"'` said "unknown region 'parties[2]'": the value
    typed is shown as typed."""
    finding = Finding(
        "KS201", "unknown region 'parties[1]'; see parties[1]", ("parties", 1, "region")
    )
    assert finding_line(finding).plain == (
        "error KS201 parties[2].region: unknown region 'parties[1]'; see parties[2]"
    )
    double = Finding("KS207", 'unknown sector "sectors[0]"', ("sectors", 0))
    assert finding_line(double).plain == 'error KS207 sectors[1]: unknown sector "sectors[0]"'


def test_import_names_positions_from_one_too(registry: Path, run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "r.csv"
    sheet.write_text(
        "title,document,party_1,party_2,sectors,signed_on,related\n"
        'Uji,kb,Kaur,Lahat,pendidikan,2024-03-01,"kb-tidak-ada"\n',
        encoding="utf-8",
    )
    result = run("import", str(sheet), "--dry-run")
    assert "related[1] names 'kb-tidak-ada'" in result.stderr
    assert "related[0]" not in result.stderr
