"""Inline masking: what in a paragraph is code, escaped, or taken verbatim.

:func:`mask` blanks code-span contents and escaped punctuation (keeping every
offset), so the inline checks never take them for HTML, TeX, a citation or a
link.  Which of two overlapping constructs wins follows pandoc: the one that
starts first, so a tag, an autolink, a link destination, math or a
super/subscript that opens before a backtick keeps that backtick literal.
Also here: the bracket, autolink and link-destination helpers the inline and
block checks share.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Callable

# What the masker stops at: backslash escapes of ASCII punctuation, backtick
# runs, "<" (an HTML tag or autolink there wins over a code span starting
# inside it, as in pandoc), "](" (a link destination is taken verbatim), "$"
# (math), "^" and "~" (super- and subscripts).
_MASK_CHARS_RE = re.compile(r"[\\`<\]$^~]")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # ASCII punctuation
# Inside ^super^ and ~sub~ scripts pandoc ignores "\<" and "\\" escapes:
# ^x\<img/src=x/onerror=...>^ and ^a\\input{x}^ come out as raw HTML and TeX.
_SCRIPT_ESCAPABLE = _ESCAPABLE - {"<", "\\"}
TICKS_RE = re.compile(r"`+")
# ^super^ and ~sub~ (no unescaped spaces inside) confine code spans: in
# ^x`^ <img ...> ` the backtick is literal and the tag is live HTML.
_SUPSUB_RE = re.compile(r"\^(?:\\[\s\S]|[^\s^\\])+\^|~(?:\\[\s\S]|[^\s~\\])+~")
# TeX math (pandoc's tex_math_dollars) is taken verbatim too, so no code span
# starts inside it.  It is not masked: TeX commands in math are reported as
# raw_tex, since pandoc hands math to LaTeX unchanged.
_MATH_RE = re.compile(r"\$\$[\s\S]+?\$\$|\$(?![\s$])(?:\\[\s\S]|[^$\\])*?(?<![\s\\])\$(?!\d)")
# A whole (short) tag, to skip it while masking.
_TAG_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9_:-]*(?:[\s/][^>]{0,300})?|\?[^>]{0,300}|![A-Za-z][^>]{0,300})>")
BRACKET_RE = re.compile(r"[\[\]]")
_NOTE_REF_RE = re.compile(r"\[\^[^\s\[\]^]+\]")  # a footnote marker [^1]
# A link's (destination "title"), with one level of nested parentheses.
PARENS_RE = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9._%+-]+@[A-Za-z0-9][A-Za-z0-9.-]*)>")
_DEST_TITLE_RE = re.compile(r"(.*?)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*$", re.DOTALL)

# URI schemes pandoc turns into autolinks (a common subset of its IANA list).
_SCHEMES = frozenset(
    [
        "http",
        "https",
        "ftp",
        "ftps",
        "sftp",
        "ssh",
        "git",
        "svn",
        "mailto",
        "tel",
        "sms",
        "fax",
        "urn",
        "doi",
        "isbn",
        "issn",
        "file",
        "data",
        "javascript",
        "vbscript",
        "about",
        "blob",
        "irc",
        "ircs",
        "news",
        "nntp",
        "xmpp",
        "sip",
        "sips",
        "magnet",
        "geo",
        "webcal",
        "ws",
        "wss",
        "gopher",
        "telnet",
        "ldap",
        "ldaps",
        "rtsp",
        "feed",
        "bitcoin",
        "spotify",
        "steam",
        "skype",
        "slack",
        "zoommtg",
        "matrix",
        "gemini",
        "ipfs",
        "ipns",
    ]
)


def is_autolink(match: re.Match[str]) -> bool:
    """Whether ``<...>`` is an autolink rather than an HTML tag.

    pandoc only autolinks known schemes; ``<a:b/onclick=x>`` is a tag with an
    event handler.  An unknown scheme still counts as an autolink when it
    could not carry an attribute (no ``=`` or quote).
    """
    body = match.group(1)
    colon = body.find(":")
    if colon > 0 and body[:colon].lower() in _SCHEMES:
        return True
    return "=" not in body and '"' not in body and "'" not in body


def parse_dest(raw: str) -> str:
    """Link destination as written: strip whitespace, <...> and a title."""
    raw = raw.strip()
    if raw.startswith("<"):
        end = raw.find(">")
        if end > 0:
            return raw[1:end].strip()
    m = _DEST_TITLE_RE.match(raw)
    return (m.group(1) if m else raw).strip()


def label(s: str) -> str:
    """Reference labels match case-insensitively, whitespace collapsed."""
    return " ".join(s.split()).casefold()


def bracket_pairs(src: str, *, escapes: bool = True) -> dict[int, int]:
    """Each "[" that has a matching "]", mapped to it (linear).  With
    ``escapes`` a bracket after a backslash is literal (``src`` unmasked)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for b in BRACKET_RE.finditer(src):
        at = b.start()
        if escapes and at and src[at - 1] == "\\":
            continue
        if b.group() == "[":
            stack.append(at)
        elif stack:
            pairs[stack.pop()] = at
    return pairs


def ticks_pair_up(line: str) -> bool:
    """Whether every backtick run in ``line`` has a partner of its length."""
    counts: dict[int, int] = {}
    for run in TICKS_RE.finditer(line):
        n = run.end() - run.start()
        counts[n] = counts.get(n, 0) + 1
    return all(c % 2 == 0 for c in counts.values())


def code_span_runs_on(unit: list[str], line: str) -> bool:
    """Whether a code span opened in ``unit`` would take in ``line`` (so the
    line cannot start a fence).  Exact for a short paragraph (math and the
    rest taken into account); a long one with unpaired backticks is assumed
    to run on, the safe answer (its text stays prose)."""
    if len(unit) > 40 or sum(map(len, unit)) > 4000:
        return True
    text = "\n".join(unit)
    return mask(text + "\n" + line)[len(text)] != "\n"


def mask(src: str, escapable: frozenset[str] = _ESCAPABLE) -> str:
    """Blank code-span contents and escaped punctuation (same length).

    Follows pandoc's left-to-right precedence: an escape, a tag, an autolink,
    a link destination, math or a super/subscript that starts first wins over
    a code span that would start inside it.  Linear: backtick runs are
    indexed once by length, and each index is only walked forwards.
    """
    return _Masker(src, escapable).run()


class _Masker:
    """One left-to-right pass of :func:`mask`.

    At each character that may start something, a handler returns the text
    that replaces ``src[at:end]`` in the mask (the same length) and ``end``.
    """

    __slots__ = ("dash_at", "escapable", "note_ends", "passed", "runs", "src")

    def __init__(self, src: str, escapable: frozenset[str]) -> None:
        self.src = src
        self.escapable = escapable
        self.runs: dict[int, list[int]] = {}  # backtick runs by length: starts
        # Per run length: the runs before this index are behind us.
        self.passed: dict[int, int] = {}
        self.note_ends: dict[int, int] | None = None  # "[" -> its "]", when needed
        self.dash_at = -2  # position of the next "-->" (-2 unknown, -1 none left)

    def run(self) -> str:
        src = self.src
        handlers = self.HANDLERS
        out: list[str] = []
        pos = 0
        search = _MASK_CHARS_RE.search
        while True:
            t = search(src, pos)
            if t is None:
                break
            at = t.start()
            text, end = handlers[src[at]](self, at)
            out.append(src[pos:at])
            out.append(text)
            pos = end
        out.append(src[pos:])
        return "".join(out)

    def escape(self, at: int) -> tuple[str, int]:
        """A backslash: an escaped ASCII punctuation character is blanked."""
        if self.src[at + 1 : at + 2] in self.escapable:
            return "\x00\x00", at + 2
        return "\\", at + 1

    def code_span(self, at: int) -> tuple[str, int]:
        """A backtick run: blank up to a closing run of the same length."""
        src = self.src
        end = TICKS_RE.match(src, at).end()  # type: ignore[union-attr]
        if not self.runs:
            for r in TICKS_RE.finditer(src):
                self.runs.setdefault(r.end() - r.start(), []).append(r.start())
        n = k = end - at
        close = self.closer(n, end)
        if close < 0:
            # pandoc gives up one literal backtick at a time: the rest of
            # the run may still open a shorter code span.
            k = max(
                (k2 for k2 in self.runs if k2 < n and self.closer(k2, end) >= 0),
                default=0,
            )
            close = self.closer(k, end) if k else -1
        if close < 0:
            return src[at:end], end
        return src[at:end] + " " * (close - end) + src[close : close + k], close + k

    def closer(self, k: int, after: int) -> int:
        """Start of the first run of exactly ``k`` backticks at or after ``after``."""
        starts = self.runs.get(k)
        if starts is None:
            return -1
        j = self.passed.get(k, 0)
        while j < len(starts) and starts[j] < after:
            j += 1
        self.passed[k] = j
        return starts[j] if j < len(starts) else -1

    def script(self, at: int) -> tuple[str, int]:
        """``^super^`` or ``~sub~``: masked on its own, with fewer escapes."""
        src = self.src
        ch = src[at]
        sup = _SUPSUB_RE.match(src, at)
        # "^[" is an inline note, unless it is also a script with a
        # backtick inside: then pandoc's note fails and the script wins.
        note = False
        if ch == "^" and src[at + 1 : at + 2] == "[":
            if self.note_ends is None:
                self.note_ends = bracket_pairs(src)
            close = self.note_ends.get(at + 1, -1)
            # pandoc: ^[x](u) is "^" and a link, not a note.
            note = close > 0 and src[close + 1 : close + 2] not in ("(", "[")
        ref = _NOTE_REF_RE.match(src, at - 1) is not None if at > 0 else False
        if sup is None or ref or (note and "`" not in sup.group()):
            return ch, at + 1
        # Escapes of "<" and "\\" do not work in there (see above); an
        # unmasked backslash is at worst reported.
        inner = src[at + 1 : sup.end() - 1]
        return ch + mask(inner, _SCRIPT_ESCAPABLE) + ch, sup.end()

    def angle(self, at: int) -> tuple[str, int]:
        """``<``: a comment, autolink or tag is kept whole."""
        src = self.src
        end = at + 1
        if src.startswith("<!--", at):
            if self.dash_at != -1 and self.dash_at < at + 4:
                self.dash_at = src.find("-->", at + 4)
            if self.dash_at >= 0:
                end = self.dash_at + 3
        else:
            whole = AUTOLINK_RE.match(src, at)
            if whole is None or not is_autolink(whole):
                whole = _TAG_RE.match(src, at)
            if whole is not None:
                end = whole.end()
        return src[at:end], end

    def math(self, at: int) -> tuple[str, int]:
        """``$``: TeX math is kept whole."""
        whole = _MATH_RE.match(self.src, at)
        end = whole.end() if whole is not None else at + 1
        return self.src[at:end], end

    def destination(self, at: int) -> tuple[str, int]:
        """``](``: a link destination is kept whole."""
        end = at + 1
        if self.src[end : end + 1] == "(":
            whole = PARENS_RE.match(self.src, end)
            if whole is not None:
                end = whole.end()
        return self.src[at:end], end

    HANDLERS: ClassVar[dict[str, Callable[[_Masker, int], tuple[str, int]]]] = {
        "\\": escape,
        "`": code_span,
        "^": script,
        "~": script,
        "<": angle,
        "$": math,
        "]": destination,
    }
