"""Hostile and broken input never crashes `validate`: every problem is a diagnostic, never an exception.

Random bytes and YAML-ish text in each kind of file, truncated copies of the sample book, deep
nesting, alias bombs, tags, huge files and symlink loops. Cases that could take the interpreter
down (C stack overflow) or hang run in a subprocess with a timeout, so a regression fails one
test instead of the whole run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anthology.diagnostics import Diagnostic, Report
from anthology.load import load_book
from anthology.reporters import REPORTERS, render
from anthology.sources import MAX_FILE_BYTES, MAX_YAML_BYTES
from anthology.validate import validate

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

TARGETS = ["authors.yaml", "book.yaml", "chapters/walking.md"]
CHAPTER_BODY = "Walking is the slowest way to think, and the most reliable one I know.\n"

# The classic "billion laughs": nine levels of nine aliases, about 300 bytes.
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi")
)


def check(root: Path) -> Report:
    """load_book + validate must return a Report whose diagnostics are well-formed and renderable."""
    report = validate(load_book(root))
    assert isinstance(report, Report)
    for d in report.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.path and not d.path.startswith("/") and "\\" not in d.path, d
        assert ".." not in d.path.split("/"), d
        assert d.line is None or (type(d.line) is int and d.line >= 1), d
        file = root / d.path
        if d.line is not None and file.is_file() and not file.is_symlink():
            # Lines as the loader counts them (CR, LF, CRLF); at most one past the last line,
            # where YAML parsers report "end of file".
            text = file.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
            assert d.line <= text.count("\n") + 2, d
    for fmt in REPORTERS:
        assert render(fmt, report, color=False).endswith("\n")
    return report


def on(report: Report, path: str) -> list[Diagnostic]:
    return [d for d in report.diagnostics if d.path == path]


def assert_unreadable_is_reported(root: Path, target: str, report: Report) -> None:
    """If the fuzzed file could not be used, some error points at it."""
    book = load_book(root)
    if target == "book.yaml":
        unusable = book.settings is None
    elif target == "authors.yaml":
        unusable = book.authors_raw is None
    else:
        chapter = next((c for c in book.chapters if c.id == Path(target).stem), None)
        unusable = chapter is None or chapter.meta is None
    if unusable:
        assert any(d.severity.value == "error" for d in on(report, target)), (target, report.sorted())


def as_chapter(yaml_text: str) -> str:
    return f"---\n{yaml_text}\n---\n{CHAPTER_BODY}"


# --- random input ------------------------------------------------------------------------------

YAMLISH = st.text(alphabet="[]{}:,-?&*!|>'\"#%@` \t\n\r\ufeffabcé陈0123456789.~<=", max_size=300)


@pytest.mark.parametrize("target", TARGETS)
@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes(base_book: Path, target: str, data: bytes) -> None:
    (base_book / target).write_bytes(data)
    report = check(base_book)
    assert_unreadable_is_reported(base_book, target, report)
    if b"\x00" in data:
        assert "F001" in {d.code for d in on(report, target)}


@pytest.mark.parametrize("target", TARGETS)
@FUZZ
@given(text=YAMLISH)
def test_random_yamlish_text(base_book: Path, target: str, text: str) -> None:
    content = as_chapter(text) if target.startswith("chapters/") else text
    (base_book / target).write_text(content, encoding="utf-8", newline="")
    report = check(base_book)
    assert_unreadable_is_reported(base_book, target, report)


@FUZZ
@given(front=YAMLISH, body=st.text(max_size=400))
def test_random_front_matter_and_body(base_book: Path, front: str, body: str) -> None:
    (base_book / "chapters" / "walking.md").write_text(f"---\n{front}\n---\n{body}", encoding="utf-8", newline="")
    check(base_book)


# --- truncated real files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["authors.yaml", "book.yaml", "chapters/writing-right-to-left.md"])
def test_truncated_sample_files(sample_book: Path, name: str) -> None:
    original = (sample_book / name).read_bytes()
    assert len(original) > 37
    for cut in range(0, len(original), 37):
        data = original[:cut]
        (sample_book / name).write_bytes(data)
        report = check(sample_book)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:  # cut inside a multi-byte character (Zoë, 陈晓雯, …)
            assert any(d.code == "F001" and d.line is not None for d in on(report, name)), (cut, report.sorted())
        if name.endswith(".yaml"):
            assert_unreadable_is_reported(sample_book, name, report)


# --- hostile files ---------------------------------------------------------------------------------


HOSTILE = {
    # name: (content, expected codes (any of them), located by line)
    "open-sequences": ("[" * 10000, "F003 F005", True),  # unclosed, and too deep: either is right
    "open-mappings": ("{a: " * 5000, "F003 F005", True),
    "closed-sequences": ("[" * 10000 + "]" * 10000, "F005", True),
    "closed-mappings": ("{a: " * 5000 + "b" + "}" * 5000, "F005", True),
    "billion-laughs": (LAUGHS, "F005", True),
    "alias": ("title: &t Walking\nsubtitle: *t\n", "F005", True),
    "merge-key": ("base: &b {title: x}\nother:\n  <<: *b\n", "F005", True),
    "python-tag": ('x: !!python/object/apply:os.system ["touch {marker}"]\n', "F005", True),
    "python-name": ("x: !!python/name:os.system\n", "F005", True),
    "local-tag": ("x: !custom value\n", "F005", True),
    "duplicate-key": ("title: One\ntitle: Two\n", "F004", True),
    "syntax": ("title: [unclosed\nauthors: x\n", "F003", True),
    "tab-indent": ("title: x\n\tbad: y\n", "F003", True),
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_yaml(base_book: Path, tmp_path: Path, target: str, case: str) -> None:
    marker = tmp_path / "PWNED"
    text, codes, located = HOSTILE[case]
    text = text.replace("{marker}", str(marker))
    content = as_chapter(text) if target.startswith("chapters/") else text
    (base_book / target).write_text(content, encoding="utf-8")
    report = check(base_book)
    found = [d for d in on(report, target) if d.code in codes.split()]
    assert found, (codes, report.sorted())
    if located:
        assert all(d.line is not None for d in found), found
    assert not marker.exists(), "a YAML tag ran a command"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(
    ("case", "data", "code", "located"),
    [
        ("nul-bytes", b"title: x\x00\n", "F001", False),
        ("latin-1", "title: Zoë\n".encode("latin-1"), "F001", True),
        ("utf-16", "title: Zoë\n".encode("utf-16"), "F001", False),
        ("huge", b"", "F002", False),  # filled in below: over the size limit of that kind of file
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)
def test_unreadable_files(base_book: Path, target: str, case: str, data: bytes, code: str, located: bool) -> None:
    if case == "huge":
        data = b"title: x\n" + b"#" * (MAX_YAML_BYTES if target.endswith(".yaml") else MAX_FILE_BYTES)
    (base_book / target).write_bytes(data)
    report = check(base_book)
    found = [d for d in on(report, target) if d.code == code]
    assert found, report.sorted()
    assert all((d.line is not None) == located for d in found), found


def test_bom_and_crlf_are_fine(base_book: Path) -> None:
    for target in TARGETS:
        path = base_book / target
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert check(base_book).sorted() == []


@pytest.mark.parametrize("front", ["", "# only a comment", "~", "null"])
def test_empty_front_matter_is_reported(base_book: Path, front: str) -> None:
    """A chapter whose front matter is empty has no title and no authors: that must not pass."""
    (base_book / "chapters" / "walking.md").write_text(as_chapter(front), encoding="utf-8")
    report = check(base_book)
    assert any(d.severity.value == "error" for d in on(report, "chapters/walking.md")), report.sorted()


def test_empty_and_odd_chapters(base_book: Path) -> None:
    chapters = base_book / "chapters"
    for name, text in {
        "empty.md": "",
        "dashes.md": "---",
        "unclosed.md": "---\ntitle: x\n",
        "list.md": as_chapter("- a\n- b"),
        "scalar.md": as_chapter("just text"),
        "only-body.md": CHAPTER_BODY,
    }.items():
        (chapters / name).write_text(text, encoding="utf-8")
    (chapters / "folder.md").mkdir()
    report = check(base_book)
    for name in ("empty.md", "dashes.md", "unclosed.md", "list.md", "scalar.md", "only-body.md"):
        assert any(d.severity.value == "error" for d in on(report, f"chapters/{name}")), name


@pytest.mark.parametrize("where", ["chapters/loop.md", "front/loop.md", "images/loop.png"])
def test_symlink_loops(base_book: Path, where: str) -> None:
    link = base_book / where
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(link.name)
    if where.startswith("front/"):
        with (base_book / "book.yaml").open("a") as book:
            book.write("front: [front/loop.md]\n")
    if where.startswith("images/"):
        (base_book / "chapters" / "walking.md").write_text(
            "---\ntitle: On Walking\nauthors: [alice-smith]\nsection: one\n---\n"
            "Walking is the slowest way to think. ![A loop](images/loop.png)\n",
            encoding="utf-8",
        )
    report = check(base_book)
    if where.startswith(("chapters/", "front/")):
        assert any(d.severity.value == "error" for d in report.diagnostics), report.sorted()


def test_links_to_devices_are_refused(base_book: Path) -> None:
    (base_book / "chapters" / "zero.md").symlink_to("/dev/zero")
    report = check(base_book)
    assert "F001" in {d.code for d in on(report, "chapters/zero.md")}


# --- cases that could crash or hang the interpreter: run in a subprocess ------------------------

VALIDATE = "import sys; from anthology.cli import main; sys.argv[0] = 'anthology'; main()"


def validate_isolated(root: Path, timeout: float) -> dict:  # type: ignore[type-arg]
    """`anthology validate --format json` in a fresh interpreter; fails (not crashes) on a crash or hang."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "NO_COLOR": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", VALIDATE, "validate", "--root", str(root), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"validate took more than {timeout} s")
    assert done.returncode in (0, 1), f"exit {done.returncode}: {done.stderr[-2000:]}"
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("target", "text"),
    [
        ("authors.yaml", "[" * 100_000),
        ("chapters/walking.md", "[" * 100_000 + "]" * 100_000),
        ("book.yaml", "{a: " * 60_000),
    ],
    ids=["open-sequences", "closed-sequences", "open-mappings"],
)
def test_nesting_deeper_than_the_c_stack(base_book: Path, target: str, text: str) -> None:
    content = as_chapter(text) if target.startswith("chapters/") else text
    (base_book / target).write_text(content, encoding="utf-8")
    found = validate_isolated(base_book, timeout=30)
    codes = {d["code"] for d in found["diagnostics"] if d["path"] == target and d["line"] is not None}
    assert codes & {"F003", "F005"}, found


@pytest.mark.parametrize(
    "body",
    ["[" * 200_000, "&" * 200_000, "`" * 200_000, "Some [words](https://example.org) here. " * 20_000],
    ids=["brackets", "ampersands", "backticks", "one-long-paragraph"],
)
def test_long_lines_are_checked_quickly(base_book: Path, body: str) -> None:
    (base_book / "chapters" / "walking.md").write_text(
        "---\ntitle: On Walking\nauthors: [alice-smith]\nsection: one\n---\n" + body + "\n", encoding="utf-8"
    )
    found = validate_isolated(base_book, timeout=30)  # quadratic scanning took 40-50 s here
    assert found["summary"]["chapters"] == 2
