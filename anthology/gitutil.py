"""What git knows about the book: when each file was first and last changed, what a branch changed.

GitPython is imported inside the functions, so commands that never ask git (`validate`) do not
pay for it. Paths are POSIX and relative to the book root, which may be a folder inside the
repository. Every failure that stops a command (no repository, an unknown ref, a shallow clone
without the base) is an `AnthologyError` (exit 2) that says what to do.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from .errors import AnthologyError

Status = Literal["A", "M", "D", "R"]

FETCH_HINT = (
    "Fetch the full history: run 'git fetch --unshallow' (or 'git fetch origin BASE'), "
    "or in GitHub Actions use actions/checkout with 'fetch-depth: 0'."
)
_START = "\x01"  # starts each commit header in the log output (a status token never does)


@dataclass(frozen=True)
class FileHistory:
    first: datetime  # author date of the oldest commit that touched the file (across renames)
    last: datetime  # author date of the newest one
    last_author: str  # author name of the newest one


@dataclass(frozen=True)
class Change:
    status: Status  # A added, M modified (or type changed), D deleted, R renamed
    path: str  # the path after the change (for D: the deleted path)
    old_path: str | None = None  # for R: the path before


def _git_module() -> Any:
    try:
        import git
    except ImportError as exc:  # GitPython itself missing, or no usable git executable
        raise AnthologyError(f"git is not available: {exc}", "Install git and make sure it is on PATH.") from None
    return git


def _stderr(exc: Any) -> str:
    """The first line git printed, without GitPython's decoration."""
    text = str(getattr(exc, "stderr", "") or exc).strip()
    if text.startswith("stderr:"):
        text = text[len("stderr:") :].strip().strip("'")
    for line in text.splitlines():
        if line.strip():
            return line.strip().removeprefix("fatal: ").removeprefix("error: ")
    return "git failed"


class Repository:
    """The git repository holding the book at `root`, opened once for several questions."""

    def __init__(self, root: Path) -> None:
        git = _git_module()
        self.root = Path(root)
        self._error = git.GitCommandError
        if not self.root.is_dir():
            raise AnthologyError(f"{root} is not a folder", "Pass --root DIR.")
        self.git = git.Git(str(self.root))
        try:
            lines = self.git.rev_parse("--is-shallow-repository", "--show-toplevel", "--show-prefix").split("\n")
        except self._error as exc:
            message = _stderr(exc)
            if "not a git repository" in message:
                raise AnthologyError(
                    f"{root} is not inside a git repository",
                    "Run the command in a clone of the book's repository (git clone …).",
                ) from None
            raise AnthologyError(f"git cannot read {root}: {message}") from None
        self.shallow = lines[0].strip() == "true"
        self.toplevel = Path(lines[1].strip())
        self.prefix = (
            lines[2].strip() if len(lines) > 2 else ""
        )  # the root's folder inside the repository, "" or "sub/"
        self._repo: Any = None
        self._commits: dict[str, str] = {}

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._repo is not None:
            self._repo.close()
            self._repo = None

    def _run(self, *args: str, **kwargs: Any) -> str:
        """Run a git subcommand; its output decoded as UTF-8 (undecodable bytes kept as escapes)."""
        command, *rest = args
        try:
            data = getattr(self.git, command.replace("-", "_"))(*rest, stdout_as_string=False, **kwargs)
        except self._error as exc:
            raise AnthologyError(f"git {command} failed: {_stderr(exc)}") from None
        return bytes(data).decode("utf-8", "surrogateescape")

    # --- refs ---------------------------------------------------------------------------------

    def resolve(self, ref: str, what: str = "ref") -> str:
        """The commit id `ref` names, or an AnthologyError that says how to get it."""
        if ref in self._commits:
            return self._commits[ref]
        try:
            commit = str(self.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")).strip()
        except self._error:
            pass
        else:
            self._commits[ref] = commit
            return commit
        if self.shallow:
            raise AnthologyError(f"The {what} '{ref}' is not in this shallow clone", FETCH_HINT)
        raise AnthologyError(
            f"Unknown {what} '{ref}': no branch, tag or commit has that name",
            "Name a branch that exists here, e.g. origin/main (run 'git fetch' first), or a commit id.",
        )

    def merge_base(self, base: str, head: str = "HEAD") -> str:
        """The commit where `head` left `base`: changes since then are the pull request's."""
        base_id, head_id = self.resolve(base, "base"), self.resolve(head, "head")
        try:
            return str(self.git.merge_base(base_id, head_id)).strip()
        except self._error:
            pass
        if self.shallow:
            raise AnthologyError(f"'{base}' and '{head}' have no common commit in this shallow clone", FETCH_HINT)
        raise AnthologyError(
            f"'{base}' and '{head}' share no history",
            "Compare the pull request's branch with the branch it was made from.",
        )

    # --- changes ------------------------------------------------------------------------------

    def diff(self, old: str, new: str) -> list[Change]:
        """Files that differ between two commits, with renames detected; paths under the root only."""
        out = self._run("diff", "--name-status", "-z", "-M", "--relative", "--no-ext-diff", old, new, "--")
        tokens = iter(out.split("\0"))
        changes = []
        for token in tokens:
            status = token.strip()
            if not status:
                continue
            if status[0] in "RC":
                old_path, path = next(tokens), next(tokens)
                if status[0] == "R":
                    changes.append(Change("R", path, old_path))
                else:  # a copy: the new file is an addition
                    changes.append(Change("A", path))
            else:
                path = next(tokens)
                changes.append(Change("M" if status[0] in "MTU" else status[0], path))  # type: ignore[arg-type]
        return sorted(changes, key=lambda c: (c.path, c.old_path or ""))

    # --- contents -----------------------------------------------------------------------------

    def file_at(self, ref: str, path: str) -> bytes | None:
        """The bytes of `path` (relative to the root) in commit `ref`, or None if it is not a file there."""
        if self._repo is None:
            self._repo = _git_module().Repo(str(self.toplevel))
        commit = self.resolve(ref)
        try:
            item = self._repo.commit(commit).tree / (self.prefix + path)
        except (KeyError, ValueError, self._error):
            return None
        if item.type != "blob":
            return None
        return bytes(item.data_stream.read())

    def export(self, ref: str, dest: Path) -> None:
        """Write the book's files as they are in commit `ref` into `dest` (git archive, then untar)."""
        stream = io.BytesIO()
        try:  # run inside the root, git archive holds only the root's files, with paths relative to it
            self.git.archive("--format=tar", self.resolve(ref), output_stream=stream)
        except self._error as exc:
            raise AnthologyError(f"git archive failed: {_stderr(exc)}") from None
        stream.seek(0)
        with tarfile.open(fileobj=stream) as archive:
            _extract(archive, dest)

    # --- history ------------------------------------------------------------------------------

    def history(self, paths: Iterable[str] = ()) -> dict[str, FileHistory]:
        """First and last change of every file (under `paths`), from one `git log` walk.

        Renames are followed: the history of a renamed file continues under its old name. A file
        that was deleted and added again starts over at the addition.
        """
        args = [
            "log",
            "--date-order",
            "-M",
            "--name-status",
            "-z",
            "--relative",
            "--no-ext-diff",
            f"--format={_START}%H%x00%aI%x00%an",
            "--",
        ]
        try:
            data = self.git.log(*args[1:], *paths, stdout_as_string=False)
        except self._error as exc:
            message = _stderr(exc)
            if "does not have any commits" in message or "bad default revision" in message:
                return {}  # a new repository: nothing committed yet
            raise AnthologyError(f"git log failed: {message}") from None
        return _walk(bytes(data).decode("utf-8", "surrogateescape"))


def _commits(out: str) -> Iterator[tuple[datetime, str, list[tuple[str, str, str | None]]]]:
    """(author date, author name, [(status, path, old path)]) per commit, newest first."""
    tokens = out.split("\0")
    index = 0
    current: tuple[datetime, str, list[tuple[str, str, str | None]]] | None = None
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith(_START):  # header: sha, date, author
            if current is not None:
                yield current
            current = (datetime.fromisoformat(tokens[index]), tokens[index + 1], [])
            index += 2
        elif token and current is not None:
            if token[0] in "RC":
                current[2].append((token[0], tokens[index + 1], tokens[index]))
                index += 2
            else:
                current[2].append((token[0], tokens[index], None))
                index += 1
    if current is not None:
        yield current


def _walk(out: str) -> dict[str, FileHistory]:
    found: dict[str, list[Any]] = {}  # path now -> [first, last, last author]
    alias: dict[str, str] = {}  # path in older commits -> path now
    ended: set[str] = set()  # older commits touching these paths are about an earlier file
    for when, author, entries in _commits(out):
        for status, path, old in entries:
            if path in ended:
                continue
            now = alias.get(path, path)
            record = found.get(now)
            if record is None:
                found[now] = [when, when, author]
            else:
                if when < record[0]:
                    record[0] = when
                if when > record[1]:
                    record[1], record[2] = when, author
            if status == "A" or (status == "C"):
                ended.add(path)
            elif status == "R" and old is not None:
                ended.add(path)
                alias[old] = now
                ended.discard(old)
    return {path: FileHistory(*record) for path, record in found.items()}


# --- one-call helpers -----------------------------------------------------------------------------


def history(root: Path, paths: Iterable[str] = ()) -> dict[str, FileHistory]:
    """`{path: FileHistory}` for every file git has seen under `root` (or under `paths`), one walk."""
    with Repository(root) as repository:
        return repository.history(paths)


def changed_files(root: Path, base: str, head: str = "HEAD") -> list[Change]:
    """What `head` changed since it left `base` (their merge base), renames detected."""
    with Repository(root) as repository:
        return repository.diff(repository.merge_base(base, head), repository.resolve(head, "head"))


def file_at(root: Path, ref: str, path: str) -> bytes | None:
    """The bytes of `path` (relative to `root`) in `ref`, or None when it is not a file there."""
    with Repository(root) as repository:
        return repository.file_at(ref, path)


def head_commit(root: Path) -> str | None:
    """The commit checked out at `root`, or None outside git (or before the first commit).

    One `git rev-parse`, without GitPython: a build asks only this, and importing GitPython
    would cost it more than the question does.
    """
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def _extract(archive: tarfile.TarFile, dest: Path) -> None:
    """Unpack a commit's files with tarfile's "data" filter: nothing outside `dest`, no links
    out of it, no devices. Python 3.11 before 3.11.4 (Debian 12's) lacks the filter: there the
    same checks are made here, member by member."""
    if hasattr(tarfile, "data_filter"):
        archive.extractall(dest, filter="data")
        return
    root = dest.resolve()
    for member in archive.getmembers():
        target = (root / member.name).resolve()
        if os.path.isabs(member.name) or not target.is_relative_to(root):
            raise tarfile.TarError(f"{member.name} would lie outside the book")
        if member.issym() or member.islnk():
            base = target.parent if member.issym() else root
            if os.path.isabs(member.linkname) or not (base / member.linkname).resolve().is_relative_to(root):
                raise tarfile.TarError(f"{member.name} links outside the book")
        elif not (member.isfile() or member.isdir()):
            continue  # devices, fifos: never part of a book
        member.mode &= 0o755 if member.isdir() or member.mode & 0o100 else 0o644
        archive.extract(member, root)
