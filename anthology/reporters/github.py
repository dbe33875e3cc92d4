"""The report for GitHub Actions: one workflow annotation per problem, then the summary line.

Annotation text is escaped as the Actions runner expects: `%`, CR and LF in the message, and
additionally `:` and `,` in property values (file, title), which would otherwise end them.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Report, Severity
from .text import summary_line


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    """`::error file=PATH,line=N,title=CODE::MESSAGE (hint)`; `line=` only when known."""
    command = "error" if d.severity is Severity.ERROR else "warning"
    properties = [f"file={escape_property(d.path)}"]
    if d.line is not None:
        properties.append(f"line={d.line}")
    properties.append(f"title={escape_property(d.code)}")
    message = f"{d.message} ({d.hint})" if d.hint else d.message
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


def render(report: Report, *, color: bool = False) -> str:
    """Annotations in sorted order, then the plain summary line (colour is never used)."""
    lines = [annotation(d) for d in report.sorted()]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
