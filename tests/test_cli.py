"""The command line as users and CI meet it: exit codes, located output, formats, rules, explain.

Runs click's CliRunner against copies of the base book and the sample book.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from anthology import cli
from anthology.cli import main
from anthology.diagnostics import Severity
from anthology.rules import RULES, Finding, Rule

ANSI = re.compile(r"\x1b\[")


def run(*args: str | Path, color: bool = False) -> Result:
    """Invoke `anthology ARGS…`; NO_COLOR is set as in a CI log. Never re-raises: we inspect the result."""
    return CliRunner().invoke(main, [str(a) for a in args], env={"NO_COLOR": "1"}, color=color)


def validate(root: Path, *args: str | Path) -> Result:
    return run("validate", "--root", root, *args)


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def add_front_matter(chapter: Path, line: str) -> None:
    """Insert `line` as the last front-matter key of a chapter (the base chapters have 3 keys)."""
    lines = chapter.read_text(encoding="utf-8").split("\n")
    closing = lines.index("---", 1)
    lines.insert(closing, line)
    chapter.write_text("\n".join(lines), encoding="utf-8")


def add_author_key(authors: Path, author_id: str, line: str) -> int:
    """Add `  line` to an author's entry in authors.yaml; returns its 1-based line number."""
    lines = authors.read_text(encoding="utf-8").split("\n")
    index = lines.index(f"{author_id}:") + 1
    lines.insert(index, f"  {line}")
    authors.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def json_report(result: Result) -> dict:  # type: ignore[type-arg]
    return json.loads(result.stdout)


# --- exit codes --------------------------------------------------------------------------------


def test_clean_base_book_exits_0(base_book: Path) -> None:
    result = validate(base_book)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("no problems in 2 chapters · ")


def test_clean_sample_book_exits_0(sample_book: Path) -> None:
    result = validate(sample_book)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no problems in 12 chapters · ")


def test_strict_clean_book_exits_0(base_book: Path) -> None:
    assert validate(base_book, "--strict").exit_code == 0


def test_error_exits_1_and_is_located(base_book: Path) -> None:
    add_front_matter(base_book / "chapters" / "walking.md", "mood: cheerful")
    result = validate(base_book)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert "chapters/walking.md:5: S003 Unknown key 'mood'" in result.output
    assert result.output.splitlines()[-1].startswith("1 error in 2 chapters")


def test_malformed_authors_yaml_is_a_located_error(base_book: Path) -> None:
    (base_book / "authors.yaml").write_text("alice-smith:\n  name: [Alice\n", encoding="utf-8")
    result = validate(base_book)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert re.search(r"^authors\.yaml:\d+: F003 ", result.output, re.M), result.output


def test_warnings_alone_exit_0_but_1_when_strict(base_book: Path) -> None:
    with (base_book / "authors.yaml").open("a", encoding="utf-8") as authors:
        authors.write("carol-white:\n  name: Carol White\n  bio: Carol has not sent her chapter yet.\n")
    result = validate(base_book)
    assert result.exit_code == 0, result.output
    assert "I004" in result.output
    assert result.output.splitlines()[-1].startswith("1 warning in 2 chapters")
    strict = validate(base_book, "--strict")
    assert strict.exit_code == 1
    assert strict.output == result.output  # --strict changes the exit code, not the report


def test_strict_applies_to_any_warning_rule(base_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, independent of which warning rules exist: a temporary warning-only rule."""

    def check(book: object) -> list[Finding]:
        """A test warning."""
        return [Finding("chapters/walking.md", 1, "Just a warning", "Nothing to do.")]

    monkeypatch.setitem(RULES, "T901", Rule("T901", "test-warning", Severity.WARNING, check))
    assert validate(base_book).exit_code == 0
    result = validate(base_book, "--strict")
    assert result.exit_code == 1
    assert "chapters/walking.md:1: T901 Just a warning" in result.output


@pytest.mark.parametrize("folder", ["missing", "no-book-yaml"])
def test_unreadable_book_exits_2_with_a_hint(tmp_path: Path, folder: str) -> None:
    root = tmp_path / folder
    if folder == "no-book-yaml":
        (root / "chapters").mkdir(parents=True)
        (root / "authors.yaml").write_text("{}\n")
    result = validate(root)
    assert result.exit_code == 2, result.output
    no_traceback(result)
    assert str(root) in result.output
    assert "hint:" in result.output
    assert ("is not a folder" if folder == "missing" else "No book.yaml") in result.output


@pytest.mark.parametrize("where", ["authors.yaml", "book.yaml", "images/dot.png", "../outside.md", "chapters/nope.md"])
def test_path_argument_outside_chapters_exits_2(base_book: Path, where: str) -> None:
    (base_book.parent / "outside.md").write_text("---\ntitle: Out\nauthors: [alice-smith]\n---\nText.\n")
    result = validate(base_book, base_book / where)
    assert result.exit_code == 2, result.output
    no_traceback(result)
    assert "hint:" in result.output
    expected = "no such file" if where == "chapters/nope.md" else "is not a chapter"
    assert expected in result.output


# --- validate PATH… ----------------------------------------------------------------------------


@pytest.fixture
def two_broken_chapters(base_book: Path) -> Path:
    """Both chapters and both of their authors have one problem each."""
    add_front_matter(base_book / "chapters" / "walking.md", "mood: cheerful")  # alice-smith
    add_front_matter(base_book / "chapters" / "bridges.md", "colour: grey")  # bob-jones
    add_author_key(base_book / "authors.yaml", "alice-smith", "websit: https://alice.example.org")
    add_author_key(base_book / "authors.yaml", "bob-jones", "boi: Bob again.")
    return base_book


def test_whole_book_reports_everything(two_broken_chapters: Path) -> None:
    found = json_report(validate(two_broken_chapters, "--format", "json"))
    assert {d["path"] for d in found["diagnostics"]} == {"chapters/walking.md", "chapters/bridges.md", "authors.yaml"}
    assert found["summary"]["errors"] == 4
    assert found["summary"]["chapters"] == 2


def test_only_the_named_chapter_and_its_authors(two_broken_chapters: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_broken_chapters)  # as a contributor types it, inside the book
    result = run("validate", "--format", "json", "chapters/walking.md")
    assert result.exit_code == 1, result.output
    found = json_report(result)
    assert sorted((d["path"], d["code"], d["message"]) for d in found["diagnostics"]) == [
        ("authors.yaml", "S003", "Unknown key 'alice-smith.websit'"),
        ("chapters/walking.md", "S003", "Unknown key 'mood'"),
    ]
    assert found["summary"]["chapters"] == 1

    text = run("validate", "chapters/bridges.md").output
    assert "chapters/bridges.md:" in text and "boi" in text
    assert "chapters/walking.md" not in text and "websit" not in text
    assert text.splitlines()[-1].startswith("2 errors in 1 chapter · ")


def test_several_paths(two_broken_chapters: Path) -> None:
    chapters = two_broken_chapters / "chapters"
    found = json_report(
        validate(two_broken_chapters, "--format", "json", chapters / "walking.md", chapters / "bridges.md")
    )
    assert found["summary"]["errors"] == 4
    assert found["summary"]["chapters"] == 2


# --- formats -----------------------------------------------------------------------------------


def test_json_matches_the_contract(two_broken_chapters: Path) -> None:
    result = validate(two_broken_chapters, "--format", "json")
    assert result.exit_code == 1
    data = json_report(result)
    assert set(data) == {"diagnostics", "summary"}
    assert set(data["summary"]) == {"errors", "warnings", "chapters", "words"}
    assert all(isinstance(v, int) for v in data["summary"].values())
    assert data["diagnostics"]
    for item in data["diagnostics"]:
        assert set(item) == {"code", "severity", "path", "line", "message", "hint"}
        assert item["code"] in RULES
        assert item["severity"] in ("error", "warning")
        assert not item["path"].startswith("/") and "\\" not in item["path"]
        assert item["line"] is None or (isinstance(item["line"], int) and item["line"] >= 1)
    assert ("chapters/walking.md", 5) in {(d["path"], d["line"]) for d in data["diagnostics"]}


def test_json_clean(base_book: Path) -> None:
    data = json_report(validate(base_book, "--format", "json"))
    assert data["diagnostics"] == []
    assert data["summary"]["errors"] == 0 and data["summary"]["chapters"] == 2 and data["summary"]["words"] > 0


def test_github_annotations(two_broken_chapters: Path) -> None:
    result = validate(two_broken_chapters, "--format", "github")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("::error file=") for line in lines[:-1])
    assert "::error file=chapters/walking.md,line=5,title=S003::Unknown key 'mood'" in result.output
    assert lines[-1].startswith("4 errors in 2 chapters")


def test_no_colour_with_no_color(two_broken_chapters: Path) -> None:
    # color=True stops click from stripping escapes itself, so any escape would come from us.
    result = run("validate", "--root", two_broken_chapters, color=True)
    assert result.exit_code == 1
    assert not ANSI.search(result.output)


def test_use_color_follows_the_terminal_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli.sys, "stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli.use_color() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.use_color() is False


# --- rules and explain -------------------------------------------------------------------------


def test_rules_lists_every_code() -> None:
    result = run("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.splitlines() if line.strip()]
    assert listed == list(cli.catalogue())
    assert set(RULES) < set(listed) and {"F004", "R001", "P001"} <= set(listed)


@pytest.mark.parametrize("code", ["F004", "f004"])
def test_explain_prints_the_docstring(code: str) -> None:
    result = run("explain", code)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("F004 duplicate-key (error)")
    assert RULES["F004"].doc in result.output


def test_explain_unknown_code_exits_2() -> None:
    result = run("explain", "ZZZ9")
    assert result.exit_code == 2
    no_traceback(result)
    assert "No rule 'ZZZ9'" in result.output
    assert "anthology rules" in result.output


def test_symlink_loop_argument_exits_cleanly(base_book: Path) -> None:
    loop = base_book / "chapters" / "loop.md"
    loop.symlink_to("loop.md")
    result = validate(base_book, loop)
    no_traceback(result)
    assert result.exit_code in (1, 2), result.output


def test_the_report_formats_offered_are_the_reporters() -> None:
    from anthology.cli import REPORT_FORMATS
    from anthology.reporters import REPORTERS

    assert list(REPORT_FORMATS) == list(REPORTERS)


def test_a_command_runs_with_the_cycle_collector_run_less_often() -> None:
    """Every command sets it (a build makes millions of objects and few cycles); the layout
    workers inherit it."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        assert CliRunner().invoke(main, ["rules"]).exit_code == 0
        assert gc.get_threshold()[0] == cli.GARBAGE_THRESHOLD > 700
    finally:
        gc.set_threshold(*before)
