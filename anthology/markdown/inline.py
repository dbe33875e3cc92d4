"""Inline checks of one paragraph-like unit: links, raw HTML, TeX, citations
and attributes, and the text a reader sees (what the words are counted on).

Each check reads the masked unit (code spans and escapes blanked, same
offsets; see :mod:`.masking`) and reports what it finds against the source
text.  Every step is linear in the unit's length.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .findings import Findings
from .masking import (
    AUTOLINK_RE,
    PARENS_RE,
    bracket_pairs,
    is_autolink,
    label,
    mask,
    parse_dest,
)

if TYPE_CHECKING:
    from collections.abc import Callable

# Where raw HTML starts: a tag name followed by space, "/" or ">" (it is a
# tag if a ">" follows somewhere), a comment, a processing instruction or a
# declaration.  Only the start is matched, so scanning stays linear.
_TAG_START_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9_:-]*(?=[\s/>])|!--|\?|![A-Za-z])")
_NEWLINE_RE = re.compile(r"\n")
# A TeX command with its argument groups (so \newcommand{\x}{y} is one hit).
_TEX_RE = re.compile(r"\\[A-Za-z]+(?:\{[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}|\[[^\[\]\n]*\])*")
# pandoc: '@' not preceded by an alphanumeric or '.', followed by a key start.
_CITE_RE = re.compile(r"(?<![^\W_])(?<!\.)@(?=[\w{])")
_CITE_KEY_RE = re.compile(r"@(?:\{[^}\n]{0,100}\}?|[^\s,;\]\[()]{0,100})")
_ATTR = (
    r"\{[ \t]*(?:(?:[#.][^\s{}]+|-|[A-Za-z_][\w.:-]*="
    r"(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'|[^\s{}\"']*))[ \t]*)+\}"
)
_ATTR_RE = re.compile(_ATTR)  # an attribute counts after ] ) ` or >
_HEADING_ATTR_RE = re.compile(r"(?:^|[ \t])" + _ATTR + r"[ \t]*$")
_RAW_ATTR_INLINE_RE = re.compile(r"`\{[ \t]*=[ \t]*[^\s{}]+[ \t]*\}")
_MAX_LABEL = 1000  # longer bracketed text is never a reference label

# Ranges a reader does not see, with what replaces them: "" keeps the
# neighbours one word ([API](u)s), " " separates them (a![x](i)b).
Cuts = list[tuple[int, int, str]]


def check_unit(found: Findings, src: str, first: int, heading: bool = False) -> None:
    """Check one paragraph-like unit and keep its reader-visible text.

    ``src`` is the unit's consecutive lines joined by newlines, ``first``
    the number of its first line.  Code spans and backslash escapes are
    masked (``m``, same offsets) so that nothing inside them is taken for
    HTML, TeX, a citation or a link.
    """
    line = _line_finder(src, first)
    m = src
    if "`" in src or "\\" in src:
        m = mask(src)
    cuts: Cuts = []
    if "[" in m:
        m = _Links(found, src, m, line, cuts).run()
    if "<" in m:
        m = _autolinks(found, src, m, line, cuts)
        _raw_html(found, src, m, line)
    if "\\" in m:
        for t in _TEX_RE.finditer(m):
            found.flag(line(t.start()), "raw_tex", _snippet(src, t.start(), t.end()))
    if "@" in m:
        _citations(found, src, m, line)
    if "{" in m:
        _attributes(found, src, m, line, cuts, heading)
    found.prose.append(_cut(src, cuts) if cuts else src)


def shadow(found: Findings, src: str, first: int) -> None:
    """Check ``src`` as one unit too, adding only what is new (no words)."""
    other = Findings()
    check_unit(other, src, first)
    found.absorb(other)


def _autolinks(found: Findings, src: str, m: str, line: Callable[[int], int], cuts: Cuts) -> str:
    """Report ``<scheme:...>`` autolinks; return ``m`` with their targets blanked."""
    autolinks = []
    for a in AUTOLINK_RE.finditer(m):
        if is_autolink(a):
            target = src[a.start(1) : a.end(1)]
            found.link(line(a.start()), target.strip(), target, False)
            cuts.append((a.start(), a.end(), " "))
            autolinks.append((a.start(1), a.end(1)))
    return _blank(m, autolinks) if autolinks else m


def _raw_html(found: Findings, src: str, m: str, line: Callable[[int], int]) -> None:
    """Report tags (a tag start with a ">" somewhere after it) and comments."""
    last_gt = src.rfind(">")
    for h in _TAG_START_RE.finditer(m):
        start = h.start()
        if src.startswith("<!--", start) or last_gt > start:
            snippet = _snippet(src, start, _tag_end(src, start))
            found.flag(line(start), "raw_html", snippet)


def _citations(found: Findings, src: str, m: str, line: Callable[[int], int]) -> None:
    """Report ``@key`` citations, showing the whole ``[see @key, p. 3]``."""
    for c in _CITE_RE.finditer(m):
        start = c.start()
        end = _CITE_KEY_RE.match(m, start).end()  # type: ignore[union-attr]
        open_ = m.rfind("[", max(0, start - 100), start)
        if open_ >= 0 and "]" not in m[open_:start] and "\n" not in m[open_:start]:
            close = m.find("]", start, start + 100)
            start = open_
            if close > 0:
                end = close + 1
        found.flag(line(c.start()), "citation", _snippet(src, start, end))


def _attributes(
    found: Findings,
    src: str,
    m: str,
    line: Callable[[int], int],
    cuts: Cuts,
    heading: bool,
) -> None:
    """Report ```` `x`{=html} ```` raw attributes and ``{...}`` attributes
    after ] ) ` or > (or at the end of a heading), and cut them from the words."""
    for r in _RAW_ATTR_INLINE_RE.finditer(m):
        start = m.rfind("`", max(0, r.start() - 60), r.start())  # the code span
        while start > 0 and m[start - 1] == "`":
            start -= 1
        snippet = _snippet(src, max(start, 0), r.end())
        found.flag(line(r.start()), "raw_attribute", snippet)
        cuts.append((r.start() + 1, r.end(), ""))
    for a in _ATTR_RE.finditer(m):
        if a.start() and m[a.start() - 1] in "])`>":
            found.flag(line(a.start()), "attribute", _snippet(src, a.start(), a.end()))
            cuts.append((a.start(), a.end(), ""))
    if heading:
        h = _HEADING_ATTR_RE.search(m)
        if h:
            pos = m.index("{", h.start())
            found.flag(line(pos), "attribute", _snippet(src, pos, h.end()))
            cuts.append((pos, h.end(), " "))


class _Links:
    """Links, images and footnote markers in one unit."""

    __slots__ = (
        "closes",
        "consumed",
        "cuts",
        "dests",
        "found",
        "in_dest",
        "line",
        "m",
        "src",
    )

    def __init__(self, found: Findings, src: str, m: str, line: Callable[[int], int], cuts: Cuts) -> None:
        self.found = found
        self.src = src
        self.m = m
        self.line = line
        self.cuts = cuts
        self.closes: dict[int, int] = {}  # "[" -> its "]"
        self.consumed: set[int] = set()  # "[" of a [text][label] pair's label
        self.in_dest = bytearray(len(m))  # 1 inside a link destination already read
        self.dests: list[tuple[int, int]] = []

    def run(self) -> str:
        """Report what the bracket pairs are; return ``m`` with link
        destinations blanked so URLs are not checked as prose."""
        m = self.m
        self.closes = bracket_pairs(m, escapes=False)  # m has escapes masked
        for o, c in sorted(self.closes.items()):
            if self.in_dest[o] or o in self.consumed or self.note(o, c):
                continue
            if m[c + 1 : c + 2] == "(":
                self.inline(o, c)
            elif c - o <= _MAX_LABEL:
                self.reference(o, c)
        return _blank(m, self.dests) if self.dests else m

    def note(self, o: int, c: int) -> bool:
        """A footnote marker [^1] (not a word) or inline note ^[text] (its
        text counts)."""
        m = self.m
        if m[o + 1 : o + 2] == "^":
            if c > o + 2 and not (o > 0 and m[o - 1] == "^"):
                self.cuts.append((o, c + 1, ""))
            return True
        if o > 0 and m[o - 1] == "^" and m[c + 1 : c + 2] not in ("(", "["):
            self.cuts.append((o - 1, o + 1, " "))
            return True
        return False

    def inline(self, o: int, c: int) -> None:
        """``[text](destination "title")`` or ``![alt](...)``."""
        p = PARENS_RE.match(self.m, c + 1)
        if p is None:
            return
        image = o > 0 and self.m[o - 1] == "!"
        start = o - 1 if image else o
        close = p.end() - 1
        # The text is capped: nested brackets would make the copies quadratic.
        text = self.src[o + 1 : min(c, o + 1 + _MAX_LABEL)]
        target = parse_dest(self.src[c + 2 : close])
        self.found.link(self.line(start), target, text, image)
        self.cuts.append((start, close + 1, " ") if image else (c, close + 1, ""))
        self.in_dest[c + 2 : close] = b"\x01" * (close - c - 2)
        self.dests.append((c + 2, close))

    def reference(self, o: int, c: int) -> None:
        """``[text][label]``, ``[text][]`` or ``[text]``: a link if the label
        is defined (see :meth:`Findings.result`)."""
        m, src = self.m, self.src
        image = o > 0 and m[o - 1] == "!"
        start = o - 1 if image else o
        text = src[o + 1 : c]
        if m[c + 1 : c + 2] == "[":
            c2 = self.closes.get(c + 1)
            if c2 is not None and c2 - c <= _MAX_LABEL:
                self.consumed.add(c + 1)
                name = label(src[c + 2 : c2] or text)
                self.found.reference(self.line(start), name, text, image)
                self.cuts.append((start, c2 + 1, " ") if image else (c + 1, c2 + 1, ""))
                return
        if text.strip() and "@" not in text[:2]:
            self.found.reference(self.line(start), label(text), text, image)
            if image:
                self.cuts.append((start, c + 1, " "))


def _line_finder(src: str, first: int) -> Callable[[int], int]:
    """Offset -> line number within a unit whose first line is ``first``."""
    if "\n" not in src:
        return lambda pos: first
    if len(src) < 8192:
        return lambda pos: first + src.count("\n", 0, pos)
    breaks = [b.start() for b in _NEWLINE_RE.finditer(src)]

    def line(pos: int) -> int:
        lo, hi = 0, len(breaks)
        while lo < hi:  # count the line breaks before pos (a long unit)
            mid = (lo + hi) // 2
            if breaks[mid] < pos:
                lo = mid + 1
            else:
                hi = mid
        return first + lo

    return line


def _snippet(src: str, start: int, end: int) -> str:
    """The offending text ``src[start:end]``: first line, at most 60 chars."""
    return src[start : min(end, start + 60)].split("\n", 1)[0].rstrip()


def _tag_end(src: str, start: int) -> int:
    """End of the tag or comment starting at ``start`` for a snippet (<= 60)."""
    close = "-->" if src.startswith("<!--", start) else ">"
    end = src.find(close, start, start + 60)
    return end + len(close) if end >= 0 else start + 60


def _blank(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with the given ranges replaced by spaces (same length)."""
    parts = []
    pos = 0
    for a, b in sorted(ranges):
        if a > pos:
            parts.append(text[pos:a])
        if b > max(a, pos):
            parts.append(" " * (b - max(a, pos)))
        pos = max(pos, b)
    parts.append(text[pos:])
    return "".join(parts)


def _cut(src: str, cuts: Cuts) -> str:
    """``src`` without what a reader does not see (each cut by its joiner)."""
    cuts.sort()
    parts = []
    pos = 0
    for a, b, joiner in cuts:
        if a >= pos:
            parts.append(src[pos:a])
            parts.append(joiner)
        pos = max(pos, b)
    parts.append(src[pos:])
    return "".join(parts)
