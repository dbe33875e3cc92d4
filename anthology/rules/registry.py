"""The rule catalogue: each rule is a small function with a stable code.

A rule yields `Finding`s (where and what); the engine attaches the code and severity, so a
rule cannot mislabel itself. The rule's docstring is its user documentation
(`anthology explain CODE`). Codes are never reused.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..catalogue import register
from ..diagnostics import Diagnostic, Severity
from ..model import Book


@dataclass(frozen=True)
class Finding:
    path: str
    line: int | None
    message: str
    hint: str = ""


Check = Callable[[Book], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name

    def run(self, book: Book) -> Iterator[Diagnostic]:
        for found in self.check(book):
            yield Diagnostic(self.code, self.severity, found.path, found.line, found.message, found.hint)


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity = Severity.ERROR) -> Callable[[Check], Check]:
    """Register a check under `code` (in the catalogue too, which refuses a code used twice)."""

    def add(check: Check) -> Check:
        entry = Rule(code, name, severity, check)
        register(entry)
        RULES[code] = entry
        return check

    return add


def loaded(book: Book, code: str) -> Iterator[Finding]:
    """The problems the loader met with this code (parse problems are rules too)."""
    for located in book.problems:
        if located.problem.code == code:
            p = located.problem
            yield Finding(located.path, p.line, p.message, p.hint)
