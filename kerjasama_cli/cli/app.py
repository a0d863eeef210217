"""The Typer application, its commands, and the one place errors become exit codes."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click.exceptions import MissingParameter
from typer.core import TyperGroup
from typer.exceptions import TyperException

from kerjasama_cli import i18n
from kerjasama_cli.errors import KerjasamaError, system_reason
from kerjasama_cli.i18n import N_, _

# Set by the shell when it asks for completions (Typer's name for it, from prog_name).
COMPLETION_ENV = "_KERJASAMA_COMPLETE"


class KerjasamaGroup(TyperGroup):
    """Turns KerjasamaError into a message and its exit code, anything else into exit 3; speaks
    the language the contract chooses (``choose_language``)."""

    def main(self, args: Any = None, *posargs: Any, **kwargs: Any) -> Any:
        from kerjasama_cli.cli import words

        argv = list(sys.argv[1:] if args is None else args)
        i18n.set_language(choose_language(argv))
        words.install()
        words.translate(self)
        return super().main(argv, *posargs, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        from kerjasama_cli.storage.locking import on_wait

        on_wait(_say_index_wait)
        try:
            return super().invoke(ctx)
        except MissingParameter:
            raise  # Click says it with the usage line: "Missing argument 'ID'."
        except typer.BadParameter as exc:
            # Typer words a bad value as pydantic does ("Input should be a valid integer"):
            # say it in the tool's words, with the option, what was expected and what was given.
            from kerjasama_cli import render

            render.error(bad_parameter_message(exc))
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except KerjasamaError as exc:
            from kerjasama_cli import render

            for message in exc.lines():
                render.error(message)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # `kerjasama list | head`: the reader left; nothing more to say, but a verdict
            # known before the output (validate's) is still the exit code.
            from kerjasama_cli import render

            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(render.exit_when_cut) from None
        except OSError as exc:
            if exc.errno in _CANNOT_WRITE:
                _cannot_write(exc)
            if exc.filename is not None and exc.errno in _REFUSED_BY_THE_SYSTEM:
                _refused_by_the_system(exc)
            _report_unexpected(exc)
            raise typer.Exit(3) from None
        except Exception as exc:
            _report_unexpected(exc)
            raise typer.Exit(3) from None
        finally:
            # The registry's index (if a command opened one) is done with: its read
            # transaction ends here, not whenever the objects that hold it go away.
            cache = sys.modules.get("kerjasama_cli.storage.cache")
            if cache is not None:
                cache.close_all()


def choose_language(argv: list[str]) -> str:
    """The language of this run: ``KERJASAMA_LANG``, else ``lang`` in the configuration of the
    registry the arguments name (``--data-dir``, else ``$KERJASAMA_DATA``, else ``./data``),
    else the locale, else English. A configuration that cannot be read here counts as none:
    the command itself says what is wrong with it."""
    chosen = i18n.from_code(os.environ.get("KERJASAMA_LANG"))
    if chosen:  # the registry's configuration need not be read
        return chosen
    data_dir = os.environ.get("KERJASAMA_DATA") or "data"
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--data-dir" and index + 1 < len(argv):
            data_dir = argv[index + 1]
        elif arg.startswith("--data-dir="):
            data_dir = arg.partition("=")[2]
    configured = _configured_lang(Path(data_dir))
    return i18n.choose(os.environ, configured)


def _configured_lang(data_dir: Path) -> str | None:
    """``lang`` of the configuration ``config.find_config`` would use for ``data_dir``, read
    here without importing the rest of the tool (``--help`` waits for this); None when there
    is none or it cannot be read (the command then says why)."""
    import tomllib

    try:
        for folder in (data_dir, data_dir.resolve().parent):
            for name in ("kerjasama.toml", "pyproject.toml"):
                path = folder / name
                if not path.is_file() or path.stat().st_size > 1 << 20:
                    continue
                table = tomllib.loads(path.read_text(encoding="utf-8"))
                if name == "pyproject.toml":
                    table = table.get("tool", {}).get("kerjasama")
                    if table is None:
                        continue
                value = table.get("lang") if isinstance(table, dict) else None
                return value if isinstance(value, str) else None
    except (OSError, ValueError, RecursionError):
        return None
    return None


def bad_parameter_message(exc: typer.BadParameter) -> str:
    """``--year: expected a whole number, got 'abc'`` for a value Typer could not convert."""
    import re

    from kerjasama_cli.cli import words

    param = exc.param
    names = getattr(param, "opts", None) or [getattr(param, "name", None) or "value"]
    option = str(names[0])
    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if not errors:
        return f"{option}: {words.message(exc.message)}"
    error = errors[0]
    given = error.get("input")
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        expected = _("a whole number")
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound, key = {
            "greater_than_equal": (N_("a whole number at least {n}"), "ge"),
            "greater_than": (N_("a whole number more than {n}"), "gt"),
            "less_than_equal": (N_("a whole number at most {n}"), "le"),
            "less_than": (N_("a whole number less than {n}"), "lt"),
        }[kind]
        expected = _(bound).format(n=context.get(key))
    elif kind in ("float_parsing", "float_type"):
        expected = _("a number")
    else:
        choices = re.findall(r"'([^']*)'", str(context.get("error", "")))[1:]
        if "is not one of" in str(context.get("error", "")) and choices:
            expected = _("one of {choices}").format(choices=", ".join(choices))
        else:
            return f"{option}: {words.message(exc.message)}"
    return _("{option}: expected {expected}, got {given!r}").format(
        option=option, expected=expected, given=given
    )


# A full disk or quota, a file too large, an I/O error: the machine's trouble, not a bug.
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}


# What the system answers about a file when the machine, not the program, stands in the way:
# a read-only file system, no permission, a path that is gone or is not what it was (an editor
# that removed its file, `init /proc/x`). Said as the system says it, with the file: exit 2.
_REFUSED_BY_THE_SYSTEM = {
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.ENOENT,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.ELOOP,
    errno.ENAMETOOLONG,
    errno.EBUSY,
    errno.ETXTBSY,
    errno.EXDEV,
}


def _refused_by_the_system(exc: OSError) -> NoReturn:
    """Exit 2 with one line: the file and what the system said of it."""
    from kerjasama_cli import render
    from kerjasama_cli.storage.files import display_path

    reason = system_reason(exc)
    render.error(
        _("{path}: {reason} (said by the system; nothing more was done)").format(
            path=display_path(Path(os.fsdecode(exc.filename))), reason=reason
        )
    )
    raise typer.Exit(2)


def _cannot_write(exc: OSError) -> NoReturn:
    """Exit 2 with one line saying what could not be written and why."""
    where = exc.filename if exc.filename is not None else _("standard output")
    reason = system_reason(exc)
    with contextlib.suppress(OSError, ValueError):  # nothing more goes where writing failed
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    with contextlib.suppress(OSError):
        from kerjasama_cli import render

        render.error(_("cannot write {path}: {reason}").format(path=where, reason=reason))
    raise typer.Exit(2)


def _report_unexpected(exc: Exception) -> None:
    """One line on stderr naming the failure; before it the traceback, with KERJASAMA_DEBUG=1."""
    from kerjasama_cli import render

    debug = os.environ.get("KERJASAMA_DEBUG", "") not in ("", "0")
    if debug:
        import traceback

        sys.stderr.write("".join(traceback.format_exception(exc)))
        sys.stderr.flush()
    # One line, whatever the exception says: no newlines, no terminal escapes, not too long.
    text = " ".join(str(exc).split())
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) > 300:
        text = text[:300] + "..."
    if debug:
        template = _("unexpected {error}: {text}")
    else:
        template = _(
            "unexpected {error}: {text} (this is a bug; rerun with KERJASAMA_DEBUG=1 for the "
            "traceback)"
        )
    render.error(template.format(error=type(exc).__name__, text=text or _("(no message)")))


def _show_version(value: bool) -> None:
    if value:
        from kerjasama_cli import __version__, render

        render.write(f"kerjasama {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help=N_("Print the version and exit."),
        ),
    ] = False,
) -> None:
    """The root of every command (its help is ROOT_HELP)."""


ROOT_HELP = N_(
    "A registry of Indonesian regional cooperation agreements (kerja sama daerah).\n\n"
    "Each agreement is one YAML file under data/agreements/. Start with "
    '`kerjasama summarise`, `kerjasama list --region "Muara Enim"` or `kerjasama validate`.'
)


# Every command: its name and the module under kerjasama_cli.cli whose ``register(app)`` adds
# it (with its aliases), in the order `kerjasama --help` lists them.
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "list": "list",
    "show": "show",
    "add": "add",
    "activity": "activity",
    "set": "set_",
    "sign": "sign",
    "end": "end",
    "evaluate": "evaluate",
    "edit": "edit",
    "fmt": "fmt",
    "summarise": "summarise",
    "summarize": "summarise",
    "regions": "regions",
    "schema": "schema",
    "init": "init",
    "export": "export",
    "import": "import_",
    "serve": "serve",
    "vocab": "vocab",
}

# The application with every command, built on first use (``from ... import app``).
app: typer.Typer


def build_app(command: str | None = None) -> typer.Typer:
    """The application with every command, or with only ``command`` (and its aliases).

    Building a command means importing its module and letting Typer read its signature, for
    each one: ``main`` builds only the command that is run, so that `kerjasama list` does not
    pay for the eleven others. Help, completion and a mistyped name get every command.
    """
    application = typer.Typer(
        cls=KerjasamaGroup,
        name="kerjasama",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        rich_markup_mode=None,
    )
    application.callback(help=ROOT_HELP)(_root)
    modules = dict.fromkeys(COMMANDS.values()) if command is None else [COMMANDS[command]]
    for name in modules:
        module = importlib.import_module(f"kerjasama_cli.cli.{name}")
        module.register(application)
    return application


def __getattr__(name: str) -> Any:
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_run(args: list[str]) -> str | None:
    """The command that ``args`` (the program's arguments) run, when that is all it needs."""
    if args and args[0] in COMMANDS and COMPLETION_ENV not in os.environ:
        return args[0]
    return None


def _say_index_wait(gave_up: bool) -> None:
    """On stderr: the index is being written by another command (a wait of up to 20 s)."""
    from kerjasama_cli import render
    from kerjasama_cli.storage.cache import BUSY_TIMEOUT_MS

    if gave_up:
        render.note(
            _(
                "the index is still being written by the other command: this one goes on "
                "without it (a later command brings the index up to date)"
            )
        )
    else:
        render.note(
            _(
                "another kerjasama command is writing the index of this data folder: waiting "
                "for it to finish (at most {seconds} s)"
            ).format(seconds=BUSY_TIMEOUT_MS // 1000)
        )


def _utf8_streams() -> None:
    """stdout is UTF-8 whatever the locale or PYTHONIOENCODING say (the contract of every
    format), and stderr never fails on a character it cannot encode (``\\u2013`` instead):
    ``PYTHONIOENCODING=ascii`` and a title with an en dash made every command exit 3."""
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors=errors)


def main() -> None:
    """The program (kerjasama_cli.console.main, the console script, runs it)."""
    _utf8_streams()
    try:
        try:
            build_app(command_run(sys.argv[1:]))(prog_name="kerjasama")
        except OSError as exc:
            # A write of stdout that failed outside a command (`--version >&-`, `| true`).
            from kerjasama_cli import render

            _stdout_failed(exc, cut_code=render.exit_when_cut)
            raise
    except SystemExit:
        # What is still buffered is written now, where a failure can still be told, rather
        # than by the interpreter on its way out (which would print a traceback).
        try:
            sys.stdout.flush()
        except OSError as exc:
            _stdout_failed(exc)
        raise


def _stdout_failed(exc: OSError, *, cut_code: int | None = None) -> None:
    """A failed write of stdout, as invoke says it: the reader left (nothing more goes there;
    exit ``cut_code`` when given, else as the program was exiting), or the write failed
    ("cannot write standard output", exit 2); anything else is raised again."""
    if isinstance(exc, BrokenPipeError):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if cut_code is not None:
            raise SystemExit(cut_code) from None
        return
    if exc.errno not in _CANNOT_WRITE:
        raise exc
    try:
        _cannot_write(exc)
    except typer.Exit as failed:
        raise SystemExit(failed.exit_code) from None
