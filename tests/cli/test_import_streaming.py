"""A sheet is read as a stream: a CSV in chunks (decoded across their boundaries, its encoding
told by a first pass), an XLSX row by row; the plan keeps each row's text, not its record."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kerjasama_cli.exchange import importing, sheets
from kerjasama_cli.model import Record
from kerjasama_cli.registry import load_registry
from kerjasama_cli.storage.canonical import render_record_yaml
from kerjasama_cli.storage.reading import parse_text
from tests.conftest import Run

HEADER = "id,title,document,party_1,party_2,sectors,signed_on"
TITLE = "Kerja sama caf\xe9 \u2013 na\xefve"


def _rows(count: int, title: str = TITLE) -> list[str]:
    return [
        f"kb-uji-{n},{title} {n},kb,Muara Enim,Lahat,pendidikan,2024-03-0{n % 9 + 1}"
        for n in range(1, count + 1)
    ]


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 bytes: every multi-byte character of the sheets below is cut by a few."""
    monkeypatch.setattr(sheets, "_CHUNK", 7)


@pytest.mark.usefixtures("tiny_chunks")
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_characters_cut_by_a_chunk_are_read_whole(
    run: Run, registry: Path, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "daftar.csv"
    path.write_bytes(("\n".join([HEADER, *_rows(3)]) + "\n").encode(encoding))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    titles = sorted(r.title for r in load_registry(registry).records)
    assert titles == [f"{TITLE} {n}" for n in range(1, 4)]


@pytest.mark.usefixtures("tiny_chunks")
def test_a_code_page_byte_far_into_the_file_is_read_as_the_code_page(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = tmp_path / "daftar.csv"
    plain = _rows(3, "Kerja sama")
    last = _rows(4)[-1]
    path.write_bytes(("\n".join([HEADER, *plain, last]) + "\n").encode("cp1252"))
    text = path.read_bytes()
    assert text.index(b"\xe9") > 100  # after many chunks of plain UTF-8
    result = run("import", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr


@pytest.mark.usefixtures("tiny_chunks")
def test_a_byte_neither_encoding_reads_is_named_at_its_offset_in_the_file(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    path = tmp_path / "daftar.csv"
    head = ("\n".join([HEADER, *_rows(2)]) + "\n").encode("cp1252")
    path.write_bytes(head + b"x\x81y\n")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert f"byte 0x81 at offset {len(head) + 1})" in result.stderr
    assert list(registry.rglob("*.yaml")) == []


@pytest.mark.usefixtures("tiny_chunks")
def test_a_nul_byte_far_into_the_file_refuses_it(run: Run, registry: Path, tmp_path: Path) -> None:
    path = tmp_path / "daftar.csv"
    path.write_bytes(("\n".join([HEADER, *_rows(2)]) + "\n").encode() + b"a\x00b\n")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "binary (it has NUL bytes)" in result.stderr


def test_progress_is_told_with_the_rows_the_file_seems_to_hold(
    registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    path = tmp_path / "daftar.csv"
    path.write_text("\n".join([HEADER, *_rows(5)]) + "\n", encoding="utf-8")
    calls: list[tuple[int, int | None]] = []
    importing.plan_import(registry, path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 5), (4, 5), (5, 5)]

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in [HEADER, *_rows(5)]:
        sheet.append(line.split(","))
    book.save(tmp_path / "daftar.xlsx")
    calls.clear()
    importing.plan_import(
        registry, tmp_path / "daftar.xlsx", progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_a_generated_id_is_written_in_the_text_as_the_record_would_render_it(
    registry: Path, tmp_path: Path
) -> None:
    path = tmp_path / "daftar.csv"
    rows = [r.split(",", 1)[1] for r in _rows(4)]
    path.write_text("\n".join([HEADER, *[f",{r}" for r in rows]]) + "\n", encoding="utf-8")
    plan = importing.plan_import(registry, path)
    assert not plan.failed()
    assert len(plan.planned) == 4
    for item in plan.planned:
        loaded = parse_text(Path(f"{item.id}.yaml"), item.text)
        assert loaded.data is not None, loaded.findings
        record = Record.model_validate(loaded.data)
        assert record.id == item.id
        assert item.generated_id
        assert render_record_yaml(record) == item.text
        assert item.signed_on == record.signed_on
        assert item.path.parent.name == str(record.signed_on.year if record.signed_on else "")


def test_writing_has_a_progress_bar_on_a_terminal_and_none_in_a_pipe(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli import render

    path = tmp_path / "daftar.csv"
    path.write_text("\n".join([HEADER, *_rows(2)]) + "\n", encoding="utf-8")
    piped = run("import", str(path))
    assert piped.exit_code == 0, piped.stderr
    assert "writing records" not in piped.stderr
    assert "checking rows" not in piped.stderr
    for record in registry.rglob("*.yaml"):
        record.unlink()
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    render.stderr.cache_clear()
    try:
        shown = run("import", str(path))
    finally:
        render.stderr.cache_clear()
    assert shown.exit_code == 0, shown.stderr
    assert "checking rows" in shown.stderr
    assert "writing records" in shown.stderr
    assert len(list(registry.rglob("*.yaml"))) == 2
