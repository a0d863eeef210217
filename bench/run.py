"""Measure the performance targets of issue 7, side by side with check-jsonschema and yamllint.

    python bench/run.py                  # 10k and 100k records (generates missing corpora)
    python bench/run.py --quick          # 10k only
    python bench/run.py --repeat 3       # best of 3 for the slow runs too
    python bench/run.py --summarise      # also `summarise` warm (not a target of issue 7)

Run it with the Python of the environment where kerjasama is installed. check-jsonschema and
yamllint are not dependencies of kerjasama: they live in their own environment, by default
bench/tools/venv (see bench/README.md); pass --tools DIR for another one. Every command runs in
its own process, with stdout piped; wall time is measured around the process, CPU time and peak
memory come from the kernel (wait4). "cold" means --no-cache (every file parsed); "warm" means
a run after one that filled the cache. The quick targets are judged on the median of their
runs, not the best one. The machine's load is printed, since other work on it slows every
figure.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_corpus import generate  # noqa: E402

REGION = "Muara Enim"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int


def measure(command: list[str], *, cwd: Path | None = None, env: dict[str, str]) -> Run:
    """Run ``command`` once; wall time, CPU time (with its children) and peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / (1024 if sys.platform != "darwin" else 1024 * 1024)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, process.returncode)


def best(command: list[str], times: int, **kwargs: object) -> tuple[Run, list[float]]:
    runs = [measure(command, **kwargs) for _ in range(times)]  # type: ignore[arg-type]
    return min(runs, key=lambda r: r.wall), [r.wall for r in runs]


def corpus(count: int) -> Path:
    folder = HERE / "corpus" / str(count)
    if not (folder / "agreements").is_dir():
        print(f"generating {count} records in {folder} ...", file=sys.stderr)
        generate(count, folder)
    return folder


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def index_targets(
    ks: list[str],
    data: list[str],
    label: str,
    cache: Path,
    repeat: int,
    env: dict[str, str],
    row: Any,
) -> None:
    """Issue 15's targets, warm, each judged on the median of ``repeat`` runs, with the same
    questions asked of the exported database with plain ``sqlite3`` beside them."""
    database = cache / "export.db"
    subprocess.run([*ks, "export", *data, "-o", str(database)], check=True, env=env)
    sqlite = shutil.which("sqlite3")
    references = {
        "year": "SELECT year, COUNT(*) FROM agreements GROUP BY year",
        "province,year": "SELECT * FROM agreements_per_province_year",
        "region": (
            "SELECT id FROM agreements WHERE id IN (SELECT agreement_id FROM parties "
            "WHERE region_code = '16.03') ORDER BY signed_on DESC"
        ),
        "search": "SELECT rowid FROM agreements_fts WHERE agreements_fts MATCH 'jalan'",
    }

    def reference(name: str) -> str:
        if sqlite is None:
            return "sqlite3 not installed"
        _, walls = best([sqlite, str(database), references[name]], repeat, env=env)
        return f"sqlite3 {name} query: median {statistics.median(walls):.3f} s"

    cases = [
        ("`summarise` (standard report)", ["summarise"], 1.0, 300, "year"),
        (
            "`summarise --by province,year`",
            ["summarise", "--by", "province,year"],
            1.0,
            0,
            "province,year",
        ),
        (f"`list --region {REGION}`", ["list", "--region", REGION], 0.6, 0, "region"),
        ("`list --search jalan`", ["list", "--search", "jalan"], 0.6, 0, "search"),
        ("`export --format csv`", ["export", "--format", "csv"], 3.0, 0, ""),
        ("`validate`", ["validate"], 1.5, 0, ""),
    ]
    for what, command, limit, memory, ref in cases:
        run, walls = best([*ks, *command, *data], repeat, env=env)
        middle = statistics.median(walls)
        target = f"≤ {limit} s" + (f", ≤ {memory} MB" if memory else "")
        met = middle <= limit and (not memory or run.peak_mb <= memory)
        row(
            f"{what} {label}, warm",
            run,
            f"median of {len(walls)}: {middle:.2f} s" + (f"; {reference(ref)}" if ref else ""),
            "",
            target,
            met,
        )


def machine() -> list[str]:
    lines = [
        f"python {platform.python_version()} ({sys.executable})",
        f"{platform.platform()}, nproc {os.cpu_count()}",
    ]
    if shutil.which("free"):
        lines += subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k records only")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each slow measurement")
    parser.add_argument("--fast-repeat", type=int, default=5, help="runs of each quick one")
    parser.add_argument("--tools", type=Path, default=HERE / "tools" / "venv", help="venv")
    parser.add_argument(
        "--summarise", action="store_true", help="also time the standard report, warm"
    )
    parser.add_argument(
        "--index",
        action="store_true",
        help="also the targets of issue 15 (the SQLite index), warm, beside plain sqlite3",
    )
    args = parser.parse_args()

    bindir = Path(sys.executable).parent
    script = bindir / "kerjasama"
    ks = [str(script)] if script.exists() else [sys.executable, "-m", "kerjasama_cli"]
    tools = args.tools / ("Scripts" if os.name == "nt" else "bin")
    check_jsonschema = tools / "check-jsonschema"
    yamllint = tools / "yamllint"
    for tool in (check_jsonschema, yamllint):
        if not tool.exists():
            sys.exit(f"{tool} not found: see bench/README.md for the tools environment")

    cache = Path(tempfile.mkdtemp(prefix="kerjasama-bench-cache-"))
    env = dict(os.environ, KERJASAMA_CACHE_DIR=str(cache), NO_COLOR="1")
    env.pop("KERJASAMA_JOBS", None)
    # As installed by pip: the modules compiled once, their bytecode used by every run. (An
    # environment with PYTHONDONTWRITEBYTECODE set would otherwise compile kerjasama's modules
    # again in every process, which no user's installation does.)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    package = subprocess.run(
        [
            sys.executable,
            "-c",
            "import kerjasama_cli, os; print(os.path.dirname(kerjasama_cli.__file__))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, env=env)
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(what: str, ours: Run, ref: str, ratio: str, target: str, met: bool | None) -> None:
        mark = "" if met is None else ("yes" if met else "NO")
        mine = f"{ours.wall:.2f} s (cpu {ours.cpu:.2f} s, {ours.peak_mb:.0f} MB)"
        rows.append((what, mine, ref, ratio, target, mark))
        print(f"  {what}: {mine}  {ref}  {ratio}", file=sys.stderr)

    print("load average at start:", load(), file=sys.stderr)
    schema = cache / "record.schema.json"
    with schema.open("w", encoding="utf-8") as handle:
        subprocess.run([*ks, "schema"], stdout=handle, check=True, env=env)

    help_run, walls = best([*ks, "--help"], args.fast_repeat, env=env)
    middle = statistics.median(walls)
    row(
        "`kerjasama --help`",
        help_run,
        f"median of {len(walls)}: {middle:.2f} s",
        "",
        "≤ 0.35 s",
        middle <= 0.35,
    )

    sizes = [10_000] if args.quick else [10_000, 100_000]
    for count in sizes:
        folder = corpus(count)
        data = ["--data-dir", str(folder)]
        label = f"{count // 1000}k"
        cold, _ = best([*ks, "validate", *data, "--no-cache"], args.repeat, env=env)
        assert cold.code == 0, f"validate failed on the {label} corpus"
        if count == 10_000:
            files = sorted(
                str(p.relative_to(folder)) for p in (folder / "agreements").rglob("*.yaml")
            )
            cjs, _ = best(
                [str(check_jsonschema), "--schemafile", str(schema), *files],
                args.repeat,
                cwd=folder,
                env=env,
            )
            lint, _ = best([str(yamllint), "agreements"], args.repeat, cwd=folder, env=env)
            ratio = cold.wall / cjs.wall
            row(
                f"`validate` {label}, cold (`--no-cache`)",
                cold,
                f"check-jsonschema {cjs.wall:.2f} s (exit {cjs.code}); "
                f"yamllint {lint.wall:.2f} s (exit {lint.code})",
                f"{ratio:.2f} x check-jsonschema, {cold.wall / lint.wall:.2f} x yamllint",
                "≤ 0.30 x check-jsonschema",
                ratio <= 0.30,
            )
        else:
            row(
                f"`validate` {label}, cold (`--no-cache`)",
                cold,
                "",
                "",
                "≤ 30 s",
                cold.wall <= 30,
            )
        shutil.rmtree(cache / "v1", ignore_errors=True)
        shutil.rmtree(cache / "v2", ignore_errors=True)
        first, _ = best([*ks, "validate", *data], 1, env=env)
        row(f"`validate` {label}, empty cache (fills it)", first, "", "", "", None)
        warm_validate, _ = best([*ks, "validate", *data], args.fast_repeat, env=env)
        row(f"`validate` {label}, warm", warm_validate, "", "", "", None)
        listing = [*ks, "list", *data, "--region", REGION]
        warm_list, walls = best(listing, args.fast_repeat, env=env)
        limit = 0.5 if count == 10_000 else 2.0
        memory_ok = count == 10_000 or warm_list.peak_mb <= 300
        middle = statistics.median(walls)
        row(
            f"`list --region` {label}, warm",
            warm_list,
            f"median of {len(walls)}: {middle:.2f} s, slowest {max(walls):.2f} s",
            "",
            f"≤ {limit} s" + ("" if count == 10_000 else ", ≤ 300 MB"),
            middle <= limit and memory_ok,  # the median, not only the best run
        )
        if args.summarise:
            report, _ = best([*ks, "summarise", *data], 1, env=env)
            row(f"`summarise` {label}, warm (not a target)", report, "", "", "", None)
        if args.index and count == sizes[-1]:
            index_targets(ks, data, label, cache, args.fast_repeat, env, row)
    shutil.rmtree(cache, ignore_errors=True)
    print("load average at end:", load(), file=sys.stderr)

    print(
        "| what | kerjasama (best wall; cpu incl. workers; peak memory) | reference | ratio | target | met |"
    )
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    for line in machine():
        print(f"    {line}")


if __name__ == "__main__":
    main()
