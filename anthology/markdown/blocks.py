"""Block constructs other than code and tables: one function each.

Headings, rules, YAML blocks, fenced divs, footnote and reference
definitions, list items, and what is left: paragraphs.  Each takes the state
and the line and returns True when the line was its own (see :mod:`.state`).
"""

from __future__ import annotations

import re

from .masking import label, parse_dest, ticks_pair_up
from .state import BlockState, Line

SETEXT_RE = re.compile(r"(?:=+|-+)[ \t]*$")
_HR_RE = re.compile(r"([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_ATX_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
_YAML_KEY_RE = re.compile(r"[^\s#:\-][^:]*:(?:[ \t]|$)")
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
_DEF_ANGLE_RE = re.compile(r"<[^<>\n]*>(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$")
_TITLE_LINE_RE = re.compile(r"(?:\"[^\"]*\"|'[^']*'|\([^)]*\))[ \t]*$")


def blank_line(s: BlockState, depth: int) -> None:
    """A blank line ends the paragraph, a table, a line block and (unless
    it is quoted: ``depth`` > 0) the blockquote."""
    s.flush()
    s.para_open = False
    s.in_table = False
    s.quoted = depth > 0
    s.end_rows()
    s.line_block = False
    s.i += 1


def prose(s: BlockState, ln: Line) -> None:
    """Anything else is prose: a paragraph's line, or a table's row."""
    if s.list_col >= 0 and not s.para_open and ln.indent == 0:
        s.list_col = -1  # text at the margin, not continuing a paragraph: the item ends
    if s.in_table:  # each table row is parsed on its own
        s.row(ln.text, ln.number)
        s.para_open = False
    else:
        s.add(ln.text, ln.number)
        s.para_open = True
    s.i += 1


def yaml_block(s: BlockState, ln: Line) -> bool:
    """``---`` right above a ``key: value`` line, outside quotes, opens a
    YAML metadata block (reported: it could set pandoc's options)."""
    if ln.text.rstrip() != "---" or s.para_open or ln.depth:
        return False
    end = _yaml_end(s.lines, s.i)
    if end < 0:
        return False
    s.flush()
    s.found.flag(ln.number, "yaml_block", "--- " + s.lines[s.i + 1].strip())
    s.para_open = False
    s.i = end + 1
    return True


def _yaml_end(lines: list[str], start: int) -> int:
    """If ``---`` at ``start`` opens a YAML metadata block, its closing line.

    pandoc reads ``---`` followed directly by a non-blank line, up to a
    ``---`` or ``...`` line, as metadata; we require that first line to look
    like ``key: value``.  A ``---`` between blank lines is a horizontal rule.
    """
    if start + 1 >= len(lines) or not _YAML_KEY_RE.match(lines[start + 1]):
        return -1
    for j in range(start + 2, len(lines)):
        r = lines[j].rstrip()
        if r == "---" or r == "...":
            return j
    return -1


def setext_underline(s: BlockState, ln: Line) -> bool:
    """``===`` or ``---`` under a one-line paragraph makes it a heading.

    pandoc: setext headings are one line; neither an underline after a
    longer paragraph nor a rule can interrupt it.  Nor is a line whose code
    span runs on ("```py x" / "==="); under dashes that line is then a
    one-column table's header.
    """
    if not s.para_open or len(s.unit) != 1 or not SETEXT_RE.match(ln.text):
        return False
    if "`" not in s.unit[0] or ticks_pair_up(s.unit[0]):
        s.heading = True
    elif ln.first == "-":
        s.in_table = True
    else:
        s.add(ln.text, ln.number)  # "===" is paragraph text
        s.i += 1
        return True
    s.flush()
    s.para_open = False
    s.i += 1
    return True


def thematic_break(s: BlockState, ln: Line) -> bool:
    """A horizontal rule (``***``, ``- - -``) between paragraphs."""
    if s.para_open or not _HR_RE.match(ln.text):
        return False
    s.flush()
    s.para_open = False
    s.i += 1
    return True


def fenced_div(s: BlockState, ln: Line) -> bool:
    """``::: {.class}`` or ``::: name`` opens a div (reported as an
    attribute); ``:::`` closes an open one."""
    st = ln.text
    if not st.startswith(":::"):
        return False
    opens = _DIV_OPEN_RE.match(st) is not None
    if not opens and not (s.divs and _DIV_CLOSE_RE.match(st) is not None):
        return False
    s.flush()
    if opens:
        s.found.flag(ln.number, "attribute", st)
        s.divs += 1
    else:
        s.divs -= 1
    s.para_open = False
    s.i += 1
    return True


def atx_heading(s: BlockState, ln: Line) -> bool:
    """``# Heading``: its own unit, where a trailing ``{#id}`` is an attribute."""
    if s.para_open or not _ATX_RE.match(ln.text):
        return False
    s.flush()
    s.add(ln.text, ln.number)
    s.heading = True
    s.flush()
    s.i += 1
    return True


def footnote_def(s: BlockState, ln: Line) -> bool:
    """``[^1]: text``: the note's text is prose, its paragraphs indented like
    a list item's."""
    if s.para_open:
        return False
    fd = _FOOTDEF_RE.match(ln.text)
    if fd is None:
        return False
    s.flush()
    s.list_col = ln.indent + 4
    rest = ln.text[fd.end() :]
    if rest:
        s.add(rest, ln.number)
    s.para_open = bool(rest)
    s.i += 1
    return True


def reference_def(s: BlockState, ln: Line) -> bool:
    """``[label]: destination "title"`` (the destination may be on the next
    line, the title too): kept for the reference links that use it."""
    if s.para_open:
        return False
    rd = _REFDEF_RE.match(ln.text)
    if (
        rd is None
        or rd.group(1).startswith(("^", "@", "-@"))
        or (rd.group(2)[:1] == "<" and not _DEF_ANGLE_RE.match(rd.group(2)))
    ):
        return False
    s.flush()
    value = rd.group(2)
    if not value.strip() and s.next_line().strip():
        s.i += 1
        value = s.lines[s.i]
    s.found.defs.setdefault(label(rd.group(1)), parse_dest(value))
    if _TITLE_LINE_RE.match(s.next_line().strip()):
        s.i += 1
    s.para_open = False
    s.i += 1
    return True


def list_item(s: BlockState, ln: Line) -> bool:
    """A bullet (``-``, ``*``, ``+``, with an optional ``[ ]`` task box) or an
    ordered marker (``1.``, ``a)``, ``(iv)``, ``#.``, ``(@x)``): the rest of
    the line is prose, and so are the item's indented lines."""
    if s.para_open and s.list_col < 0:
        return False
    marker = _list_marker(ln.text, ln.first)
    if marker is None:
        return False
    s.flush()
    whole = marker.group(0)
    width = len(whole.rstrip(" \t"))
    spaces = len(whole) - width
    s.list_col = ln.indent + width + (spaces if 0 < spaces <= 4 else 1)
    rest = ln.text[marker.end() :]
    if ln.first in "-*+" and rest[:1] == "[":
        t = _TASK_RE.match(rest)
        if t is not None:
            rest = rest[t.end() :]
    if rest:
        s.add(rest, ln.number)
        if rest[0] == "#" and _ATX_RE.match(rest):
            s.heading = True  # "- # Heading {#id}"
            s.flush()
            rest = ""
    s.para_open = bool(rest)
    s.i += 1
    return True


def _list_marker(st: str, first: str) -> re.Match[str] | None:
    """The list marker at the start of ``st``, if there is one."""
    if first in "-*+":
        return _BULLET_RE.match(st)
    if not (first.isalnum() or first == "(" or first == "#"):
        return None
    marker = _OL_RE.match(st)
    if (
        marker is not None
        and marker.group(1)
        and marker.group(1).isupper()
        and len(marker.group(1)) == 1
        and st[1] == "."
        and len(marker.group(2) or "") < 2
    ):
        return None  # "A. Smith" is an initial, not a list
    return marker
