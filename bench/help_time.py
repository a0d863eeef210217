"""`--help` in each language: the start-up a user waits for before reading anything.

    python bench/help_time.py [--repeat 9]

Each run is a fresh process (as installed: bytecode compiled once), stdout piped; prints the
median and best wall time and the median CPU time of `kerjasama --help` and `kerjasama list --help`, in English and in
Bahasa Indonesia (KERJASAMA_LANG=id), against the 0.35 s target of issue 18.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "kerjasama"
    ks = [str(script)] if script.exists() else [sys.executable, "-m", "kerjasama_cli"]
    env = dict(os.environ, NO_COLOR="1", KERJASAMA_CACHE_DIR=tempfile.mkdtemp())
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    import kerjasama_cli

    package = str(Path(kerjasama_cli.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, env=env)
    print("| command | language | median wall | best wall | median cpu | target ≤ 0.35 s |")
    print("|---|---|---|---|---|---|")
    for command in (["--help"], ["list", "--help"]):
        for lang in ("en", "id"):
            run_env = dict(env, KERJASAMA_LANG=lang)
            runs = [measure([*ks, *command], env=run_env) for _ in range(args.repeat)]
            walls = [r.wall for r in runs]
            middle = statistics.median(walls)
            cpu = statistics.median(r.cpu for r in runs)
            met = "yes" if middle <= 0.35 else "NO"
            name = " ".join(["kerjasama", *command])
            print(
                f"| `{name}` | {lang} | {middle:.3f} s | {min(walls):.3f} s | {cpu:.3f} s | {met} |"
            )


if __name__ == "__main__":
    main()
