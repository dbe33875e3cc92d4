"""The one exception that crosses the command line: the book cannot be read at all."""

from __future__ import annotations

import click


class AnthologyError(click.ClickException):
    """A problem that stops a command before it can judge the book (exit 2).

    Problems *in* the book are diagnostics, never exceptions.
    """

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message if hint is None else f"{message}\n  hint: {hint}")
