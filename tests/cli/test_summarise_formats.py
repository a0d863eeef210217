"""`summarise` output formats: csv, markdown, html (parsed; its numbers match the JSON), --output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.cli import summary_fixture
from tests.cli.summary_fixture import AS_OF, record
from tests.conftest import Run, write_record


@pytest.fixture
def counted(registry: Path) -> Path:
    summary_fixture.install(registry)
    return registry


def output(run: Run, *args: str) -> str:
    result = run("summarise", "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_by_csv_has_the_json_columns(counted: Path, run: Run) -> None:
    rows = list(csv.reader(io.StringIO(output(run, "--by", "province,year", "--format", "csv"))))
    assert rows[0] == ["province", "province_name", "year", "count"]
    assert rows[1] == ["16", "Sumatera Selatan", "2020", "1"]
    assert rows[-1] == ["32", "Jawa Barat", "", "1"]  # kb-d, unsigned: no year
    assert len(rows) == 1 + 7


def test_report_csv_is_one_long_table(counted: Path, run: Run) -> None:
    text = output(run, "--region", "Muara Enim", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {
        "section": "totals",
        "key": "total",
        "value": "",
        "name": "",
        "count": "7",
        "date": "2025-06-30",
    }
    assert [r["value"] for r in rows if r["section"] == "only_on_paper"] == ["nk-e", "kb-g", "kb-a"]
    counterparts = [
        (r["key"], r["name"], r["count"]) for r in rows if r["section"] == "counterparts:16.03"
    ]
    assert counterparts[0] == ("inside_province", "Lahat", "1")
    assert ("other:bumn", "PT Bukit Asam", "2") in counterparts


def test_markdown_report_structure(counted: Path, run: Run) -> None:
    text = output(run, "--region", "Muara Enim", "--format", "markdown")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Regional cooperation of Kabupaten Muara Enim as of 30 June 2025",
        "## Agreements per year of signing",
        "## By category",
        "## By document",
        "## By status",
        "## Expiring within 90 days",
        "## Only on paper",
        "## Realisation",
        "## Agreements of Kab. Muara Enim by kind of counterpart",
        "## Counterparts of Kab. Muara Enim",
    ]
    assert "- **Agreements:** 7" in text
    assert "| Year | Agreements |  |\n| --- | ---: | --- |\n| 2020 | 1 | " in text
    assert "| 2022 | 0 |  |" in text
    assert (
        "| pks-a | Kerja sama pks-a | 31 August 2025 | 62 | Kab. Muara Enim, Prov. Sumatera Selatan |"
        in text
    )
    assert (
        "| Memorandum of Understanding (Kesepakatan Bersama, KB/MoU) | 5 |" in text
    )  # labels, not keys
    assert "| Expiring soon | 1 |" in text


def test_markdown_cross_tab_has_a_totals_row(counted: Path, run: Run) -> None:
    text = output(run, "--by", "year,category", "--format", "markdown")
    assert "| Year \\\\ Category | KSDD | KSDPK | Sinergi | Total |" in text
    assert "| **Total** | **5** | **2** | **1** | **8** |" in text


def test_markdown_escapes_text_from_records(registry: Path, run: Run) -> None:
    text = record(
        "kb-x", "kesepakatan_bersama", ['region: "16.03"', 'region: "16.04"'], ["pendidikan"],
        "2020-01-01", "2029-12-31",
    ).replace("title: Kerja sama kb-x", "title: 'A | B <script>*x*</script>'")  # fmt: skip
    write_record(registry, text, "kb-x", "2020")
    out = output(run, "--format", "markdown")
    assert "A \\| B \\<script\\>\\*x\\*\\</script\\>" in out
    assert "<script>" not in out


class Page(HTMLParser):
    """Collects tables (by data-section), chart values, visible text, and any external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.charts: list[tuple[str, int]] = []
        self.text: list[str] = []
        self.external: list[str] = []
        self.tags: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href"):
            if a.get(name):
                self.external.append(str(a[name]))
        if tag in ("script", "link", "img", "iframe", "object"):
            self.external.append(tag)
        if tag in ("style", "title"):
            self._skip += 1
        if tag == "table":
            self._table = a["data-section"]
            self.tables[str(self._table)] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "g" and "data-value" in a:
            self.charts.append((str(a["data-label"]), int(str(a["data-value"]))))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def long_date(iso: str) -> str:
    """An ISO date as the human formats write it in English: "31 August 2025"."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def numbers(value: Any) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", str(value))}


def test_html_report_numbers_match_the_json(counted: Path, run: Run) -> None:
    data: dict[str, Any] = run(
        "summarise", "--as-of", AS_OF, "--region", "Muara Enim", "--format", "json"
    ).json()
    page = parse(output(run, "--region", "Muara Enim", "--format", "html"))
    assert page.external == []
    for field in ("year", "category", "document", "status"):
        body = page.tables[field][1:]
        assert [int(row[-1]) for row in body] == [g["count"] for g in data["totals"][field]]
    years = ["(unsigned)" if g["year"] is None else str(g["year"]) for g in data["totals"]["year"]]
    assert [row[0] for row in page.tables["year"][1:]] == years
    # Drafts are counted in the table, but are no bar among the years of the chart.
    expected_chart = [
        (y, g["count"])
        for y, g in zip(years, data["totals"]["year"], strict=True)
        if y != "(unsigned)"
    ]
    assert "(unsigned)" in years
    assert page.charts[: len(expected_chart)] == expected_chart
    assert ("(unsigned)", 0) not in page.charts and all(c[0] != "(unsigned)" for c in page.charts)
    expiring = page.tables["expiring"][1:]
    assert [(r[0], r[2], int(r[3])) for r in expiring] == [
        (a["id"], long_date(a["ends_on"]), a["days_left"]) for a in data["expiring"]["agreements"]
    ]
    assert '<td class="id">' in output(run, "--region", "Muara Enim", "--format", "html")
    paper = page.tables["only_on_paper"][1:]
    assert [(r[0], r[3]) for r in paper] == [
        (a["id"], long_date(a["signed_on"])) for a in data["only_on_paper"]["agreements"]
    ]
    realisation = page.tables["realisation"][1:]
    assert [(r[0], int(r[3])) for r in realisation] == [
        (a["id"], a["activities"]) for a in data["realisation"]
    ]
    (cp,) = data["counterparts"]
    counts = [int(row[1]) for row in page.tables["counterparts-16.03"][1:]]
    expected = [cp[k]["count"] for k in ("inside_province", "provinces", "outside_province")]
    expected += [k["count"] for k in cp["other_parties"]["kinds"]]
    assert counts == expected
    # Every number anywhere in the visible text is a number of the JSON document.
    assert numbers(" ".join(page.text)) <= numbers(data)


def test_html_cross_tab_numbers_match_the_json(counted: Path, run: Run) -> None:
    data = run("summarise", "--as-of", AS_OF, "--by", "year,category", "--format", "json").json()
    page = parse(output(run, "--by", "year,category", "--format", "html"))
    table = page.tables["by"]
    header = table[0][1:-1]
    cells = {
        (row[0], col): int(value)
        for row in table[1:-1]
        for col, value in zip(header, row[1:-1], strict=True)
    }
    for item in data["rows"]:
        year = "(unsigned)" if item["year"] is None else str(item["year"])
        column = "Sinergi" if item["category"] == "sinergi" else item["category"].upper()
        assert cells[(year, column)] == item["count"]
    assert sum(cells.values()) == sum(item["count"] for item in data["rows"])
    assert table[-1][-1] == str(data["total"])


def test_html_escapes_text_and_is_self_contained(registry: Path, run: Run) -> None:
    text = record(
        "kb-x", "kesepakatan_bersama", ['region: "16.03"', 'region: "16.04"'], ["pendidikan"],
        "2020-01-01", "2029-12-31",
    ).replace("title: Kerja sama kb-x", "title: '<script>alert(1)</script> & \"Co\"'")  # fmt: skip
    write_record(registry, text, "kb-x", "2020")
    html = output(run, "--format", "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;" in html
    page = parse(html)
    assert page.external == []
    assert "@media print" in html
    assert page.tags.count("svg") == 1  # the per-year chart


def test_output_writes_the_file_and_nothing_to_stdout(
    counted: Path, run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    result = run("summarise", "--as-of", AS_OF, "--format", "html", "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8") == output(run, "--format", "html")


def test_output_table_format_writes_plain_text(counted: Path, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    run("summarise", "--as-of", AS_OF, "--by", "year", "--output", str(target))
    assert target.read_text(encoding="utf-8") == output(run, "--by", "year")


def test_output_into_a_missing_folder_is_a_usage_error(
    counted: Path, run: Run, tmp_path: Path
) -> None:
    result = run("summarise", "--output", str(tmp_path / "no" / "report.md"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_output_inside_the_agreements_folder_is_refused(counted: Path, run: Run) -> None:
    target = counted / "agreements" / "report.yaml"
    result = run("summarise", "--output", str(target))
    assert result.exit_code == 2
    assert "inside the registry's agreements/ folder" in result.stderr
    assert not target.exists()


def test_bundled_registry_report(run: Run, bundled: Path) -> None:
    result = run(
        "summarise",
        "--as-of",
        "2026-11-23",
        "--region",
        "Jawa Barat",
        "--format",
        "json",
        data_dir=bundled,
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["total"] == 4
    (jb,) = data["counterparts"]
    assert jb["outside_province"]["count"] == 4
    assert [p["name"] for p in jb["outside_province"]["parties"]] == [
        "Bengkulu Tengah",
        "Sukamara",
        "Tojo Una Una",
        "Luwu Timur",
    ]
    for fmt in ("table", "csv", "markdown", "html"):
        assert run("summarise", "--format", fmt, data_dir=bundled).exit_code == 0


def test_output_through_a_dangling_link_creates_no_folder(
    counted: Path, run: Run, tmp_path: Path
) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "gone" / "report.md")
    result = run("summarise", "--output", str(link))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "gone").exists()


def test_output_replaces_a_file_and_keeps_its_mode(counted: Path, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert run("summarise", "--format", "json", "--output", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    assert target.stat().st_mode & 0o777 == 0o640
