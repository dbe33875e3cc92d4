"""Tables and line blocks: their lines are prose, parsed one row at a time.

pandoc parses each table row (and each line of a ``| line block``) on its
own, so a code span cannot run from one row into the next; each row is its
own unit.  Should pandoc read the same lines as one paragraph after all, the
rows are checked together too (:meth:`BlockState.end_rows`).
"""

from __future__ import annotations

import re

from .state import BlockState, Line

SIMPLE_TABLE_SEP_RE = re.compile(r"-{2,}(?:[ \t]+-{2,})+[ \t]*$")
TABLE_SEP_RE = re.compile(
    r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"
    r"|\|[ \t]*:?-+:?[ \t]*\|[ \t]*$"
    r"|-{2,}(?:[ \t]+-{2,})+[ \t]*$"
)
_DASH_ROW_RE = re.compile(r"-{3,}(?:[ \t]+-+)*[ \t]*$")


def line_block_line(s: BlockState, ln: Line) -> bool:
    """An indented line continues the line block above; any other line but
    ``| ...`` ends it."""
    if not s.line_block or ln.first == "|":
        return False
    if ln.indent:
        s.row(ln.text, ln.number)
        s.i += 1
        return True
    s.line_block = False
    return False


def headerless_table_row(s: BlockState, ln: Line) -> bool:
    """A row of a table found by :func:`dash_table` (its rules are skipped)."""
    if s.i > s.table_end:
        return False
    if not _DASH_ROW_RE.match(ln.text):
        s.row(ln.text, ln.number)
    s.i += 1
    return True


def simple_table_header(s: BlockState, ln: Line) -> bool:
    """A simple table's header (whatever it looks like), above its dashes;
    its rows, up to a blank line, are read by :func:`.blocks.prose`."""
    if s.para_open or s.in_table:
        return False
    nxt = s.next_line()
    if "- " not in nxt or not SIMPLE_TABLE_SEP_RE.match(nxt.strip()):
        return False
    s.row(ln.text, ln.number)
    s.in_table = True
    s.i += 2
    return True


def dash_table(s: BlockState, ln: Line) -> bool:
    """pandoc reads dashes, rows, dashes as a table (a multiline one has
    more dashed sections, and blank lines between rows): its rows are prose,
    never code."""
    if s.para_open or not s.next_line().strip() or not _DASH_ROW_RE.match(ln.text):
        return False
    lines = s.lines
    end = _dash_rule_at_or_after(lines, s.i + 2)
    while end > 0 and end + 1 < len(lines) and lines[end + 1].strip():
        more = _dash_rule_at_or_after(lines, end + 2)
        if more < 0:
            break
        end = more
    if end <= 0:
        return False
    s.flush()
    s.table_end = end
    s.para_open = False
    s.i += 1
    return True


def table_rule(s: BlockState, ln: Line) -> bool:
    """A table's rule under a paragraph's line: that line was the header."""
    unit, st = s.unit, ln.text
    if not s.para_open or not unit:
        return False
    if not (
        ("|" in st and "|" in unit[-1] and TABLE_SEP_RE.match(st)) or (len(unit) == 1 and SIMPLE_TABLE_SEP_RE.match(st))
    ):
        return False
    s.in_table = True
    s.flush()
    s.para_open = False
    s.i += 1
    return True


def pipe_row(s: BlockState, ln: Line) -> bool:
    """A line block line (``| text``) or a pipe table's header row: each
    line is parsed on its own (a table's rows too)."""
    if not ((not s.para_open or s.line_block) and ln.text[1:2] in ("", " ")):
        return False
    s.row(ln.text, ln.number)
    s.in_table = bool(TABLE_SEP_RE.match(s.next_line().strip()))
    s.line_block = not s.in_table
    s.i += 1
    return True


def _dash_rule_at_or_after(lines: list[str], start: int) -> int:
    """Index of the first dashed rule line at or after ``start``, or -1."""
    for j in range(start, len(lines)):
        if _DASH_ROW_RE.match(lines[j].strip()):
            return j
    return -1
