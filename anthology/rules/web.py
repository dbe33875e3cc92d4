"""U: an author's website and e-mail address must be usable as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..model import AUTHORS_FILE, BOOK_FILE, Book
from .names import author_texts, shown
from .registry import Finding, rule


def website_problem(value: str) -> str | None:
    """Why `value` is not an absolute http(s) address with a host, or None if it is one."""
    if value != value.strip() or any(c.isspace() or not c.isprintable() for c in value):
        return "contains spaces or invisible characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return "is not a valid web address"
    if parts.scheme.lower() not in ("http", "https"):
        return "does not start with https:// or http://"
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return "has no site name after the //" if not parts.hostname else "contains a user name or password"
    return None


# local@domain.tld: no spaces, exactly one @, a dot-separated domain ending in a 2+ letter name.
_EMAIL = re.compile(r"[^@\s.][^@\s]*@(?:[^@\s.\\/]+\.)+[^@\s.\d\\/]{2,}", re.UNICODE)


def email_problem(value: str) -> str | None:
    """Why `value` is not a plausible e-mail address, or None if it is one."""
    if not value.strip():
        return "is empty"
    if value.lower().startswith("mailto:"):
        return "starts with 'mailto:'"
    if value.count("@") != 1:
        return "must contain exactly one @"
    if any(c.isspace() or not c.isprintable() for c in value):
        return "contains spaces or invisible characters"
    local = value.split("@")[0]
    if not _EMAIL.fullmatch(value) or local.endswith(".") or ".." in value:
        return "is not of the form name@example.org"
    return None


@rule("U001", "invalid-website")
def invalid_website(book: Book) -> Iterator[Finding]:
    """An author's `website` is not a full web address starting with `https://` or `http://`.

    The address is printed with the biography and becomes a link in the e-book, so it has
    to work as written: `https://example.org/me`, not `www.example.org` or `example.org`.
    Copy the address from your browser's address bar.
    """
    for author, value in author_texts(book, "website"):
        problem = website_problem(value)
        if problem:
            yield Finding(
                AUTHORS_FILE,
                author.line_of("website"),
                f"Website '{shown(value)}' of author '{author.id}' {problem}",
                "Copy the full address from your browser's address bar, e.g. 'https://example.org/me'.",
            )


@rule("U002", "invalid-email")
def invalid_email(book: Book) -> Iterator[Finding]:
    """An author's `email` does not look like an e-mail address (`name@example.org`).

    The editors use it to reach you; it is never printed, not even in this message. It must
    have one `@`, no spaces, and a domain with a dot, like `ana@example.org`.
    """
    for author, value in author_texts(book, "email"):
        problem = email_problem(value)
        if problem:
            yield Finding(
                AUTHORS_FILE,
                author.line_of("email"),
                f"E-mail address of author '{author.id}' {problem} (not shown here: addresses are private)",
                "Write just the address, like 'ana@example.org', without your name, spaces or 'mailto:'.",
            )


@rule("U003", "invalid-site-url")
def invalid_site_url(book: Book) -> Iterator[Finding]:
    """The `site_url` in book.yaml is not a full web address starting with `https://` or `http://`.

    `site_url` is where the web edition (`anthology build --format site`) is published, e.g.
    `https://example.github.io/my-book/`. Every page's canonical address and the sitemap
    are made from it, so it has to be the address readers will use, as written.
    """
    value = book.settings.raw.get("site_url") if book.settings else None
    if not isinstance(value, str):
        return  # absent, or not text (S002)
    problem = website_problem(value)
    if problem:
        yield Finding(
            BOOK_FILE,
            book.settings.line_of("site_url") if book.settings else None,
            f"site_url '{shown(value)}' {problem}",
            "Write the address where the web edition is published, e.g. 'https://example.github.io/my-book/'.",
        )
