"""--select / --ignore, and the registry's defaults in kerjasama.toml or [tool.kerjasama]."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kerjasama_cli.cli.filters import Selection, filter_options
from kerjasama_cli.cli.options import DataDir
from tests.conftest import Run, record_text, write_record


@pytest.fixture
def findings(registry: Path) -> Path:
    """One file with an error (KS201), one with a warning (KS904)."""
    write_record(
        registry,
        record_text("kb-a", title="T", parties=('region: "32"', "region: Nowhere Land")),
        "kb-a",
        "draf",
    )
    write_record(
        registry,
        record_text("kb-b", title="T", signed_on="2024-02-05", ends_on="2026-02-05"),
        "kb-b",
    )
    return registry


def _rules(run: Run, *args: str) -> list[str]:
    """The rules reported, sorted (the files' order is not what these tests are about)."""
    result = run("validate", "--format", "json", *args)
    return sorted(f["rule"] for f in result.json()["findings"])


def test_without_selection_every_rule_is_reported(findings: Path, run: Run) -> None:
    assert _rules(run) == ["KS201", "KS904"]


def test_ignore_drops_a_rule_and_the_exit_code_follows(findings: Path, run: Run) -> None:
    result = run("validate", "--ignore", "KS201")
    assert result.exit_code == 0
    assert "KS201" not in result.stdout
    assert "KS904" in result.stdout


def test_select_keeps_only_matching_rules_by_prefix(findings: Path, run: Run) -> None:
    assert _rules(run, "--select", "ks9") == ["KS904"]
    assert _rules(run, "--select", "KS2,KS3") == ["KS201"]
    assert _rules(run, "--select", "KS2", "--select", "KS9") == ["KS201", "KS904"]


def test_ignore_wins_over_select(findings: Path, run: Run) -> None:
    assert _rules(run, "--select", "KS", "--ignore", "KS9") == ["KS201"]


def test_unknown_rule_code_is_a_usage_error(findings: Path, run: Run) -> None:
    result = run("validate", "--ignore", "KS9O4")
    assert result.exit_code == 2
    # the range is the rule table's, not a copy that falls behind it (KS906 was left out once)
    assert result.stderr.strip() == (
        "error: --ignore: 'KS9O4' is not a rule code or a prefix of one (KS100 ... KS907; "
        "see the rule table in the README); did you mean KS904?"
    )


def test_kerjasama_toml_in_the_data_folder_sets_defaults(findings: Path, run: Run) -> None:
    (findings / "kerjasama.toml").write_text('ignore = ["KS904"]\n', encoding="utf-8")
    assert _rules(run) == ["KS201"]


def test_pyproject_tool_table_in_the_parent_folder_sets_defaults(findings: Path, run: Run) -> None:
    (findings.parent / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.kerjasama]\nselect = "KS9"\n', encoding="utf-8"
    )
    assert _rules(run) == ["KS904"]


def test_pyproject_without_the_table_does_not_hide_a_kerjasama_toml_further_up(
    findings: Path, run: Run
) -> None:
    (findings / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (findings.parent / "kerjasama.toml").write_text('ignore = ["KS2"]\n', encoding="utf-8")
    assert _rules(run) == ["KS904"]


def test_data_folder_config_wins_over_the_parent_and_toml_over_pyproject(
    findings: Path, run: Run
) -> None:
    (findings.parent / "kerjasama.toml").write_text('ignore = ["KS9"]\n', encoding="utf-8")
    (findings / "pyproject.toml").write_text(
        '[tool.kerjasama]\nignore = ["KS9"]\n', encoding="utf-8"
    )
    (findings / "kerjasama.toml").write_text('ignore = ["KS2"]\n', encoding="utf-8")
    assert _rules(run) == ["KS904"]


def test_command_line_replaces_the_configured_value(findings: Path, run: Run) -> None:
    (findings / "kerjasama.toml").write_text('ignore = ["KS904"]\n', encoding="utf-8")
    assert _rules(run, "--ignore", "KS201") == ["KS904"]
    assert _rules(run, "--ignore", "") == ["KS201", "KS904"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignore = [\n", "kerjasama.toml: not valid TOML"),
        ('ignor = ["KS904"]\n', "kerjasama.toml: unknown key 'ignor'; did you mean 'ignore'?"),
        ('ignore = ["KS999"]\n', "kerjasama.toml: ignore: 'KS999' is not a rule code"),
        ("ignore = [1]\n", "kerjasama.toml: ignore must be a list of rule codes"),
        ('expiry_window = "90"\n', "kerjasama.toml: expiry_window must be a whole number"),
        ("expiry_window = -1\n", "kerjasama.toml: expiry_window must be a whole number"),
    ],
)
def test_bad_config_is_a_usage_error_naming_the_file(
    findings: Path, run: Run, text: str, message: str
) -> None:
    (findings / "kerjasama.toml").write_text(text, encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def _window_probe() -> typer.Typer:
    """A command with the shared filter options that prints the window it was handed."""
    app = typer.Typer()

    @app.command()
    @filter_options
    def probe(data_dir: DataDir = None, selection: Selection | None = None) -> None:
        assert selection is not None
        typer.echo(selection.window_days)

    return app


def _window(registry: Path, *args: str) -> str:
    result = CliRunner().invoke(
        _window_probe(), list(args), env={"KERJASAMA_DATA": str(registry)}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_expiry_window_defaults_to_90_days(registry: Path) -> None:
    assert _window(registry) == "90"


def test_expiry_window_comes_from_the_registry_config(registry: Path) -> None:
    (registry / "kerjasama.toml").write_text("expiry_window = 30\n", encoding="utf-8")
    assert _window(registry) == "30"
    assert _window(registry, "--expiry-window", "7") == "7"


def test_expiry_window_config_is_found_from_data_dir(registry: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "data" / "agreements").mkdir(parents=True)
    (other / "pyproject.toml").write_text("[tool.kerjasama]\nexpiry_window = 60\n", "utf-8")
    assert _window(registry, "--data-dir", str(other / "data")) == "60"
