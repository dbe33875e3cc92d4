"""Reporter output against golden files (refresh with `pytest --update-golden`), plus the details:
summary wording, escaping for GitHub annotations, colour on and off."""

from __future__ import annotations

import json
from collections.abc import Callable

import click
import pytest

from anthology.diagnostics import Diagnostic, Report, Severity
from anthology.reporters import REPORTERS, render
from anthology.reporters.github import annotation, escape_data, escape_property
from anthology.reporters.text import summary_line

E, W = Severity.ERROR, Severity.WARNING

# Deliberately out of order, with one duplicate: reporters sort and deduplicate through Report.sorted().
DIAGNOSTICS = [
    Diagnostic(
        "L001",
        W,
        "chapters/writing-right-to-left.md",
        None,
        "Chapter by 陈晓雯 has 612 words; the limit is 400",
        "Cut 212 words, or ask an editor for an exception in book.yaml.",
    ),
    Diagnostic(
        "S003",
        E,
        "chapters/carrying-it-over.md",
        4,
        "Unknown key 'header-includes'",
        "Allowed keys: title, authors, section, subtitle.",
    ),
    Diagnostic(
        "F004",
        E,
        "authors.yaml",
        12,
        "Key 'zoe-angstrom' appears twice (first on line 3)",
        "Keep one of them; YAML would silently use only the last.",
    ),
    Diagnostic("N001", W, "authors.yaml", 30, "Author 'chen-xiaowen' (陈晓雯) has no chapter yet", ""),
    Diagnostic(
        "W001",
        E,
        "chapters/carrying-it-over.md",
        17,
        "Link '100%, no: really' is unsafe:\nit uses javascript:",
        "Link to an https: address instead.",
    ),
    Diagnostic(
        "A002",
        W,
        "authors.yaml",
        3,
        "Bio of Zoë Ångström has 75 words; the limit is 60",
        "Shorten the bio by 15 words.",
    ),
    Diagnostic(
        "S003",
        E,
        "chapters/carrying-it-over.md",
        4,
        "Unknown key 'header-includes'",
        "Allowed keys: title, authors, section, subtitle.",
    ),
]


@pytest.fixture
def report() -> Report:
    return Report(diagnostics=list(DIAGNOSTICS), chapters=275, words=96412)


GOLDENS = {"text": "report.txt", "json": "report.json", "github": "report.github"}


@pytest.mark.parametrize("fmt", sorted(GOLDENS))
def test_matches_golden(fmt: str, report: Report, golden: Callable[[str, str], None]) -> None:
    golden(GOLDENS[fmt], render(fmt, report, color=False))


def test_every_reporter_has_a_golden() -> None:
    assert set(REPORTERS) == set(GOLDENS) == {"text", "json", "github"}


def test_unknown_format_is_refused(report: Report) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render("xml", report, color=False)


@pytest.mark.parametrize("fmt", sorted(GOLDENS))
def test_output_ends_with_one_newline(fmt: str, report: Report) -> None:
    for r in (report, Report()):
        out = render(fmt, r, color=False)
        assert out.endswith("\n") and not out.endswith("\n\n")


# --- text ------------------------------------------------------------------------------------


def test_text_groups_by_file_in_sorted_order(report: Report) -> None:
    out = render("text", report, color=False)
    headings = [block.splitlines()[0].split(" (")[0] for block in out.split("\n\n")[:-1]]
    assert headings == ["authors.yaml", "chapters/carrying-it-over.md", "chapters/writing-right-to-left.md"]
    assert "chapters/carrying-it-over.md (3 errors)" not in out  # the duplicate is counted once
    assert "chapters/carrying-it-over.md (2 errors)" in out
    assert "authors.yaml (1 error, 2 warnings)" in out


def test_text_locates_and_hints(report: Report) -> None:
    lines = render("text", report, color=False).splitlines()
    assert "chapters/carrying-it-over.md:4: S003 Unknown key 'header-includes'" in lines
    assert "    hint: Allowed keys: title, authors, section, subtitle." in lines
    assert "chapters/writing-right-to-left.md: L001 Chapter by 陈晓雯 has 612 words; the limit is 400" in lines
    # A multi-line message stays inside its diagnostic.
    assert "    it uses javascript:" in lines
    # No hint, no hint line.
    index = lines.index("authors.yaml:30: N001 Author 'chen-xiaowen' (陈晓雯) has no chapter yet")
    assert not lines[index + 1].lstrip().startswith("hint:")


@pytest.mark.parametrize(
    ("errors", "warnings", "chapters", "words", "expected"),
    [
        (3, 2, 275, 96412, "3 errors, 2 warnings in 275 chapters · 96,412 words"),
        (1, 0, 12, 3402, "1 error in 12 chapters · 3,402 words"),
        (0, 1, 1, 1, "1 warning in 1 chapter · 1 word"),
        (0, 0, 12, 3402, "no problems in 12 chapters · 3,402 words"),
        (0, 0, 0, 0, "no problems in 0 chapters · 0 words"),
    ],
)
def test_summary_wording(errors: int, warnings: int, chapters: int, words: int, expected: str) -> None:
    diagnostics = [Diagnostic("X001", E, "a.md", n + 1, "m") for n in range(errors)]
    diagnostics += [Diagnostic("X002", W, "a.md", n + 1, "m") for n in range(warnings)]
    report = Report(diagnostics=diagnostics, chapters=chapters, words=words)
    assert summary_line(report) == expected
    assert render("text", report, color=False).splitlines()[-1] == expected


def test_clean_report_is_just_the_summary() -> None:
    assert render("text", Report(chapters=12, words=3402), color=False) == "no problems in 12 chapters · 3,402 words\n"


def test_colour_off_has_no_escapes(report: Report) -> None:
    for fmt in GOLDENS:
        assert "\x1b[" not in render(fmt, report, color=False)


def test_colour_on_styles_text_only(report: Report) -> None:
    plain = render("text", report, color=False)
    coloured = render("text", report, color=True)
    assert coloured != plain
    assert click.unstyle(coloured) == plain
    assert click.style("S003", fg="red", bold=True) in coloured  # error codes red and bold
    assert click.style("L001", fg="yellow", bold=True) in coloured  # warning codes yellow
    assert click.style("    hint: Shorten the bio by 15 words.", dim=True) in coloured
    assert click.style("2 errors", fg="red", bold=True) in coloured
    assert click.style("no problems", fg="green", bold=True) in render("text", Report(), color=True)
    # Machine formats never colour.
    for fmt in ("json", "github"):
        assert render(fmt, report, color=True) == render(fmt, report, color=False)


# --- json ------------------------------------------------------------------------------------


def test_json_has_the_contract_shape(report: Report) -> None:
    out = render("json", report, color=False)
    data = json.loads(out)
    assert set(data) == {"diagnostics", "summary"}
    assert data["summary"] == {"errors": 3, "warnings": 3, "chapters": 275, "words": 96412}
    assert len(data["diagnostics"]) == 6
    for item in data["diagnostics"]:
        assert list(item) == ["code", "severity", "path", "line", "message", "hint"]
        assert item["severity"] in ("error", "warning")
        assert item["line"] is None or isinstance(item["line"], int)
    assert [(d["path"], d["line"] or 0, d["code"]) for d in data["diagnostics"]] == [
        (d.path, d.line or 0, d.code) for d in report.sorted()
    ]
    assert "陈晓雯" in out and "Zoë" in out  # not \u-escaped


# --- github ----------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_annotation_forms() -> None:
    assert (
        annotation(Diagnostic("S003", E, "chapters/a,b:c.md", 4, "Unknown key 'x'", "Remove it."))
        == "::error file=chapters/a%2Cb%3Ac.md,line=4,title=S003::Unknown key 'x' (Remove it.)"
    )
    assert annotation(Diagnostic("N001", W, "authors.yaml", None, "50% done\nmore", "")) == (
        "::warning file=authors.yaml,title=N001::50%25 done%0Amore"
    )


def test_github_one_line_per_diagnostic_then_summary(report: Report) -> None:
    lines = render("github", report, color=False).splitlines()
    assert len(lines) == len(report.sorted()) + 1
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[:-1])
    assert lines[-1] == summary_line(report)
