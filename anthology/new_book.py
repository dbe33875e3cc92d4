"""A new book repository from the templates in `anthology/scaffold/`, with a first commit.

Every file under `scaffold/` is copied to the same place in the new book, with `$name`
placeholders filled by `string.Template.safe_substitute`, so shell variables in the workflow
(`$BASE_REF`) and anything else that is not a known placeholder stay as written.
Existing files are never overwritten.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import AnthologyError

if TYPE_CHECKING:
    import git

DEFAULT_TITLE = "A New Anthology"
# The name the tool is published under (on PyPI, "anthology" is an unrelated project).
DISTRIBUTION = "anthology-books"
REQUIREMENT = f"{DISTRIBUTION}=={__version__}"
# The GitHub Action (action.yml) that the generated workflow installs anthology with, pinned by
# commit like every action: a commit of this repository whose action.yml installs this version.
# Releasing: after tagging vX.Y.Z, set ACTION_COMMIT to the tagged commit for the next release.
ACTION_REPOSITORY = "anthology-books/anthology"
ACTION_COMMIT = "6dadde1dbed8eb0c0f740a1e517ca3e50d108a22"
ACTION = f"{ACTION_REPOSITORY}@{ACTION_COMMIT} # v{__version__}"
LIMITS = {"chapter_min": 100, "chapter_max": 400, "bio_max": 60}
FALLBACK_AUTHOR = ("anthology", "anthology@localhost")
COMMIT_MESSAGE = "Start the book with anthology init"


def yaml_quote(text: str) -> str:
    """`text` as a YAML double-quoted scalar that every YAML parser reads back unchanged.

    Backslash and double quote are escaped; so is every character YAML does not allow
    unescaped, or would read as a line break (controls, U+0085, U+2028, U+2029, U+FEFF, …).
    """
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif (
            code == 0x20
            or (0x21 <= code <= 0x7E)
            or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
            or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
            or code >= 0x10000
        ):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:  # pragma: no cover - every code point above 0xFFFF is printable
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def placeholders(title: str) -> dict[str, str]:
    """The values of the templates' `$name` placeholders."""
    values = {
        "title": title,
        "title_yaml": yaml_quote(title),
        "version": __version__,
        "requirement": REQUIREMENT,
        "action": ACTION,
    }
    values.update((name, str(value)) for name, value in LIMITS.items())
    return values


def templates() -> Iterator[tuple[str, Traversable]]:
    """Each template file as (POSIX path relative to the book root, the packaged file), sorted."""

    def walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name == "__pycache__":
                continue
            if entry.is_dir():
                yield from walk(entry, f"{prefix}{entry.name}/")
            else:
                yield f"{prefix}{entry.name}", entry

    yield from walk(files("anthology") / "scaffold", "")


def render(text: str, values: dict[str, str]) -> str:
    return string.Template(text).safe_substitute(values)


@dataclass
class Scaffolded:
    """What `init` did: files written, files left alone, and the commit (if one was made)."""

    root: Path
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    commit: str | None = None
    no_commit_reason: str | None = None


def is_empty(folder: Path) -> bool:
    """Empty, or holding nothing but a `.git` folder (a freshly cloned empty repository)."""
    return all(entry.name == ".git" for entry in folder.iterdir())


def init_book(root: Path, title: str = DEFAULT_TITLE, force: bool = False, commit: bool = True) -> Scaffolded:
    """Write a new book into `root`; refuse a non-empty folder unless `force` (which still skips existing files)."""
    if root.exists() and not root.is_dir():
        raise AnthologyError(f"{root} is a file, not a folder", "Name a new or empty folder.")
    if root.is_dir() and not is_empty(root) and not force:
        raise AnthologyError(
            f"{root} is not empty",
            "Name a new or empty folder, or add --force to add the missing files (existing files are never changed).",
        )
    if not title.strip():
        raise AnthologyError("The title is empty", 'Give one with --title "…".')
    values = placeholders(title.strip())
    result = Scaffolded(root)
    root.mkdir(parents=True, exist_ok=True)
    for relative, template in templates():
        target = root / relative
        if target.exists() or target.is_symlink():
            result.skipped.append(relative)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(render(template.read_text(encoding="utf-8"), values))
        result.created.append(relative)
    if commit and result.created:
        first_commit(result)
    return result


def first_commit(result: Scaffolded) -> None:
    """Commit the created files, in a new repository or one without commits yet.

    An existing history is left alone (its owner reviews and commits the new files), and so is
    a machine without git: the book works without a commit.
    """
    try:
        import git
    except ImportError as exc:  # GitPython raises ImportError when no git executable is found
        result.no_commit_reason = f"git is not available ({exc.__class__.__name__})"
        return
    root = result.root
    if (root / ".git").exists():
        repo = git.Repo(root)
        if repo.head.is_valid():
            result.no_commit_reason = f"{root} already has a git history; review the new files and commit them yourself"
            return
    else:
        try:
            repo = git.Repo.init(root, initial_branch="main")
        except git.GitCommandError:  # git before 2.28 has no --initial-branch
            repo = git.Repo.init(root)
    repo.index.add(result.created)
    author = None if has_identity(repo) else git.Actor(*FALLBACK_AUTHOR)
    made = repo.index.commit(COMMIT_MESSAGE, author=author, committer=author)
    result.commit = made.hexsha


def has_identity(repo: git.Repo) -> bool:
    """Whether git knows who commits here: user.name and user.email in its config or environment."""
    if os.environ.get("GIT_AUTHOR_NAME") and os.environ.get("GIT_AUTHOR_EMAIL"):
        return True
    reader = repo.config_reader()
    return bool(reader.get_value("user", "name", "")) and bool(reader.get_value("user", "email", ""))
