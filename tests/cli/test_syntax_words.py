"""A YAML syntax error in the chosen language: libyaml's words are translated part by part,
and the hint says what to do, also for the errors that had none (a tag, a directive, an
escape, the end of the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write_record

BROKEN = {
    "tab": ("id: x\n\tb: c\n", "while scanning a plain scalar, found a tab character that"),
    "key": ("a:\n  b: c\n d: e\n", "while parsing a block mapping, did not find expected key"),
    "seq": ("a: [b, c\nd: e\n", "while parsing a flow sequence, did not find expected ','"),
    "map": ("a: {b: c\nd: e\n", "while parsing a flow mapping, did not find expected ',' or '}'"),
    "at": ("a: @b\n", "while scanning for the next token, found character that cannot"),
    "tag": ("a: !x!y b\n", "while parsing a node, found undefined tag handle"),
    "directive": ("%FOO\n---\na: b\n", "while scanning a directive, found unknown directive"),
    "escape": ('a: "\\q"\n', "while parsing a quoted scalar, found unknown escape character"),
    "end": ("a: 'b\n", "while scanning a quoted scalar, found unexpected end of stream"),
    "tag-uri": ("id: x\ntitle: !<> y\n", "while parsing a tag, did not find expected tag URI"),
    "yaml": ("%YAML x\n---\nid: x\n", "while scanning a %YAML directive, did not find"),
    "indicator": ("id: x\ntitle: |0\n x\n", "while scanning a block scalar, found an"),
    "block": ("a: |\n\t b\n", "while scanning a block scalar, found a tab character where"),
}
# libyaml's words that may start a part of its message, in English.
ENGLISH = ("while ", "found ", "did not find", "could not find", "mapping values")


def _ks102(run: Run) -> str:
    (finding,) = run("validate", "--format", "json").json()["findings"]
    assert finding["rule"] == "KS102"
    return str(finding["message"])


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_syntax_error_is_in_english_then_in_indonesian_with_a_hint(
    name: str, registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, english = BROKEN[name]
    write_record(registry, text, f"kb-{name}", "draf")
    said = _ks102(run)
    assert said.startswith("YAML syntax error: " + english), said
    assert said.endswith(")"), said  # a hint: what to do about it
    monkeypatch.setenv("KERJASAMA_LANG", "id")
    dikatakan = _ks102(run)
    assert dikatakan.startswith("kesalahan sintaks YAML: "), dikatakan
    assert not any(words in dikatakan for words in ENGLISH), dikatakan
