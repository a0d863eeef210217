"""Old code against new, warm, alternating on one corpus: the fair comparison on a busy machine.

    git archive 483c799 | tar -x -C /tmp/before       # the code before, anywhere outside
    python bench/sidebyside.py /tmp/before [--corpus bench/corpus/10000] [--repeat 3]

Each command runs first with ``PYTHONPATH`` on the old tree (from a neutral folder, so that
the working tree's own package is not found first), then with the installed one, each with its
own cache folder (filled by a first, unmeasured run); wall, CPU and peak memory as in run.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import Run, measure  # noqa: E402

CASES = (
    ["summarise"],
    ["summarise", "--by", "province,year"],
    ["list", "--region", "Muara Enim"],
    ["list", "--search", "jalan"],
    ["export", "--format", "csv"],
    ["validate"],
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="a tree of the older code")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus" / "10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    neutral = Path(tempfile.mkdtemp(prefix="kerjasama-side-"))
    base = dict(os.environ, NO_COLOR="1")
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    envs = {
        "before": dict(
            base, PYTHONPATH=str(args.before), KERJASAMA_CACHE_DIR=str(neutral / "before")
        ),
        "after": dict(base, KERJASAMA_CACHE_DIR=str(neutral / "after")),
    }
    data = ["--data-dir", str(args.corpus.resolve())]
    ks = [sys.executable, "-m", "kerjasama_cli"]
    for env in envs.values():  # fill each cache
        subprocess.run([*ks, "validate", *data], cwd=neutral, env=env, capture_output=True)
    print("load", os.getloadavg())
    for command in CASES:
        parts = []
        for name, env in envs.items():
            runs: list[Run] = [
                measure([*ks, *command, *data], cwd=neutral, env=env) for _ in range(args.repeat)
            ]
            wall = statistics.median(r.wall for r in runs)
            cpu = min(r.cpu for r in runs)
            peak = max(r.peak_mb for r in runs)
            parts.append(f"{name} {wall:.2f} s (cpu {cpu:.2f} s, {peak:.0f} MB)")
        print(f"{' '.join(command)}: " + " | ".join(parts), flush=True)
    print("load", os.getloadavg())


if __name__ == "__main__":
    main()
