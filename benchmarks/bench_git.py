"""How fast the git-backed commands are on a big book with a long history, run the way a user runs them.

    python benchmarks/bench_git.py [--chapters 260] [--commits 1000] [--runs 5] [--seed 0] [--no-cache]

Builds a synthetic repository once (benchmarks/generate.py's book, about 300 authors) with about
1,000 commits written by `git fast-import`: the editors' first commit, one commit per arriving
chapter by its author, then edits to random chapters (a word changed, so limits still hold) and a
few renames. A branch `pull-request` changes one chapter as its author, and is checked out.
The repository is cached in benchmarks/.cache/ (git-ignored), keyed by the options and a hash of
this file and the generator.

Then `anthology status` and `anthology check-pr --base main --author LOGIN` each run in fresh
processes: one warm-up, then the median wall time of --runs runs against the targets. This is a
report, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import book_cache, generate_book  # noqa: E402  (benchmarks/ is not a package)
from timing import ANTHOLOGY, medians, repeat  # noqa: E402

TARGETS = {"status": 1.0, "check-pr": 1.0, "validate": None}  # seconds, median wall time; validate: for reference
START = 1_704_067_200  # 2024-01-01 00:00 UTC
WORD = re.compile(r"(?<![\w\[^(/.-])[a-z]{4,}(?![\w\]).-])")
SWAPS = "quietly slowly gently plainly warmly boldly".split()
EDITOR = ("Miriam Castellane", "editors@example.org")


def git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": EDITOR[0],
        "GIT_AUTHOR_EMAIL": EDITOR[1],
        "GIT_COMMITTER_NAME": EDITOR[0],
        "GIT_COMMITTER_EMAIL": EDITOR[1],
    }
    done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, env=env)
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode("utf-8", "replace")


# --- the synthetic history ---------------------------------------------------------------------------


class Stream:
    """A `git fast-import` stream of commits on refs/heads/main, one after the other."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.commits = 0
        self.clock = START

    def commit(self, who: tuple[str, str], message: str, files: dict[str, bytes | None]) -> None:
        self.commits += 1
        self.clock += random.Random(self.commits).randint(600, 20_000)
        person = f"{who[0]} <{who[1]}> {self.clock} +0000".encode()
        text = message.encode()
        lines = [
            b"commit refs/heads/main",
            b"mark :%d" % self.commits,
            b"author " + person,
            b"committer " + person,
            b"data %d" % len(text),
            text,
        ]
        if self.commits > 1:
            lines.append(b"from :%d" % (self.commits - 1))
        self.parts.append(b"\n".join(lines) + b"\n")
        for path, data in files.items():
            if data is None:
                self.parts.append(f"D {path}\n".encode())
            else:
                self.parts.append(f"M 100644 inline {path}\n".encode() + b"data %d\n" % len(data) + data + b"\n")
        self.parts.append(b"\n")

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def authors_of(text: str) -> list[str]:
    match = re.search(r"^authors: \[(.*)\]$", text, re.M)
    return [a.strip() for a in match.group(1).split(",")] if match else []


def people(authors_yaml: str) -> dict[str, tuple[str, str, str | None]]:
    """author id -> (name, email, GitHub login) from the generated authors.yaml (flat, so regexes do)."""
    found: dict[str, tuple[str, str, str | None]] = {}
    for block in re.split(r"\n(?=\S)", authors_yaml):
        head = re.match(r"([a-z0-9-]+):", block)
        if not head:
            continue
        name = re.search(r"^  name: (.*)$", block, re.M)
        login = re.search(r"^  github: (.*)$", block, re.M)
        display = name.group(1).strip().strip('"') if name else head.group(1)
        found[head.group(1)] = (display, f"{head.group(1)}@example.org", login.group(1).strip() if login else None)
    return found


def edit(text: str, rng: random.Random) -> str:
    """The chapter with one body word replaced by another: the word count stays the same."""
    body_start = text.index("\n---\n", 4) + 5
    spots = [m for m in WORD.finditer(text, body_start) if text[m.start() - 1 : m.start()] not in ("!", "[")]
    spot = rng.choice(spots)
    replacement = rng.choice([w for w in SWAPS if w != spot.group(0)])
    return text[: spot.start()] + replacement + text[spot.end() :]


def build_repository(folder: Path, chapters: int, commits: int, seed: int) -> dict[str, str]:
    """Write the repository into `folder`; return facts about it for the report."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="anthology-bench-book-") as tmp:
        book = Path(tmp)
        generate_book(book, chapters, seed)
        files = {p.relative_to(book).as_posix(): p.read_bytes() for p in sorted(book.rglob("*")) if p.is_file()}
    who = people(files["authors.yaml"].decode())
    chapter_paths = sorted(p for p in files if p.startswith("chapters/"))
    stream = Stream()
    stream.commit(EDITOR, "Start the book", {p: d for p, d in files.items() if not p.startswith("chapters/")})
    current: dict[str, str] = {}
    arrivals = chapter_paths[:]
    rng.shuffle(arrivals)
    for path in arrivals:
        text = files[path].decode()
        current[path] = text
        first = who[authors_of(text)[0]]
        stream.commit(first[:2], f"Add {path}", {path: files[path]})
    renames = 0
    while stream.commits < commits:
        path = rng.choice(sorted(current))
        text = current[path]
        author = who[rng.choice(authors_of(text))]
        if rng.random() < 0.01:  # an author renames their chapter file
            renames += 1
            new_path = path[: -len(".md")] + f"-r{renames}.md"
            current[new_path] = current.pop(path)
            stream.commit(author[:2], f"Rename {path}", {path: None, new_path: text.encode()})
            continue
        current[path] = edit(text, rng)
        stream.commit(author[:2], f"Revise {path}", {path: current[path].encode()})

    folder.mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "fast-import", "--quiet", stdin=stream.bytes())
    git(folder, "reset", "-q", "--hard", "main")

    # The pull request: one chapter changed by its author, who has a GitHub login.
    path, login = next((p, who[a][2]) for p in sorted(current) for a in authors_of(current[p])[:1] if who[a][2])
    git(folder, "checkout", "-q", "-b", "pull-request")
    (folder / path).write_text(edit(current[path], rng), encoding="utf-8")
    git(folder, "commit", "-q", "-am", f"Revise {path}")
    return {
        "login": login,
        "chapter": path,
        "authors": str(len(who)),
        "chapters": str(len(current)),
        "commits": git(folder, "rev-list", "--count", "HEAD").strip(),
    }


def fingerprint() -> str:
    digest = hashlib.sha256((HERE / "generate.py").read_bytes() + Path(__file__).read_bytes())
    return digest.hexdigest()[:10]


def repository_for(args: argparse.Namespace, cache: Path) -> tuple[Path, dict[str, str]]:
    """The benchmark repository, built or reused from the cache."""
    stem = f"git-{args.chapters}-{args.commits}-seed{args.seed}"
    folder = cache / f"{stem}-{fingerprint()}"
    facts_file = folder / ".git" / "anthology-bench-facts"
    if facts_file.is_file():
        return folder, dict(line.split("=", 1) for line in facts_file.read_text().splitlines())
    for stale in cache.glob(f"{stem}-*"):
        shutil.rmtree(stale)
    start = time.perf_counter()
    facts = build_repository(folder, args.chapters, args.commits, args.seed)
    facts_file.write_text("".join(f"{k}={v}\n" for k, v in facts.items()))
    print(f"  built the repository in {time.perf_counter() - start:.1f} s -> {folder}", flush=True)
    return folder, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=260, help="chapters (about 1.15 authors each)")
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-cache", action="store_true", help="build into a temporary folder")
    args = parser.parse_args(argv)

    with book_cache(args.no_cache) as cache:
        return report(args, cache)


def report(args: argparse.Namespace, cache: Path) -> int:
    print(
        f"anthology git benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{args.runs} runs per command, seed {args.seed}",
        flush=True,
    )
    repo, facts = repository_for(args, cache)
    print(
        f"  repository: {facts['authors']} authors, {facts['chapters']} chapters, {facts['commits']} commits; "
        f"the pull request changes {facts['chapter']} as {facts['login']}\n",
        flush=True,
    )
    commands = {
        "status": [*ANTHOLOGY, "status", "--root", str(repo)],
        "check-pr": [*ANTHOLOGY, "check-pr", "--root", str(repo), "--base", "main", "--author", facts["login"]],
        "validate": [*ANTHOLOGY, "validate", "--root", str(repo)],  # what both build on, without git
    }
    results = []
    for name, command in commands.items():
        runs = repeat(command, args.runs)
        median = medians(runs)[0]
        codes = sorted({r.exit_code for r in runs})
        results.append((name, median, codes, runs[-1].output))
        print(f"  {name:<9} " + ", ".join(f"{r.seconds:.3f}s" for r in runs), flush=True)

    print()
    print(f"{'command':<10} {'median':>8} {'target':>8}  exit  verdict")
    for name, median, codes, _ in results:
        target = TARGETS[name]
        verdict = "-" if target is None else "PASS" if median < target and codes == [0] else "FAIL"
        limit = "-" if target is None else f"< {target:g} s"
        print(f"{name:<10} {median:>7.3f}s {limit:>8}  {','.join(map(str, codes)):>4}  {verdict}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs while measuring)")
    print()
    for name, _, codes, output in results:
        last = output.rstrip().splitlines()[-1] if output.strip() else ""
        print(f"{name}: exit {codes}: {last}" if codes != [0] else f"{name}: {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
