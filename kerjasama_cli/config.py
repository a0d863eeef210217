"""Per-registry defaults: ``kerjasama.toml`` or ``[tool.kerjasama]`` in ``pyproject.toml``.

Looked up next to the records, never in the user's home: first in the data folder, then in its
parent (the repository root when the data folder is ``<repo>/data``). In each folder
``kerjasama.toml`` (keys at the top level) wins over ``pyproject.toml`` (keys under
``[tool.kerjasama]``; a pyproject.toml without that table does not count). The first file found
is the configuration; files are not merged. Command-line flags override it.

    select = ["KS"]          # rules to report (codes or prefixes); default: all
    ignore = ["KS904"]       # rules never to report
    expiry_window = 90       # days before ends_on that count as akan_berakhir
    lang = "id"              # language of messages and reports: "id" or "en"
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerjasama_cli.errors import UsageError, system_reason
from kerjasama_cli.i18n import LANGUAGES, _
from kerjasama_cli.rule_selection import RuleSelection, parse_codes
from kerjasama_cli.status import DEFAULT_WINDOW_DAYS
from kerjasama_cli.storage.files import printable

CONFIG_FILE = "kerjasama.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("select", "ignore", "expiry_window", "lang")
# A configuration is a few lines: a larger or deeper file is not one (and tomllib parses
# nesting by recursion).
MAX_CONFIG_BYTES = 1 << 20
MAX_CONFIG_NESTING = 32


class ConfigError(UsageError):
    """A configuration file cannot be read or holds an unknown key or a wrong value."""


@dataclass(frozen=True, slots=True)
class Config:
    """The defaults in force for one registry; ``path`` is the file they came from, if any."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    expiry_window: int = DEFAULT_WINDOW_DAYS
    lang: str | None = None

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
                    raise ConfigError(
                        _("{path}: [tool.kerjasama] must be a table").format(path=pyproject)
                    )
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
            if close:
                raise ConfigError(
                    _("{where}: unknown key {key!r}; did you mean {close!r}?").format(
                        where=where, key=key, close=close[0]
                    )
                )
            raise ConfigError(
                _("{where}: unknown key {key!r}; expected {keys}").format(
                    where=where, key=key, keys=", ".join(KEYS)
                )
            )
    select = table.get("select")
    window = table.get("expiry_window", DEFAULT_WINDOW_DAYS)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ConfigError(
            _(
                "{where}: expiry_window must be a whole number of days (0 or more); found {value!r}"
            ).format(where=where, value=window)
        )
    lang = table.get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(
            _('{where}: lang must be "id" or "en"; found {value!r}').format(where=where, value=lang)
        )
    return Config(
        path=path,
        select=None if select is None else _codes(select, f"{where}: select"),
        ignore=_codes(table.get("ignore", []), f"{where}: ignore"),
        expiry_window=window,
        lang=lang,
    )


def _codes(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return parse_codes([value], where)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return parse_codes(value, where)
    raise ConfigError(
        _('{where} must be a list of rule codes (e.g. ["KS904"]); found {value!r}').format(
            where=where, value=value
        )
    )


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML; ConfigError (a usage error) for anything that is not small UTF-8 TOML.

    tomllib decodes strictly (a UnicodeDecodeError, not a TOMLDecodeError) and parses nested
    arrays and inline tables by recursion (a RecursionError a few thousand levels down), so
    the text is decoded here and its nesting bounded before tomllib sees it.
    """
    shown = printable(str(path))
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(
            _("{path}: cannot be read: {reason}").format(path=shown, reason=system_reason(exc))
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            _("{path}: larger than {size:,} bytes; not a configuration").format(
                path=shown, size=MAX_CONFIG_BYTES
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            _(
                "{path}: not UTF-8 text (byte 0x{byte:02x} at offset {offset}); "
                "TOML files are UTF-8"
            ).format(path=shown, byte=raw[exc.start], offset=exc.start)
        ) from None
    if _nesting(text) > MAX_CONFIG_NESTING:
        raise ConfigError(
            _(
                "{path}: arrays or tables nested more than {depth} levels deep; not a configuration"
            ).format(path=shown, depth=MAX_CONFIG_NESTING)
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("{path}: not valid TOML: {reason}").format(path=shown, reason=exc)
        ) from None
    except RecursionError:  # pragma: no cover - _nesting stops this first
        raise ConfigError(
            _("{path}: nested too deep; not a configuration").format(path=shown)
        ) from None


def _nesting(text: str) -> int:
    """An upper bound of the depth of ``[``/``{`` nesting (brackets in strings count too)."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}" and depth:
            depth -= 1
    return deepest
