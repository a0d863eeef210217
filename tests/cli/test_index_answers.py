"""The index changes no answer: every read command and format, with and without ``--no-cache``,
on a registry with every kind of record, at several ``--as-of`` dates, byte for byte.

The registry: the fixture registry (one record in each status, every kind of link) plus
generated records: drafts, PKS with a parent, superseded and superseding records, records ended
early or cancelled, records with activities, organisations as parties, scope and notes to
search. A run with the index is made twice (the first fills it, the second is served from it).

The full battery (every filter and format at five dates) is slow; the quick test runs every
command and format at two dates with the filters that touch each kind of condition.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Result, Run, record_text, write_record
from tests.fixture_registry import write_fixture_registry

REGIONS = ('region: "32"', 'region: "32.73"', 'region: "16.03"', 'region: "17.04"', 'region: "16"')
ORGS = (
    "{name: Universitas Sriwijaya, kind: ptn}",
    "{name: PT Bank Sumsel Babel, kind: bumd}",
    "{name: Kementerian Dalam Negeri, kind: kementerian_lembaga}",
)
SECTORS = ("pendidikan", "kesehatan", "pariwisata", "pekerjaan_umum")


def generated(registry: Path) -> None:
    for i in range(36):
        year = 2016 + i % 9
        signed = f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}"
        parties = (REGIONS[i % 5], REGIONS[(i + 2) % 5] if i % 4 else ORGS[i % 3])
        keys: dict[str, str | None] = {
            "scope": f"[jalan penghubung ruas {i}, pelatihan aparatur]" if i % 3 == 0 else None,
            "stage": None,
            "signed_on": signed,
            "ends_on": f"{year + 1 + i % 8}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "notes": "Perpanjangan dari kerja sama JALAN lama" if i % 5 == 0 else None,
        }
        before: dict[str, str] = {}
        document = "kesepakatan_bersama"
        if i % 6 == 1:  # a draft
            keys["signed_on"] = keys["ends_on"] = None
            keys["stage"] = "penawaran"
        if i % 6 == 2 and i > 6:  # a PKS implementing an earlier KB
            document = "perjanjian_kerja_sama"
            before = {"parent": f"kb-gen-{i - 8:02d}"}
        if i % 7 == 3:
            keys["ended"] = f"{{on: {year + 2}-06-30, reason: kesepakatan_para_pihak}}"
        if i % 11 == 4:
            keys["ended"] = f"{{on: {year + 1}-01-15, reason: dibatalkan}}"
        if i % 9 == 5 and keys["signed_on"]:
            keys["supersedes"] = f"[kb-gen-{i - 4:02d}]"
        if i % 4 == 0 and keys["signed_on"]:
            keys["activities"] = (
                f"\n  - {{on: {year}-12-01, summary: Rapat koordinasi}}"
                f"\n  - {{on: {year + 3}-03-01, summary: Pelatihan bersama, evidence: [notulen.pdf]}}"
            )
        if i % 5 == 2 and keys["signed_on"]:
            keys["evaluations"] = (
                f"\n  - {{on: {year + 1}-06-01, summary: Berjalan baik, recommendation: lanjutkan, score: 4}}"
            )
        if i % 8 == 6 and keys["signed_on"]:
            keys["sources"] = f'\n  - {{url: "https://example.org/{i}", title: Berita {i}}}'
        prefix = "pks" if document == "perjanjian_kerja_sama" else "kb"
        record_id = f"{prefix}-gen-{i:02d}"
        text = record_text(
            record_id,
            title=f"Kerja sama bidang {SECTORS[i % 4].replace('_', ' ')} {i}",
            document=document,
            before_parties=before,
            parties=parties,
            sectors=(SECTORS[i % 4], SECTORS[(i + 1) % 4]) if i % 2 else (SECTORS[i % 4],),
            **keys,
        )
        write_record(registry, text, record_id, str(year) if keys["signed_on"] else "draf")


@pytest.fixture
def full(registry: Path) -> Path:
    write_fixture_registry(registry)
    generated(registry)
    return registry


AS_OF = ("2017-03-01", "2020-12-31", "2024-02-29", "2025-06-01", "2031-01-01")
FILTERS: tuple[tuple[str, ...], ...] = (
    (),
    ("--region", "Muara Enim"),
    ("--region", "Jawa Barat", "--region", "Kaur"),
    ("--within", "Jawa Barat"),
    ("--within", "Sumatera Selatan", "--document", "pks"),
    ("--document", "kb"),
    ("--category", "ksdpk"),
    ("--status", "aktif"),
    ("--status", "berakhir,dibatalkan,draf"),
    ("--status", "akan_berakhir,kedaluwarsa,belum_berlaku"),
    ("--sector", "kesehatan"),
    ("--party-kind", "ptn,bumd"),
    ("--year", "2018", "--year", "2023"),
    ("--signed-from", "2018-02-01", "--signed-to", "2021-12-31"),
    ("--expiring-within", "400"),
    ("--search", "jalan"),
    ("--search", "SRIWIJAYA", "--search", "bekasi"),
    ("--search", "muara enim"),
)


def commands(dates: tuple[str, ...], filters_: tuple[tuple[str, ...], ...]) -> list[list[str]]:
    out: list[list[str]] = [["validate", "--format", "json"]]
    for as_of in dates:
        date = ["--as-of", as_of]
        for filters in filters_:
            for fmt in ("json", "csv", "ids", "table"):
                out.append(["list", *filters, *date, "--format", fmt])
            out.append(["summarise", *filters, *date, "--format", "json"])
            out.append(["summarise", "--by", "status,year", *filters, *date, "--format", "json"])
            out.append(["export", *filters, *date, "--format", "csv"])
            out.append(["export", *filters, *date, "--format", "json"])
        for sort in ("title", "status", "ends_on", "starts_on", "category", "id", "document"):
            out.append(["list", "--sort", sort, *date, "--format", "csv"])
            out.append(["list", "--sort", sort, "--reverse", "--limit", "7", *date])
        for fmt in ("table", "json", "csv", "markdown", "html"):
            out.append(["summarise", *date, "--format", fmt])
            out.append(["summarise", "--region", "Muara Enim", *date, "--format", fmt])
        for by in ("year", "document", "category", "status", "sector", "region", "province"):
            out.append(["summarise", "--by", by, *date, "--format", "json"])
        for by in ("party_kind", "province,year", "year,category", "region,status"):
            for fmt in ("json", "table", "csv", "markdown"):
                out.append(["summarise", "--by", by, *date, "--format", fmt])
        out.append(["export", *date, "--format", "csv", "--excel", "--escape-formulas"])
    return out


QUICK_FILTERS = (
    (),
    ("--region", "Muara Enim"),
    ("--within", "Sumatera Selatan", "--document", "pks"),
    ("--category", "ksdpk", "--sector", "kesehatan"),
    ("--party-kind", "ptn,bumd", "--status", "aktif,berakhir"),
    ("--year", "2018", "--signed-from", "2018-02-01", "--signed-to", "2021-12-31"),
    ("--expiring-within", "400"),
    ("--search", "jalan"),
    ("--search", "SRIWIJAYA", "--search", "ab"),
)


def test_the_answers_are_the_same_with_and_without_the_index(full: Path, run: Run) -> None:
    same_answers(run, commands(("2020-12-31", "2025-06-01"), QUICK_FILTERS))


@pytest.mark.slow
def test_every_answer_is_the_same_with_and_without_the_index(full: Path, run: Run) -> None:
    same_answers(run, commands(AS_OF, FILTERS))
    statuses = {run("list", "--as-of", d, "--format", "csv").stdout for d in AS_OF}
    assert len(statuses) == len(AS_OF)


def _three_times(
    run: Run, battery: list[list[str]]
) -> tuple[list[Result], list[Result], list[Result]]:
    """The battery without the index, then filling it, then from it."""
    uncached = [run(*command, "--no-cache") for command in battery]
    assert all(r.exit_code == 0 for r in uncached[1:]), [r.stderr for r in uncached if r.exit_code]
    assert uncached[0].json()["errors"] == 0
    filling = [run(*command) for command in battery]
    warm = [run(*command) for command in battery]
    return uncached, filling, warm


def same_answers(run: Run, battery: list[list[str]]) -> None:
    day = dt.date.today()
    uncached, filling, warm = _three_times(run, battery)
    if dt.date.today() != day:
        # Midnight passed between the runs: a warning that names today ("activity dated ...
        # is after today (2026-11-29)") changed with it, as it should. Once more, in one day.
        uncached, filling, warm = _three_times(run, battery)
    for command, expected, first, second in zip(battery, uncached, filling, warm, strict=True):
        want = (expected.exit_code, expected.stdout, expected.stderr)
        assert (first.exit_code, first.stdout, first.stderr) == want, command
        assert (second.exit_code, second.stdout, second.stderr) == want, command
    # The battery says something: filters select, dates change statuses.
    counts = {
        len(r.stdout.splitlines()) for r, c in zip(uncached, battery, strict=True) if "ids" in c
    }
    assert len(counts) > 6


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.mark.parametrize("as_of", ["2020-12-31", "2031-01-01"])
@pytest.mark.parametrize("filters", [(), ("--within", "Sumatera Selatan"), ("--search", "jalan")])
def test_the_exported_database_is_the_same_with_and_without_the_index(
    full: Path, run: Run, tmp_path: Path, as_of: str, filters: tuple[str, ...]
) -> None:
    """Copied from the index, or written from the records: the same tables, rows, full-text
    table and views (compared as SQL dumps: the files' bytes differ in free pages)."""
    args = ["export", *filters, "--as-of", as_of, "--format", "sqlite", "--output"]
    assert run(*args, str(tmp_path / "files.db"), "--no-cache").exit_code == 0
    assert run(*args, str(tmp_path / "first.db")).exit_code == 0
    assert run(*args, str(tmp_path / "index.db")).exit_code == 0
    expected = dump(tmp_path / "files.db")
    assert dump(tmp_path / "first.db") == expected
    assert dump(tmp_path / "index.db") == expected
    connection = sqlite3.connect(tmp_path / "index.db")
    found = connection.execute(
        "SELECT count(*) FROM agreements_fts WHERE agreements_fts MATCH 'jalan'"
    ).fetchone()[0]
    per_year = connection.execute("SELECT * FROM agreements_per_province_year").fetchall()
    with_parties = connection.execute("SELECT * FROM agreements_with_parties").fetchall()
    connection.close()
    assert found > 0
    assert per_year
    assert with_parties


def test_a_light_record_has_every_value_of_the_record(full: Path) -> None:
    """Every field and property of Record, and of its parties, activities, evaluations and
    sources, on the LightRecord the index gives (code written against Record works on it)."""
    from kerjasama_cli.indexed import from_index
    from kerjasama_cli.model import Record
    from kerjasama_cli.registry import load_registry

    def plain(value: object) -> object:
        if hasattr(value, "model_dump"):
            return plain(value.model_dump(mode="json", exclude_none=True))
        if isinstance(value, list | tuple):
            return tuple(plain(v) for v in value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    records = load_registry(full, use_cache=False).records
    load_registry(full)  # fills the index
    indexed = from_index(load_registry(full))
    assert indexed is not None
    lights = indexed.records
    assert [r.id for r in lights] == [r.id for r in records]
    properties = [n for n, v in vars(Record).items() if isinstance(v, property)]
    assert {"effective_category", "region_codes", "start_date"} <= set(properties)
    for record, light in zip(records, lights, strict=True):
        for name in [*Record.model_fields, *properties]:
            want, got = getattr(record, name), getattr(light, name)
            assert plain(want) == plain(got), (record.id, name)
        assert light.model_dump() == record.model_dump(mode="json", exclude_none=True)
        for party, twin in zip(record.parties, light.parties, strict=True):
            for name in [*type(party).model_fields, "party_kind", "label"]:
                assert plain(getattr(party, name)) == plain(getattr(twin, name))
        for activity, twin in zip(record.activities or [], light.activities or (), strict=True):
            assert (activity.on, activity.summary) == (twin.on, twin.summary)
            assert tuple(activity.evidence) == twin.evidence


def test_an_edit_between_runs_is_in_the_answers(full: Path, run: Run) -> None:
    command = ["summarise", "--by", "region", "--format", "json", "--as-of", "2025-06-01"]
    run(*command)
    path = full / "agreements" / "2018" / "kb-gen-02.yaml"
    path.write_text(path.read_text().replace('region: "16.03"', 'region: "16.04"'), "utf-8")
    listed = ["list", "--region", "Lahat", "--format", "ids", "--as-of", "2025-06-01"]
    assert run(*listed).stdout == run(*listed, "--no-cache").stdout
    assert "kb-gen-02" in run(*listed).stdout.split()
    assert run(*command).stdout == run(*command, "--no-cache").stdout


@pytest.mark.parametrize(
    "fields", [("year",), ("province", "year"), ("sector", "party_kind"), ("region", "category")]
)
def test_summarise_by_is_counted_in_sql_when_it_can_be(full: Path, fields: tuple[str, ...]) -> None:
    """The battery above compares the answers; this says which way they were counted."""
    import datetime as dt

    from kerjasama_cli.indexed import summary_from_index
    from kerjasama_cli.query import Filter
    from kerjasama_cli.registry import load_registry

    load_registry(full)
    registry = load_registry(full)
    day = dt.date(2025, 6, 1)
    assert summary_from_index(registry, Filter(), fields, day) is not None
    assert summary_from_index(registry, Filter(statuses=("aktif",)), fields, day) is None
    assert summary_from_index(registry, Filter(), ("status", *fields[:1]), day) is None


@pytest.mark.parametrize("day", ["2017-03-01", "2020-12-31", "2024-02-29", "2031-01-01"])
def test_the_standard_report_is_made_from_the_index_when_it_can_be(full: Path, day: str) -> None:
    """The battery above compares the printed answers; this says the report was made from the
    index's rows (not from records), and compares it, whole, with the one made from records."""
    import datetime as dt

    from kerjasama_cli.gazetteer import load_gazetteer
    from kerjasama_cli.indexed_report import report_from_index
    from kerjasama_cli.query import Filter, filter_records
    from kerjasama_cli.registry import load_registry
    from kerjasama_cli.report import build_report
    from kerjasama_cli.status import StatusContext

    # On the edges at 2024-02-29: two activities on one day (the one written last is the
    # latest), one after the date; ends on the date, on the last day of the window and the
    # day after; signed the day before a year ago (on paper) and a year ago (not yet).
    edges = {
        "kb-edge-same-day": {
            "signed_on": "2020-01-10",
            "ends_on": "2030-01-10",
            "activities": "\n  - {on: 2021-06-01, summary: Pertama}"
            "\n  - {on: 2021-06-01, summary: Kedua}"
            "\n  - {on: 2020-02-01, summary: Awal}"
            "\n  - {on: 2024-03-01, summary: Nanti}",
        },
        "kb-edge-ends-today": {"signed_on": "2021-02-01", "ends_on": "2024-02-29"},
        "kb-edge-window": {"signed_on": "2021-02-01", "ends_on": "2024-05-29"},
        "kb-edge-window-after": {"signed_on": "2021-02-01", "ends_on": "2024-05-30"},
        "kb-edge-paper": {"signed_on": "2023-02-28", "ends_on": "2026-01-01"},
        "kb-edge-not-paper": {"signed_on": "2023-03-01", "ends_on": "2026-01-01"},
    }
    for record_id, keys in edges.items():
        write_record(full, record_text(record_id, parties=REGIONS[1:3], **keys), record_id)
    load_registry(full)
    registry = load_registry(full)
    records = load_registry(full, use_cache=False).records
    as_of = dt.date.fromisoformat(day)
    muara_enim = load_gazetteer().by_code["16.03"]
    for where, regions in (
        (Filter(), ()),
        (Filter(regions=("16.03",)), (muara_enim,)),
        (Filter(statuses=("aktif", "berakhir", "kedaluwarsa")), ()),
        (Filter(expiring_within=400, documents=("kesepakatan_bersama",)), ()),
    ):
        ctx = StatusContext.for_records(records, as_of, 90)
        fast = report_from_index(registry, where, StatusContext(as_of, 90), regions)
        slow = build_report(filter_records(records, where, ctx), records, ctx, regions)
        assert fast == slow, where
    assert report_from_index(registry, Filter(search=("jalan",)), StatusContext(as_of)) is None


def test_export_csv_is_joined_from_the_rows_the_index_keeps(
    full: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kerjasama_cli.exchange import light_csv

    asked = ("export", "--as-of", "2024-02-29", "--region", "Muara Enim")
    want = run(*asked, "--no-cache").stdout
    excel = run(*asked, "--excel", "--no-cache").stdout
    assert run("validate").exit_code == 0  # the index is filled

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("made from the records' views, not joined from the stored rows")

    monkeypatch.setattr(light_csv, "csv_of_light", refused)
    assert run(*asked).stdout == want
    assert run(*asked, "--excel").stdout == excel
    escaped = run(*asked, "--escape-formulas")  # made from the views: the refusal shows
    assert escaped.exit_code == 3 and "not joined from the stored rows" in escaped.stderr


def test_export_csv_from_the_index_builds_no_record(
    full: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its order and statuses come from a few columns of the index (no LightRecord for each
    record, 0.7 s at 100,000), and the text is the same, filters and --excel included."""
    from kerjasama_cli import indexed

    asked = [
        ("--as-of", "2024-02-29"),
        ("--as-of", "2025-06-01", "--status", "aktif,akan_berakhir"),
        ("--as-of", "2024-02-29", "--expiring-within", "400", "--excel"),
        ("--as-of", "2023-01-01", "--within", "Jawa Barat", "--document", "kb"),
    ]
    wanted = [run("export", *a, "--no-cache").stdout for a in asked]
    assert run("validate").exit_code == 0  # the index is filled

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("records were built from the index")

    monkeypatch.setattr(indexed, "from_index", refused)
    for a, want in zip(asked, wanted, strict=True):
        got = run("export", *a)
        assert got.exit_code == 0, got.stderr
        assert got.stdout == want, a
    # A text search needs the records: the refusal shows.
    searched = run("export", "--search", "jalan")
    assert searched.exit_code == 3 and "records were built from the index" in searched.stderr


def test_export_csv_file_is_written_in_pieces_as_the_index_gives_them(
    full: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-o FILE`` takes the joined lines a few at a time (here one by one), never the whole
    text at once; the file is the one --no-cache writes, with --excel's mark too."""
    from kerjasama_cli.exchange import stored_csv

    out = tmp_path / "out"
    out.mkdir()
    wanted = {}
    for excel in ((), ("--excel",)):
        path = out / f"want{len(excel)}.csv"
        assert run("export", *excel, "-o", str(path), "--no-cache").exit_code == 0
        wanted[excel] = path.read_bytes()
    assert run("validate").exit_code == 0  # the index is filled
    pieces: list[str] = []
    real = stored_csv._chunks

    def counted(*args: object) -> Iterator[str]:
        for piece in real(*args):
            pieces.append(piece)
            yield piece

    monkeypatch.setattr(stored_csv, "_BATCH", 1)
    monkeypatch.setattr(stored_csv, "_chunks", counted)
    for excel, want in wanted.items():
        path = out / "got.csv"
        pieces.clear()
        got = run("export", *excel, "-o", str(path))
        assert got.exit_code == 0, got.stderr
        assert path.read_bytes() == want
        rows = list(csv.reader(io.StringIO(want.decode("utf-8-sig"), newline="")))
        assert len(pieces) == len(rows) > 40  # the header, then each record's line on its own
    assert sorted(p.name for p in out.iterdir()) == ["got.csv", "want0.csv", "want1.csv"]


def test_an_index_failing_halfway_through_an_export_file_leaves_no_half_file(
    full: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lines stop coming (the index fails after the header): the export is made from the
    records instead, and the file is whole; no temporary file is left."""
    from kerjasama_cli.exchange import stored_csv

    out = tmp_path / "out"
    out.mkdir()
    path = out / "export.csv"
    assert run("export", "-o", str(path), "--no-cache").exit_code == 0
    want = path.read_bytes()
    path.write_text("the old export\n", encoding="utf-8")
    assert run("validate").exit_code == 0
    real = stored_csv._chunks

    failed: list[bool] = []

    def failing(*args: object) -> Iterator[str]:
        failed.append(True)
        pieces = real(*args)
        yield next(pieces)
        pieces.close()
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(stored_csv, "_chunks", failing)
    got = run("export", "-o", str(path))
    assert got.exit_code == 0, got.stderr
    assert failed  # the index was asked, and failed
    assert path.read_bytes() == want
    assert [p.name for p in out.iterdir()] == ["export.csv"]


def test_a_failed_export_file_closes_the_index_rows_at_once(
    full: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills after the first lines: exit 2 with the reason, the old file whole, and
    the rows from the index closed before the command ends. Left to the collector, they were
    closed after the index, and Python printed "Exception ignored in: <generator ...>" with a
    traceback (found by a helper with `ulimit -f`)."""
    from kerjasama_cli.errors import WriteFailed
    from kerjasama_cli.exchange import stored_csv
    from kerjasama_cli.storage import output

    path = tmp_path / "export.csv"
    path.write_text("the old export\n", encoding="utf-8")
    assert run("validate").exit_code == 0
    events: list[str] = []
    real = stored_csv._chunks

    def watched(*args: object) -> Iterator[str]:
        try:
            yield from real(*args)
        finally:
            events.append("closed")

    def full_disk(target: Path, chunks: Iterator[str]) -> None:
        events.append(next(chunks)[:3])
        events.append("written")
        raise WriteFailed("full", OSError(28, "No space left on device"))

    monkeypatch.setattr(stored_csv, "_BATCH", 1)
    monkeypatch.setattr(stored_csv, "_chunks", watched)
    monkeypatch.setattr(output, "write_atomic", full_disk)
    got = run("export", "-o", str(path))
    assert got.exit_code == 2
    assert "cannot write" in got.stderr and "no space left on device" in got.stderr
    assert events == ["id,", "written", "closed"]
    assert path.read_text(encoding="utf-8") == "the old export\n"


def test_export_csv_of_a_record_with_a_carriage_return_is_the_same_with_the_index(
    full: Path, run: Run
) -> None:
    # A carriage return in a cell is quoted for LF as for --excel's CRLF, from the index too.
    text = record_text("kb-cr", notes='"baris satu\\rbaris dua"', signed_on="2024-03-01")
    write_record(full, text, "kb-cr")
    for excel in ((), ("--excel",)):
        want = run("export", *excel, "--no-cache").stdout
        assert ',"baris satu\rbaris dua",' in want
        assert run("export", *excel).stdout == want  # fills the index
        assert run("export", *excel).stdout == want  # from it
