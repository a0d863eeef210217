"""Output of `show`: one agreement in detail, styled in a terminal and plain when piped."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kerjasama_cli.catalog import Catalog
from kerjasama_cli.gazetteer import load_gazetteer
from kerjasama_cli.i18n import _, format_date, ngettext, pgettext
from kerjasama_cli.labels import label
from kerjasama_cli.model import Record
from kerjasama_cli.render import is_terminal, stdout, write, write_json
from kerjasama_cli.render.records import (
    STATUS_STYLES,
    dash,
    document_short,
    record_document,
)
from kerjasama_cli.storage import display_path
from kerjasama_cli.vocab import SECTORS_BY_KEY


def render_record(record: Record, catalog: Catalog, fmt: str, text: str | None = None) -> None:
    """One agreement in full: readable (Rich or plain), JSON, or its YAML ``text`` as stored."""
    if fmt == "json":
        write_json(record_document(record, catalog))
    elif fmt == "yaml":
        write(text or "")
    elif is_terminal():
        _print_view(record, catalog, terminal=True)
    else:
        with stdout().capture() as captured:
            _print_view(record, catalog, terminal=False)
        write("\n".join(line.rstrip() for line in captured.get().splitlines()))


def _print_view(record: Record, catalog: Catalog, *, terminal: bool) -> None:
    """The record's view; its file's path on one line, however long, to be copied whole
    (folded into the width it broke inside a name: ``...bengkulu-te`` / ``ngah.yaml``)."""
    head, path_line, rest = _record_view(record, catalog, terminal=terminal)
    console = stdout()
    console.print(head, soft_wrap=False)
    console.print(path_line, soft_wrap=True)
    console.print(rest, soft_wrap=False)


def _lines(value: str) -> str:
    """Free text with each line break (``str.splitlines``'s) as a new line: Rich drops a
    carriage return or a form feed, so a note written with "\\r" or "\\r\\n" between its
    lines would show them run together."""
    return "\n".join(value.splitlines())


def _fields(rows: Sequence[tuple[str, RenderableType]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in rows:
        grid.add_row(name, _lines(value) if isinstance(value, str) else value)
    return grid


def _section(title: str, terminal: bool) -> Text:
    return Text(f"\n{title}", style="bold underline" if terminal else "")


def _sub_table(
    headers: list[str], rows: list[list[str]], terminal: bool, whole: int | None = None
) -> Table:
    """A table without box drawing when piped; columns that are empty in every row are left
    out. Column ``whole`` (an id) is never cut short: the others wrap to make room."""
    keep = [i for i in range(len(headers)) if any(row[i] for row in rows)]
    table = Table(
        *(headers[i] for i in keep),
        box=box.SIMPLE_HEAD if terminal else None,
        pad_edge=False,
        show_edge=False,
    )
    if whole is not None and whole in keep:
        column = table.columns[keep.index(whole)]
        column.no_wrap = True
        column.min_width = max(cell_len(row[whole]) for row in rows)
    for row in rows:
        table.add_row(*(_lines(row[i]) for i in keep))
    return table


def _days(count: int) -> str:
    return ngettext("{n} day", "{n} days", count).format(n=count)


def _status_line(record: Record, catalog: Catalog) -> Text:
    status = catalog.status(record)
    as_of = catalog.context.as_of
    line = Text(label("status", status), style=STATUS_STYLES[status])
    detail = " " + _("as of {date}").format(date=format_date(as_of))
    start = record.start_date
    if record.ends_on and status in ("aktif", "akan_berakhir"):
        detail += " " + _("(ends in {days})").format(days=_days((record.ends_on - as_of).days))
    elif start and status == "belum_berlaku":
        detail += " " + _("(starts in {days})").format(days=_days((start - as_of).days))
    elif record.ends_on and status == "kedaluwarsa":
        detail += " " + _("(expired {days} ago)").format(days=_days((as_of - record.ends_on).days))
    superseded_by = catalog.links(record).superseded_by
    if status == "berakhir" and superseded_by and not record.ended:
        detail += " " + _("(superseded by {ids})").format(ids=", ".join(superseded_by))
    line.append(detail)
    return line


def _sector_line(key: str) -> str:
    sector = SECTORS_BY_KEY[key]
    line = key if sector.code is None else f"{key} {sector.code}"
    # The label always, also where it is the key's words ("Lingkungan Hidup"): people read it.
    return f"{line} ({label('sector', key)})"


def _overview(record: Record, catalog: Catalog) -> list[tuple[str, str | Text]]:
    category = label("category", record.effective_category)
    if record.category is None:
        category += _(", derived from the parties")
    rows: list[tuple[str, str | Text]] = [
        (_("id"), record.id),
        (_("document"), label("document", record.document)),
        (_("category"), category),
        (_("status"), _status_line(record, catalog)),
    ]
    if record.obligation:
        rows.append((_("obligation"), record.obligation))
    if record.stage:
        rows.append((_("stage"), label("stage", record.stage)))
    signed = format_date(record.signed_on) if record.signed_on else _("not signed (draft)")
    if record.signed_at:
        signed = _("{date} at {place}").format(date=signed, place=record.signed_at)
    rows.append((_("signed"), signed))
    if record.starts_on:
        rows.append((_("starts"), format_date(record.starts_on)))
    rows.append((_("ends"), dash(format_date(record.ends_on))))
    if record.ended:
        rows.append(
            (
                pgettext("the date a record ended", "ended"),
                f"{format_date(record.ended.on)} ({label('end_reason', record.ended.reason)})",
            )
        )
    rows.append((_("sectors"), "\n".join(_sector_line(s) for s in record.sectors)))
    if record.scope:
        rows.append((_("scope"), "\n".join(f"- {s}" for s in record.scope)))
    if record.units:
        rows.append((_("units"), ", ".join(record.units)))
    if record.funding:
        rows.append((_("funding"), ", ".join(label("funding", f) for f in record.funding)))
    if record.dprd_approval:
        dprd = record.dprd_approval
        parts = [_("required") if dprd.required else _("not required")]
        if dprd.number:
            parts.append(_("number {number}").format(number=dprd.number))
        if dprd.on:
            parts.append(_("on {date}").format(date=format_date(dprd.on)))
        rows.append((_("DPRD approval"), ", ".join(parts)))
    if record.tags:
        rows.append((_("tags"), ", ".join(record.tags)))
    if record.notes:
        rows.append((_("notes"), record.notes))
    rows.append((_("file"), display_path(catalog.path_of(record))))
    return rows


def _party_rows(record: Record) -> list[list[str]]:
    rows = []
    for number, party in enumerate(record.parties, 1):
        if party.region is not None:
            region = load_gazetteer().by_code[party.region]
            name, code, kind = region.display_name, region.code, label("party_kind", region.kind)
        else:
            name, code = party.label, party.country or ""
            kind = label("party_kind", party.party_kind)
        signatory = ""
        if party.signatory:
            signatory = party.signatory.name
            if party.signatory.position:
                signatory += f", {party.signatory.position}"
        rows.append([str(number), name, code, kind, signatory, party.number or ""])
    return rows


def _link_rows(record: Record, catalog: Catalog) -> list[list[str]]:
    links = catalog.links(record)
    groups = [
        (_("parent"), [links.parent] if links.parent else []),
        (_("implemented by"), list(links.implemented_by)),
        (_("supersedes"), list(links.supersedes)),
        (_("superseded by"), list(links.superseded_by)),
        (_("related"), list(links.related)),
    ]
    rows = []
    for link, ids in groups:
        for linked_id in ids:
            other = catalog.get(linked_id)
            if other is None:
                rows.append([link, linked_id, "", _("(not in the registry)")])
            else:
                rows.append(
                    [
                        link,
                        linked_id,
                        document_short(other.document),
                        label("status", catalog.status(other)),
                    ]
                )
    return rows


def _indented_under(head: str, texts: list[str]) -> RenderableType:
    """``head``, then each of ``texts`` indented by two columns, every line of it: the lines
    of a text written on several, and those Rich wraps a long one into, keep the indent."""
    if not texts:
        return _lines(head)
    body = Text("\n".join(_lines(text) for text in texts))
    return Group(Text(_lines(head)), Padding(body, (0, 0, 0, 2)))


def _activity_rows(record: Record) -> list[tuple[str, RenderableType]]:
    return [
        (format_date(activity.on), _indented_under(activity.summary, list(activity.evidence)))
        for activity in record.activities or []
    ]


def _evaluation_rows(record: Record) -> list[tuple[str, RenderableType]]:
    rows: list[tuple[str, RenderableType]] = []
    for evaluation in record.evaluations or []:
        verdict = label("recommendation", evaluation.recommendation)
        if evaluation.score is not None:
            verdict += ", " + _("score {score}/5").format(score=evaluation.score)
        rows.append((format_date(evaluation.on), _indented_under(verdict, [evaluation.summary])))
    return rows


def _source_rows(record: Record) -> list[tuple[str, str | Text]]:
    rows: list[tuple[str, str | Text]] = []
    for number, source in enumerate(record.sources or [], 1):
        lines = [source.title or source.url or ""]
        about = ", ".join(x for x in (source.publisher, format_date(source.published_on)) if x)
        if about:
            lines.append(f"  {about}")
        if source.url and source.title:
            lines.append(f"  {source.url}")
        rows.append((f"{number}.", "\n".join(lines)))
    return rows


def _record_view(record: Record, catalog: Catalog, *, terminal: bool) -> tuple[Group, Text, Group]:
    """The title and the overview; the overview's last row, the file, as a line of its own
    (its name as wide as the overview's names); the rest."""
    overview = _overview(record, catalog)
    name, path = overview.pop()
    width = max(cell_len(n) for n, _value in [*overview, (name, "")])
    path_line = Text(name, style="bold")
    path_line.append(" " * (width - cell_len(name) + 2) + str(path))
    head = Group(Text(record.title, style="bold" if terminal else ""), Text(""), _fields(overview))
    parts: list[RenderableType] = [
        _section(_("Parties"), terminal),
        _sub_table(
            ["#", _("party"), _("code"), _("kind"), _("signatory"), _("number")],
            _party_rows(record),
            terminal,
        ),
    ]
    links = _link_rows(record, catalog)
    if links:
        parts += [
            _section(_("Linked records"), terminal),
            _sub_table([_("link"), _("id"), _("document"), _("status")], links, terminal, 1),
        ]
    if record.activities:
        parts += [_section(_("Activities"), terminal), _fields(_activity_rows(record))]
    if record.evaluations:
        parts += [_section(_("Evaluations"), terminal), _fields(_evaluation_rows(record))]
    if record.sources:
        parts += [_section(_("Sources"), terminal), _fields(_source_rows(record))]
    return head, path_line, Group(*parts)
