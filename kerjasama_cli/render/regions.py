"""Output of `regions`."""

from __future__ import annotations

from rich.table import Table

from kerjasama_cli.csvtext import CsvText
from kerjasama_cli.gazetteer import Region, Resolution
from kerjasama_cli.i18n import N_, _
from kerjasama_cli.render import is_terminal, stdout, tsv, write, write_json

_HEADER = ["code", "kind", "name", "official_name", "province"]
# The same columns as people read them (a terminal's table, and piped text).
_TITLES = (N_("Code"), N_("Kind"), N_("Name"), N_("Official name"), N_("Province"))
# The result column: a key in CSV, a word in the chosen language in a table and piped text.
_OUTCOMES = {"resolves": N_("resolves"), "ambiguous": N_("ambiguous"), "unknown": N_("unknown")}
_DID_YOU_MEAN = "did you mean: "


def _row(region: Region) -> list[str]:
    return [region.code, region.kind, region.name, region.official_name, region.province]


def render_regions(regions: list[Region], fmt: str) -> None:
    """A list of regions as a table, JSON array or CSV."""
    if fmt == "json":
        write_json([r.as_dict() for r in regions])
    elif fmt == "csv":
        buffer = CsvText()
        writer = buffer.writer()
        writer.writerow(_HEADER)
        writer.writerows(_row(r) for r in regions)
        write(buffer.getvalue())
    elif is_terminal():
        table = Table(*map(_, _TITLES))
        for region in regions:
            table.add_row(*_row(region))
        stdout().print(table)
    else:
        write(tsv([list(map(_, _TITLES)), *(_row(r) for r in regions)]))


def render_resolutions(resolutions: list[Resolution], fmt: str) -> None:
    """Query results: matches (one resolves, several are ambiguous) and suggestions."""
    if fmt == "json":
        write_json(
            [
                {
                    "query": res.query,
                    "matches": [r.as_dict() for r in res.matches],
                    "suggestions": [r.official_name for r in res.suggestions],
                }
                for res in resolutions
            ]
        )
        return
    header = ["query", "result", *_HEADER]
    rows: list[list[str]] = []
    for res in resolutions:
        outcome = "resolves" if res.region else "ambiguous" if res.ambiguous else "unknown"
        for region in res.matches:
            rows.append([res.query, outcome, *_row(region)])
        if not res.matches:
            hint = "; ".join(f"{r.official_name} ({r.code})" for r in res.suggestions)
            rows.append(
                [res.query, outcome, "", "", f"{_DID_YOU_MEAN}{hint}" if hint else "", "", ""]
            )
    if fmt == "csv":
        buffer = CsvText()
        writer = buffer.writer()
        writer.writerow(header)
        writer.writerows(rows)
        write(buffer.getvalue())
        return
    titles = [_("Query"), _("Result"), *map(_, _TITLES)]
    shown_rows = []
    for row in rows:
        shown = [row[0], _(_OUTCOMES[row[1]]), *row[2:]]
        if row[4].startswith(_DID_YOU_MEAN):
            shown[4] = _("did you mean: {regions}").format(regions=row[4][len(_DID_YOU_MEAN) :])
        shown_rows.append(shown)
    if is_terminal():
        table = Table(*titles)
        styles = {"resolves": "green", "ambiguous": "yellow", "unknown": "red"}
        for row, shown in zip(rows, shown_rows, strict=True):
            table.add_row(*shown, style=styles[row[1]] if row[1] != "resolves" else None)
        stdout().print(table)
    else:
        write(tsv([titles, *shown_rows]))
