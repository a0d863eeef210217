"""Settings read from the environment, checked: a bad value is a usage error, never a crash.

``str.isdigit`` and ``int`` accept more than ASCII digits (``"²".isdigit()`` is true, and
``int("²")`` then fails; ``int("٣")`` is 3): a number given in the environment is ASCII digits
only, or it is refused with a message naming the variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from kerjasama_cli.errors import UsageError
from kerjasama_cli.i18n import _

JOBS_ENV = "KERJASAMA_JOBS"
_ASCII_NUMBER = re.compile(r"[0-9]+")
# Read by Rich as a terminal's size, with ``isdigit`` and ``int``.
_SIZE_VARIABLES = ("COLUMNS", "LINES", "JUPYTER_COLUMNS", "JUPYTER_LINES")


def is_ascii_number(text: str) -> bool:
    """Whether ``text`` is a whole number written with the digits 0-9 (nothing else)."""
    return _ASCII_NUMBER.fullmatch(text) is not None


def whole_number(name: str, *, minimum: int = 0) -> int | None:
    """``$name`` as a whole number of at least ``minimum``, None when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not is_ascii_number(value) or int(value) < minimum:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise UsageError(
            _(
                "{name}: expected a whole number of at least {minimum} (digits 0-9); "
                "found {shown!r}"
            ).format(name=name, minimum=minimum, shown=shown)
        )
    return int(value)


def jobs() -> int | None:
    """``$KERJASAMA_JOBS``: how many processes parse records (None: decide by the count)."""
    return whole_number(JOBS_ENV, minimum=1)


def terminal_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for Rich without terminal sizes it would fail to read (``COLUMNS=²``):
    such a value is ignored, as an unset one is."""
    env = dict(os.environ if environ is None else environ)
    for name in _SIZE_VARIABLES:
        value = env.get(name)
        if value is not None and not is_ascii_number(value):
            del env[name]
    return env
