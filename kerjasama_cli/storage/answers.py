"""The answers of an interactive `add` that was refused, kept for `kerjasama add --resume`.

One file per data folder, under the cache folder (``$KERJASAMA_CACHE_DIR/answers/``), private
to the user (0600), written atomically; dates are kept as ``YYYY-MM-DD`` text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kerjasama_cli.storage.cache import cache_root
from kerjasama_cli.storage.writing import atomic_file


def answers_path(data_dir: Path) -> Path:
    """Where the kept answers of ``data_dir`` live."""
    key = hashlib.sha256(os.fsencode(str(data_dir.resolve()))).hexdigest()[:24]
    return cache_root() / "answers" / f"{key}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def save_answers(data_dir: Path, answers: dict[str, Any]) -> Path:
    """Keep ``answers`` (replacing answers kept before); their path."""
    path = answers_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with atomic_file(path, mode=0o600) as tmp:
        tmp.write_text(json.dumps(_plain(answers), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_answers(data_dir: Path) -> dict[str, Any] | None:
    """The answers kept for ``data_dir``, or None (none kept, or not readable as answers)."""
    try:
        loaded = json.loads(answers_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def forget_answers(data_dir: Path) -> None:
    answers_path(data_dir).unlink(missing_ok=True)
