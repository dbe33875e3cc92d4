"""The scan driver: one pass over the lines, each given to the first block
construct that takes it, in pandoc's order of precedence.

A chapter is mostly ordinary paragraphs, so a line that nothing special can
start with goes straight to the paragraph (the fast path).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .blocks import (
    atx_heading,
    blank_line,
    fenced_div,
    footnote_def,
    list_item,
    prose,
    reference_def,
    setext_underline,
    thematic_break,
    yaml_block,
)
from .codeblocks import fenced_code, indented_code
from .state import BlockState, Line
from .tables import (
    dash_table,
    headerless_table_row,
    line_block_line,
    pipe_row,
    simple_table_header,
    table_rule,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .findings import Scan

    Rule = Callable[[BlockState, Line], bool]

# Characters that can start something other than a plain prose line.
_SPECIAL_FIRST = frozenset("`~-*+_#=:[|>(0123456789")

# The constructs a line indented at most 3 columns (in its container) may
# start, by its first character, tried in this order.  Any other character
# can only start an ordered list item ("a." / "iv)").
_STARTS: dict[str, tuple[Rule, ...]] = {
    "-": (
        yaml_block,
        dash_table,
        table_rule,
        setext_underline,
        thematic_break,
        list_item,
    ),
    "=": (setext_underline,),
    "*": (thematic_break, list_item),
    "_": (thematic_break,),
    "+": (list_item,),
    "|": (table_rule, pipe_row),
    ":": (fenced_div,),
    "#": (atx_heading, list_item),
    "[": (footnote_def, reference_def),
}
_OTHER: tuple[Rule, ...] = (list_item,)


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
    s = BlockState(text.split("\n"))
    lines = s.lines
    while s.i < len(lines):  # each step reads the line at s.i (and the block it starts)
        if not lines[s.i]:
            blank_line(s, 0)
            continue
        ln = s.read()
        if not ln.text:  # nothing but quote markers or spaces
            blank_line(s, ln.depth)
        elif line_block_line(s, ln) or headerless_table_row(s, ln) or simple_table_header(s, ln):
            pass  # a row, read on its own
        elif ln.indent < 4 and ln.first not in _SPECIAL_FIRST and not s.in_table:
            # The fast path (most lines of a chapter): prose, unless a letter
            # starts an ordered list item ("a." / "iv)").
            s.in_code = False
            if not (ln.first.isalpha() and list_item(s, ln)):
                prose(s, ln)
        elif not (indented_code(s, ln) or fenced_code(s, ln) or _block_start(s, ln)):
            prose(s, ln)
    s.flush()
    s.end_rows()
    return s.found.result()


def _block_start(s: BlockState, ln: Line) -> bool:
    """Whether a construct in :data:`_STARTS` takes the line."""
    if ln.indent > max(s.list_col, 0) + 3:
        return False
    return any(construct(s, ln) for construct in _STARTS.get(ln.first, _OTHER))
