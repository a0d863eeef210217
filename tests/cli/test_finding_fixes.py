"""KS209 is reported beside a file's other errors; a KS402 suggestion never names the record itself."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, write_record

RECORD = (
    "id: {id}\ntitle: T\ndocument: kesepakatan_bersama\n"
    'parties:\n  - region: "{region}"\n  - region: "33"\nsectors: [pelayanan_publik]\n{extra}'
)


def _findings(run: Run) -> list[tuple[str, str, int, int]]:
    result = run("validate", "--format", "json")
    return [(f["rule"], f["key"], f["line"], f["column"]) for f in result.json()["findings"]]


def test_ks209_is_reported_while_the_file_has_other_errors(registry: Path, run: Run) -> None:
    text = RECORD.format(id="kb-other-name", region="99.99", extra="")
    write_record(registry, text, "kb-file-name", folder="draf")
    assert _findings(run) == [
        ("KS209", "id", 1, 5),
        ("KS201", "parties[0].region", 5, 13),
    ]


def test_ks209_names_both_ids_even_when_the_raw_id_is_not_a_slug(registry: Path, run: Run) -> None:
    write_record(
        registry, RECORD.format(id="KB Other", region="32", extra=""), "kb-file", folder="draf"
    )
    result = run("validate")
    assert "error KS208" in result.stdout
    assert (
        "data/agreements/draf/kb-file.yaml:1:5: error KS209 id 'KB Other' differs from the file "
        "name; expected id: kb-file (or rename the file to KB Other.yaml)"
    ) in result.stdout


def test_no_ks209_when_the_raw_id_is_not_a_string(registry: Path, run: Run) -> None:
    write_record(registry, RECORD.format(id="12", region="99.99", extra=""), "kb-12", folder="draf")
    rules = [rule for rule, *_ in _findings(run)]
    assert "KS209" not in rules
    assert "KS206" in rules


def test_no_ks209_when_an_invalid_record_has_the_right_id(registry: Path, run: Run) -> None:
    write_record(
        registry, RECORD.format(id="kb-same", region="99.99", extra=""), "kb-same", folder="draf"
    )
    assert [rule for rule, *_ in _findings(run)] == ["KS201"]


def test_ks402_suggestion_never_names_the_record_being_checked(registry: Path, run: Run) -> None:
    # 'kb-jabar-jateng-2' is close to the record's own id, and to nothing else.
    text = RECORD.format(id="kb-jabar-jateng", region="32", extra="related: [kb-jabar-jateng-2]\n")
    write_record(registry, text, "kb-jabar-jateng", folder="draf")
    result = run("validate")
    assert (
        "data/agreements/draf/kb-jabar-jateng.yaml:8:11: error KS402 related[0] names "
        "'kb-jabar-jateng-2', which is not in the registry\n"
    ) in result.stdout


def test_ks402_still_suggests_another_record(registry: Path, run: Run) -> None:
    write_record(
        registry,
        RECORD.format(id="kb-jabar-jateng", region="32", extra="related: [kb-jabar-jatim-2]\n"),
        "kb-jabar-jateng",
        folder="draf",
    )
    write_record(
        registry,
        RECORD.format(id="kb-jabar-jatim", region="35", extra=""),
        "kb-jabar-jatim",
        "draf",
    )
    result = run("validate")
    assert (
        "names 'kb-jabar-jatim-2', which is not in the registry; did you mean 'kb-jabar-jatim'?"
        in (result.stdout)
    )


def test_a_key_that_yaml_reads_as_null_or_a_boolean_is_named_as_written(
    registry: Path, run: Run
) -> None:
    # They were named 'None', 'True' and '1.5': words that are nowhere in the file.
    extra = "null: a\n~: b\ntrue: c\n1.50: d\n"
    write_record(registry, RECORD.format(id="kb-keys", region="32", extra=extra), "kb-keys")
    assert _findings(run) == [
        ("KS205", "null", 8, 1),
        ("KS205", "~", 9, 1),
        ("KS205", "true", 10, 1),
        ("KS205", "1.50", 11, 1),
    ]
    assert "unknown key 'null'; expected one of id, title" in run("validate").stdout


def test_a_key_that_is_a_list_is_placed_at_the_key_also_at_the_top(
    registry: Path, run: Run
) -> None:
    # At the top level it was placed at 1:1: the key has no key path, and the place the reader
    # gave it was replaced by the place of the record.
    extra = "[a]: b\nunits:\n  {k: v}: c\n"
    write_record(registry, RECORD.format(id="kb-lists", region="32", extra=extra), "kb-lists")
    found = _findings(run)
    assert ("KS106", "", 8, 1) in found
    assert ("KS106", "units", 10, 3) in found
    assert (
        run("validate", "--no-cache", "--format", "json").json()["findings"]
        == run("validate", "--format", "json").json()["findings"]
    )
