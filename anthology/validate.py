"""Run the rules over a book and collect a Report, for the whole book or for some chapters."""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic, Report
from .model import AUTHORS_FILE, Book, Chapter
from .rules import RULES


def relevant(diagnostic: Diagnostic, chapters: list[Chapter], book: Book) -> bool:
    """Whether a diagnostic concerns the chosen chapters or the authors they name."""
    paths = {c.path for c in chapters}
    if diagnostic.path in paths:
        return True
    if diagnostic.path != AUTHORS_FILE:
        return False
    if diagnostic.line is None or diagnostic.code.startswith("F"):
        return True  # authors.yaml itself is broken: everybody's problem
    named = {a for c in chapters for a in c.authors}
    return any(
        author.line <= diagnostic.line <= author.end_line
        for author_id, author in book.authors.items()
        if author_id in named
    )


def validate(book: Book, only: Iterable[str] | None = None, codes: Iterable[str] | None = None) -> Report:
    """Check `book`. With `only` (chapter paths), keep what concerns those chapters and their authors."""
    wanted = set(only) if only is not None else None
    selected = [c for c in book.chapters if wanted is None or c.path in wanted]
    chosen = [RULES[c] for c in codes] if codes is not None else list(RULES.values())
    diagnostics = [d for rule in chosen for d in rule.run(book)]
    if wanted is not None:
        diagnostics = [d for d in diagnostics if relevant(d, selected, book)]
    return Report(
        diagnostics=diagnostics,
        chapters=len(selected),
        words=sum(c.words for c in selected),
    )
