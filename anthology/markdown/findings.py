"""What a scan finds (the public records), and the collector that keeps them.

Links and constructs are numbered as they are found, so that sorting by line
then number gives source order even though block and inline checks interleave.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import count_tokens

KINDS = (
    "raw_html",
    "raw_attribute",
    "attribute",
    "raw_tex",
    "citation",
    "yaml_block",
    "unclosed_fence",
)


@dataclass(frozen=True)
class Link:
    """A link, image or autolink found in prose (never inside code)."""

    line: int  # 1-based line in the text given to scan()
    target: str  # URL or path as written (<>, "title" removed, stripped)
    text: str  # link text or image alt text, as written (at most 1000 characters)
    image: bool


@dataclass(frozen=True)
class Construct:
    """A forbidden construct; ``kind`` is one of :data:`KINDS`."""

    line: int
    kind: str
    snippet: str  # offending source text, at most 60 characters


@dataclass(frozen=True)
class Scan:
    """Everything ``validate`` needs from one chapter body."""

    words: int
    links: tuple[Link, ...]
    constructs: tuple[Construct, ...]


class Findings:
    """What one scan has found so far, and the text a reader will see."""

    __slots__ = ("code", "constructs", "defs", "links", "pending", "prose", "seq")

    def __init__(self) -> None:
        self.prose: list[str] = []  # reader-visible prose, one entry per unit
        self.code: list[str] = []  # code lines (their words count too)
        self.links: list[tuple[int, int, Link]] = []
        # Reference links (line, seq, label, text, image), resolved at the end
        # because a definition may come after its use.
        self.pending: list[tuple[int, int, str, str, bool]] = []
        self.defs: dict[str, str] = {}  # reference label -> destination
        self.constructs: list[tuple[int, int, Construct]] = []
        self.seq = 0

    def flag(self, line: int, kind: str, snippet: str) -> None:
        self.seq += 1
        self.constructs.append((line, self.seq, Construct(line, kind, snippet[:60])))

    def link(self, line: int, target: str, text: str, image: bool) -> None:
        self.seq += 1
        self.links.append((line, self.seq, Link(line, target, text, image)))

    def reference(self, line: int, label: str, text: str, image: bool) -> None:
        """A link or image by reference: a link if ``label`` is defined somewhere."""
        self.seq += 1
        self.pending.append((line, self.seq, label, text, image))

    def absorb(self, other: Findings) -> None:
        """Add what ``other`` found and this has not (no words): a second
        reading of the same lines."""
        seen = {(c.line, c.kind) for _, _, c in self.constructs}
        for line, _, c in other.constructs:
            if (line, c.kind) not in seen:
                seen.add((line, c.kind))
                self.flag(line, c.kind, c.snippet)
        known = {(x.line, x.target, x.image) for _, _, x in self.links}
        for line, _, x in other.links:
            if (line, x.target, x.image) not in known:
                self.link(line, x.target, x.text, x.image)
        waiting = {(p[0], p[2], p[4]) for p in self.pending}
        for p in other.pending:
            if (p[0], p[2], p[4]) not in waiting:
                self.reference(p[0], p[2], p[3], p[4])

    def result(self) -> Scan:
        """Resolve reference links and count words."""
        for line, seq, label, text, image in self.pending:
            target = self.defs.get(label)
            if target is not None:
                self.links.append((line, seq, Link(line, target, text, image)))
        self.links.sort(key=lambda x: (x[0], x[1]))
        self.constructs.sort(key=lambda x: (x[0], x[1]))
        words = count_tokens("\n".join(self.prose))
        if self.code:
            words += count_tokens("\n".join(self.code), drop_urls=False)
        return Scan(
            words,
            tuple(x[2] for x in self.links),
            tuple(x[2] for x in self.constructs),
        )
