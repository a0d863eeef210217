"""Cold `validate` of a corpus by two checkouts of kerjasama, interleaved, in CPU seconds.

    python bench/compare.py OLD_TREE NEW_TREE [--corpus bench/corpus/10000] [--runs 5]

Each run is one process (KERJASAMA_JOBS=1, an empty cache folder) importing kerjasama_cli
from the given tree; the runs of the two trees alternate, so that whatever else the machine
does falls on both alike. CPU time (user + system) is steadier than wall time on a shared
machine. Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def cpu_seconds(tree: Path, corpus: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": str(tree), "KERJASAMA_JOBS": "1"}
        env["KERJASAMA_CACHE_DIR"] = cache
        subprocess.run(
            [sys.executable, "-m", "kerjasama_cli", "validate", "--data-dir", str(corpus)],
            cwd=tree,
            env=env,
            capture_output=True,
            check=False,
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("bench/corpus/10000"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(args.runs):
        for name in ("old", "new"):
            seconds = cpu_seconds(getattr(args, name).resolve(), args.corpus.resolve())
            times[name].append(seconds)
            print(f"{name} {seconds:.2f} s")
    old, new = (statistics.median(times[n]) for n in ("old", "new"))
    print(f"median: old {old:.2f} s, new {new:.2f} s, new/old {new / old:.3f}")


if __name__ == "__main__":
    main()
