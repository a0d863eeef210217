"""Per-registry defaults: ``kerjasama.toml`` or ``[tool.kerjasama]`` in ``pyproject.toml``.

Looked up next to the records, never in the user's home: first in the data folder, then in its
parent (the repository root when the data folder is ``<repo>/data``). In each folder
``kerjasama.toml`` (keys at the top level) wins over ``pyproject.toml`` (keys under
``[tool.kerjasama]``; a pyproject.toml without that table does not count). The first file found
is the configuration; files are not merged. Command-line flags override it.

    select = ["KS"]          # rules to report (codes or prefixes); default: all
    ignore = ["KS904"]       # rules never to report
    expiry_window = 90       # days before ends_on that count as akan_berakhir
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerjasama_cli.errors import UsageError
from kerjasama_cli.rule_selection import RuleSelection, parse_codes
from kerjasama_cli.status import DEFAULT_WINDOW_DAYS

CONFIG_FILE = "kerjasama.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("select", "ignore", "expiry_window")


class ConfigError(UsageError):
    """A configuration file cannot be read or holds an unknown key or a wrong value."""


@dataclass(frozen=True, slots=True)
class Config:
    """The defaults in force for one registry; ``path`` is the file they came from, if any."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    expiry_window: int = DEFAULT_WINDOW_DAYS

    def rules(
        self, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] | None = None
    ) -> RuleSelection:
        """The rule selection with command-line values (when given) replacing configured ones."""
        return RuleSelection(
            self.select if select is None else select, self.ignore if ignore is None else ignore
        )


def find_config(data_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """The configuration file for ``data_dir`` and its kerjasama table, or None."""
    for folder in (data_dir, data_dir.resolve().parent):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("kerjasama")
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{pyproject}: [tool.kerjasama] must be a table")
                return pyproject, table
    return None


def load_config(data_dir: Path) -> Config:
    """The configuration for the registry at ``data_dir`` (defaults when there is no file)."""
    found = find_config(data_dir)
    if found is None:
        return Config()
    path, table = found
    where = f"{path}" if path.name == CONFIG_FILE else f"{path} [tool.kerjasama]"
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; expected {', '.join(KEYS)}"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
    select = table.get("select")
    window = table.get("expiry_window", DEFAULT_WINDOW_DAYS)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ConfigError(
            f"{where}: expiry_window must be a whole number of days (0 or more); found {window!r}"
        )
    return Config(
        path=path,
        select=None if select is None else _codes(select, f"{where}: select"),
        ignore=_codes(table.get("ignore", []), f"{where}: ignore"),
        expiry_window=window,
    )


def _codes(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return parse_codes([value], where)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return parse_codes(value, where)
    raise ConfigError(f'{where} must be a list of rule codes (e.g. ["KS904"]); found {value!r}')


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
