"""How fast `anthology preview` shows a save, and how long the web edition takes to build.

    python benchmarks/bench_preview.py [--chapters 300] [--edits 5]

On a synthetic book (benchmarks/generate.py, seed 0), copied to a scratch folder:
- site: `anthology build --format site` in a fresh process, cold (`--clean`: every text goes
  through pandoc) and warm (the conversion cache of the cold build), and whether two builds
  with the same SOURCE_DATE_EPOCH are byte-identical;
- save to screen: `anthology preview` runs in its own process; a headless Chromium has a
  chapter open; one sentence is appended to that chapter's file, and the clock runs from the
  write until the open page's text contains the sentence (the page reloads by itself). Median
  and worst of --edits edits, a different chapter each time. Without Chromium and axe-core
  (tests/chromium.py), the clock stops when the server serves the new text after its reload
  event instead, and the table says so.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from generate import CACHE, cached_book  # noqa: E402

ANTHOLOGY = [sys.executable, "-c", "from anthology.cli import main; main()"]
EPOCH = "1700000000"


def site_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_site(root: Path, out: Path, clean: bool) -> float:
    command = [*ANTHOLOGY, "build", "--root", str(root), "--format", "site", "--out", str(out), "--quiet"]
    start = time.perf_counter()
    subprocess.run(
        [*command, *(["--clean"] if clean else [])], check=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    )
    return time.perf_counter() - start


def start_preview(root: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [*ANTHOLOGY, "preview", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    return process, line.split(" at ")[1].split()[0]


def append(chapter: Path, sentence: str) -> float:
    """Append a paragraph and return the moment the file was written."""
    text = chapter.read_text(encoding="utf-8") + f"\n{sentence}\n"
    chapter.write_text(text, encoding="utf-8")
    return time.perf_counter()


def in_browser(url: str, chapters: list[Path]) -> list[float]:
    from chromium import Browser

    browser = Browser(1000, 700)
    times = []
    try:
        for number, chapter in enumerate(chapters):
            browser.open(f"{url}chapters/{chapter.stem}.html")
            sentence = f"Benchmark sentence number {number} was saved just now."
            check = f"document.body !== null && document.body.innerText.includes('{sentence}')"
            saved = append(chapter, sentence)
            while True:
                time.sleep(0.01)  # poll, leaving the CPU to the preview and the browser
                try:
                    if browser.evaluate(check):
                        break
                except RuntimeError:
                    pass  # between two documents while the page reloads
                if time.perf_counter() - saved > 30:
                    raise TimeoutError(chapter.name)
            times.append(time.perf_counter() - saved)
            time.sleep(0.5)
    finally:
        browser.close()
    return times


def over_http(url: str, chapters: list[Path]) -> list[float]:
    host, port = url.split("//")[1].rstrip("/").split(":")
    times = []
    for number, chapter in enumerate(chapters):
        events = http.client.HTTPConnection(host, int(port), timeout=30)
        events.request("GET", "/_events")
        stream = events.getresponse()
        sentence = f"Benchmark sentence number {number} was saved just now."
        saved = append(chapter, sentence)
        while stream.fp.readline() != b"event: reload\n":
            pass
        page = http.client.HTTPConnection(host, int(port), timeout=30)
        page.request("GET", f"/chapters/{chapter.stem}.html")
        assert sentence.encode() in page.getresponse().read()
        times.append(time.perf_counter() - saved)
        events.close()
        time.sleep(0.5)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    from chromium import skip_reason

    with tempfile.TemporaryDirectory(prefix="anthology-bench-preview-") as scratch:
        root = Path(scratch) / "book"
        CACHE.mkdir(exist_ok=True)
        shutil.copytree(cached_book(args.chapters, 0, CACHE), root)
        cold = build_site(root, root / "build", clean=True)
        first = site_digest(root / "build" / "site")
        warm = build_site(root, root / "build", clean=False)
        identical = site_digest(root / "build" / "site") == first
        pages = len(list((root / "build" / "site").rglob("*.html")))

        chapters = sorted((root / "chapters").glob("*.md"))[:: max(1, args.chapters // args.edits)][: args.edits]
        process, url = start_preview(root)
        try:
            reason = skip_reason()
            how = "in the browser" if reason is None else "served over HTTP (no browser: " + reason + ")"
            times = in_browser(url, chapters) if reason is None else over_http(url, chapters)
        finally:
            process.terminate()
            process.wait()

    print(f"\nsite, {args.chapters} chapters ({pages} pages):")
    print(f"  cold build (--clean)  {cold:6.2f} s")
    print(f"  warm build            {warm:6.2f} s")
    print(f"  byte-identical        {'yes' if identical else 'NO'}")
    print(f"\npreview, save to screen ({how}), {len(times)} edits:")
    print(
        f"  median {statistics.median(times):.3f} s, worst {max(times):.3f} s, all: "
        + ", ".join(f"{t:.3f}" for t in times)
    )
    print(f"  target < 1 s: {'PASS' if max(times) < 1 else 'FAIL'}")


if __name__ == "__main__":
    main()
