"""Run a fixed battery of commands on registries and keep every output, to prove a change
left what users see as it was.

    python bench/outputs.py OUT_DIR [--corpus bench/corpus/10000] [--no-cache]

writes one file per command (stdout, stderr and exit code) under ``OUT_DIR``. Run it before
and after a change (or with and without ``--no-cache``) and compare with ``diff -r``. The
registries are the bundled ``data/``, a copy of it with every invalid example of
``tests/examples/invalid`` added (broken files among good ones), the registry of
``tests/fixture_registry.py`` (every status, every kind of link) and, when given, a generated
corpus. Dates are pinned with ``--as-of`` so that a later day gives the same outputs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = ["2025-06-01", "2026-11-23", "2030-01-01"]


def battery(ids: list[str], region: str) -> list[list[str]]:
    """The commands to run on one registry (without --data-dir)."""
    out: list[list[str]] = [
        ["validate"],
        ["validate", "--format", "json"],
        ["validate", "--format", "github"],
        ["validate", "--strict"],
        ["regions", "Bekasi", "Muara Enim", "Muara Enimm"],
        ["regions", "--format", "json", "Bekasi"],
        ["fmt", "--check"],
        ["schema"],
    ]
    for as_of in AS_OF:
        when = ["--as-of", as_of]
        out += [
            ["list", *when],
            ["list", "--format", "json", *when],
            ["list", "--format", "csv", *when],
            ["list", "--format", "ids", "--sort", "title", *when],
            ["list", "--region", region, *when],
            ["list", "--within", "Jawa Barat", "--format", "json", *when],
            ["list", "--status", "aktif", "--status", "draf", *when],
            ["list", "--search", "pendidikan", *when],
            ["list", "--expiring-within", "400", "--format", "json", *when],
            ["summarise", *when],
            ["summarise", "--format", "json", *when],
            ["summarise", "--format", "markdown", *when],
            ["summarise", "--format", "html", *when],
            ["summarise", "--region", region, "--format", "json", *when],
            ["summarise", "--by", "year,category", "--format", "json", *when],
            ["summarise", "--by", "region", "--format", "csv", *when],
            ["summarise", "--by", "province,status", *when],
            ["summarise", "--by", "sector,party_kind", "--format", "json", *when],
            ["export", "--format", "csv", *when],
            ["export", "--format", "json", *when],
        ]
    for record_id in ids:
        out += [
            ["show", record_id, "--as-of", AS_OF[1]],
            ["show", record_id, "--format", "json", "--as-of", AS_OF[1]],
            ["show", record_id, "--format", "yaml"],
        ]
    out.append(["show", "no-such-id"])
    return out


def _name(args: list[str]) -> str:
    text = " ".join(args)
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    safe = "".join(c if c.isalnum() else "_" for c in text)[:80]
    return f"{safe}-{digest}"


def run_all(registry: Path, out: Path, extra: list[str], ids: list[str], region: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    for args in battery(ids, region):
        done = subprocess.run(
            [sys.executable, "-m", "kerjasama_cli", *args, "--data-dir", registry.name, *extra],
            capture_output=True,
            env=env,
            cwd=registry.parent,
            check=False,
        )
        text = b"$ kerjasama " + " ".join(args).encode() + b"\n"
        text += b"exit " + str(done.returncode).encode() + b"\n--- stdout\n" + done.stdout
        text += b"\n--- stderr\n" + done.stderr
        (out / _name(args)).write_bytes(text)


def _ids(registry: Path, limit: int) -> list[str]:
    files = sorted((registry / "agreements").rglob("*.yaml"))
    return [f.stem for f in files[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, action="append", default=[])
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    extra = ["--no-cache"] if args.no_cache else []
    sys.path.insert(0, str(ROOT))
    from tests.fixture_registry import write_fixture_registry

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ.setdefault("KERJASAMA_CACHE_DIR", str(work / "cache"))
        bundled = work / "bundled" / "data"
        shutil.copytree(ROOT / "data", bundled)
        broken = work / "broken" / "data"
        shutil.copytree(ROOT / "data", broken)
        for example in sorted((ROOT / "tests" / "examples" / "invalid").iterdir()):
            if example.suffix != ".expect":
                shutil.copyfile(example, broken / "agreements" / f"{example.stem}.yaml")
        fixture = work / "fixture" / "data"
        (fixture / "agreements").mkdir(parents=True)
        write_fixture_registry(fixture)
        sets = [
            ("bundled", bundled, 20, "Muara Enim"),
            ("broken", broken, 5, "Muara Enim"),
            ("fixture", fixture, 20, "Muara Enim"),
        ]
        for corpus in args.corpus:
            copy = work / corpus.name / "data"
            shutil.copytree(corpus, copy)
            sets.append((f"corpus-{corpus.name}", copy, 3, "Bandung"))
        for name, registry, limit, region in sets:
            run_all(registry, args.out / name, extra, _ids(registry, limit), region)
            # A second run is served from the cache: it must say the same.
            if not args.no_cache:
                run_all(registry, args.out / f"{name}-warm", extra, _ids(registry, limit), region)


if __name__ == "__main__":
    main()
