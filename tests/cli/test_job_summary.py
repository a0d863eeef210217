"""The job summary: --summary-file and $GITHUB_STEP_SUMMARY, escaping, and the 1 MiB cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerjasama_cli.render.job_summary import SUMMARY_LIMIT_BYTES, escape_cell
from tests.conftest import Run, record_text, write_record


def _unknown_keys(record_id: str, count: int) -> str:
    """A record with ``count`` long unknown keys: one KS205 error (about 500 bytes) each."""
    keys = "".join(f"unknown_{'k' * 180}_{i}: 1\n" for i in range(count))
    return record_text(record_id, title="T") + keys


def test_summary_file_gets_a_table_of_all_findings(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    write_record(
        registry,
        record_text("kb-a", title="T", parties=('region: "32"', "region: Nowhere Land")),
        "kb-a",
    )
    write_record(
        registry,
        record_text("kb-signed", title="T", signed_on="2024-02-05", ends_on="2026-02-05"),
        "kb-signed",
    )
    summary = tmp_path / "summary.md"
    result = run("validate", "--summary-file", str(summary))
    assert result.exit_code == 1
    assert summary.read_text(encoding="utf-8") == (
        "### kerjasama validate\n\n"
        "❌ 2 files checked: 1 error, 1 warning.\n\n"
        "| Severity | Rule | Location | Message |\n"
        "| --- | --- | --- | --- |\n"
        "| ❌ error | KS201 | data/agreements/draf/kb-a.yaml:6:13 | unknown region 'Nowhere Land'; "
        "expected a Kemendagri code or a region name |\n"
        "| ⚠️ warning | KS904 | data/agreements/2024/kb-signed.yaml:8:12 | signed record with no "
        "sources and no party number; expected a source (url or title) or the document number |\n"
        "\n"
    )


def test_clean_run_writes_a_one_line_summary(registry: Path, run: Run, tmp_path: Path) -> None:
    write_record(registry, record_text("kb-a", title="T"), "kb-a")
    summary = tmp_path / "summary.md"
    assert run("validate", "--summary-file", str(summary)).exit_code == 0
    assert summary.read_text(encoding="utf-8") == (
        "### kerjasama validate\n\n✅ 1 file checked: no errors, no warnings.\n\n"
    )


def test_github_step_summary_is_appended_to(
    registry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record(registry, record_text("kb-a", title="T"), "kb-a")
    summary = tmp_path / "step_summary.md"
    summary.write_text("## Earlier step\n\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run("validate", "--format", "github").exit_code == 0
    assert summary.read_text(encoding="utf-8") == (
        "## Earlier step\n\n### kerjasama validate\n\n✅ 1 file checked: no errors, no warnings.\n\n"
    )


def test_unwritable_github_step_summary_is_a_warning_not_a_failure(
    registry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record(registry, record_text("kb-a", title="T"), "kb-a")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "summary.md"))
    result = run("validate")
    assert result.exit_code == 0
    assert "warning: $GITHUB_STEP_SUMMARY: cannot write the job summary" in result.stderr


def test_unwritable_summary_file_is_a_usage_error(registry: Path, run: Run, tmp_path: Path) -> None:
    result = run("validate", "--summary-file", str(tmp_path / "missing" / "summary.md"))
    assert result.exit_code == 2
    assert "error: --summary-file: cannot write the job summary" in result.stderr


def test_pipe_backslash_and_line_breaks_are_escaped_in_cells() -> None:
    assert escape_cell("a|b\\c\r\nd\ne") == "a\\|b\\\\c<br>d<br>e"
    assert escape_cell("<script> *x* _y_ `z` [l](u) &amp;") == (
        "\\<script\\> \\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\&amp;"
    )


def test_pipe_in_a_file_name_does_not_break_the_table(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    write_record(registry, record_text("kb-a", title="T"), "kb|a")
    summary = tmp_path / "summary.md"
    run("validate", "--summary-file", str(summary))
    row = summary.read_text(encoding="utf-8").splitlines()[-2]
    assert row.startswith("| ❌ error | KS209 | data/agreements/draf/kb\\|a.yaml:1:5 | ")
    assert row.replace("\\|", "").count("|") == 5


@pytest.mark.slow
def test_summary_over_one_mib_is_capped_with_a_count_of_the_rest(
    registry: Path, run: Run, tmp_path: Path
) -> None:
    for i in range(3):
        write_record(registry, _unknown_keys(f"kb-big{i}", 1000), f"kb-big{i}")
    summary = tmp_path / "summary.md"
    result = run("validate", "--format", "json", "--summary-file", str(summary))
    assert result.json()["errors"] == 3000
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) <= SUMMARY_LIMIT_BYTES
    shown = text.count("| ❌ error | KS205 |")
    assert 1000 < shown < 3000
    assert text.endswith(
        f"\n*{3000 - shown} more findings not shown: a job summary is limited to 1 MiB. "
        "Run `kerjasama validate` to see them all.*\n\n"
    )


def test_cap_counts_what_earlier_steps_wrote(registry: Path, run: Run, tmp_path: Path) -> None:
    for i in range(3):
        write_record(
            registry,
            record_text(f"kb-{i}", title="T", parties=('region: "32"', "region: Nowhere Land")),
            f"kb-{i}",
        )
    summary = tmp_path / "summary.md"
    # Room for the heading, one row (about 135 bytes) and the closing line, not two rows.
    earlier = "x" * (SUMMARY_LIMIT_BYTES - 751) + "\n"
    summary.write_text(earlier, encoding="utf-8")
    run("validate", "--summary-file", str(summary))
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) <= SUMMARY_LIMIT_BYTES
    added = text[len(earlier) :]
    assert added.count("| ❌ error | KS201 |") == 1
    assert "*2 more findings not shown" in added
