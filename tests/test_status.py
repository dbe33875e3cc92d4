"""`anthology status`: one row per author, states, filters, formats, and dates from real git history.

The book is the base book (alice-smith: walking, bob-jones: bridges; limits 60 words a chapter,
20 a bio) plus: carol-white with no chapter yet, dave-brown over the limit, erin-gray with raw
HTML in her chapter and no bio, and a chapter co-written by alice and bob with an exception.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitbook import chapter, commit, git, init, isolate_git, write
from wcwidth import wcswidth

from anthology.cli import main
from anthology.load import load_book
from anthology.status import collect, render, select, width

MORE_AUTHORS = """
carol-white:
  name: Carol White
  bio: Carol paints signs.
  github: carolw
  email: carol@example.org
dave-brown:
  name: Dave Brown
  bio: Dave talks too much.
erin-gray:
  name: 李小龍
  bio: ""
  github: erin
"""


@pytest.fixture
def book(base_book: Path) -> Path:
    with (base_book / "authors.yaml").open("a", encoding="utf-8") as authors:
        authors.write(MORE_AUTHORS)
    with (base_book / "book.yaml").open("a", encoding="utf-8") as settings:
        settings.write("exceptions:\n  together: {max_words: 100}\n")
    write(base_book, "chapters/talking.md", chapter("Talking", "dave-brown", " ".join(["blah"] * 70)))
    write(base_book, "chapters/html.md", chapter("Markup", "erin-gray", "Some <b>bold</b> words for the reader here."))
    write(base_book, "chapters/together.md", chapter("Together", "alice-smith, bob-jones", " ".join(["we"] * 80)))
    return base_book


def status(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["status", "--root", str(root), *args], env={"NO_COLOR": "1"})


def rows(root: Path, *args: str) -> dict[str, dict]:
    result = status(root, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.output)["authors"]}


# --- rows and states ---------------------------------------------------------------------------------


def test_one_row_per_author_with_states(book: Path) -> None:
    found = rows(book)
    assert list(found) == ["alice-smith", "bob-jones", "carol-white", "dave-brown", "erin-gray"]
    assert {a: r["state"] for a, r in found.items()} == {
        "alice-smith": "ok",
        "bob-jones": "ok",
        "carol-white": "missing",
        "dave-brown": "over",
        "erin-gray": "problems",
    }


def test_words_and_limits_per_chapter_with_exceptions(book: Path) -> None:
    found = rows(book)
    assert found["alice-smith"]["chapters"] == [  # the co-written chapter has an exception: 100 words
        {"id": "together", "path": "chapters/together.md", "words": 80, "limit": 100},
        {"id": "walking", "path": "chapters/walking.md", "words": 14, "limit": 60},
    ]
    assert found["dave-brown"]["chapters"][0]["words"] == 70
    assert found["alice-smith"]["bio"] == {"words": 7, "limit": 20}
    assert found["erin-gray"]["bio"] == {"words": 0, "limit": 20}
    assert found["carol-white"]["chapters"] == [] and found["carol-white"]["github"] == "carolw"
    assert found["alice-smith"]["sections"] == ["one"]


def test_email_is_never_shown(book: Path) -> None:
    for fmt in ("table", "csv", "json", "markdown"):
        assert "carol@example.org" not in status(book, "--format", fmt).output


def test_totals_line(book: Path) -> None:
    result = status(book)
    assert result.exit_code == 0
    words = 14 + 13 + 70 + 7 + 80
    assert result.output.rstrip().splitlines()[-1] == (
        f"5 of 6 chapters in · 1 over the limit · 1 bio missing · {words} words"
    )


def test_status_exits_0_even_when_the_book_has_errors(book: Path) -> None:
    assert CliRunner().invoke(main, ["validate", "--root", str(book)]).exit_code == 1
    assert status(book).exit_code == 0


# --- filters -----------------------------------------------------------------------------------------


def test_missing_filter(book: Path) -> None:
    assert list(rows(book, "--missing")) == ["carol-white"]


def test_problems_filter(book: Path) -> None:
    assert list(rows(book, "--problems")) == ["dave-brown", "erin-gray"]
    assert list(rows(book, "--problems", "--missing")) == ["carol-white", "dave-brown", "erin-gray"]


def test_author_filter(book: Path) -> None:
    assert list(rows(book, "--author", "bob-jones")) == ["bob-jones"]
    result = status(book, "--author", "bob-jone")
    assert result.exit_code == 2
    assert "No author 'bob-jone'" in result.output and "Did you mean 'bob-jones'?" in result.output


def test_select_keeps_the_whole_books_totals(book: Path) -> None:
    everything = collect(load_book(book))
    assert select(everything, author="carol-white").totals == everything.totals


# --- formats -----------------------------------------------------------------------------------------


def table_lines(output: str) -> list[str]:
    """The table of `anthology status` output: header, rule and rows, without the totals."""
    lines = output.splitlines()
    return lines[: lines.index("")]


def test_table_columns_are_aligned(book: Path) -> None:
    header, rule, *body = table_lines(status(book).output)
    assert header.split()[:3] == ["Author", "Name", "Chapter"]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in body:
        for start in starts[1:]:
            # every column starts at the same terminal cell (CJK names are two cells a character)
            index = _index_at_width(line, start)
            assert wcswidth(line[:index]) == start, line
            assert line[index - 1] == " ", line


def _index_at_width(text: str, columns: int) -> int:
    for index in range(len(text) + 1):
        if wcswidth(text[:index]) >= columns:
            return index
    return len(text)


def test_sample_book_rows_have_equal_display_width(sample_book: Path) -> None:
    lines = table_lines(status(sample_book).output)
    assert any("陈晓雯" in line for line in lines) and any("अनन्या देशपांडे" in line for line in lines)
    assert len(lines) == 2 + len(load_book(sample_book).authors)
    assert {wcswidth(line) for line in lines} == {len(lines[1])}, "\n".join(lines)


def test_rows_with_combining_marks_and_wide_characters_line_up(book: Path) -> None:
    names = ["Zoe\u0308 A\u030angstro\u0308m", "Ma\u0300\u0301x", "김민준", "ｆｕｌｌ ｗｉｄｔｈ", "अनन्या देशपांडे"]
    with (book / "authors.yaml").open("a", encoding="utf-8") as authors:
        for number, name in enumerate(names):
            authors.write(f"synthetic-{number}:\n  name: {name}\n  bio: A bio.\n")
    lines = table_lines(status(book).output)
    assert all(any(name in line for line in lines) for name in names)
    assert {wcswidth(line) for line in lines} == {len(lines[1])}, "\n".join(lines)
    assert (width("Zoe\u0308"), width("김민준"), width("ｆｕｌｌ"), width("a\x1bb")) == (3, 6, 8, 2)


def test_csv(book: Path) -> None:
    table = list(csv.DictReader(io.StringIO(status(book, "--format", "csv").output)))
    assert [r["author"] for r in table] == ["alice-smith", "bob-jones", "carol-white", "dave-brown", "erin-gray"]
    dave = table[3]
    assert (dave["chapters"], dave["words"], dave["word_limits"], dave["state"]) == ("talking", "70", "60", "over")
    assert table[4]["name"] == "李小龍"


def test_markdown_is_a_github_table(book: Path) -> None:
    output = status(book, "--format", "markdown").output
    lines = output.splitlines()
    assert lines[0].startswith("| Author | Name | Chapter |")
    assert lines[1].startswith("|---|---|---|---:|")
    assert len(lines[2:7]) == 5 and all(line.startswith("| ") and line.endswith(" |") for line in lines[2:7])
    assert lines[-1].startswith("5 of 6 chapters in")


def test_markdown_escapes_pipes(book: Path) -> None:
    text = (book / "authors.yaml").read_text(encoding="utf-8").replace("name: Dave Brown", "name: Dave | Brown")
    (book / "authors.yaml").write_text(text, encoding="utf-8")
    assert "Dave \\| Brown" in status(book, "--format", "markdown").output


# --- dates from git ----------------------------------------------------------------------------------


def test_dates_from_git_history(book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)
    (book / "chapters/talking.md").unlink()
    init(book, date="2024-01-05T10:00:00+00:00")
    write(
        book, "chapters/walking.md", chapter("On Walking", "alice-smith", "Walking, revised, is still slow thinking.")
    )
    commit(book, "alice revises", date="2024-02-10T10:00:00+00:00")
    git(book, "mv", "chapters/bridges.md", "chapters/spans.md")
    commit(book, "bob renames", date="2024-03-15T10:00:00+00:00")
    write(book, "chapters/talking.md", chapter("Talking", "dave-brown", "Dave finally sent a short chapter in."))
    commit(book, "dave arrives", date="2024-04-20T10:00:00+00:00")
    write(book, "notes.txt", "not a chapter")
    commit(book, "unrelated", date="2024-05-01T10:00:00+00:00")

    found = rows(book)
    day = lambda value: date.fromisoformat(value[:10]) if value else None  # noqa: E731
    assert (day(found["bob-jones"]["first_submitted"]), day(found["bob-jones"]["last_changed"])) == (
        date(2024, 1, 5),
        date(2024, 3, 15),  # the rename keeps bridges.md's history
    )
    # alice: walking (Jan, revised Feb) and together (Jan)
    assert day(found["alice-smith"]["first_submitted"]) == date(2024, 1, 5)
    assert day(found["alice-smith"]["last_changed"]) == date(2024, 2, 10)
    assert day(found["dave-brown"]["first_submitted"]) == date(2024, 4, 20)
    assert found["carol-white"]["first_submitted"] is None
    table = status(book, "--author", "bob-jones").output
    assert "2024-01-05" in table and "2024-03-15" in table


def test_uncommitted_chapter_has_no_dates(book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)
    init(book)
    write(book, "chapters/signs.md", chapter("Signs", "carol-white"))
    found = rows(book)
    assert found["carol-white"]["state"] == "ok"
    assert found["carol-white"]["first_submitted"] is None and found["alice-smith"]["first_submitted"]


def test_works_outside_git(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(book.parent))
    result = status(book)
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert "First in" in header
    assert all(row["first_submitted"] is None and row["last_changed"] is None for row in rows(book).values())


def test_render_rejects_unknown_formats(book: Path) -> None:
    with pytest.raises(ValueError):
        render("xml", collect(load_book(book), {}))
