"""Click's own words ("Usage", "Options", "Error: ..."), in the language in force.

Typer carries its own copy of Click (``typer._click``) whose messages are plain English
f-strings, and a ``typer.core`` that asks the standard library's gettext for a few section
titles. Neither can be given a catalog, so this module puts the tool's translation in their
place: ``install()`` (once per process) routes ``typer.core``'s ``_`` to ``i18n._``, prefixes
the usage line and the error line in the chosen language, words the help option's help, and
``message()`` rewords the messages Click builds (an unknown option, a missing argument, ...)
from the parts it put in them. A message this table does not know stays as Click wrote it.

``translate(command)`` translates the help texts of a command tree in place: they are written
in English in the code and marked with ``N_()``; Typer builds a new tree for every run, so the
text it holds is always the English msgid.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import IO, Any

from kerjasama_cli.i18n import N_, _

# Click's messages, by the English pattern Click words them and the msgid of their wording
# here (the named groups are the placeholders).
_MESSAGE_PATTERNS: tuple[tuple[str, str], ...] = tuple(
    (pattern, msgid)
    for pattern, msgid in (
        # Typer adds its suggestion to a message it has already had translated.
        (
            r"(?P<message>.+?)\. Did you mean (?P<suggestions>'.+)\?",
            N_("{message}. Did you mean {suggestions}?"),
        ),
        (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
        (r"No such command '(?P<name>.*)'\.", N_("No such command '{name}'.")),
        (r"Missing command\.", N_("Missing command.")),
        (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
        (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
        (r"Missing parameter: (?P<name>.+)", N_("Missing parameter: {name}")),
        (
            r"Option (?P<name>'.*') requires an argument\.",
            N_("Option {name} requires a value."),
        ),
        (
            r"Option (?P<name>'.*') requires (?P<count>\d+) arguments\.",
            N_("Option {name} requires {count} values."),
        ),
        (
            r"Option (?P<name>'.*') does not take a value\.",
            N_("Option {name} does not take a value."),
        ),
        (
            r"Got unexpected extra argument\(s\) \((?P<args>.*)\)",
            N_("Got unexpected extra arguments ({args})"),
        ),
        (
            r"Invalid value for (?P<name>.+?): (?P<message>.*)",
            N_("Invalid value for {name}: {message}"),
        ),
        (r"Invalid value: (?P<message>.*)", N_("Invalid value: {message}")),
        (
            r"(?P<value>'.*') is not one of (?P<choices>.+)\.",
            N_("{value} is not one of {choices}."),
        ),
        (r"(?P<value>'.*') is not (?P<choice>'.*')\.", N_("{value} is not {choice}.")),
        (
            r"(?P<kind>File|Directory|Path) (?P<name>'.*') does not exist\.",
            N_("{kind} {name} does not exist."),
        ),
        (
            r"(?P<kind>File|Directory|Path) (?P<name>'.*') is a file\.",
            N_("{kind} {name} is a file."),
        ),
        (
            r"(?P<kind>File|Directory|Path) (?P<name>'.*') is a directory\.",
            N_("{kind} {name} is a directory."),
        ),
        (
            r"(?P<kind>File|Directory|Path) (?P<name>'.*') is not readable\.",
            N_("{kind} {name} is not readable."),
        ),
        (
            r"(?P<kind>File|Directory|Path) (?P<name>'.*') is not writable\.",
            N_("{kind} {name} is not writable."),
        ),
    )
)
# The words Click puts inside its messages.
_PARTS = {"File": N_("File"), "Directory": N_("Directory"), "Path": N_("Path")}
_POSSIBLE = r"^(?P<message>.*) \(Possible options: (?P<options>.*)\)$"


@functools.cache
def _compiled() -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The patterns, compiled when a message is first reworded (not for every --help)."""
    return re.compile(_POSSIBLE, re.DOTALL), tuple(
        (re.compile(pattern, re.DOTALL), msgid) for pattern, msgid in _MESSAGE_PATTERNS
    )


# Section titles and marks that typer.core asks gettext for (listed here for the catalog).
_TYPER_CORE = (
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Missing command."),
    N_("No such command {name!r}."),
)
HELP_OPTION = N_("Show this message and exit.")
# The help of Typer's completion options (translated with the other help texts).
_TYPER_COMPLETION = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def message(text: str) -> str:
    """A message Click built, in the language in force (unchanged when not known here)."""
    possible_pattern, patterns = _compiled()
    possible = possible_pattern.match(text)
    if possible:
        return _("{message} (possible options: {options})").format(
            message=message(possible["message"]), options=possible["options"]
        )
    for pattern, msgid in patterns:
        match = pattern.fullmatch(text)
        if match:
            parts = {k: _(_PARTS[v]) if k == "kind" else v for k, v in match.groupdict().items()}
            if "message" in parts:
                parts["message"] = message(parts["message"])
            return _(msgid).format(**parts)
    return text


def _localise(obj: Any, attribute: str) -> None:
    """Set ``obj.attribute`` to its English text (kept on first sight) in the language in force:
    a tree kept across runs (as tests keep it) is translated from English every time."""
    english = obj.__dict__.setdefault("_kerjasama_english", {})
    if attribute not in english:
        english[attribute] = getattr(obj, attribute, None)
    if english[attribute]:
        setattr(obj, attribute, _(english[attribute]))


def translate(command: Any) -> None:
    """Translate the help texts of ``command`` and of every command under it, in place."""
    for attribute in ("help", "short_help", "epilog"):
        _localise(command, attribute)
    for param in getattr(command, "params", ()):
        _localise(param, "help")
    for sub in getattr(command, "commands", {}).values():
        translate(sub)


_installed = False


def install() -> None:
    """Put the tool's translation where Typer's Click has its English (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    import typer.core
    from typer._click import _compat, core, exceptions, formatting, utils

    typer.core._ = _  # type: ignore[attr-defined]

    write_usage = formatting.HelpFormatter.write_usage

    def _write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        # Click's placeholders for the options and the command, in the language in force
        # ("[OPSI]", "PERINTAH [ARGUMEN]..."); a command's own metavars stay as written.
        args = args.replace("[OPTIONS]", _("[OPTIONS]"))
        args = args.replace("COMMAND [ARGS]...", _("COMMAND [ARGS]..."))
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]

    get_help_option = core.Command.get_help_option

    def _get_help_option(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None:
            _localise(option, "help")
        return option

    core.Command.get_help_option = _get_help_option  # type: ignore[method-assign]

    echo: Callable[..., None] = utils.echo

    def _show_exception(self: Any, file: IO[Any] | None = None) -> None:
        echo(
            _("Error: {message}").format(message=message(self.format_message())),
            file=file if file is not None else _compat.get_text_stderr(),
            color=self.show_color,
        )

    def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
        if file is None:
            file = _compat.get_text_stderr()
        color = None
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = _("Try '{command} {option}' for help.").format(
                    command=self.ctx.command_path, option=self.ctx.help_option_names[0]
                )
                hint += "\n"
            color = self.ctx.color
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
        echo(
            _("Error: {message}").format(message=message(self.format_message())),
            file=file,
            color=color,
        )

    exceptions.ClickException.show = _show_exception  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]

    # An argument's Python type after its name in the help ("ID <str>", "PATH <list[Path]>")
    # says nothing a person can use: its name and help say what to give.
    typer.core.TyperArgument.display_type_rich = _no_type  # type: ignore[method-assign]
    # An option's choices as the options with a metavar show them: "table|json", no "<...>".
    choices = typer.core.TyperOption.display_type_rich

    def _choices_plain(self: Any, ctx: Any) -> str | None:
        shown: str | None = choices(self, ctx)
        if shown and shown.startswith("<") and shown.endswith(">") and "|" in shown:
            return shown[1:-1]
        return shown

    typer.core.TyperOption.display_type_rich = _choices_plain  # type: ignore[method-assign]
    # A number's bounds in words ("at least 0"), not "x>=0".
    for kind in (typer.core.TyperArgument, typer.core.TyperOption):
        kind._get_number_range_help_str = _bounds_in_words  # type: ignore[method-assign]


def _no_type(self: Any, ctx: Any) -> None:
    return None


def _bounds_in_words(self: Any) -> str | None:
    low, high = getattr(self, "min", None), getattr(self, "max", None)
    if low is None and high is None:
        return None
    if high is None:
        return _("at least {low}").format(low=low)
    if low is None:
        return _("at most {high}").format(high=high)
    return _("from {low} to {high}").format(low=low, high=high)
