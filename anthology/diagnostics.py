"""Diagnostics: what is wrong, where, and what to do; and the report that collects them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem. `path` is POSIX and relative to the book root; `line` is 1-based or None."""

    code: str
    severity: Severity
    path: str
    line: int | None
    message: str
    hint: str = ""

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.code, self.message)


@dataclass
class Report:
    """All diagnostics of one run, plus what was checked (for the summary line)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    chapters: int = 0
    words: int = 0

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: d.sort_key)

    @property
    def errors(self) -> int:
        return sum(1 for d in set(self.diagnostics) if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in set(self.diagnostics) if d.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """1 when the book has errors (or warnings under --strict), else 0."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def summary(self) -> dict[str, int]:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "chapters": self.chapters,
            "words": self.words,
        }


@dataclass(frozen=True)
class Code:
    """A documented code outside the validate rules (pull-request and build checks), for `explain`."""

    code: str
    name: str
    severity: Severity
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0]
