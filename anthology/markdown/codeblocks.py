"""Code blocks, indented and fenced: their lines count as words but are
never checked as prose.  A fence with an attribute (``{=html}`` above all) or
one that never closes is reported.
"""

from __future__ import annotations

import re

from .blocks import SETEXT_RE
from .masking import code_span_runs_on, ticks_pair_up
from .state import QUOTE_RE, BlockState, Line
from .tables import SIMPLE_TABLE_SEP_RE, TABLE_SEP_RE

# pandoc: the info string is nothing, one word, an attribute block, or a word
# and an attribute block; "```python extra" is not a fence at all.
_FENCE_RE = re.compile(r"(`{3,}|~{3,})[ \t]*(\{[^}\n]*\}|[^\s{]+(?:[ \t]*\{[^}\n]*\})?|\S+)?[ \t]*$")
_RAW_FENCE_INFO_RE = re.compile(r"\{[ \t]*=[^}]*\}")


def indented_code(s: BlockState, ln: Line) -> bool:
    """A line indented 4 more than its container, after a paragraph break."""
    if (
        s.para_open
        or ln.indent < max(s.list_col, 0) + 4
        or s.in_table
        or ln.lazy
        or not (s.in_code or not _makes_header(ln.text, s.next_line().lstrip()))
    ):
        s.in_code = False
        return False
    s.flush()
    s.found.code.append(ln.text)
    s.in_code = True
    s.i += 1
    return True


def _makes_header(text: str, nxt: str) -> bool:
    """Whether ``nxt`` makes ``text`` a heading (a setext underline) or a
    table's header (a table rule) rather than indented code, as in pandoc."""
    return (
        (SETEXT_RE.match(nxt) is not None and ("`" not in text or ticks_pair_up(text)))
        or SIMPLE_TABLE_SEP_RE.match(nxt) is not None
        or ("|" in text and TABLE_SEP_RE.match(nxt) is not None)
    )


def fenced_code(s: BlockState, ln: Line) -> bool:
    """A ``` or ~~~ fence up to its closing fence.  One that never closes is
    reported and read as text, as pandoc does (but in the whole book a later
    chapter's fence would close it)."""
    first = ln.first
    if first not in ("`", "~") or ln.indent > max(s.list_col, 0) + 3 or s.in_table:
        return False
    f = _FENCE_RE.match(ln.text)
    if f is None:
        return False
    info = f.group(2) or ""
    if (first == "`" and "`" in info) or not _can_open(s, ln):
        return False
    close = _close(s, ln, len(f.group(1)))
    if close < 0:
        s.found.flag(ln.number, "unclosed_fence", ln.text)
        return False
    s.flush()
    if "{" in info:
        kind = "raw_attribute" if _RAW_FENCE_INFO_RE.search(info) else "attribute"
        s.found.flag(ln.number, kind, ln.text)
    s.found.code.extend(s.lines[s.i + 1 : close])
    s.para_open = False
    s.i = close + 1
    return True


def _can_open(s: BlockState, ln: Line) -> bool:
    """A tilde fence cannot interrupt a paragraph; a backtick one can, but
    not close a code span the paragraph left open ("```py x" / "```") -
    unless the line leaves the paragraph's quote or list item anyway."""
    return not s.para_open or (
        ln.first == "`"
        and (ln.lazy or 0 <= ln.indent < s.list_col or s.ticks_pair_up() or not code_span_runs_on(s.unit, ln.text))
    )


def _close(s: BlockState, ln: Line, n: int) -> int:
    """Index of the line closing a fence of ``n`` characters at ``s.i``, or -1."""
    if s.longest_after is None:
        s.longest_after = _longest_fences_after(s.lines)
    if s.longest_after[ln.first][s.i + 1] < n:
        return -1  # never closed
    col = s.list_col
    return _find_fence_close(
        s.lines,
        s.i,
        ln.first,
        n,
        ln.depth,
        inside=col if col > 0 and ln.indent >= col else 0,
        item=col if col > 0 and s.para_open else 0,
        max_indent=max(col, 0) + 3,
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


def _find_fence_close(
    lines: list[str],
    start: int,
    ch: str,
    n: int,
    depth: int,
    *,
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
        s = _unquote(lines[j], depth)
        if s is None:
            return -1
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


def _unquote(line: str, depth: int) -> str | None:
    """``line`` without ``depth`` quote markers, or None if it has fewer."""
    at = 0
    for _ in range(depth):
        q = QUOTE_RE.match(line, at)
        if q is None:
            return None
        at = q.end()
    return line[at:]
