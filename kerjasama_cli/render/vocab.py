"""Output of `vocab`."""

from __future__ import annotations

from rich.table import Table

from kerjasama_cli.csvtext import CsvText
from kerjasama_cli.i18n import _
from kerjasama_cli.render import is_terminal, stdout, tsv, write, write_json
from kerjasama_cli.vocab import Term

# Column names, as in CSV: the same in every language (a script reads them).
_HEADER = ["vocabulary", "key", "code", "label", "aliases"]


def _rows(chosen: dict[str, tuple[Term, ...]]) -> list[list[str]]:
    return [
        [name, term.key, term.code or "", term.label, ", ".join(term.aliases)]
        for name, terms in chosen.items()
        for term in terms
    ]


def render_vocabularies(chosen: dict[str, tuple[Term, ...]], fmt: str) -> None:
    """Vocabularies as one table each (terminal), a JSON object, CSV or tab-separated text."""
    if fmt == "json":
        write_json({name: [t.as_dict() for t in terms] for name, terms in chosen.items()})
    elif fmt == "csv":
        buffer = CsvText()
        writer = buffer.writer()
        writer.writerow(_HEADER)
        writer.writerows(_rows(chosen))
        write(buffer.getvalue())
    elif is_terminal():
        console = stdout()
        for name, terms in chosen.items():
            table = Table(
                _("Key"), _("Code"), _("Label"), _("Aliases"), title=name, title_justify="left"
            )
            for term in terms:
                table.add_row(term.key, term.code or "", term.label, ", ".join(term.aliases))
            console.print(table)
    else:  # piped: one table with the vocabulary's name in front, in the words of the terminal's
        titles = [_("Vocabulary"), _("Key"), _("Code"), _("Label"), _("Aliases")]
        write(tsv([titles, *_rows(chosen)]))
