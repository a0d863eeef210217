"""Measure the performance targets of issue 7, side by side with check-jsonschema and yamllint.

    python bench/run.py                  # 10k and 100k records (generates missing corpora)
    python bench/run.py --quick          # 10k only
    python bench/run.py --repeat 3       # best of 3 for the slow runs too
    python bench/run.py --summarise      # also `summarise` warm (not a target of issue 7)
    python bench/run.py --index          # issue 15's targets on 100k, beside plain sqlite3

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
        help="only issue 15's targets (the index): 100k warm, beside plain sqlite3",
    )
    parser.add_argument("--count", type=int, default=100_000, help="corpus size for --index")
    args = parser.parse_args()
    if args.index:
        index_targets(args.count, args.fast_repeat)
        return

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


SEARCH = "jalan"
PROVINCE = "16"  # Sumatera Selatan, the province of Muara Enim


def kerjasama_command() -> list[str]:
    script = Path(sys.executable).parent / "kerjasama"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kerjasama_cli"]


def index_targets(count: int, repeat: int) -> None:
    """Issue 15: the read commands answered from the index, warm, each the median of
    ``repeat`` runs; and the same questions asked of the exported database with plain SQL.

    Before measuring, the outputs of the measured commands are compared with those of
    ``--no-cache`` on the 10k corpus (byte for byte), so that a fast wrong answer cannot pass.
    """
    import sqlite3

    ks = kerjasama_command()
    cache = Path(tempfile.mkdtemp(prefix="kerjasama-bench-index-"))
    env = dict(os.environ, KERJASAMA_CACHE_DIR=str(cache), NO_COLOR="1")
    env.pop("KERJASAMA_JOBS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = cache / "export.csv"
    questions: list[tuple[str, list[str], str]] = [
        ("`summarise` (standard report)", ["summarise"], "≤ 1.0 s, ≤ 300 MB"),
        ("`summarise --by province,year`", ["summarise", "--by", "province,year"], "≤ 1.0 s"),
        (f"`list --region {REGION}`", ["list", "--region", REGION], "≤ 0.6 s"),
        (f"`list --search {SEARCH}`", ["list", "--search", SEARCH], "≤ 0.6 s"),
        ("`export --format csv`", ["export", "--format", "csv", "-o", str(out)], "≤ 3.0 s"),
        ("`validate`", ["validate"], "≤ 1.5 s"),
    ]
    limits = {"summarise": 1.0, "list": 0.6, "export": 3.0, "validate": 1.5}

    small = corpus(10_000)
    print("comparing outputs on 10k with and without --no-cache ...", file=sys.stderr)
    for _, args, _ in questions:
        plain = [a for a in args if a not in ("-o", str(out))]
        command = [*ks, *plain, "--data-dir", str(small), "--as-of", "2025-06-01"]
        if plain[0] == "validate":
            command = command[:-2]
        if plain[0] == "export":
            command = [*ks, "export", "--format", "csv", "--data-dir", str(small)]
        expected = subprocess.run([*command, "--no-cache"], capture_output=True, env=env)
        for _ in range(2):  # the first fills the index, the second is served from it
            got = subprocess.run(command, capture_output=True, env=env)
            assert got.stdout == expected.stdout, f"different output: {command}"
    print("  the same", file=sys.stderr)

    folder = corpus(count)
    data = ["--data-dir", str(folder)]
    print(f"filling the index of {count} records ...", file=sys.stderr)
    fill = measure([*ks, "validate", *data], env=env)
    print(f"  {fill.wall:.1f} s (cpu {fill.cpu:.1f} s, {fill.peak_mb:.0f} MB)", file=sys.stderr)
    measure([*ks, "validate", *data], env=env)
    print("load average at start:", load(), file=sys.stderr)
    rows: list[tuple[str, str, str, bool | None]] = []
    for what, args, target in questions:
        runs = [measure([*ks, *args, *data], env=env) for _ in range(repeat)]
        middle = statistics.median(r.wall for r in runs)
        peak = max(r.peak_mb for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        limit = limits[args[0]]
        met = middle <= limit and (args != ["summarise"] or peak <= 300)
        rows.append((what, f"{middle:.2f} s (cpu {cpu:.2f} s, {peak:.0f} MB)", target, met))
        print(f"  {what}: {rows[-1][1]}", file=sys.stderr)
    print("load average at end:", load(), file=sys.stderr)

    database = cache / "export.db"
    measure([*ks, "export", "--format", "sqlite", "-o", str(database), *data], env=env)
    references = [
        (
            "agreements per year",
            "SELECT substr(signed_on, 1, 4), count(*) FROM agreements GROUP BY 1",
        ),
        ("agreements per province and year", "SELECT * FROM agreements_per_province_year"),
        (
            f"agreements with a party in {REGION}",
            "SELECT count(DISTINCT agreement_id) FROM parties "
            "JOIN regions ON regions.code = parties.region_code WHERE regions.name = 'Muara Enim'",
        ),
        (
            f"full-text '{SEARCH}'",
            f"SELECT count(*) FROM agreements_fts WHERE agreements_fts MATCH '{SEARCH}'",
        ),
    ]
    sql_rows = []
    for what, sql in references:
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            connection = sqlite3.connect(database)
            connection.execute(sql).fetchall()
            connection.close()
            timings.append(time.perf_counter() - start)
        sql_rows.append((what, f"{statistics.median(timings) * 1000:.1f} ms"))
    shutil.rmtree(cache, ignore_errors=True)

    print(
        f"| what ({count // 1000}k, warm, median of {repeat}) | kerjasama: wall (cpu, peak) | target | met |"
    )
    print("|---|---|---|---|")
    for what, mine, target, passed in rows:
        verdict = "" if passed is None else "yes" if passed else "NO"
        print(f"| {what} | {mine} | {target} | {verdict} |")
    print(
        f"| filling the index ({count // 1000}k, `validate`, empty cache) | "
        f"{fill.wall:.1f} s (cpu {fill.cpu:.1f} s, {fill.peak_mb:.0f} MB) | - | |"
    )
    print()
    print("| reference: plain `sqlite3` on the exported database | median |")
    print("|---|---|")
    for what, took in sql_rows:
        print(f"| {what} | {took} |")
    print()
    for line in machine():
        print(f"    {line}")


if __name__ == "__main__":
    main()
