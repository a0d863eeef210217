"""No message for people is written as a bare string: every error, warning, finding message,
option help and command help goes through the catalog (`_()`, `ngettext()`, or `N_()` where
it is defined before the language is known). A bare literal here would reach an Indonesian
user in English, which test_translations cannot see (it only checks what is marked)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kerjasama_cli

PACKAGE = Path(kerjasama_cli.__file__).parent

# Calls whose first argument (or `message=`) is a message for a person.
MESSAGE_CALLS = {
    "KerjasamaError",
    "UsageError",
    "DataFolderNotFound",
    "RegionLookupError",
    "RecordNotFound",
    "RefusedWrite",
    "ConfigError",
    "BrokenWorkbook",
    "GitError",
    "BadParameter",
    "error",
    "warn",
    "note",
}
# Calls whose `help=` is a help text.
HELP_CALLS = {"Option", "Argument", "command", "callback"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


# What may stand bare beside a message: an option (`--summary-file: ...`), an environment
# variable (`$GITHUB_STEP_SUMMARY: ...`): names, not words.
_NAMES = re.compile(r"--[\w-]+|\$\w+")


def _words(text: object) -> bool:
    return isinstance(text, str) and any(ch.isalpha() for ch in _NAMES.sub("", text))


def _bare(node: ast.expr | None) -> bool:
    """A literal with words in it, an f-string, or a sum of them: text not in the catalog."""
    if isinstance(node, ast.Constant):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _words(v.value) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _bare(node.left) or _bare(node.right)
    if isinstance(node, ast.IfExp):
        return _bare(node.body) or _bare(node.orelse)
    return False


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
        if name in MESSAGE_CALLS:
            message = node.args[0] if node.args else None
            for keyword in node.keywords:
                if keyword.arg == "message":
                    message = keyword.value
            if _bare(message):
                found.append(f"{where}: {name}(...) with a bare message")
        if name == "Finding":
            message = node.args[1] if len(node.args) > 1 else None
            for keyword in node.keywords:
                if keyword.arg == "message":
                    message = keyword.value
            if _bare(message):
                found.append(f"{where}: Finding(...) with a bare message")
        if name in HELP_CALLS:
            for keyword in node.keywords:
                if keyword.arg == "help" and _bare(keyword.value):
                    found.append(f"{where}: {name}(help=...) not marked with N_()")
    return found


def test_every_message_goes_through_the_catalog() -> None:
    offences = [o for path in sorted(PACKAGE.rglob("*.py")) for o in _offences(path)]
    assert not offences, f"{len(offences)} bare messages:\n" + "\n".join(offences[:40])


def test_every_command_has_its_help_in_the_catalog() -> None:
    """Typer would take a command's help from its docstring, which the catalog cannot hold:
    each command is registered with help=N_(...)."""
    missing = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and _name(node.func) in ("command", "callback")
                and not any(k.arg == "help" for k in node.keywords)
            ):
                missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not missing, missing


def test_the_check_sees_a_bare_message(tmp_path: Path) -> None:
    """The check itself: it finds what it is for, and passes what is wrapped."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "raise UsageError(f'unknown {x}')\n"
        "render.error('cannot write')\n"
        "typer.Option('--a', help='A flag.')\n"
        "Finding('KS201', 'bad region')\n"
        "raise UsageError(_('unknown {x}').format(x=x))\n"
        "typer.Option('--b', help=N_('B flag.'))\n"
        "raise UsageError(f'--summary-file: {message}')\n",
        encoding="utf-8",
    )
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path
    try:
        offences = _offences(sample)
    finally:
        PACKAGE = saved
    assert [o.split(":")[1] for o in offences] == ["1", "2", "3", "4"]
