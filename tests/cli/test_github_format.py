"""`validate --format github`: escaping, order by importance, and the annotation cap notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerjasama_cli.findings import CheckResult, Finding
from kerjasama_cli.render.findings import render_github
from tests.conftest import Run, record_text, write_record


def test_percent_in_message_and_comma_colon_in_file_are_escaped(registry: Path, run: Run) -> None:
    write_record(
        registry,
        record_text("kb-a", title="T", parties=('region: "32"', "region: '100%: Bandung, Barat'")),
        "kb-a",
    )
    write_record(
        registry, record_text("kb-b", title="T", parties=('region: "32"', "region: '33'")), "kb,b:c"
    )
    result = run("validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=data/agreements/draf/kb%2Cb%3Ac.yaml,line=1,col=5,title=KS209::"
        "id 'kb-b' differs from the file name 'kb,b:c', which is not an id (lowercase letters, "
        "digits and hyphens); expected the file named kb-b.yaml",
        "::error file=data/agreements/draf/kb-a.yaml,line=6,col=13,title=KS201::"
        "unknown region '100%25: Bandung, Barat'; did you mean 'Bandung Barat' (32.17)?",
    ]


def test_newline_and_carriage_return_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    finding = Finding("KS904", "50% done\r\nnext: line, two", ("notes",), "a:b,c.yaml", 3, 4)
    render_github(CheckResult(1, [finding]))
    out = capsys.readouterr().out
    assert out == (
        "::warning file=a%3Ab%2Cc.yaml,line=3,col=4,title=KS904::50%25 done%0D%0Anext: line, two\n"
    )


def test_errors_come_before_warnings_then_by_file(registry: Path, run: Run) -> None:
    write_record(
        registry,
        record_text("kb-a", title="T", signed_on="2024-02-05", ends_on="2026-02-05"),
        "kb-a",
    )  # KS904 warning
    write_record(
        registry,
        record_text("kb-z", title="T", parties=('region: "32"', "region: Nowhere Land")),
        "kb-z",
    )  # KS201 error
    write_record(
        registry,
        record_text("kb-m", title="T", parties=('region: "32"', "region: Nowhere Land")),
        "kb-m",
    )
    result = run("validate", "--format", "github")
    kinds = [
        (line.split()[0], line.split(",")[0].split("/")[-1]) for line in result.stdout.splitlines()
    ]
    assert kinds == [
        ("::error", "kb-m.yaml"),
        ("::error", "kb-z.yaml"),
        ("::warning", "kb-a.yaml"),
    ]


def test_more_than_ten_errors_and_warnings_end_with_a_notice(registry: Path, run: Run) -> None:
    for i in range(12):
        write_record(
            registry,
            record_text(f"kb-w{i:02}", title="T", signed_on="2024-02-05", ends_on="2026-02-05"),
            f"kb-w{i:02}",
        )
    for i in range(13):
        write_record(
            registry,
            record_text(f"kb-e{i:02}", title="T", parties=('region: "32"', "region: Nowhere Land")),
            f"kb-e{i:02}",
        )
    result = run("validate", "--format", "github")
    lines = result.stdout.splitlines()
    assert len(lines) == 12 + 13 + 1
    assert all(line.startswith("::error ") for line in lines[:13])
    assert all(line.startswith("::warning ") for line in lines[13:25])
    assert lines[-1] == (
        "::notice title=kerjasama validate::GitHub shows the first 10 errors and 10 warnings of "
        "a step as annotations; 3 more errors and 2 more warnings are listed in this step's log."
    )


def test_notice_counts_only_the_capped_severity_and_names_the_summary(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    for i in range(11):
        write_record(
            registry,
            record_text(f"kb-w{i:02}", title="T", signed_on="2024-02-05", ends_on="2026-02-05"),
            f"kb-w{i:02}",
        )
    result = run("validate", "--format", "github", "--summary-file", str(tmp_path / "s.md"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "::notice title=kerjasama validate::GitHub shows the first 10 errors and 10 warnings of "
        "a step as annotations; 1 more warning is listed in this step's log and the job summary."
    )


def test_ten_of_each_need_no_notice(registry: Path, run: Run) -> None:
    for i in range(10):
        write_record(
            registry,
            record_text(f"kb-w{i:02}", title="T", signed_on="2024-02-05", ends_on="2026-02-05"),
            f"kb-w{i:02}",
        )
    result = run("validate", "--format", "github")
    assert len(result.stdout.splitlines()) == 10
    assert "::notice" not in result.stdout
