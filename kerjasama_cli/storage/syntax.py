"""YAML syntax errors worded for people who edit records in Notepad: where, what, and the fix.

libyaml says what its parser expected ("while parsing a block mapping, did not find expected
key"); this module keeps that, and adds the likely cause and what to do about it. An
unclosed quote is reported where it opens, not where libyaml noticed, lines later.
"""

from __future__ import annotations

import re

from ruamel.yaml.reader import ReaderError

from kerjasama_cli.i18n import N_, _
from kerjasama_cli.storage.files import LINE_BREAK, line_col

# libyaml's words, as it says them, each with its translation in the catalog: a message is
# shown in the chosen language, part by part (its context, then its problem). Words it may
# say that are not here are shown as they are.
_LIBYAML_WORDS = {
    # The catalog's words are format strings: a brace is written twice there ("'}}'").
    msgid.format(): msgid
    for msgid in (
        N_("while scanning a plain scalar"),
        N_("while scanning a quoted scalar"),
        N_("while parsing a quoted scalar"),
        N_("while scanning a block scalar"),
        N_("while scanning a simple key"),
        N_("while scanning for the next token"),
        N_("while parsing a block mapping"),
        N_("while parsing a block collection"),
        N_("while parsing a block node"),
        N_("while parsing a flow mapping"),
        N_("while parsing a flow sequence"),
        N_("while parsing a flow node"),
        N_("while parsing a node"),
        N_("while scanning a directive"),
        N_("while scanning an anchor"),
        N_("while scanning an alias"),
        N_("while scanning a tag"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("mapping values are not allowed in this context"),
        N_("block sequence entries are not allowed in this context"),
        N_("did not find expected key"),
        N_("could not find expected ':'"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected node content"),
        N_("did not find expected ',' or '}}'"),
        N_("did not find expected ',' or ']'"),
        N_("found undefined tag handle"),
        N_("did not find expected hexdecimal number"),
        N_("found unknown escape character"),
        N_("found unknown directive name"),
        N_("found unexpected end of stream"),
        N_("did not find expected alphabetic or numeric character"),
        N_("found character that cannot start any token"),
        N_("did not find expected <document start>"),
        N_("found incompatible YAML document"),
        N_("found unexpected ':'"),
        N_("while parsing a tag"),
        N_("while parsing a tag directive"),
        N_("while parsing a %TAG directive"),
        N_("while scanning a %YAML directive"),
        N_("found duplicate %YAML directive"),
        N_("could not find expected directive name"),
        N_("did not find expected comment or line break"),
        N_("found an indentation indicator equal to 0"),
        N_("found invalid Unicode character escape code"),
        N_("did not find expected tag URI"),
        N_("did not find URI escaped octet"),
        N_("did not find expected '!'"),
        N_("did not find expected version number"),
    )
}


def _said(words: str) -> str:
    """libyaml's ``words`` in the chosen language, where the catalog has them."""
    msgid = _LIBYAML_WORDS.get(words)
    return words if msgid is None else _(msgid).format()


Located = tuple[str, str, int, int]  # rule, message, line, column

# A value that opens a double quote: `key: "...`, `- "...`, or inside [ ] / { }.
_OPENS_QUOTE = re.compile(r'(?:^\s*(?:-\s+)*[^\s#"\'][^#"]*?:\s+|^\s*-\s+|[\[{]\s*)"')


def describe_syntax_error(text: str, exc: Exception, first_line_shift: int = 0) -> Located:
    """The rule, message and position of a libyaml error on ``text``. ``first_line_shift``:
    characters put before what the person wrote on the first line (`set` parses its value as
    ``value: VALUE``), left out of the columns said on that line."""

    def shown(line: int, col: int) -> int:
        return max(1, col - first_line_shift) if line == 1 else col

    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line, col = mark.line + 1, mark.column + 1
    elif isinstance(exc, ReaderError):
        line, col = line_col(text, exc.position)
    else:
        line, col = 1, 1
    if isinstance(exc, ReaderError):
        char = exc.character
        code = char if isinstance(char, int) else ord(str(char)[:1] or " ")
        return (
            "KS101",
            _(
                "control character U+{code:04X} is not allowed in YAML; expected printable text "
                "(was something pasted from another program?)"
            ).format(code=code),
            line,
            shown(line, col),
        )
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [_("unknown problem")])[0]
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else str(problem)  # libyaml's, for the hints
    said = f"{_said(str(context))}, {_said(str(problem))}" if context else _said(str(problem))
    if "more than one document" in message or "expected a single document" in message:
        return (
            "KS106",
            _("the file holds more than one YAML document ('---'); expected one record"),
            line,
            shown(line, col),
        )
    lines = LINE_BREAK.split(text)
    unclosed = _unclosed_quote(lines[:line])
    if unclosed is not None:
        quote_line, quote_col = unclosed
        return (
            "KS102",
            _(
                'YAML syntax error: the quoted value that starts here is not closed (expected a " '
                "before the end of line {quote_line}; libyaml stopped at line {line}, column "
                "{column})"
            ).format(quote_line=quote_line, line=line, column=shown(line, col)),
            quote_line,
            shown(quote_line, quote_col),
        )
    start = getattr(exc, "context_mark", None)
    if start is not None and "could not find expected ':'" in message:
        # libyaml notices on the next line; the key without its ':' is where it started.
        line, col = start.line + 1, start.column + 1
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = _hint(message, here, col)
    if start is not None and "expected ',' or" in message:
        bracket = "[" if "sequence" in message else "{"
        hint = _(
            " (is the {bracket} on line {line}, column {column} closed, and are its items "
            "separated by ','?)"
        ).format(
            bracket=bracket, line=start.line + 1, column=shown(start.line + 1, start.column + 1)
        )
    # libyaml's own words, translated where the catalog has them; the hint is ours.
    return (
        "KS102",
        _("YAML syntax error: {message}{hint}").format(message=said, hint=hint),
        line,
        shown(line, col),
    )


def _hint(message: str, here: str, col: int) -> str:
    """The likely cause of a libyaml error at column ``col`` of line ``here``."""
    char = here[col - 1 : col]
    if "found unexpected ':'" in message:
        return _(" (inside [ ] or { }, put values that contain ':' in quotes, URLs especially)")
    if "\t" in here[:col] or "tab" in message:
        return _(" (indent with spaces: YAML does not allow tabs for indentation)")
    if char in ("@", "`") and "cannot start any token" in message:
        return _(" (a value that starts with {char} must be put in quotes)").format(char=char)
    if "mapping values are not allowed" in message:
        return _(" (a value that contains ': ' must be put in quotes)")
    if "could not find expected ':'" in message:
        return _(" (expected 'key: value'; is this line missing its ':', or wrongly indented?)")
    if "did not find expected key" in message or "expected <block end>" in message:
        return _(" (check the indentation: the keys of one mapping start in the same column)")
    if "indentation indicator" in message or (
        "block scalar" in message and "comment or line break" in message
    ):
        return _(
            " (after | or > only - or + and one digit from 1 to 9 may follow; the text goes on "
            "the next lines)"
        )
    if "directive" in message:
        return _(" (a record starts with its first key: remove the line that starts with %)")
    if "tag" in message or "URI" in message:
        return _(" (a value that starts with ! is a YAML tag, not allowed in a record: quote it)")
    if "incompatible YAML document" in message:
        return _(" (a record starts with its first key: remove the line that starts with %)")
    if "escape" in message or "hexdecimal number" in message:
        return _(
            ' (inside "..." a backslash starts an escape: write \\\\ for one backslash, or put '
            "the value in single quotes)"
        )
    if "unexpected end of stream" in message:
        return _(" (the file ends inside a quoted value or a [ ] or { }: close it)")
    if "<document start>" in message:
        return _(" (expected the next 'key: value' line; is a line wrongly indented?)")
    return ""


def _unclosed_quote(lines: list[str]) -> tuple[int, int] | None:
    """The line and column of a double quote opened on a line and not closed on it, if any.

    A quoted value may go on over several lines in YAML, but in a record that is almost always
    a forgotten closing quote, so the first such quote is the likely cause of a later error.
    """
    for number, line in enumerate(lines, 1):
        match = _OPENS_QUOTE.search(line)
        if match is None:
            continue
        rest = line[match.end() :]
        if not re.search(r'(?<!\\)(?:\\\\)*"', rest):
            return number, match.end()
    return None
