"""The Indonesian templates of `kerjasama init` (templates/id/) say what the English ones do:
only their words for people differ, never a key, a value, a command or a placeholder."""

from __future__ import annotations

import re

import pytest

from kerjasama_cli.install_source import InstallSource
from kerjasama_cli.scaffold import TEMPLATE_LANGUAGES, TEMPLATES, template_text

# Lines whose words are for people: the names of the workflow's steps and its error message.
_WORDS = re.compile(r"^\s*(name: (?!validate$|kerjasama validate$)|\"|echo \"::error::)")


def _machine_lines(text: str) -> list[str]:
    """The lines a program reads: no comment, nothing after ' #', no lines of words."""
    kept = []
    for line in text.splitlines():
        line = line.split("  #", 1)[0].rstrip()
        if line.lstrip().startswith("#") or not line.strip() or _WORDS.match(line):
            continue
        kept.append(line)
    return kept


@pytest.mark.parametrize(
    "source",
    [
        InstallSource(spec=None, hook_installs=False, given=False),
        InstallSource(spec="kerjasama==0.1.0", hook_installs=True, given=True),
    ],
    ids=["installed", "spec"],
)
@pytest.mark.parametrize("name", [name for _, name in TEMPLATES if name != "README.md"])
def test_the_templates_differ_only_in_words(name: str, source: InstallSource) -> None:
    english, indonesian = (template_text(name, source, lang) for lang in ("en", "id"))
    assert english != indonesian
    en_lines, id_lines = _machine_lines(english), _machine_lines(indonesian)
    if name == "kerjasama.toml":
        en_lines.remove('lang = "en"')
        id_lines.remove('lang = "id"')
    assert en_lines == id_lines


@pytest.mark.parametrize("lang", TEMPLATE_LANGUAGES)
def test_every_placeholder_is_filled(lang: str) -> None:
    source = InstallSource(spec="kerjasama==0.1.0", hook_installs=True, given=True)
    for _, name in TEMPLATES:
        assert "@" not in template_text(name, source, lang).replace("@v", "").replace("@TAG", "")


def test_the_readmes_have_the_same_code() -> None:
    english, indonesian = (template_text("README.md", None, lang) for lang in ("en", "id"))
    code = re.compile(r"```.*?```", re.S)
    en_blocks, id_blocks = code.findall(english), code.findall(indonesian)
    assert len(en_blocks) == len(id_blocks) == 2
    # the same commands; only a comment after one may be in the other language
    assert [b.split("#")[0] for b in en_blocks[:1]] == [b.split("#")[0] for b in id_blocks[:1]]
    assert en_blocks[1:] == id_blocks[1:]
