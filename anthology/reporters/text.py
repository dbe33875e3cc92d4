"""The report for people: problems grouped by file, each with its hint, then one summary line."""

from __future__ import annotations

from itertools import groupby

import click

from ..diagnostics import Diagnostic, Report, Severity

INDENT = "    "


def plural(count: int, word: str) -> str:
    """`1 error`, `2 errors`, `96,412 words`."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _counts(errors: int, warnings: int, color: bool) -> str:
    parts = []
    if errors:
        parts.append(_style(plural(errors, "error"), color, fg="red", bold=True))
    if warnings:
        parts.append(_style(plural(warnings, "warning"), color, fg="yellow", bold=True))
    return ", ".join(parts)


def summary_line(report: Report, *, color: bool = False) -> str:
    """`3 errors, 2 warnings in 275 chapters · 96,412 words`, or `no problems in …` when clean."""
    counts = _counts(report.errors, report.warnings, color) or _style("no problems", color, fg="green", bold=True)
    return f"{counts} in {plural(report.chapters, 'chapter')} · {plural(report.words, 'word')}"


def _style(text: str, color: bool, **styles: object) -> str:
    return click.style(text, **styles) if color else text  # type: ignore[arg-type]


def _continued(text: str) -> str:
    """Keep a multi-line message inside its diagnostic by indenting the following lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\n" + INDENT)


def headline(d: Diagnostic, *, color: bool = False) -> str:
    """`path:line: CODE message` (`path: CODE message` for a whole file), without the hint."""
    where = f"{d.path}:{d.line}:" if d.line is not None else f"{d.path}:"
    fg = "red" if d.severity is Severity.ERROR else "yellow"
    return f"{where} {_style(d.code, color, fg=fg, bold=True)} {_continued(d.message)}"


def _diagnostic(d: Diagnostic, color: bool) -> str:
    line = headline(d, color=color)
    if d.hint:
        line += "\n" + _style(f"{INDENT}hint: {_continued(d.hint)}", color, dim=True)
    return line


def _heading(path: str, found: list[Diagnostic], color: bool) -> str:
    errors = sum(1 for d in found if d.severity is Severity.ERROR)
    counts = _counts(errors, len(found) - errors, color)
    return f"{_style(path, color, bold=True, underline=True)} ({counts})"


def render(report: Report, *, color: bool = False) -> str:
    """Files in sorted order, each with a heading and its diagnostics, then the summary."""
    blocks = []
    for path, group in groupby(report.sorted(), key=lambda d: d.path):
        found = list(group)
        lines = [_heading(path, found, color), *(_diagnostic(d, color) for d in found)]
        blocks.append("\n".join(lines))
    blocks.append(summary_line(report, color=color))
    return "\n\n".join(blocks) + "\n"
