"""Small commands of two checkouts, alternated: median wall and CPU time of each side.

    python bench/ab_small.py OLD_CHECKOUT NEW_CHECKOUT RUNS "list|--data-dir|data" "--version"

Each command is given with its arguments separated by ``|``. Each checkout runs its own code
(``python -m kerjasama_cli`` from its folder) with a cache folder of its own, without
``PYTHONDONTWRITEBYTECODE`` (as an installation runs). For start-up costs, which are too small
for ``ab_warm.py``'s wall times alone: CPU time varies less on a shared machine.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(checkout: Path, cache: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    env = dict(os.environ, KERJASAMA_CACHE_DIR=str(cache), NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kerjasama_cli", *args],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    old, new = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    runs = int(sys.argv[3])
    with tempfile.TemporaryDirectory() as scratch:
        caches = {old: Path(scratch) / "old", new: Path(scratch) / "new"}
        for command in sys.argv[4:]:
            args = command.split("|")
            times: dict[Path, list[tuple[float, float]]] = {old: [], new: []}
            for i in range(runs):
                for side in (old, new) if i % 2 == 0 else (new, old):
                    times[side].append(_run(side, caches[side], args))
            print(" ".join(args))
            for side, label in ((old, "old"), (new, "new")):
                walls = [w for w, _ in times[side]]
                cpus = [c for _, c in times[side]]
                print(
                    f"  {label}  wall {statistics.median(walls):.3f} s  "
                    f"cpu {statistics.median(cpus):.3f} s (least {min(cpus):.3f} s)"
                )


if __name__ == "__main__":
    main()
