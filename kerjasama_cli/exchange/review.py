"""The review file of an import, and the plan as JSON (the contract's shape).

``--review FILE.csv|FILE.xlsx`` holds the rows that were not written, in their original
columns plus ``problems``: a person corrects them and imports that file again. Import reads
``problems`` as a column to ignore, so the corrected file imports as it is. Only rows that
were not written are in it, so importing it again adds them and nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from kerjasama_cli.errors import UsageError
from kerjasama_cli.exchange.importing import ImportPlan, Planned
from kerjasama_cli.exchange.rows import letter_of
from kerjasama_cli.exchange.sheets import csv_text, write_xlsx
from kerjasama_cli.findings import Finding
from kerjasama_cli.i18n import _
from kerjasama_cli.storage import display_path
from kerjasama_cli.storage.writing import atomic_file

# The review file's last column: `problems` in every language, as cli.md names it (import
# reads it, and an Indonesian `masalah`, as no data: office.py, `ignore`).
PROBLEMS_COLUMN = "problems"


def _is_problems_column(header: Any) -> bool:
    return str(header or "").strip() == PROBLEMS_COLUMN


def _describe(problem: Finding) -> str:
    where = f"{problem.key} ({letter_of(problem)}): " if problem.key else ""
    hint = (
        _(" [suggestions: {suggestions}]").format(suggestions="; ".join(problem.suggestions))
        if problem.suggestions
        else ""
    )
    return f"{where}{problem.rule} {problem.message}{hint}"


def review_rows(plan: ImportPlan) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the review file: the rows not ready, with their problems."""
    width = max(len(plan.header), plan.values.width)
    cells = [*plan.header, *[None] * (width - len(plan.header))]
    keep = [i for i, h in enumerate(cells) if not _is_problems_column(h)]
    header = [
        str(cells[i])
        if cells[i] is not None and str(cells[i]).strip()
        else _("column {n}").format(n=i + 1)
        for i in keep
    ]
    by_row: dict[int, list[Finding]] = {}
    for problem in plan.sorted_problems():
        if problem.severity == "error":
            by_row.setdefault(problem.line, []).append(problem)
    header_problems = [_describe(p) for p in by_row.get(plan.header_row, [])]
    rows: list[list[Any]] = []
    for number in sorted(plan.rows_not_ready()):
        values = plan.values.get(number) or []
        padded = [*values, *[None] * (width - len(values))]
        text = [
            _("row {number}: {problems}").format(
                number=number,
                problems="; ".join(
                    header_problems + [_describe(p) for p in by_row.get(number, [])]
                ),
            )
        ]
        rows.append([padded[i] for i in keep] + text)
    return [*header, PROBLEMS_COLUMN], rows


def write_review(plan: ImportPlan, path: Path) -> int:
    """Write the review file (CSV or XLSX by its suffix); the number of rows in it."""
    suffix = path.suffix.casefold()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError(_("--review {path}: expected a .csv or .xlsx file name").format(path=path))
    if path.resolve() == plan.source.resolve():
        raise UsageError(_("--review {path}: that is the sheet being imported").format(path=path))
    header, rows = review_rows(plan)
    cells = [[_cell(v) for v in row] for row in rows]
    if suffix == ".csv":
        # For a spreadsheet, where it is corrected: UTF-8 with a byte-order mark and CRLF
        # (as export --excel), cells separated as in the sheet imported (an Indonesian
        # Excel's ";" opens in columns only as ";").
        text = "\ufeff" + csv_text(header, cells, "\r\n", delimiter=plan.delimiter)
        with atomic_file(path) as tmp:
            tmp.write_text(text, encoding="utf-8", newline="")
    else:
        with atomic_file(path) as tmp:
            write_xlsx(tmp, [("review", header, cells)])
    return len(rows)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | dt.date) or value is None:
        return value
    return str(value)


def _record_json(item: Planned) -> dict[str, Any]:
    """The record of a planned row as JSON, with the id it was given (a generated one is
    given once every row is read)."""
    if item.record_json is None:
        raise ValueError("plan_json needs a plan made with plan_import(records_json=True)")
    data: dict[str, Any] = json.loads(item.record_json)
    data["id"] = item.id
    return data


def plan_json(plan: ImportPlan) -> dict[str, Any]:
    """The plan in the contract's shape (README, "import --dry-run --format json")."""
    not_ready = plan.rows_not_ready()
    ready = plan.ready()
    records = [
        {
            "row": item.row,
            "id": item.id,
            "path": display_path(item.path),
            "record": _record_json(item),
            "inferred": plan.inferred.get(item.row, []),
        }
        for item in ready
    ]
    problems = []
    for problem in plan.sorted_problems():
        values = plan.values.get(problem.line) if problem.line != plan.header_row else plan.header
        value = None
        if values is not None and problem.column and problem.column <= len(values):
            raw = values[problem.column - 1]
            value = raw.isoformat() if isinstance(raw, dt.date) else raw
        problems.append(
            {
                "row": problem.line,
                "column": problem.key or None,
                "value": value,
                "rule": problem.rule,
                "severity": problem.severity,
                "message": problem.message,
                "suggestions": list(problem.suggestions),
            }
        )
    return {
        "file": display_path(plan.source),
        "rows": plan.rows,
        "ready": len(ready),
        "needs_review": len(not_ready),
        "columns": plan.columns,
        "header_row": plan.header_row,
        "totals": plan.totals,
        "records": records,
        "problems": problems,
    }
