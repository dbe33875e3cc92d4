"""The report for tools: one JSON object in the contract's shape."""

from __future__ import annotations

import json

from ..diagnostics import Report


def render(report: Report, *, color: bool = False) -> str:
    """`{"diagnostics": [...], "summary": {...}}`, sorted by path, line and code (colour is ignored)."""
    document = {
        "diagnostics": [
            {
                "code": d.code,
                "severity": d.severity.value,
                "path": d.path,
                "line": d.line,
                "message": d.message,
                "hint": d.hint,
            }
            for d in report.sorted()
        ],
        "summary": report.summary(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
