"""Warm commands of two checkouts, alternated (old, new, old, new, ...): a change's cost
when the machine's speed drifts during the evening.

    python bench/ab_warm.py OLD_CHECKOUT NEW_CHECKOUT [--corpus bench/corpus/100000]

Each checkout runs its own code (``python -m kerjasama_cli`` from its folder) with a cache
folder of its own, filled first by one ``validate``; then each command runs ``--repeat``
times on each side, alternated, and the medians are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = (
    ("summarise",),
    ("summarise", "--by", "province,year"),
    ("list", "--region", "Muara Enim"),
    ("validate",),
    ("list", "--search", "jalan"),
    ("export", "--format", "csv", "-o", "{cache}/export.csv"),  # each side into its own folder
)


def _run(checkout: Path, cache: Path, corpus: Path, args: tuple[str, ...]) -> float:
    env = dict(os.environ, KERJASAMA_CACHE_DIR=str(cache), NO_COLOR="1")
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kerjasama_cli",
            *(a.format(cache=cache) for a in args),
            "--data-dir",
            str(corpus),
        ],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("bench/corpus/100000"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    sides = {name: (path.resolve(), Path(tempfile.mkdtemp(prefix=f"ab-{name}-")))
             for name, path in (("old", args.old), ("new", args.new))}  # fmt: skip
    for name, (checkout, cache) in sides.items():
        print(f"filling the index, {name}: {_run(checkout, cache, corpus, ('validate',)):.1f} s")
    for command in COMMANDS:
        times: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.repeat):
            for name, (checkout, cache) in sides.items():
                times[name].append(_run(checkout, cache, corpus, command))
        shown = " ".join(command)
        medians = ", ".join(f"{n} {statistics.median(t):.2f} s" for n, t in times.items())
        print(f"{shown}: {medians}")


if __name__ == "__main__":
    main()
