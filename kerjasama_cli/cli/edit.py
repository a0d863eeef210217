"""`kerjasama edit`."""

from __future__ import annotations

import typer

from kerjasama_cli.cli.options import DataDir, NoCache, RecordId
from kerjasama_cli.i18n import N_, _


def edit(
    record_id: RecordId,
    data_dir: DataDir = None,
    no_cache: NoCache = False,
) -> None:
    """Edit a record in $VISUAL, else $EDITOR; check it, and write it when it is valid."""
    import os
    import shlex

    from kerjasama_cli import editing
    from kerjasama_cli.authoring import Refused
    from kerjasama_cli.errors import UsageError, system_reason
    from kerjasama_cli.render import writes as out
    from kerjasama_cli.storage import find_data_dir

    folder = find_data_dir(data_dir)
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
    try:
        argv = shlex.split(command)
    except ValueError:
        argv = []
    if not argv:
        raise UsageError(_("set VISUAL or EDITOR to the command of your editor (e.g. EDITOR=nano)"))
    session = editing.start(folder, record_id, use_cache=not no_cache)
    shown = session.original
    refused_before: set[str] = set()  # the texts refused so far, to see the editor change them
    done = False
    try:
        while True:
            try:
                code = _run_editor([*argv, str(session.work)])
            except OSError as exc:
                raise UsageError(
                    _("cannot run the editor {editor!r} ({reason})").format(
                        editor=argv[0], reason=system_reason(exc)
                    )
                ) from None
            edited = session.work.read_text(encoding="utf-8", errors="surrogateescape")
            body = editing.strip_findings(edited)
            if code != 0 or edited == shown:
                if body == session.original:
                    done = True
                    session.discard()
                    if code:
                        said = _("the editor exited with status {code}; nothing was written")
                    else:
                        said = _("no change; nothing was written")
                    out.render_message(said.format(code=code))
                    if code:
                        raise typer.Exit(1)
                    return
                kept = session.keep(body)
                done = True
                if code:
                    said = _(
                        "the editor exited with status {code}: nothing was written; your text "
                        "is kept in {path}"
                    )
                else:
                    said = _("left unchanged: nothing was written; your text is kept in {path}")
                raise Refused(said.format(code=code, path=kept))
            try:
                changed = editing.commit(session, body, folder)
            except Refused as refused:
                out.render_findings(refused.findings)
                if (
                    not refused.findings
                    or body in refused_before
                    or len(refused_before) >= MAX_ROUNDS
                ):
                    # Editing again would not help: nothing in the text to mend, or a text
                    # refused before (an editor run by a script writes what it wrote before),
                    # or round after round of refusals, which would open the editor for ever.
                    kept = session.keep(body)
                    done = True
                    raise Refused(
                        _("{message}; your text is kept in {path}").format(
                            message=refused, path=kept
                        )
                    ) from None
                out.render_message(_("{message}; opening the editor again").format(message=refused))
                refused_before.add(body)
                shown = editing.with_findings(body, refused.findings)
                session.keep(shown)
                continue
            done = True
            session.discard()
            out.render_changed(changed.path, "changed", changed.moved_from, changed.warnings)
            return
    finally:
        if not done:  # a failure on the way: a changed text is kept all the same
            text = session.work.read_text(encoding="utf-8", errors="surrogateescape")
            body = editing.strip_findings(text)
            if body == session.original:
                session.discard()
            else:
                kept = session.keep(body)
                out.render_message(_("your text is kept in {path}").format(path=kept))


# Refused texts after which `edit` stops opening the editor again (a script writing a new
# broken text each time would otherwise go on for ever); a person mends a record sooner.
MAX_ROUNDS = 20


def register(app: typer.Typer) -> None:
    app.command(
        help=N_(
            "Edit a record in $VISUAL, else $EDITOR; check it, and write it when it is valid.\n\n"
            "A refused text opens again with the findings written at its top as YAML comments "
            "(removed before writing). An editor that exits non-zero, or a text left "
            "unchanged, writes nothing; your text is never lost: when you give up it stays in "
            "a file whose path is printed. The file moves to the folder its signed_on asks "
            "for; the id never changes."
        ),
    )(edit)


def _run_editor(argv: list[str]) -> int:
    """Run the editor and wait for it, not hearing Ctrl-C meanwhile (as git does): an editor
    in line mode (ed) takes Ctrl-C for itself and goes on, and the command killed it, with
    the change not yet saved. The editor itself keeps the default action (it decides)."""
    import signal
    import subprocess

    editor = subprocess.Popen(argv)
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        return editor.wait()
    try:
        return editor.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
