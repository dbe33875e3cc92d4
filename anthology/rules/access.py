"""A: what would keep a reader who cannot see the page from the book (EPUB Accessibility 1.1)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..model import Book
from .registry import Finding, rule


@rule("A001", "image-without-alt", Severity.WARNING)
def image_without_alt(book: Book) -> Iterator[Finding]:
    """A picture in a chapter has no description (alt text).

    Screen readers read a picture's description aloud, and the e-book declares that every
    picture has one (WCAG 2.1, success criterion 1.1.1). Write what the picture shows between
    the brackets: `![A sketch of the desk](images/desk.png)`.
    """
    for chapter in book.chapters:
        for link in chapter.scan.links:
            if link.image and not link.text.strip():
                yield Finding(
                    chapter.path,
                    chapter.body_line + link.line - 1,
                    f"Picture '{link.target}' has no description",
                    f"Describe what it shows for readers who cannot see it: ![A short description]({link.target})",
                )
