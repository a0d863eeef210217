"""`kerjasama init`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kerjasama_cli.i18n import N_, _


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help=N_("Folder of the new registry repository (created if missing; default: here)."),
            show_default=False,
        ),
    ] = Path(),
    install: Annotated[
        str | None,
        typer.Option(
            "--install",
            metavar="SPEC",
            help=N_(
                "Where the workflow and the pre-commit hook install kerjasama from: a package "
                "name or requirement, a URL (git+https://...@TAG) or a wheel file inside DIR. "
                "Default: the hook runs the installed kerjasama; the workflow installs it from "
                "the git URL it was installed from, else it asks for one."
            ),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="id|en",
            help=N_(
                "The registry's language: `lang` in its kerjasama.toml, and the language of the "
                "README and the comments init writes. Default: id (Bahasa Indonesia)."
            ),
            show_default=False,
        ),
    ] = "id",
) -> None:
    """Scaffold a registry repository: data/agreements/, a README, pre-commit, CI, yamllint."""
    from kerjasama_cli import render
    from kerjasama_cli.errors import UsageError
    from kerjasama_cli.i18n import from_code
    from kerjasama_cli.install_source import install_source
    from kerjasama_cli.scaffold import write_scaffold
    from kerjasama_cli.storage import display_path

    chosen = from_code(lang)
    if chosen is None:
        raise UsageError(
            _("{option}: expected one of {allowed}, got {value!r}").format(
                option="--lang", allowed="id, en", value=lang
            )
        )
    if directory.exists() and not directory.is_dir():
        raise UsageError(_("init: {path} exists and is not a folder").format(path=directory))
    source = install_source(install, directory)
    for path in write_scaffold(directory, source, chosen):
        render.write(display_path(path))
    render.note(
        _(
            "initialised a registry in {path}: add records with `kerjasama add`, check them "
            "with `kerjasama validate`"
        ).format(path=display_path(directory.resolve()))
    )
    if source.spec is None:
        # Without a spec the hook never installs (install_source): it runs the installed one.
        render.warn(
            _(
                "the workflow does not know where to install kerjasama from (it was not "
                "installed from a git URL): write a pip requirement in KERJASAMA_INSTALL at the "
                "top of .github/workflows/validate.yml, or run init again with --install SPEC; "
                "the pre-commit hook runs the kerjasama installed here"
            )
        )
    elif source.hook_installs:
        render.note(
            _(
                "the workflow installs kerjasama from {spec}; the pre-commit hook installs it too"
            ).format(spec=source.spec)
        )
    else:
        render.note(
            _(
                "the workflow installs kerjasama from {spec}; the pre-commit hook runs the "
                "kerjasama installed here"
            ).format(spec=source.spec)
        )


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Scaffold a registry repository: data/agreements/, a README, pre-commit, CI, "
            "yamllint.\n\n"
            "Writes data/agreements/, README.md for data stewards, .pre-commit-config.yaml, "
            ".github/workflows/validate.yml (validates pull requests, uploads SARIF), "
            ".yamllint, kerjasama.toml and schema/record.schema.json. Refuses (exit 1, writing "
            "nothing) if any of them exists."
        ),
    )(init)
