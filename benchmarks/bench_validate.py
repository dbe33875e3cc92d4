"""How fast `anthology validate` checks big books, run the way a user runs it.

    python benchmarks/bench_validate.py [--sizes 300 1000 5000] [--runs 5] [--seed 0] [--no-cache]

Synthetic books (benchmarks/generate.py) are written once to benchmarks/.cache/ (git-ignored),
keyed by chapter count, seed and a hash of the generator, then validated in fresh processes:
wall time and peak memory (resident set size) are those of the validating process alone
(benchmarks/timing.py). A last run checks that validate imports no heavy modules (WeasyPrint,
pandoc, git). This is a report, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import book_cache, cached_book  # noqa: E402  (benchmarks/ is not a package)
from timing import ANTHOLOGY, medians, repeat, run  # noqa: E402

TIME_TARGETS = {300: 0.5, 1000: 1.0, 5000: 4.0}  # seconds, median wall time
MEMORY_TARGET_MB = 200.0
HEAVY = ("weasyprint", "pypandoc", "git")  # validate must not import these
ALSO_HEAVY = ("pypdf", "fontTools", "pydyf", "cffi", "gitdb", "tinycss2", "cssselect2", "PIL")

VALIDATE = [*ANTHOLOGY, "validate", "--root"]

# Runs validate in-process like the console script, then lists what got imported.
PROBE = """
import json, sys
from anthology.cli import main
try:
    main(["validate", "--root", sys.argv[1]], prog_name="anthology")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open(sys.argv[2], "w") as out:
    json.dump({"exit": code, "modules": sorted(sys.modules)}, out)
"""


def startup_seconds(runs: int) -> tuple[float, float]:
    """Median wall and CPU time of starting Python and importing what validate imports (no book)."""
    code = "import anthology.cli, anthology.load, anthology.validate"
    return medians(run([sys.executable, "-c", code]) for _ in range(runs))


def imported_modules(book: Path) -> tuple[int | str | None, list[str]]:
    """(exit code, modules in sys.modules) after one validate run in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "modules.json"
        subprocess.run(
            [sys.executable, "-c", PROBE, str(book), str(result)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if not result.is_file():
            return "crashed", []
        data = json.loads(result.read_text())
        return data["exit"], data["modules"]


def loaded(modules: list[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=sorted(TIME_TARGETS))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-cache", action="store_true", help="generate into a temporary folder")
    args = parser.parse_args(argv)

    with book_cache(args.no_cache) as cache:
        return report(args, cache)


def report(args: argparse.Namespace, cache: Path) -> int:
    print(
        f"anthology validate benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{args.runs} runs per size, seed {args.seed}, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )

    rows = []
    books: dict[int, Path] = {}
    for size in args.sizes:
        book = books[size] = cached_book(size, args.seed, cache)
        runs = repeat([*VALIDATE, str(book)], args.runs)
        rows.append((size, runs))
        print(f"  {size} chapters: " + ", ".join(f"{r.seconds:.3f}s" for r in runs), flush=True)

    print()
    header = (
        f"{'chapters':>8}  {'median s':>8}  {'min s':>7}  {'cpu s':>6}  {'peak MB':>7}  {'exit':>4}  "
        f"{'time target':>11}  {'time':>4}  {'memory':>6}"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for size, runs in rows:
        median, cpu = medians(runs)
        fastest = min(r.seconds for r in runs)
        peak = max(r.peak_mb for r in runs)
        exits = sorted({r.exit_code for r in runs})
        target = TIME_TARGETS.get(size)
        time_ok = target is None or median < target
        mem_ok = peak < MEMORY_TARGET_MB
        if not time_ok:
            failures.append(f"{size} chapters: median {median:.3f} s is over the {target} s target")
        if not mem_ok:
            failures.append(f"{size} chapters: peak {peak:.1f} MB is over the {MEMORY_TARGET_MB:.0f} MB target")
        target_text = f"< {target:g} s" if target is not None else "-"
        print(
            f"{size:>8}  {median:>8.3f}  {fastest:>7.3f}  {cpu:>6.3f}  {peak:>7.1f}  {','.join(map(str, exits)):>4}  "
            f"{target_text:>11}  {verdict(time_ok) if target else '-':>4}  {verdict(mem_ok):>6}"
        )
    print(
        f"(times are wall clock from process start to exit; cpu s is the median user+system time, which\n"
        f" stays honest on a busy machine; memory target: peak RSS < {MEMORY_TARGET_MB:.0f} MB; exit 0 = clean book)"
    )

    for size, runs in rows:
        if any(r.exit_code != 0 for r in runs):
            lines = runs[0].output.rstrip().splitlines()
            failures.append(f"{size} chapters: validate exited {runs[0].exit_code}, the generated book should be clean")
            print(f"\nvalidate output for {size} chapters (exit {runs[0].exit_code}), last lines:")
            for line in lines[-12:]:
                print(f"  {line}")

    wall, cpu = startup_seconds(max(3, args.runs))
    print(f"\nstartup alone (python + validate's imports, no book): median {wall:.3f} s wall, {cpu:.3f} s cpu")

    probe_book = books[min(books)]
    code, modules = imported_modules(probe_book)
    print(f"\nheavy imports during validate ({len(modules)} modules loaded, exit {code}):")
    for name in HEAVY:
        hit = loaded(modules, name)
        print(f"  {name:<12} {'IMPORTED' if hit else 'not imported':<13} {verdict(not hit)}")
        if hit:
            failures.append(f"validate imports {name}")
    others = [name for name in ALSO_HEAVY if loaded(modules, name)]
    print(f"  also loaded (informational): {', '.join(others) if others else 'none of ' + ', '.join(ALSO_HEAVY)}")

    print("\nsummary: " + ("all targets met" if not failures else f"{len(failures)} target(s) missed"))
    for failure in failures:
        print(f"  - {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
