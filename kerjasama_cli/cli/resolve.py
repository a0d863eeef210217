"""Resolving --region/--within values, which must name exactly one region (else exit 2)."""

from __future__ import annotations

from kerjasama_cli.errors import RegionLookupError
from kerjasama_cli.gazetteer import Region, load_gazetteer


def resolve_region(value: str, option: str) -> Region:
    """The one region ``value`` names, or a usage error listing candidates or suggestions."""
    resolution = load_gazetteer().resolve(value)
    if resolution.region is None:
        raise RegionLookupError(f"{option}: {resolution.describe_problem()}")
    return resolution.region
