"""Who owns which file of a book, and the judge of one pull request's changes by one GitHub login.

- a chapter belongs to the authors in its front matter `authors:` list;
- an author entry belongs to the GitHub login in its `github:` key, as it was before the pull
  request (for a new entry: as the pull request adds it);
- a picture under images/ belongs to whoever's chapters (or `photo:`) use it;
- everything else (book.yaml, front/, back/, .github/, the tool itself, …) belongs to the
  editors: the GitHub logins under `maintainers:` in book.yaml.

`Judge` collects findings as (code, Finding) pairs; `pull_request` documents the codes and turns
the findings into diagnostics.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import AUTHORS_FILE, CHAPTERS_DIR, IMAGES_DIR, Book
from .rules.registry import Finding
from .sources import YamlMap, parse_yaml, split_front_matter
from .sources import decode as decode_text

Touch = tuple[str, str | None, str | None]  # (kind, path before, path after)


# --- reading versions ------------------------------------------------------------------------------


def decode(data: bytes | None) -> str | None:
    """Text as the loader would read it (UTF-8, BOM and CRLF accepted), or None for binary or bad bytes."""
    if data is None or b"\x00" in data:
        return None
    try:
        return decode_text(data)
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class Front:
    """What ownership needs from one version of a chapter."""

    authors: tuple[str, ...] | None  # None: the front matter cannot be read
    line: int | None  # line of `authors:`
    images: frozenset[str]  # pictures the body uses, normalised


def read_front(data: bytes | None) -> Front | None:
    """A chapter version's authors and pictures; None when the file does not exist in that version."""
    if data is None:
        return None
    text = decode(data)
    if text is None:
        return Front(None, None, frozenset())
    front, _ = split_front_matter(text)
    images = images_in(front.body)
    if front.yaml_text is None:
        return Front(None, None, images)
    meta, _ = parse_yaml(front.yaml_text, front.yaml_line)
    if not isinstance(meta, YamlMap):
        return Front(None, None, images)
    listed = meta.get("authors")
    if isinstance(listed, str):
        listed = [listed]
    if not isinstance(listed, list):
        return Front(None, None, images)
    ids = tuple(str(a) for a in listed if isinstance(a, (str, int)) and not isinstance(a, bool))
    return Front(ids, meta.line_of("authors"), images)


def normal(target: str) -> str:
    """A picture path as written in Markdown, compared as a path: `./images/a.png#x` -> `images/a.png`."""
    path = posixpath.normpath(target.strip().split("#")[0].split("?")[0])
    return path[2:] if path.startswith("./") else path


def images_in(body: str) -> frozenset[str]:
    from .markdown import scan

    return frozenset(normal(link.target) for link in scan(body).links if link.image)


def read_mapping(data: bytes | None) -> YamlMap | None:
    """A YAML file's top mapping: empty when the file does not exist or is empty, None when unreadable."""
    if data is None:
        return _empty()
    text = decode(data)
    if text is None:
        return None
    parsed, problems = parse_yaml(text)  # duplicate keys and the like: validation reports them
    if parsed is None:
        return None if problems else _empty()
    return parsed if isinstance(parsed, YamlMap) else None


def _empty() -> YamlMap:
    empty = YamlMap()
    empty.line, empty.end_line, empty.key_lines = 1, 1, {}
    return empty


def changed_ids(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Author ids whose entries differ (compared as data, so comments and layout do not count)."""
    return [
        a for a in dict.fromkeys([*before, *after]) if (a in before) != (a in after) or before.get(a) != after.get(a)
    ]


def text_field(entry: Any, key: str) -> str | None:
    value = entry.get(key) if isinstance(entry, dict) else None
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def kind(path: str) -> str:
    """chapter | authors | image | editor"""
    if path == AUTHORS_FILE:
        return "authors"
    if path.startswith(f"{CHAPTERS_DIR}/") and path.count("/") == 1 and path.endswith(".md"):
        return "chapter"
    if path.startswith(f"{IMAGES_DIR}/"):
        return "image"
    return "editor"


# --- judging -----------------------------------------------------------------------------------------


@dataclass
class Judge:
    """The ownership checks for one pull request by `login`."""

    login: str
    base: YamlMap  # authors.yaml entries before
    head: YamlMap  # and after
    maintainers: tuple[str, ...]
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (code, finding)

    def me(self, login: str | None) -> bool:
        return login is not None and login.casefold() == self.login.casefold()

    def login_of(self, author_id: str) -> str | None:
        """An author's GitHub login: as before the pull request, or as added by it."""
        entry = self.base[author_id] if author_id in self.base else self.head.get(author_id)
        return text_field(entry, "github")

    def mine(self, authors: Iterable[str] | None) -> bool:
        return any(self.me(self.login_of(a)) for a in authors or ())

    def owners(self, authors: Iterable[str] | None) -> str:
        """`alice-smith (GitHub: alice) and carol (no GitHub login)`."""
        named = []
        for author_id in dict.fromkeys(authors or ()):
            login = self.login_of(author_id)
            if author_id not in self.base and author_id not in self.head:
                named.append(f"{author_id} (not in {AUTHORS_FILE})")
            else:
                named.append(f"{author_id} (GitHub: {login})" if login else f"{author_id} (no GitHub login)")
        if not named:
            return "no one"
        return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]

    @property
    def ask(self) -> str:
        editors = ", ".join(self.maintainers)
        return f"ask an editor ({editors})" if editors else "ask an editor"

    def report(self, code: str, path: str, line: int | None, message: str, hint: str) -> None:
        self.findings.append((code, Finding(path, line, message, hint)))

    # --- chapters --------------------------------------------------------------------------------

    def chapter(
        self, before_path: str | None, before: Front | None, after_path: str | None, after: Front | None
    ) -> None:
        """A chapter must list me before the change (if it existed) and after it (if it still exists)."""
        you = f"you are {self.login}"
        if before is not None and before.authors is not None and not self.mine(before.authors):
            path = after_path or before_path or ""
            if after_path is None:
                message = f"Deletes {before_path}, which belongs to {self.owners(before.authors)}; {you}"
            elif before_path != after_path:
                message = f"{before_path} (renamed to {after_path}) belongs to {self.owners(before.authors)}; {you}"
            else:
                message = f"{path} belongs to {self.owners(before.authors)}; {you}"
            self.report(
                "R001",
                path,
                after.line if after else None,
                message,
                f"Change only your own chapter, or {self.ask} to make this change.",
            )
            return
        if after is None or after_path is None:
            return
        if after.authors is None:
            if before is None or before.authors is None:  # new, or never readable: cannot tell whose it is
                self.report(
                    "R001",
                    after_path,
                    1,
                    f"{after_path} does not list you ({self.login}) among its authors: its front matter cannot be read",
                    "Begin the chapter with front matter naming your author id: authors: [your-id].",
                )
            return  # an author's own chapter with broken front matter: validation says what is wrong
        if not self.mine(after.authors):
            new = "New chapter " if before is None else ""
            self.report(
                "R001",
                after_path,
                after.line,
                f"{new}{after_path} is credited to {self.owners(after.authors)}; {you}",
                "List your own author id in its `authors:` (the id of your entry in authors.yaml).",
            )

    # --- authors.yaml ------------------------------------------------------------------------------

    def entries(self) -> list[str]:
        """Judge every entry that differs between the two versions; return the ids that changed."""
        changed = changed_ids(self.base, self.head)
        for author_id in changed:
            old, new = self.base.get(author_id), self.head.get(author_id)
            line = self.head.line_of(author_id) if author_id in self.head else None
            if author_id in self.base:
                owner = text_field(old, "github")
                if self.me(owner):
                    continue
                whose = f"{author_id} (GitHub: {owner})" if owner else f"{author_id} (no GitHub login)"
                what = "Removes" if author_id not in self.head else "Changes"
                self.report(
                    "R002",
                    AUTHORS_FILE,
                    line,
                    f"{what} the entry '{author_id}' in {AUTHORS_FILE}, which belongs to {whose}; you are {self.login}",
                    f"Edit only your own entry, or {self.ask}.",
                )
            else:
                owner = text_field(new, "github")
                if self.me(owner):
                    continue
                given = f"github: {owner}" if owner else "no github login"
                self.report(
                    "R002",
                    AUTHORS_FILE,
                    line,
                    f"The new entry '{author_id}' in {AUTHORS_FILE} has {given}; you are {self.login}",
                    f"Add only your own entry, with 'github: {self.login}'.",
                )
        return changed

    def photos(self, entries: YamlMap) -> set[str]:
        """The pictures used as `photo:` by my entries."""
        return {
            normal(photo)
            for entry in entries.values()
            if self.me(text_field(entry, "github")) and (photo := text_field(entry, "photo"))
        }

    # --- pictures ----------------------------------------------------------------------------------

    def pictures(self, book: Book, touches: list[Touch], fronts: Mapping[tuple[str, str], Front | None]) -> None:
        """Judge the touched pictures by who uses them: my chapters and photo (before and after), or others."""
        touched_after = {after for k, _, after in touches if k == "chapter" and after}
        mine_before, mine_after, others = self.photos(self.base), self.photos(self.head), set()
        for chapter in book.chapters:
            used = {normal(link.target) for link in chapter.scan.links if link.image}
            if self.mine(chapter.authors):
                mine_after |= used
                if chapter.path not in touched_after:
                    mine_before |= used  # unchanged, so the same before
            else:
                others |= used
        for (side, _), front in fronts.items():
            if side == "base" and front is not None and self.mine(front.authors):
                mine_before |= front.images
        others |= {
            normal(photo)
            for entry in self.head.values()
            if not self.me(text_field(entry, "github")) and (photo := text_field(entry, "photo"))
        }
        for k, before, after in touches:
            if k == "image":
                self.picture(before, after, mine_after if after is not None else mine_before, others)

    def picture(self, before_path: str | None, after_path: str | None, mine: set[str], others: set[str]) -> None:
        path = after_path or before_path or ""
        if before_path is not None and before_path in others:
            what = "Deletes" if after_path is None else "Changes"
            self.report(
                "R004",
                path,
                None,
                f"{what} {before_path}, which someone else's chapter or photo uses; you are {self.login}",
                f"Add a picture with a new name for your chapter, or {self.ask}.",
            )
        elif path not in mine:
            verb = "deleted" if after_path is None else "changed" if before_path == after_path else "added"
            self.report(
                "R004",
                path,
                None,
                f"{path} is {verb}, but no chapter of yours uses it; you are {self.login}",
                f"Use it in your chapter as ![Description]({path}), or {self.ask}.",
            )

    # --- everything else ---------------------------------------------------------------------------

    def editor_file(self, path: str) -> None:
        editors = f"the editors ({', '.join(self.maintainers)})" if self.maintainers else "the editors"
        if path.startswith(f"{CHAPTERS_DIR}/"):
            message = f"{path} is not a chapter (chapters/<id>.md), so it belongs to {editors}; you are {self.login}"
            hint = "Send your chapter as one Markdown file, chapters/<id>.md."
        else:
            message = f"{path} belongs to {editors}; you are {self.login}"
            hint = f"Change only your own chapter and entry, or {self.ask} to make this change."
        self.report("R003", path, None, message, hint)
