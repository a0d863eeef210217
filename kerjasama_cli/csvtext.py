"""CSV text that every reader splits into the same rows: each cell holding a line break quoted.

The ``csv`` module quotes a cell that holds a delimiter, a quote, or a character of the line
end it writes. With ``lineterminator="\\n"``, a cell holding a bare carriage return (a note
written ``"line one\\rline two"`` in YAML) went out unquoted, and every reader, ``import``
included, took the carriage return for the end of the row. Here the writer quotes as for
CRLF (both characters), and each row then ends with the line end asked for: LF files have
the cells of CRLF files, byte for byte.
"""

from __future__ import annotations

import csv
from typing import Any

_CRLF = "\r\n"


class CsvText:
    """The target of a ``csv`` writer (``writer``, or ``dict_writer``): ``getvalue()`` is the
    text, each row ended with ``line_end``. The ``csv`` module writes each row with one call
    of ``write``, its line end last."""

    def __init__(self, line_end: str = "\n") -> None:
        self._parts: list[str] = []
        self._end = line_end

    def write(self, row: str) -> None:
        self._parts.append(row if self._end == _CRLF else row[: -len(_CRLF)] + self._end)

    def getvalue(self) -> str:
        return "".join(self._parts)

    def writer(self, delimiter: str = ",") -> Any:
        """A ``csv.writer`` into this text (typed Any: the module's writer type is private)."""
        return csv.writer(self, lineterminator=_CRLF, delimiter=delimiter)

    def dict_writer(self, fieldnames: list[str]) -> csv.DictWriter[str]:
        return csv.DictWriter(self, fieldnames, lineterminator=_CRLF)


def csv_line(cells: list[str]) -> str:
    """One row's cells as ``CsvText`` writes them, without the line end."""
    text = CsvText(_CRLF)
    text.writer().writerow(cells)
    return text.getvalue()[: -len(_CRLF)]
