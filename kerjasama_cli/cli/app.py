"""The Typer application, its commands, and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from kerjasama_cli.errors import KerjasamaError


class KerjasamaGroup(TyperGroup):
    """Turns KerjasamaError into a message and its exit code, anything else into exit 3."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except KerjasamaError as exc:
            from kerjasama_cli import render

            render.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # `kerjasama list | head`: the reader left; nothing more to say.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as exc:
            _report_unexpected(exc)
            raise typer.Exit(3) from None


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
    hint = "" if debug else " (this is a bug; rerun with KERJASAMA_DEBUG=1 for the traceback)"
    render.error(f"unexpected {type(exc).__name__}: {text or '(no message)'}{hint}")


app = typer.Typer(
    cls=KerjasamaGroup,
    name="kerjasama",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        from kerjasama_cli import __version__, render

        render.write(f"kerjasama {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """A registry of Indonesian regional cooperation agreements (kerja sama daerah).

    Each agreement is one YAML file under data/agreements/. Start with
    `kerjasama summarise`, `kerjasama list --region "Muara Enim"` or `kerjasama validate`.
    """


def _register() -> None:
    from kerjasama_cli.cli import (
        activity,
        add,
        export,
        fmt,
        import_,
        init,
        regions,
        schema,
        show,
        summarise,
        validate,
    )
    from kerjasama_cli.cli import list as list_command

    for module in (
        validate,
        list_command,
        show,
        add,
        activity,
        fmt,
        summarise,
        regions,
        schema,
        init,
        export,
        import_,
    ):
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="kerjasama")
