"""A light, line-based scanner for chapter bodies (pandoc Markdown).

Why not run pandoc?  ``validate`` must check thousands of chapters in well
under a second, and pandoc costs tens of milliseconds per call.  This module
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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["KINDS", "Construct", "Link", "Scan", "count_tokens", "scan"]

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


# --------------------------------------------------------------------------
# Word counting (the contract's rule lives here and only here)
# --------------------------------------------------------------------------

# CJK ideographs and kana: each character is one word.  Kana punctuation
# (U+30FB middle dot, U+30A0, sound marks U+3099-309C) is left out.
_CJK = (
    "\u3005\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9d"
    "\U0001b000-\U0001b16f\U00020000-\U0003134f"
)
# A word: one CJK character, or a run of non-space, non-CJK characters that
# contains at least one letter or digit (``[^\W_]`` = alphanumeric).  Dashes
# and other punctuation inside the run keep compounds as one word.
_WORD_RE = re.compile(f"[{_CJK}]|[^\\s{_CJK}]*?[^\\W_{_CJK}][^\\s{_CJK}]*")
_CJK_SEARCH_RE = re.compile(f"[{_CJK}]")
_ALNUM_RE = re.compile(r"[^\W_]")

# Fast path (the same rule, computed on UTF-8 bytes with C-speed primitives).
# Deleting every ASCII byte that is neither space nor alphanumeric, and
# mapping the rest to ' ' / 'a' / 'x', leaves token boundaries intact, so
# counting b" a" counts tokens with an ASCII letter or digit.  Tokens made
# only of punctuation and non-ASCII characters ("—", "“", "é", emoji) are
# rare; they are decoded and checked one by one.  Text holding CJK characters
# or non-ASCII spaces takes the reference path (``_WORD_RE``).
_ASCII_SPACE = b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"  # what str.split() splits on
_ASCII_ALNUM = bytes(b for b in range(128) if chr(b).isalnum())
_ASCII_OTHER = bytes(
    b for b in range(128) if b not in _ASCII_SPACE and b not in _ASCII_ALNUM
)
_NON_ASCII = bytes(range(128, 256))
# ' ' for space, 'a' for ASCII alphanumeric, 'x' for a non-ASCII byte.
_BYTE_CLASS = bytes(
    0x20 if b in _ASCII_SPACE else 0x61 if b in _ASCII_ALNUM else 0x78
    for b in range(256)
)
# Same offsets as the text: ' ', 'a', 'p' (other ASCII), 'x' (non-ASCII).
_BYTE_CLASS_P = bytes(
    0x70 if b in _ASCII_OTHER else c for b, c in zip(range(256), _BYTE_CLASS)
)
_NO_ASCII_ALNUM_RE = re.compile(rb" [px]*x[px]*(?= )")
# UTF-8 lead bytes of CJK ranges (U+3000-9FFF, U+F900-FFFF, planes 1-3) and
# non-ASCII white space (U+0085, U+00A0, U+1680, U+2000-200A, U+2028-2029,
# U+202F, U+205F); their presence sends text to the reference path.
_SLOW_BYTES_RE = re.compile(
    rb"[\xe3-\xe9\xef\xf0]|\xc2[\x85\xa0]|\xe1\x9a\x80"
    rb"|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
)


_URL_MARK_RE = re.compile(r"://|www\.")
_SPACE_RE = re.compile(r"\s")


def _drop_urls(text: str) -> str:
    """Blank every token containing ``://`` or ``www.`` (a bare URL)."""
    parts: list[str] = []
    pos = 0
    for mark in _URL_MARK_RE.finditer(text):
        k = mark.start()
        if k < pos:
            continue  # inside a URL already dropped
        start = k
        while start > pos and not text[start - 1].isspace():
            start -= 1
        end = _SPACE_RE.search(text, k)
        stop = end.start() if end is not None else len(text)
        parts.append(text[pos:start])
        pos = stop
    parts.append(text[pos:])
    return " ".join(parts)


def count_tokens(text: str, *, drop_urls: bool = True) -> int:
    """Count words in already reader-visible text: the contract's token rule.

    A word is a run of non-space characters with at least one letter or
    digit, or a single CJK ideograph or kana (``_WORD_RE`` is the reference
    definition; the byte-level path gives the same answer faster).  Used for
    prose, where bare URLs (a token containing ``://`` or ``www.``) are not
    words, and for code (``drop_urls=False``).
    """
    if drop_urls and ("://" in text or "www." in text):
        text = _drop_urls(text)
    if not text:
        return 0
    raw = text.encode("utf-8", "surrogatepass")
    if text.isascii():
        marks = raw.translate(_BYTE_CLASS, _ASCII_OTHER)
        return marks.count(b" a") + (marks[:1] == b"a")
    if _SLOW_BYTES_RE.search(raw) is not None:
        return len(_WORD_RE.findall(text))
    marks = raw.translate(_BYTE_CLASS, _ASCII_OTHER + _NON_ASCII)
    words = marks.count(b" a") + (marks[:1] == b"a")
    marks = raw.translate(_BYTE_CLASS, _ASCII_OTHER).replace(b"a", b"x")
    if marks.count(b" x") + (marks[:1] == b"x") == words:
        return words  # every token with a non-ASCII byte also has an ASCII alnum
    classes = b" " + raw.translate(_BYTE_CLASS_P) + b" "
    for m in _NO_ASCII_ALNUM_RE.finditer(classes):
        token = raw[m.start() : m.end() - 1].decode("utf-8", "surrogatepass")
        if _ALNUM_RE.search(token) is not None:
            words += 1
    return words


# --------------------------------------------------------------------------
# Block-level patterns (applied to a line with its indentation removed)
# --------------------------------------------------------------------------

_QUOTE_RE = re.compile(r" {0,3}> ?")
# pandoc: the info string is nothing, one word, an attribute block, or a word
# and an attribute block; "```python extra" is not a fence at all.
_FENCE_RE = re.compile(
    r"(`{3,}|~{3,})[ \t]*(\{[^}\n]*\}|[^\s{]+(?:[ \t]*\{[^}\n]*\})?|\S+)?[ \t]*$"
)
_HR_RE = re.compile(r"([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_SETEXT_RE = re.compile(r"(?:=+|-+)[ \t]*$")
_SIMPLE_TABLE_SEP_RE = re.compile(r"-{2,}(?:[ \t]+-{2,})+[ \t]*$")
_DASH_ROW_RE = re.compile(r"-{3,}(?:[ \t]+-+)*[ \t]*$")
_ATX_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
# Fenced divs: "::: {.class}" / "::: name" open one, ":::" closes; any other
# ":::" line is paragraph text to pandoc and is checked as prose.
_DIV_OPEN_RE = re.compile(r":{3,}[ \t]*(?:\{[^{}]*\}|[^\s:]\S*?)[ \t]*:*[ \t]*$")
_DIV_CLOSE_RE = re.compile(r":{3,}[ \t]*$")
_BULLET_RE = re.compile(r"[-*+](?:([ \t]+)|$)")
_OL_RE = re.compile(
    r"(?:(\d{1,9}|#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)[.)]"
    r"|\((?:\d{1,9}|#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)\)"
    r"|\(@[\w-]*\))(?:([ \t]+)|$)"
)
_TASK_RE = re.compile(r"\[[ xX]\](?:[ \t]|$)")
_FOOTDEF_RE = re.compile(r"\[\^[^\]\s]+\]:[ \t]*")
_REFDEF_RE = re.compile(r"\[((?:[^\[\]\\\n]|\\.)+)\]:[ \t]*(.*)$")
# pandoc: after an <angle-bracket> destination only a title may follow, else
# the line is a paragraph ("[y]: <h> x" shows raw HTML <h>).
_DEF_ANGLE_RE = re.compile(
    r"<[^<>\n]*>(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$"
)
_TITLE_LINE_RE = re.compile(r"(?:\"[^\"]*\"|'[^']*'|\([^)]*\))[ \t]*$")
_TABLE_SEP_RE = re.compile(
    r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"
    r"|\|[ \t]*:?-+:?[ \t]*\|[ \t]*$"
    r"|-{2,}(?:[ \t]+-{2,})+[ \t]*$"
)
_YAML_KEY_RE = re.compile(r"[^\s#:\-][^:]*:(?:[ \t]|$)")
_RAW_FENCE_INFO_RE = re.compile(r"\{[ \t]*=[^}]*\}")

# Characters that can start something other than a plain prose line.
_SPECIAL_FIRST = frozenset("`~-*+_#=:[|>(0123456789")

# --------------------------------------------------------------------------
# Inline patterns (applied to a paragraph-sized unit)
# --------------------------------------------------------------------------

# What the masker stops at: backslash escapes of ASCII punctuation, backtick
# runs, "<" (an HTML tag or autolink there wins over a code span starting
# inside it, as in pandoc), "](" (a link destination is taken verbatim), "$"
# (math), "^" and "~" (super- and subscripts).
_MASK_CHARS_RE = re.compile(r"[\\`<\]$^~]")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # ASCII punctuation
# Inside ^super^ and ~sub~ scripts pandoc ignores "\<" and "\\" escapes:
# ^x\<img/src=x/onerror=...>^ and ^a\\input{x}^ come out as raw HTML and TeX.
_SCRIPT_ESCAPABLE = _ESCAPABLE - {"<", "\\"}
_TICKS_RE = re.compile(r"`+")
# ^super^ and ~sub~ (no unescaped spaces inside) confine code spans: in
# ^x`^ <img ...> ` the backtick is literal and the tag is live HTML.
_SUPSUB_RE = re.compile(r"\^(?:\\[\s\S]|[^\s^\\])+\^|~(?:\\[\s\S]|[^\s~\\])+~")
# TeX math (pandoc's tex_math_dollars) is taken verbatim too, so no code span
# starts inside it.  It is not masked: TeX commands in math are reported as
# raw_tex, since pandoc hands math to LaTeX unchanged.
_MATH_RE = re.compile(
    r"\$\$[\s\S]+?\$\$|\$(?![\s$])(?:\\[\s\S]|[^$\\])*?(?<![\s\\])\$(?!\d)"
)
# Where raw HTML starts: a tag name followed by space, "/" or ">" (it is a
# tag if a ">" follows somewhere), a comment, a processing instruction or a
# declaration.  Only the start is matched, so scanning stays linear.
_TAG_START_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9_:-]*(?=[\s/>])|!--|\?|![A-Za-z])")
# A whole (short) tag, to skip it while masking.
_TAG_RE = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9_:-]*(?:[\s/][^>]{0,300})?|\?[^>]{0,300}|![A-Za-z][^>]{0,300})>"
)
_NEWLINE_RE = re.compile(r"\n")
# A TeX command with its argument groups (so \newcommand{\x}{y} is one hit).
_TEX_RE = re.compile(
    r"\\[A-Za-z]+(?:\{[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}|\[[^\[\]\n]*\])*"
)
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
_BRACKET_RE = re.compile(r"[\[\]]")
_NOTE_REF_RE = re.compile(r"\[\^[^\s\[\]^]+\]")  # a footnote marker [^1]
# A link's (destination "title"), with one level of nested parentheses.
_PARENS_RE = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
_AUTOLINK_RE = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9._%+-]+@[A-Za-z0-9][A-Za-z0-9.-]*)>"
)
_DEST_TITLE_RE = re.compile(
    r"(.*?)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*$", re.DOTALL
)
_MAX_LABEL = 1000  # longer bracketed text is never a reference label


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


def _is_autolink(match: re.Match[str]) -> bool:
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


def _parse_dest(raw: str) -> str:
    """Link destination as written: strip whitespace, <...> and a title."""
    raw = raw.strip()
    if raw.startswith("<"):
        end = raw.find(">")
        if end > 0:
            return raw[1:end].strip()
    m = _DEST_TITLE_RE.match(raw)
    return (m.group(1) if m else raw).strip()


def _label(s: str) -> str:
    """Reference labels match case-insensitively, whitespace collapsed."""
    return " ".join(s.split()).casefold()


def _bracket_pairs(src: str) -> dict[int, int]:
    """Each unescaped "[" that has a matching "]", mapped to it (linear)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for b in _BRACKET_RE.finditer(src):
        at = b.start()
        if at and src[at - 1] == "\\":
            continue
        if b.group() == "[":
            stack.append(at)
        elif stack:
            pairs[stack.pop()] = at
    return pairs


def _mask(src: str, escapable: frozenset[str] = _ESCAPABLE) -> str:
    """Blank code-span contents and escaped punctuation (same length).

    Follows pandoc's left-to-right precedence: an escape, a tag, an autolink,
    a link destination, math or a super/subscript that starts first wins over
    a code span that would start inside it.  Linear: backtick runs are
    indexed once by length, and each index is only walked forwards.
    """
    runs: dict[int, list[int]] = {}
    passed: dict[int, int] = {}  # per run length: runs before this index are behind us

    def closer(k: int, after: int) -> int:
        """Start of the first run of exactly ``k`` backticks at or after ``after``."""
        starts = runs.get(k)
        if starts is None:
            return -1
        j = passed.get(k, 0)
        while j < len(starts) and starts[j] < after:
            j += 1
        passed[k] = j
        return starts[j] if j < len(starts) else -1

    note_ends: dict[int, int] | None = None  # "[" -> its "]", worked out when needed
    dash_at = -2  # position of the next "-->" (-2 unknown, -1 none left)
    out: list[str] = []
    pos = 0
    search = _MASK_CHARS_RE.search
    while True:
        t = search(src, pos)
        if t is None:
            break
        s = t.start()
        ch = src[s]
        end = s + 1
        if ch == "\\":
            if src[end : end + 1] in escapable:
                out.append(src[pos:s])
                out.append("\x00\x00")
                pos = s + 2
                continue
        elif ch == "`":
            end = e = _TICKS_RE.match(src, s).end()  # type: ignore[union-attr]
            if not runs:
                for r in _TICKS_RE.finditer(src):
                    runs.setdefault(r.end() - r.start(), []).append(r.start())
            n = k = e - s
            close = closer(n, e)
            if close < 0:
                # pandoc gives up one literal backtick at a time: the rest of
                # the run may still open a shorter code span.
                k = max((k2 for k2 in runs if k2 < n and closer(k2, e) >= 0), default=0)
                close = closer(k, e) if k else -1
            if close >= 0:
                out.append(src[pos:e])
                out.append(" " * (close - e))
                out.append(src[close : close + k])
                pos = close + k
                continue
        elif ch == "^" or ch == "~":
            sup = _SUPSUB_RE.match(src, s)
            # "^[" is an inline note, unless it is also a script with a
            # backtick inside: then pandoc's note fails and the script wins.
            note = False
            if ch == "^" and src[end : end + 1] == "[":
                if note_ends is None:
                    note_ends = _bracket_pairs(src)
                close = note_ends.get(end, -1)
                # pandoc: ^[x](u) is "^" and a link, not a note.
                note = close > 0 and src[close + 1 : close + 2] not in ("(", "[")
            ref = _NOTE_REF_RE.match(src, s - 1) is not None if s > 0 else False
            if sup is not None and not ref and not (note and "`" not in sup.group()):
                inner = src[s + 1 : sup.end() - 1]
                # Escapes of "<" and "\\" do not work in there (see above); an
                # unmasked backslash is at worst reported.
                out.append(src[pos:s])
                out.append(ch + _mask(inner, _SCRIPT_ESCAPABLE) + ch)
                pos = sup.end()
                continue
        elif ch == "<":
            if src.startswith("<!--", s):
                if dash_at != -1 and dash_at < s + 4:
                    dash_at = src.find("-->", s + 4)
                if dash_at >= 0:
                    end = dash_at + 3
            else:
                whole = _AUTOLINK_RE.match(src, s)
                if whole is None or not _is_autolink(whole):
                    whole = _TAG_RE.match(src, s)
                if whole is not None:
                    end = whole.end()
        elif ch == "$":
            whole = _MATH_RE.match(src, s)
            if whole is not None:
                end = whole.end()
        elif src[end : end + 1] == "(":  # "](": a link destination
            whole = _PARENS_RE.match(src, end)
            if whole is not None:
                end = whole.end()
        # Keep the character (or the whole tag, autolink, destination or math).
        out.append(src[pos:end])
        pos = end
    out.append(src[pos:])
    return "".join(out)


class _Scanner:
    """One scan: holds the results while the line loop runs."""

    __slots__ = ("code", "constructs", "defs", "links", "pending", "prose", "seq")

    def __init__(self) -> None:
        self.prose: list[str] = []
        self.code: list[str] = []
        self.links: list[tuple[int, int, Link]] = []
        self.pending: list[tuple[int, int, str, str, bool]] = []
        self.defs: dict[str, str] = {}
        self.constructs: list[tuple[int, int, Construct]] = []
        self.seq = 0

    def flag(self, line: int, kind: str, snippet: str) -> None:
        self.seq += 1
        self.constructs.append((line, self.seq, Construct(line, kind, snippet[:60])))

    def link(self, line: int, target: str, text: str, image: bool) -> None:
        self.seq += 1
        self.links.append((line, self.seq, Link(line, target, text, image)))

    def shadow(self, src: str, first: int) -> None:
        """Check ``src`` as one unit too, adding only what is new (no words)."""
        other = _Scanner()
        other.inline(src, first)
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
                self.seq += 1
                self.pending.append((p[0], self.seq, p[2], p[3], p[4]))

    # -- inline ------------------------------------------------------------

    def inline(self, src: str, first: int, heading: bool = False) -> None:
        """Check one paragraph-like unit and keep its reader-visible text.

        ``src`` is the unit's consecutive lines joined by newlines, ``first``
        the number of its first line.  Code spans and backslash escapes are
        masked (``m``, same offsets) so that nothing inside them is taken for
        HTML, TeX, a citation or a link.  Every step is linear in the unit's
        length, so a hostile chapter cannot stall ``validate``.
        """
        line = _line_finder(src, first)
        m = src
        if "`" in src or "\\" in src:
            m = _mask(src)

        # Ranges a reader does not see, with what replaces them: "" keeps the
        # neighbours one word ([API](u)s), " " separates them (a![x](i)b).
        cuts: list[tuple[int, int, str]] = []
        if "[" in m:
            m = self._brackets(src, m, line, cuts)
        if "<" in m:
            autolinks = []
            for a in _AUTOLINK_RE.finditer(m):
                if _is_autolink(a):
                    target = src[a.start(1) : a.end(1)]
                    self.link(line(a.start()), target.strip(), target, False)
                    cuts.append((a.start(), a.end(), " "))
                    autolinks.append((a.start(1), a.end(1)))
            if autolinks:
                m = _blank(m, autolinks)
            last_gt = src.rfind(">")
            for h in _TAG_START_RE.finditer(m):
                start = h.start()
                if src.startswith("<!--", start) or last_gt > start:
                    self.flag(
                        line(start),
                        "raw_html",
                        _snippet(src, start, _tag_end(src, start)),
                    )
        if "\\" in m:
            for t in _TEX_RE.finditer(m):
                self.flag(line(t.start()), "raw_tex", _snippet(src, t.start(), t.end()))
        if "@" in m:
            for c in _CITE_RE.finditer(m):
                start = c.start()
                end = _CITE_KEY_RE.match(m, start).end()  # type: ignore[union-attr]
                open_ = m.rfind("[", max(0, start - 100), start)
                if (
                    open_ >= 0
                    and "]" not in m[open_:start]
                    and "\n" not in m[open_:start]
                ):
                    close = m.find("]", start, start + 100)
                    start = open_  # show the whole [see @key, p. 3] form
                    if close > 0:
                        end = close + 1
                self.flag(line(c.start()), "citation", _snippet(src, start, end))
        if "{" in m:
            for r in _RAW_ATTR_INLINE_RE.finditer(m):
                start = m.rfind("`", max(0, r.start() - 60), r.start())  # the code span
                while start > 0 and m[start - 1] == "`":
                    start -= 1
                self.flag(
                    line(r.start()),
                    "raw_attribute",
                    _snippet(src, max(start, 0), r.end()),
                )
                cuts.append((r.start() + 1, r.end(), ""))
            for a in _ATTR_RE.finditer(m):
                if a.start() and m[a.start() - 1] in "])`>":
                    self.flag(
                        line(a.start()), "attribute", _snippet(src, a.start(), a.end())
                    )
                    cuts.append((a.start(), a.end(), ""))
            if heading:
                h = _HEADING_ATTR_RE.search(m)
                if h:
                    pos = m.index("{", h.start())
                    self.flag(line(pos), "attribute", _snippet(src, pos, h.end()))
                    cuts.append((pos, h.end(), " "))

        if cuts:
            cuts.sort()
            parts = []
            pos = 0
            for a, b, joiner in cuts:
                if a >= pos:
                    parts.append(src[pos:a])
                    parts.append(joiner)
                pos = max(pos, b)
            parts.append(src[pos:])
            src = "".join(parts)
        self.prose.append(src)

    def _brackets(
        self,
        src: str,
        m: str,
        line: Callable[[int], int],
        cuts: list[tuple[int, int, str]],
    ) -> str:
        """Find links, images and footnote markers; return ``m`` with link
        destinations blanked so URLs are not checked as prose."""
        stack: list[int] = []
        pairs: list[tuple[int, int]] = []
        for b in _BRACKET_RE.finditer(m):
            if b.group() == "[":
                stack.append(b.start())
            elif stack:
                pairs.append((stack.pop(), b.start()))
        if not pairs:
            return m
        pairs.sort()
        closes = dict(pairs)
        in_dest = bytearray(len(m))  # 1 inside a link destination already read
        dests: list[tuple[int, int]] = []
        consumed: set[int] = set()
        for o, c in pairs:
            if in_dest[o] or o in consumed:
                continue
            image = o > 0 and m[o - 1] == "!"
            if m[o + 1 : o + 2] == "^":
                if c > o + 2 and not (o > 0 and m[o - 1] == "^"):
                    cuts.append((o, c + 1, ""))  # footnote marker [^1]
                continue
            if o > 0 and m[o - 1] == "^" and m[c + 1 : c + 2] not in ("(", "["):
                cuts.append((o - 1, o + 1, " "))  # inline note ^[text]: text counts
                continue
            start = o - 1 if image else o
            nxt = m[c + 1 : c + 2]
            if nxt == "(":
                p = _PARENS_RE.match(m, c + 1)
                if p is None:
                    continue
                close = p.end() - 1
                text = src[
                    o + 1 : min(c, o + 1 + _MAX_LABEL)
                ]  # capped: nesting is quadratic
                self.link(line(start), _parse_dest(src[c + 2 : close]), text, image)
                cuts.append((start, close + 1, " ") if image else (c, close + 1, ""))
                in_dest[c + 2 : close] = b"\x01" * (close - c - 2)
                dests.append((c + 2, close))
                continue
            if c - o > _MAX_LABEL:
                continue
            text = src[o + 1 : c]
            if nxt == "[":
                c2 = closes.get(c + 1)
                if c2 is not None and c2 - c <= _MAX_LABEL:
                    consumed.add(c + 1)
                    self.seq += 1
                    label = _label(src[c + 2 : c2] or text)
                    self.pending.append((line(start), self.seq, label, text, image))
                    cuts.append((start, c2 + 1, " ") if image else (c + 1, c2 + 1, ""))
                    continue
            if text.strip() and "@" not in text[:2]:
                self.seq += 1
                self.pending.append((line(start), self.seq, _label(text), text, image))
                if image:
                    cuts.append((start, c + 1, " "))
        return _blank(m, dests) if dests else m

    # -- results -------------------------------------------------------------

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


def _longest_fences_after(lines: list[str]) -> dict[str, list[int]]:
    """For "`" and "~": the longest fence-only line at or after each index.

    Lets an opener that is never closed be recognised at once, so a chapter
    of many unclosed fences stays linear.  Quote markers are ignored (an
    over-estimate, which only means the exact search runs).
    """
    longest = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    ticks, tildes = longest["`"], longest["~"]
    for j in range(len(lines) - 1, -1, -1):
        st = lines[j].lstrip(" \t>").rstrip()
        ticks[j] = ticks[j + 1]
        tildes[j] = tildes[j + 1]
        if len(st) >= 3 and st[0] in "`~" and st.count(st[0]) == len(st):
            row = ticks if st[0] == "`" else tildes
            row[j] = max(row[j], len(st))
    return longest


def _dash_rows_end(lines: list[str], start: int) -> int:
    """Index of the first dashed rule line at or after ``start``, or -1."""
    for j in range(start, len(lines)):
        if _DASH_ROW_RE.match(lines[j].strip()):
            return j
    return -1


def _find_fence_close(
    lines: list[str],
    start: int,
    ch: str,
    n: int,
    depth: int,
    inside: int,
    item: int,
    max_indent: int,
) -> int:
    """Index of the line closing a fence opened at ``start``, or -1.

    The closing fence may be indented at most ``max_indent`` columns.  As in
    pandoc, a fence in a blockquote must close before the quote ends, and one
    in a list item before the item ends: when the fence sits in the item's
    content (column ``inside`` > 0) every line must keep that indentation;
    when it lazily follows the item's text (``item`` > 0) a blank line and
    then a line indented less than ``item`` end it.
    """
    blank = False
    for j in range(start + 1, len(lines)):
        s = lines[j]
        if depth:
            at = 0
            for _ in range(depth):
                q = _QUOTE_RE.match(s, at)
                if q is None:
                    return -1
                at = q.end()
            s = s[at:]
        st = s.strip()
        if not st:
            blank = True
            continue
        fence = st[0] == ch and len(st) >= n and st.count(ch) == len(st)
        if inside or item or fence:
            lead = s[: len(s) - len(s.lstrip())]
            indent = len(lead.expandtabs(4)) if "\t" in lead else len(lead)
            if indent < inside or (blank and indent < item):
                return -1
            if fence and indent <= max_indent:
                return j
        blank = False
    return -1


def scan(text: str) -> Scan:
    """Scan a chapter body (the text after the front matter).

    One pass over the lines classifies each as code (fenced or indented) or
    prose; prose lines are grouped into paragraph-like units and checked for
    forbidden inline constructs, links and words.
    """
    if text[:1] == "\ufeff":
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    nlines = len(lines)
    sc = _Scanner()
    unit: list[str] = []
    ulast = 0  # line number of the unit's last line (units are consecutive lines)
    para_open = False  # a paragraph is running (lazy continuation possible)
    list_col = -1  # content column of the current list item, -1 outside lists
    in_table = False
    table_end = -1  # last line of a headerless table
    in_code = False  # the previous non-blank line was indented code
    divs = 0  # fenced divs open
    quoted = False  # in a blockquote (until a blank line)
    line_block = False  # the previous line belonged to a line block
    heading_unit = False
    i = 0

    longest_after: dict[str, list[int]] | None = None  # see _longest_fences_after
    ticks: dict[int, int] = {}  # backtick runs by length in unit[:ticked]
    ticked = 0

    def flush() -> None:
        nonlocal heading_unit, ticked
        if unit:
            sc.inline("\n".join(unit), ulast - len(unit) + 1, heading_unit)
            unit.clear()
            ticks.clear()
            ticked = 0
        heading_unit = False

    rows: list[str] = []  # consecutive lines parsed one by one (table rows, ...)
    rows_last = 0

    def row(text: str, lineno: int) -> None:
        """Parse a line on its own (a table row or line block line), and keep
        it for the other reading, where the lines form one paragraph."""
        nonlocal ulast, rows_last
        flush()
        if rows and rows_last != lineno - 1:
            end_rows()
        unit.append(text)
        ulast = lineno
        flush()
        rows.append(text)
        rows_last = lineno

    def end_rows() -> None:
        """If what we took for table rows were one paragraph to pandoc, code
        spans could pair up differently: check that reading too."""
        if len(rows) > 1:
            sc.shadow("\n".join(rows), rows_last - len(rows) + 1)
        rows.clear()

    def ticks_pair_up() -> bool:
        """Whether every backtick run in the unit so far has a partner of its
        length (kept up to date incrementally: a unit only grows)."""
        nonlocal ticked
        for part in unit[ticked:]:
            for run in _TICKS_RE.finditer(part):
                n = run.end() - run.start()
                ticks[n] = ticks.get(n, 0) + 1
        ticked = len(unit)
        return all(c % 2 == 0 for c in ticks.values())

    while i < nlines:
        raw = lines[i]
        lineno = i + 1
        depth = 0
        if not raw:
            st = ""
        elif raw[0] in " \t>":
            if "\t" in raw:
                # Expand tabs in the leading markup to stops of 4 counted from
                # the line start, so "> \tx" is indented 2 inside the quote.
                k = len(raw) - len(raw.lstrip(" \t>"))
                raw = raw[:k].expandtabs(4) + raw[k:]
            s = raw
            if ">" in raw[:4]:
                at = 0
                q = _QUOTE_RE.match(raw)
                while q is not None:
                    depth += 1
                    at = q.end()
                    q = _QUOTE_RE.match(raw, at)
                s = raw[at:]
                quoted = quoted or depth > 0
            st = s.lstrip()
            indent = len(s) - len(st)
        else:
            st = raw
            indent = 0
        if not st:
            flush()
            para_open = False
            in_table = False
            quoted = depth > 0  # an empty quoted line keeps the quote open
            end_rows()
            line_block = False
            i += 1
            continue
        first = st[0]
        # pandoc: unquoted lines right after a quote are lazily part of it,
        # and there they never start indented code (even after a fenced
        # block); a backtick fence still interrupts them.
        lazy = quoted and depth == 0

        if line_block:
            if indent and first != "|":  # a line block's continuation line
                row(st, lineno)
                i += 1
                continue
            if first != "|":
                line_block = False
        if i <= table_end:  # inside a headerless table: one unit per row
            if not _DASH_ROW_RE.match(st):
                row(st, lineno)
            i += 1
            continue
        if (
            not para_open
            and not in_table
            and i + 1 < nlines
            and "- " in lines[i + 1]
            and _SIMPLE_TABLE_SEP_RE.match(lines[i + 1].strip())
        ):
            # A simple table's header (whatever it looks like) and its rows,
            # up to a blank line, are prose, one unit per row.
            row(st, lineno)
            in_table = True
            i += 2
            continue

        # Fast path: an ordinary prose line (most lines of a chapter).
        if (
            indent < 4
            and first not in _SPECIAL_FIRST
            and not in_table
            and ((para_open and list_col < 0) or not first.isalpha())
        ):
            if list_col >= 0 and not para_open and indent == 0:
                list_col = -1
            unit.append(st)
            ulast = lineno
            para_open = True
            in_code = False
            i += 1
            continue

        base = max(list_col, 0)

        # Indented code: needs a preceding blank line (no open paragraph);
        # pandoc reads a line followed by a setext underline as a heading and
        # one followed by a table rule as a table header.
        if (
            not para_open
            and indent >= base + 4
            and not in_table
            and not lazy
            and (
                in_code
                or i + 1 >= nlines
                or (
                    (
                        _SETEXT_RE.match(lines[i + 1].lstrip()) is None
                        or ("`" in st and not _ticks_pair_up(st))  # no heading
                    )
                    and _SIMPLE_TABLE_SEP_RE.match(lines[i + 1].lstrip()) is None
                    and (
                        "|" not in st
                        or _TABLE_SEP_RE.match(lines[i + 1].lstrip()) is None
                    )
                )
            )
        ):
            flush()
            sc.code.append(st)
            in_code = True
            i += 1
            continue
        in_code = False

        # Fenced code blocks.
        if (first == "`" or first == "~") and indent <= base + 3 and not in_table:
            f = _FENCE_RE.match(st)
            info = (f.group(2) or "") if f is not None else ""
            # A backtick fence's info has no backtick.  A tilde fence cannot
            # interrupt a paragraph; a backtick one can, but not close a code
            # span the paragraph left open ("```py x" / "```") - unless the
            # line leaves the paragraph's quote or list item anyway.
            if (
                f is not None
                and (first == "~" or "`" not in info)
                and (
                    not para_open
                    or (
                        first == "`"
                        and (
                            lazy
                            or 0 <= indent < list_col
                            or ticks_pair_up()
                            or not _code_span_runs_on(unit, st)
                        )
                    )
                )
            ):
                if longest_after is None:
                    longest_after = _longest_fences_after(lines)
                close = -1
                if longest_after[first][i + 1] >= len(f.group(1)):  # else: never closed
                    inside = list_col if list_col > 0 and indent >= list_col else 0
                    item = list_col if list_col > 0 and para_open else 0
                    close = _find_fence_close(
                        lines, i, first, len(f.group(1)), depth, inside, item, base + 3
                    )
                if close >= 0:
                    flush()
                    if "{" in info:
                        kind = (
                            "raw_attribute"
                            if _RAW_FENCE_INFO_RE.search(info)
                            else "attribute"
                        )
                        sc.flag(lineno, kind, st)
                    for j in range(i + 1, close):
                        sc.code.append(lines[j])
                    para_open = False
                    i = close + 1
                    continue
                # pandoc reads an unclosed fence as text, but in the whole book
                # a later chapter's fence would close it.
                sc.flag(lineno, "unclosed_fence", st)

        if indent <= base + 3:
            # YAML block / horizontal rule / setext underline.
            if first in "-*_=":
                stripped = st.rstrip()
                if (
                    stripped == "---"
                    and not para_open
                    and depth == 0
                    and i + 1 < nlines
                ):
                    end = _yaml_end(lines, i)
                    if end > 0:
                        flush()
                        sc.flag(lineno, "yaml_block", "--- " + lines[i + 1].strip())
                        para_open = False
                        i = end + 1
                        continue
                if (
                    first == "-"
                    and not para_open
                    and i + 1 < nlines
                    and lines[i + 1].strip()
                    and _DASH_ROW_RE.match(st)
                ):
                    # pandoc reads dashes, rows, dashes as a table (a multiline
                    # one has more dashed sections, and blank lines between
                    # rows): its rows are prose, never code.
                    end = _dash_rows_end(lines, i + 2)
                    while end > 0 and end + 1 < nlines and lines[end + 1].strip():
                        more = _dash_rows_end(lines, end + 2)
                        if more < 0:
                            break
                        end = more
                    if end > 0:
                        flush()
                        table_end = end
                        para_open = False
                        i += 1
                        continue
                if (
                    para_open
                    and unit
                    and (
                        ("|" in st and "|" in unit[-1] and _TABLE_SEP_RE.match(st))
                        or (len(unit) == 1 and _SIMPLE_TABLE_SEP_RE.match(st))
                    )
                ):
                    in_table = True
                    flush()
                    para_open = False
                    i += 1
                    continue
                # pandoc: setext headings are one line; neither an underline
                # after a longer paragraph nor a rule can interrupt it.
                # Nor is a line whose code span runs on ("```py x" / "==="); under
                # dashes that line is then a one-column table's header.
                if para_open and len(unit) == 1 and _SETEXT_RE.match(st):
                    if "`" not in unit[0] or _ticks_pair_up(unit[0]):
                        heading_unit = True
                    elif first == "-":
                        in_table = True
                    else:
                        unit.append(st)  # "===" is paragraph text
                        ulast = lineno
                        i += 1
                        continue
                    flush()
                    para_open = False
                    i += 1
                    continue
                if not para_open and _HR_RE.match(st):
                    flush()
                    para_open = False
                    i += 1
                    continue
            elif (
                first == "|"
                and para_open
                and unit
                and "|" in unit[-1]
                and _TABLE_SEP_RE.match(st)
            ):
                in_table = True
                flush()
                para_open = False
                i += 1
                continue
            elif (
                first == "|" and (not para_open or line_block) and st[1:2] in ("", " ")
            ):
                # A line block ("| text") or a pipe table's header row: each
                # line is parsed on its own (a table's rows too).
                row(st, lineno)
                in_table = i + 1 < nlines and bool(
                    _TABLE_SEP_RE.match(lines[i + 1].strip())
                )
                line_block = not in_table
                i += 1
                continue
            elif first == ":" and st.startswith(":::"):
                opens = _DIV_OPEN_RE.match(st) is not None
                if opens or (divs and _DIV_CLOSE_RE.match(st) is not None):
                    flush()
                    if opens:
                        sc.flag(lineno, "attribute", st)
                        divs += 1
                    else:
                        divs -= 1
                    para_open = False
                    i += 1
                    continue

            if not para_open:
                # ATX heading: its own unit.
                if first == "#" and _ATX_RE.match(st):
                    flush()
                    unit.append(st)
                    ulast = lineno
                    heading_unit = True
                    flush()
                    i += 1
                    continue
                # Reference and footnote definitions.
                if first == "[":
                    fd = _FOOTDEF_RE.match(st)
                    if fd is not None:
                        flush()
                        list_col = indent + 4
                        rest = st[fd.end() :]
                        if rest:
                            unit.append(rest)
                            ulast = lineno
                        para_open = bool(rest)
                        i += 1
                        continue
                    rd = _REFDEF_RE.match(st)
                    if (
                        rd is not None
                        and not rd.group(1).startswith(("^", "@", "-@"))
                        and (rd.group(2)[:1] != "<" or _DEF_ANGLE_RE.match(rd.group(2)))
                    ):
                        flush()
                        value = rd.group(2)
                        if (
                            not value.strip()
                            and i + 1 < nlines
                            and lines[i + 1].strip()
                        ):
                            i += 1
                            value = lines[i]
                        sc.defs.setdefault(_label(rd.group(1)), _parse_dest(value))
                        if i + 1 < nlines and _TITLE_LINE_RE.match(
                            lines[i + 1].strip()
                        ):
                            i += 1
                        para_open = False
                        i += 1
                        continue

            # List items.
            if not para_open or list_col >= 0:
                marker = None
                if first in "-*+":
                    marker = _BULLET_RE.match(st)
                elif first.isalnum() or first == "(" or first == "#":
                    marker = _OL_RE.match(st)
                    if (
                        marker is not None
                        and marker.group(1)
                        and marker.group(1).isupper()
                        and len(marker.group(1)) == 1
                        and st[1] == "."
                        and len(marker.group(2) or "") < 2
                    ):
                        marker = None  # "A. Smith" is an initial, not a list
                if marker is not None:
                    flush()
                    whole = marker.group(0)
                    width = len(whole.rstrip(" \t"))
                    spaces = len(whole) - width
                    list_col = indent + width + (spaces if 0 < spaces <= 4 else 1)
                    rest = st[marker.end() :]
                    if first in "-*+" and rest[:1] == "[":
                        t = _TASK_RE.match(rest)
                        if t is not None:
                            rest = rest[t.end() :]
                    if rest:
                        unit.append(rest)
                        ulast = lineno
                        if rest[0] == "#" and _ATX_RE.match(rest):
                            heading_unit = True  # "- # Heading {#id}"
                            flush()
                            rest = ""
                    para_open = bool(rest)
                    i += 1
                    continue

        # Anything else is prose.
        if list_col >= 0 and not para_open and indent == 0:
            list_col = -1
        if in_table:  # each table row is parsed on its own
            row(st, lineno)
            para_open = False
            i += 1
            continue
        unit.append(st)
        ulast = lineno
        para_open = True
        i += 1

    flush()
    end_rows()
    return sc.result()


def _code_span_runs_on(unit: list[str], line: str) -> bool:
    """Whether a code span opened in ``unit`` would take in ``line`` (so the
    line cannot start a fence).  Exact for a short paragraph (math and the
    rest taken into account); a long one with unpaired backticks is assumed
    to run on, the safe answer (its text stays prose)."""
    if len(unit) > 40 or sum(map(len, unit)) > 4000:
        return True
    text = "\n".join(unit)
    return _mask(text + "\n" + line)[len(text)] != "\n"


def _ticks_pair_up(line: str) -> bool:
    """Whether every backtick run in ``line`` has a partner of its length."""
    counts: dict[int, int] = {}
    for run in _TICKS_RE.finditer(line):
        n = run.end() - run.start()
        counts[n] = counts.get(n, 0) + 1
    return all(c % 2 == 0 for c in counts.values())


def _yaml_end(lines: list[str], start: int) -> int:
    """If ``---`` at ``start`` opens a YAML metadata block, its closing line.

    pandoc reads ``---`` followed directly by a non-blank line, up to a
    ``---`` or ``...`` line, as metadata; we require that first line to look
    like ``key: value``.  A ``---`` between blank lines is a horizontal rule.
    """
    if not _YAML_KEY_RE.match(lines[start + 1]):
        return -1
    for j in range(start + 2, len(lines)):
        r = lines[j].rstrip()
        if r == "---" or r == "...":
            return j
    return -1
