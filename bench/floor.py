"""The floor under every warm command: what listing the record folders and taking one `lstat`
per file costs on this machine, in a bare Python, beside kerjasama's own start-up.

    python bench/floor.py [--corpus bench/corpus/100000] [--repeat 5]

The index's guarantee (any edited file is read again, found by its stat) needs that `lstat`
of every file; so a warm `list` cannot be faster than the two lines this prints, added.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Run with `python -S`: no site packages, nothing imported but os. The walk is the scan's:
# each folder listed and sorted, each name's lstat taken relative to its folder.
BARE = r"""
import os, sys
def walk(top):
    names = sorted(os.listdir(top))
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        stats = [os.lstat(name, dir_fd=fd) for name in names]
    finally:
        os.close(fd)
    count = 0
    for name, st in zip(names, stats):
        if (st.st_mode & 0o170000) == 0o040000:
            count += walk(os.path.join(top, name))
        else:
            count += 1
    return count
print(walk(sys.argv[1]))
"""


def _wall(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("bench/corpus/100000"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = str((args.corpus / "agreements").resolve())
    script = Path(sys.executable).parent / "kerjasama"
    kerjasama = [str(script)] if script.exists() else [sys.executable, "-m", "kerjasama_cli"]
    _wall([sys.executable, "-S", "-c", BARE, folder])  # the file system's caches warm
    bare = [_wall([sys.executable, "-S", "-c", BARE, folder]) for _ in range(args.repeat)]
    start = [_wall([*kerjasama, "--version"])[0] for _ in range(args.repeat)]
    files = bare[0][1]
    times = [t for t, _ in bare]
    print(
        f"listing and lstat of {files} files, bare python -S: median "
        f"{statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f})"
    )
    print(
        f"kerjasama --version (start-up): median {statistics.median(start):.2f} s "
        f"({min(start):.2f}-{max(start):.2f})"
    )


if __name__ == "__main__":
    main()
