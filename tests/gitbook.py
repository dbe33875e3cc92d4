"""Real git repositories for the status and check-pr tests: a book committed on `main`, then changed.

Git runs with no system or user configuration and fixed identities; each commit gets the date
it is given, so history-based output is deterministic.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

DEFAULT_DATE = "2024-03-01T12:00:00+00:00"


def isolate_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git config, a fixed identity, and no GitHub Actions variables."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test Person")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.org")
    for name in ("GITHUB_ACTOR", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ)
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def commit(root: Path, message: str = "change", date: str = DEFAULT_DATE, author: str | None = None) -> None:
    git(root, "add", "-A")
    extra = ["--author", author] if author else []
    git(root, "commit", "-q", "--allow-empty", "-m", message, *extra, date=date)


def init(root: Path, date: str = DEFAULT_DATE) -> Path:
    """Commit everything in `root` as the first commit of branch main."""
    git(root, "init", "-q", "-b", "main")
    commit(root, "The book", date)
    return root


def open_pull_request(root: Path) -> Path:
    """The book at `root`, with the editor `eddie` under `maintainers:`, committed on main, and
    branch `feature` checked out for the pull request's commits."""
    with (root / "book.yaml").open("a", encoding="utf-8") as book:
        book.write("maintainers: [eddie]\n")
    init(root)
    git(root, "checkout", "-q", "-b", "feature")
    return root


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def chapter(title: str, authors: str, body: str = "A short chapter with more than five words in it.") -> str:
    return f"---\ntitle: {title}\nauthors: [{authors}]\nsection: one\n---\n{body}\n"
