"""Reporters: pure functions Report -> str, chosen by name. They never decide the exit code.

Each takes `color` (only the text reporter uses it) so that every reporter has one signature.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Report
from . import github, json_format, text

Reporter = Callable[..., str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
    "github": github.render,
}


def render(fmt: str, report: Report, *, color: bool) -> str:
    """The report in format `fmt` (one of REPORTERS), ending with a newline."""
    try:
        reporter = REPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORTERS)}") from None
    return reporter(report, color=color)


__all__ = ["REPORTERS", "render"]
