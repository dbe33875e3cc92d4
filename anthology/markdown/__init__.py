"""A light, line-based scanner for chapter bodies (pandoc Markdown).

Why not run pandoc?  ``validate`` must check thousands of chapters in well
under a second, and pandoc costs tens of milliseconds per call.  This package
finds, in one pass over the lines, what the book contract forbids (raw HTML,
raw TeX, raw attributes, attributes, citations, in-body YAML, unclosed
fences), every link and image with its line, and the reader-visible word count.

It is an approximation of pandoc's parser tuned to err on the safe side: when
it cannot tell whether text is code or prose it treats it as prose, so a
doubtful case produces a diagnostic rather than letting raw HTML or TeX slip
through.  pandoc quirks that would otherwise hide live HTML (escapes ignored
in ^super^/~sub~ scripts, tags and link destinations winning over code spans,
headerless tables, lazy blockquote lines, ...) are handled and pinned by tests
against pandoc itself.  The build still disables the raw extensions in pandoc.

Every step is linear in the input, so a hostile chapter cannot stall
``validate``.  Only ``re`` and ``dataclasses`` are used (plus ``typing`` for
annotations); all patterns are compiled at import time.

The layout, in the order a chapter goes through it:

- ``scanner``: :func:`scan`, the line loop (and its fast path for prose);
- ``state``: the one :class:`~.state.BlockState` every block construct reads
  and changes, and how a line's quote markers and indentation are read;
- ``blocks``, ``codeblocks``, ``tables``: one function per block construct;
- ``inline``: the checks of a paragraph-like unit (links, raw HTML, TeX,
  citations, attributes) and the text a reader sees;
- ``masking``: what in a unit is code, escaped, or taken verbatim;
- ``findings``: the results (:class:`Scan`, :class:`Link`,
  :class:`Construct`) and their collector;
- ``tokens``: the contract's word-count rule, :func:`count_tokens`.
"""

from __future__ import annotations

from .findings import KINDS, Construct, Link, Scan
from .scanner import scan
from .tokens import _WORD_RE, count_tokens  # noqa: F401  (_WORD_RE: for tests)

__all__ = ["KINDS", "Construct", "Link", "Scan", "count_tokens", "scan"]
