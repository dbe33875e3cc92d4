"""The block scanner's state: where it is, what is open, the unit being built.

Every block construct is a function ``(state, line) -> bool`` that reads and
changes one :class:`BlockState`; it returns True when it took the line (and
moved ``state.i`` past what it consumed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .findings import Findings
from .inline import check_unit, shadow
from .masking import TICKS_RE

QUOTE_RE = re.compile(r" {0,3}> ?")


@dataclass(slots=True)
class Line:
    """One line with its container markup (quote markers, indentation) read."""

    text: str  # without quote markers and indentation; "" for a blank line
    number: int  # 1-based
    indent: int  # columns of indentation inside the quote markers
    depth: int  # blockquote depth
    first: str  # text[:1]
    # pandoc: unquoted lines right after a quote are lazily part of it, and
    # there they never start indented code (even after a fenced block); a
    # backtick fence still interrupts them.
    lazy: bool


@dataclass(slots=True)
class BlockState:
    """One scan of a chapter body, line by line."""

    lines: list[str]
    found: Findings = field(default_factory=Findings)
    i: int = 0  # index of the line being read
    # The paragraph-like unit being collected (consecutive lines), checked
    # inline as a whole when it ends (see flush).
    unit: list[str] = field(default_factory=list)
    ulast: int = 0  # line number of the unit's last line
    heading: bool = False  # the unit is a heading (it may end in attributes)
    para_open: bool = False  # a paragraph is running (lazy continuation possible)
    list_col: int = -1  # content column of the current list item, -1 outside lists
    in_table: bool = False  # in a table (until a blank line): one unit per row
    table_end: int = -1  # last line of a headerless table
    in_code: bool = False  # the previous non-blank line was indented code
    divs: int = 0  # fenced divs open
    quoted: bool = False  # in a blockquote (until a blank line)
    line_block: bool = False  # the previous line belonged to a line block
    # Lines parsed one by one (table rows, line block lines), kept for the
    # other reading where they form one paragraph (see end_rows).
    rows: list[str] = field(default_factory=list)
    rows_last: int = 0
    # Backtick runs by length in unit[:ticked] (see ticks_pair_up).
    ticks: dict[int, int] = field(default_factory=dict)
    ticked: int = 0
    # For "`" and "~": the longest fence-only line at or after each index,
    # worked out at the first fence.
    longest_after: dict[str, list[int]] | None = None

    def read(self) -> Line:
        """The line at ``i`` (not empty), its quote markers and indentation
        read off."""
        raw = self.lines[self.i]
        depth = 0
        if raw[0] in " \t>":
            text, indent, depth = _unnest(raw)
            if depth:
                self.quoted = True
        else:
            text, indent = raw, 0
        lazy = depth == 0 and self.quoted
        return Line(text, self.i + 1, indent, depth, text[:1], lazy)

    def next_line(self) -> str:
        """The line after the current one as written ("" past the end)."""
        return self.lines[self.i + 1] if self.i + 1 < len(self.lines) else ""

    def add(self, text: str, number: int) -> None:
        """Add a line to the unit."""
        self.unit.append(text)
        self.ulast = number

    def flush(self) -> None:
        """End the unit: check it inline."""
        if self.unit:
            first = self.ulast - len(self.unit) + 1
            check_unit(self.found, "\n".join(self.unit), first, self.heading)
            self.unit.clear()
            self.ticks.clear()
            self.ticked = 0
        self.heading = False

    def row(self, text: str, number: int) -> None:
        """Parse a line on its own (a table row or line block line), and keep
        it for the other reading, where the lines form one paragraph."""
        self.flush()
        if self.rows and self.rows_last != number - 1:
            self.end_rows()
        self.add(text, number)
        self.flush()
        self.rows.append(text)
        self.rows_last = number

    def end_rows(self) -> None:
        """If what we took for table rows were one paragraph to pandoc, code
        spans could pair up differently: check that reading too."""
        if len(self.rows) > 1:
            first = self.rows_last - len(self.rows) + 1
            shadow(self.found, "\n".join(self.rows), first)
        self.rows.clear()

    def ticks_pair_up(self) -> bool:
        """Whether every backtick run in the unit so far has a partner of its
        length (kept up to date incrementally: a unit only grows)."""
        ticks = self.ticks
        for part in self.unit[self.ticked :]:
            for run in TICKS_RE.finditer(part):
                n = run.end() - run.start()
                ticks[n] = ticks.get(n, 0) + 1
        self.ticked = len(self.unit)
        return all(c % 2 == 0 for c in ticks.values())


def _unnest(raw: str) -> tuple[str, int, int]:
    """A line starting with space, tab or ">": (text, indentation, quote depth)."""
    if "\t" in raw:
        # Expand tabs in the leading markup to stops of 4 counted from the
        # line start, so "> \tx" is indented 2 inside the quote.
        k = len(raw) - len(raw.lstrip(" \t>"))
        raw = raw[:k].expandtabs(4) + raw[k:]
    depth = 0
    if ">" in raw[:4]:
        at = 0
        q = QUOTE_RE.match(raw)
        while q is not None:
            depth += 1
            at = q.end()
            q = QUOTE_RE.match(raw, at)
        raw = raw[at:]
    text = raw.lstrip()
    return text, len(raw) - len(text), depth
