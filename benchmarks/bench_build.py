"""How fast `anthology build` is, beside the naive route a user would otherwise take.

    python benchmarks/bench_build.py [--sizes 300 1000] [--jobs N]

For each synthetic book (benchmarks/generate.py) it measures, each command in a fresh process
as a user runs it:
- the naive route on the same chapters: `pandoc chapters/*.md -s` to one HTML file,
  WeasyPrint on that file, and `pandoc chapters/*.md` to EPUB;
- our full build (`anthology build --clean`: PDF and EPUB);
- our rebuild after editing one chapter (median of three, a different chapter each time), and
  whether the result is byte-identical to a clean build of the same sources;
- `anthology proof` of the edited chapter after each rebuild (median of three);
- peak memory: the largest sum of the resident memory of the command and all its children,
  sampled every 20 ms (benchmarks/timing.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import timing  # noqa: E402
from generate import CACHE, cached_book  # noqa: E402
from timing import ANTHOLOGY  # noqa: E402


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak MiB of the whole process tree) of one command."""
    done = timing.run(command, cwd, tree=True)
    if done.exit_code not in (0, 1):
        raise RuntimeError(f"{command[-6:]} failed ({done.exit_code}): {done.output[-2000:]}")
    return done.seconds, done.peak_mb


REBUILDS = 3  # one-chapter rebuilds measured (a different chapter each time); the median is reported


def edit_one_chapter(root: Path, which: int = 0) -> Path:
    """Add a sentence to a chapter near the middle of the book (`which` picks a neighbour)."""
    chapters = sorted((root / "chapters").glob("*.md"))
    chapter = chapters[len(chapters) // 2 + which]
    chapter.write_text(chapter.read_text().rstrip("\n") + " One more sentence, added in review.\n")
    return chapter


def run(size: int, seed: int, jobs: int | None) -> dict[str, object]:
    import pypandoc
    import pypdf

    pandoc = pypandoc.get_pandoc_path()
    source = cached_book(size, seed, CACHE)
    env_jobs = ["--jobs", str(jobs)] if jobs else []
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "book"
        shutil.copytree(source, root)
        chapters = sorted(str(p.relative_to(root)) for p in (root / "chapters").glob("*.md"))
        steps = {
            "naive html": [pandoc, "-s", "--metadata", "title=Naive", "-o", "naive.html", *chapters],
            "naive pdf": [sys.executable, "-m", "weasyprint", "naive.html", "naive.pdf"],
            "naive epub": [pandoc, "--metadata", "title=Naive", "-o", "naive.epub", *chapters],
            "anthology pdf": [*ANTHOLOGY, "build", "--clean", "--quiet", "--format", "pdf", *env_jobs],
            "anthology epub": [*ANTHOLOGY, "build", "--clean", "--quiet", "--format", "epub", *env_jobs],
        }
        editions = {name: measure(command, root) for name, command in steps.items()}
        naive = sum(editions[name][0] for name in ("naive html", "naive pdf", "naive epub"))
        naive_peak = max(editions[name][1] for name in ("naive html", "naive pdf", "naive epub"))
        naive_pages = len(pypdf.PdfReader(root / "naive.pdf").pages)
        full, full_peak = measure([*ANTHOLOGY, "build", "--clean", "--quiet", *env_jobs], root)
        pdf = next((root / "build").glob("*.pdf"))
        pages = len(pypdf.PdfReader(pdf).pages)
        rebuilds, proofs, rebuild_peak = [], [], 0.0
        for which in range(REBUILDS):
            chapter = edit_one_chapter(root, which)
            wall, peak = measure([*ANTHOLOGY, "build", "--quiet", *env_jobs], root)
            rebuilds.append(wall)
            rebuild_peak = max(rebuild_peak, peak)
            proofs.append(measure([*ANTHOLOGY, "proof", str(chapter.relative_to(root)), *env_jobs], root)[0])
        rebuild, proof = statistics.median(rebuilds), statistics.median(proofs)
        clean = Path(temp) / "clean"
        shutil.copytree(root, clean, ignore=shutil.ignore_patterns("build"))
        measure([*ANTHOLOGY, "build", "--quiet", *env_jobs], clean)
        identical = all(
            (root / "build" / p.name).read_bytes() == p.read_bytes()
            for p in (clean / "build").glob("*.*")
            if p.is_file()
        )
    return {
        "editions": editions,
        "naive_pages": naive_pages,
        "chapters": size,
        "pages": pages,
        "naive": naive,
        "naive_peak": naive_peak,
        "full": full,
        "rebuild": rebuild,
        "proof": proof,
        "identical": identical,
        "peak": max(full_peak, rebuild_peak),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    header = (
        f"{'chapters':>8} {'pages':>6} {'naive s':>8} {'full s':>7} {'full/naive':>10} "
        f"{'rebuild s':>9} {'rebuild/full':>12} {'identical':>9} {'proof s':>7} {'peak MiB':>8} {'naive MiB':>9}"
    )
    results = [run(size, args.seed, args.jobs) for size in args.sizes]
    print("\nper edition (each a fresh process; anthology with --clean):")
    print(f"{'chapters':>8}  {'step':<16} {'wall s':>8} {'pages':>6} {'peak MiB':>9}")
    for r in results:
        for name, (wall, peak) in r["editions"].items():  # type: ignore[attr-defined]
            pages = r["pages"] if name == "anthology pdf" else r["naive_pages"] if name == "naive pdf" else ""
            print(f"{r['chapters']:>8}  {name:<16} {wall:>8.2f} {pages:>6} {peak:>9.0f}")
    print("\nwhole builds:")
    print(header)
    for r in results:
        print(
            f"{r['chapters']:>8} {r['pages']:>6} {r['naive']:>8.1f} {r['full']:>7.1f} "
            f"{r['full'] / r['naive']:>10.2f} {r['rebuild']:>9.1f} {r['rebuild'] / r['full']:>12.2f} "
            f"{'yes' if r['identical'] else 'NO':>9} {r['proof']:>7.1f} {r['peak']:>8.0f} {r['naive_peak']:>9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
