"""How fast `anthology build` makes each edition, beside the naive route a user would take.

    python benchmarks/bench_build.py [--sizes 300] [--runs 1]

The naive route, on the same chapters: `pandoc chapters/*.md -s` to one standalone HTML file,
WeasyPrint on that file, and `pandoc chapters/*.md` to EPUB. Every step runs in a fresh
process, as a user runs it; peak memory is the largest resident set of that process tree's
biggest process (ru_maxrss of the children).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_book  # noqa: E402

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "wall = time.perf_counter() - start\n"
    "print(code, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measure(command: list[str], cwd: Path) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak MiB) of one command run in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]) / 1024


def book(size: int, seed: int) -> Path:
    cache = HERE / ".cache" / f"book-{size}-{seed}"
    if not (cache / "book.yaml").exists():
        shutil.rmtree(cache, ignore_errors=True)
        generate_book(cache, size, seed)
    return cache


def pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


def run(size: int, runs: int, seed: int) -> list[tuple[str, float, int | None, float, int]]:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    source = book(size, seed)
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "book"
        shutil.copytree(source, root)
        chapters = sorted(str(p.relative_to(root)) for p in (root / "chapters").glob("*.md"))
        anthology = [sys.executable, "-c", "from anthology.cli import main; main()"]
        steps = {
            "anthology pdf": [*anthology, "build", "--format", "pdf", "--quiet", "--out", "out"],
            "anthology epub": [*anthology, "build", "--format", "epub", "--quiet", "--out", "out"],
            "naive html": [pandoc, "-s", "--metadata", "title=Naive", "-o", "naive.html", *chapters],
            "naive pdf": [sys.executable, "-m", "weasyprint", "naive.html", "naive.pdf"],
            "naive epub": [pandoc, "--metadata", "title=Naive", "-o", "naive.epub", *chapters],
        }
        for name, command in steps.items():
            results = [measure(command, root) for _ in range(runs)]
            code = results[-1][0]
            wall = statistics.median(r[1] for r in results)
            peak = max(r[2] for r in results)
            pages = None
            if name == "anthology pdf":
                pages = pdf_pages(next((root / "out").glob("*.pdf")))
            elif name == "naive pdf":
                pages = pdf_pages(root / "naive.pdf")
            rows.append((name, wall, pages, peak, code))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{'chapters':>8}  {'step':<16} {'wall s':>8} {'pages':>6} {'peak MiB':>9} {'exit':>5}")
    for size in args.sizes:
        rows = run(size, args.runs, args.seed)
        for name, wall, pages, peak, code in rows:
            print(f"{size:>8}  {name:<16} {wall:>8.2f} {pages or '':>6} {peak:>9.0f} {code:>5}")
        times = {name: wall for name, wall, *_ in rows}
        ours = times["anthology pdf"] + times["anthology epub"]
        naive = times["naive html"] + times["naive pdf"] + times["naive epub"]
        print(f"{size:>8}  {'total ours':<16} {ours:>8.2f}")
        print(f"{size:>8}  {'total naive':<16} {naive:>8.2f}   ratio ours/naive = {ours / naive:.2f}")


if __name__ == "__main__":
    main()
