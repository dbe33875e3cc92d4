"""Chapter word counts, as the book contract defines them.

The rule (what a reader sees: link text yes, URLs and image alt text no,
footnote text yes, code yes, list numbers no; a word is a run of non-space
characters with a letter or digit; each CJK ideograph or kana is a word) is
implemented once, in :mod:`anthology.markdown`, because telling what a reader
sees needs the same scan that finds links and code.  This module is the
stable, obvious entry point for ``validate`` and ``status``.
"""

from __future__ import annotations

from .markdown import scan

__all__ = ["count_words"]


def count_words(body: str) -> int:
    """Words in a chapter body (the text after the front matter)."""
    return scan(body).words
