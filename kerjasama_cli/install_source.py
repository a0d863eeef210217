"""Where a registry's hook and workflow get kerjasama from (`kerjasama init --install SPEC`).

Without a SPEC, the pre-commit hook runs the kerjasama its user has installed (pre-commit's
``language: system``: nothing to download, so it works before any release is published), and
the workflow installs kerjasama from where the running one came from when pip recorded a
source a runner can reach (a git URL: ``pip install git+https://...@v0.1.0``, PEP 610); else
it leaves ``KERJASAMA_INSTALL`` empty, and until someone writes one there its first step
fails saying so. A SPEC is what pip installs: a package name or requirement (``kerjasama``,
``kerjasama==0.1.0``), a URL (``git+https://...@v0.1.0``), or a wheel file committed in the
registry (its path, inside the registry folder). The workflow installs the SPEC; the hook
installs it too (``language: python``), except a wheel in the repository, which pre-commit
cannot install from its own folder: then the hook stays ``system``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kerjasama_cli.errors import UsageError
from kerjasama_cli.i18n import _

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_BAD = re.compile(r"[\x00-\x1f\x7f\"'`$\\]")


def default_spec() -> str | None:
    """Where the running kerjasama was installed from, when a runner can install it from there
    too: a version control URL pip recorded (PEP 610's direct_url.json), at the revision
    asked for, else at the commit installed. None otherwise (a local clone, a wheel file)."""
    from importlib import metadata

    try:
        raw = metadata.distribution("kerjasama").read_text("direct_url.json")
        recorded = json.loads(raw) if raw else None
    except (metadata.PackageNotFoundError, ValueError, OSError):
        return None
    if not isinstance(recorded, dict) or not isinstance(recorded.get("vcs_info"), dict):
        return None
    url, vcs = recorded.get("url"), recorded["vcs_info"]
    revision = vcs.get("requested_revision") or vcs.get("commit_id")
    if vcs.get("vcs") != "git" or not isinstance(url, str) or not _URL.match(url):
        return None
    spec = f"git+{url}" + (f"@{revision}" if isinstance(revision, str) and revision else "")
    return None if _BAD.search(spec) else spec


@dataclass(frozen=True, slots=True)
class InstallSource:
    """What the workflow installs, and whether the pre-commit hook installs it as well."""

    spec: str | None  # for pip, as the workflow runs it; None: not known (left empty)
    hook_installs: bool  # the hook is language: python with the spec as its dependency
    given: bool  # from --install (else the default)

    @property
    def is_wheel_in_repository(self) -> bool:
        return self.spec is not None and self.spec.startswith("./") and self.spec.endswith(".whl")


def install_source(spec: str | None, root: Path) -> InstallSource:
    """Classify ``--install SPEC`` (None: the default); UsageError for what cannot work."""
    if spec is None:
        return InstallSource(default_spec(), hook_installs=False, given=False)
    spec = spec.strip()
    if not spec or _BAD.search(spec):
        raise UsageError(
            _(
                "--install {spec!r}: expected a package name, a URL or a wheel file, "
                "without quotes, backslashes, '$' or control characters"
            ).format(spec=spec)
        )
    if spec.endswith(".whl") and not _URL.match(spec):
        return InstallSource(_wheel_in(root, spec), hook_installs=False, given=True)
    return InstallSource(spec, hook_installs=True, given=True)


def _wheel_in(root: Path, spec: str) -> str:
    """A wheel path as the workflow installs it: ``./`` and the path inside the repository.

    A relative path is the wheel's path inside the registry folder (``init DIR --install
    wheels/x.whl``, as the README says) or, when no such file is there, relative to the
    current folder, as other paths on the command line are (``--install DIR/wheels/x.whl``)."""
    path = Path(spec)
    if not path.is_absolute() and (root / path).is_file():
        path = root / path
    try:
        inside = path.resolve().relative_to(root.resolve())
    except ValueError:
        raise UsageError(
            _(
                "--install {spec}: the wheel must be inside the registry folder {root} (the "
                "workflow installs it from the checked-out repository); copy it there and give "
                "its path"
            ).format(spec=spec, root=root)
        ) from None
    if not path.is_file():
        raise UsageError(
            _("--install {spec}: no such wheel file in {root}").format(spec=spec, root=root)
        )
    return "./" + PurePosixPath(*inside.parts).as_posix()
