"""Shell completion of region names and record ids (Typer's `--install-completion`).

Typer keeps only the candidates that start with exactly what was typed, so a candidate follows
the case of the typing (``muara`` completes to ``muara enim``; names resolve in any case).
Bash inserts candidates unquoted, so there a space in a name becomes a hyphen (``Muara-Enim``),
which resolves the same way. A name shared by several regions (``Bekasi``) completes to the
official names, which are not ambiguous. Completion never fails: on any problem it offers
nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

Candidate = tuple[str, str]


def _shape(name: str, incomplete: str) -> str | None:
    """``name`` as a candidate for ``incomplete``, or None if it does not continue it."""
    if os.environ.get("COMP_WORDS") is not None:  # bash (Typer's bash script sets it)
        name = name.replace(" ", "-")
    if incomplete and incomplete.islower():
        name = name.lower()
    if name.startswith(incomplete):
        return name
    if name.casefold().startswith(incomplete.casefold()):
        return incomplete + name[len(incomplete) :]
    return None


def region_candidates(incomplete: str, *, parties_only: bool = True) -> list[Candidate]:
    """Names, official names, aliases or codes that continue ``incomplete``, described."""
    from kerjasama_cli.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    regions = [r for r in gazetteer.regions if r.can_be_party or not parties_only]
    if incomplete[:1].isdigit():
        return [(r.code, r.official_name) for r in regions if r.code.startswith(incomplete)]
    counts: dict[str, int] = {}
    for region in regions:
        counts[region.name] = counts.get(region.name, 0) + 1
    out: list[Candidate] = []
    seen: set[str] = set()
    for region in sorted(regions, key=lambda r: (r.name, r.code)):
        described = f"{region.official_name} ({region.code})"
        names = [region.official_name] if counts[region.name] > 1 else [region.name]
        if region.official_name not in names:
            names.append(region.official_name)  # "Kabupaten Mu..." completes too
        for name in names:
            value = _shape(name, incomplete)
            if value is not None and value not in seen:
                seen.add(value)
                out.append((value, described))
                break
    allowed = {r.code for r in regions}
    for alias, codes in gazetteer.aliases:  # Jabar, Sumsel, Kotim, DKI Jakarta, ...
        if len(codes) == 1 and codes[0] in allowed:
            value = _shape(alias, incomplete)
            if value is not None and value not in seen:
                seen.add(value)
                region = gazetteer.by_code[codes[0]]
                out.append((value, f"{region.official_name} ({region.code})"))
    return out


def complete_region(incomplete: str) -> list[Candidate]:
    """Regions that can be parties (for --region, --within)."""
    try:
        return region_candidates(incomplete)
    except Exception:  # completion must never print a traceback into the shell
        return []


def complete_any_region(incomplete: str) -> list[Candidate]:
    """Every region of the gazetteer (for `regions`)."""
    try:
        return region_candidates(incomplete, parties_only=False)
    except Exception:
        return []


def complete_record_id(ctx: Any, incomplete: str) -> list[str]:
    """Record ids (file names) in the data folder given so far, or the default one."""
    try:
        from kerjasama_cli.storage import find_data_dir, iter_record_paths

        explicit = ctx.params.get("data_dir") if ctx is not None else None
        folder = find_data_dir(Path(explicit) if explicit else None, settle_imports=False)
        paths, _ = iter_record_paths(folder)
        return sorted({p.stem for p in paths if p.stem.startswith(incomplete)})
    except Exception:
        return []
