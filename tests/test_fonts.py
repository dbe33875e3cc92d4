"""The typeface stack, glyph coverage and its disk cache (anthology.fonts), and rule G001."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BASE_BOOK, RULE_CASES, overlay

import anthology.rules.glyphs  # noqa: F401  (registers G001 until rules/__init__ imports it)
from anthology import fonts
from anthology.fonts import SERIF_STACK, Coverage, FontFile, covered, css_family, ignorable
from anthology.load import load_book
from anthology.model import Book, Chapter
from anthology.rules.glyphs import missing_glyph
from anthology.validate import validate

HAVE_FONTCONFIG = shutil.which("fc-list") is not None


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("font-cache")


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> Iterator[None]:
    """Never touch the user's cache; start every test without the in-process answer."""
    monkeypatch.setenv("ANTHOLOGY_CACHE_DIR", str(shared_cache))
    saved = dict(fonts._MEMO)
    fonts._MEMO.clear()
    yield
    fonts._MEMO.clear()
    fonts._MEMO.update(saved)


needs_fonts = pytest.mark.skipif(
    not HAVE_FONTCONFIG or fonts.font_files() in (None, []), reason="fontconfig or the Noto fonts are not installed"
)


def test_css_family() -> None:
    assert css_family(("Noto Serif", "Noto Serif CJK SC")) == '"Noto Serif", "Noto Serif CJK SC", serif'
    assert css_family(("A",), generic=None) == '"A"'
    assert css_family(('Odd "Name"',)) == '"Odd \\"Name\\"", serif'
    assert css_family().startswith('"Noto Serif", "Noto Serif CJK SC", ')


@needs_fonts
def test_every_family_of_the_stack_is_installed() -> None:
    faces = fonts.font_files()
    assert faces is not None
    assert {face.family for face in faces} == set(SERIF_STACK)
    assert [SERIF_STACK.index(f.family) for f in faces] == sorted(SERIF_STACK.index(f.family) for f in faces)


def test_ignorable() -> None:
    for char in " \t\n\r\u00a0\u2028\u200b\u200d\u00ad\ufe0f\u202e\x00\x7f\ufeff":
        assert ignorable(char), hex(ord(char))
    for char in "aЖ中\ue000🧬\U0001fae8":
        assert not ignorable(char), hex(ord(char))


def test_coverage_ranges() -> None:
    found = Coverage.from_code_points([65, 66, 67, 0x4E2D, 0x10FFFF, 66])
    assert found.ranges == ((65, 67), (0x4E2D, 0x4E2D), (0x10FFFF, 0x10FFFF))
    assert "A" in found and "C" in found and "中" in found and "\U0010ffff" in found
    assert "D" not in found and "@" not in found and "AB" not in found and 65 not in found
    assert len(found) == 5


@needs_fonts
def test_covered_reports_only_what_no_font_has() -> None:
    text = set("Ana Ζωή Жук דוד مشي अमिताभ 陈晓雯 さんぽ 산책 “quotes” – … ✓ é ł")
    text |= {" ", "\n", "\t", "\u200d", "\u00ad", "\ufe0f", "\x00"}
    assert covered(text) == set()
    assert covered(text | {"🧬", "\ue000", "\U0001fae8"}) == {"🧬", "\ue000", "\U0001fae8"}
    assert covered(set()) == set()


@needs_fonts
def test_cache_makes_the_second_run_fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANTHOLOGY_CACHE_DIR", str(tmp_path))
    first = fonts.coverage()
    files = list(tmp_path.glob("coverage-*.json"))
    assert first is not None and len(files) == 1

    fonts._MEMO.clear()  # as in a new process

    def no_reading(face: FontFile) -> set[int]:
        raise AssertionError("fonts were read again although the cache is valid")

    monkeypatch.setattr(fonts, "_read_cmap", no_reading)
    second = fonts.coverage()
    assert second is not None and second.ranges == first.ranges
    assert fonts.coverage() is second  # and in the same process it is kept


@needs_fonts
@pytest.mark.parametrize(
    "damage",
    [
        "{ not json",
        "",
        "null",
        "[1, 2, 3]",
        '{"version": 1}',
        '{"version": 1, "fonts": [], "ranges": [[65, 66]]}',
        "SAME FONTS, RANGES [[66, 65]]",
        "SAME FONTS, RANGES [[65, 70], [68, 90]]",
        'SAME FONTS, RANGES [[65, "B"]]',
        "SAME FONTS, RANGES [[65, 1114112]]",
    ],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: str) -> None:
    reads: list[FontFile] = []

    def fake_reading(face: FontFile) -> set[int]:  # the real fonts take a second to read
        reads.append(face)
        return {65, 66, 0x4E2D}

    monkeypatch.setenv("ANTHOLOGY_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(fonts, "_read_cmap", fake_reading)
    built = fonts.coverage()
    assert built is not None and built.ranges == ((65, 66), (0x4E2D, 0x4E2D)) and reads
    (path,) = tmp_path.glob("coverage-*.json")
    original = json.loads(path.read_text())
    if damage.startswith("SAME FONTS, RANGES "):
        damage = json.dumps({**original, "ranges": json.loads(damage.removeprefix("SAME FONTS, RANGES "))})
    path.write_text(damage)
    reads.clear()
    fonts._MEMO.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = fonts.coverage()
    assert reads, "the corrupt cache was used"
    assert again is not None and again.ranges == built.ranges
    assert json.loads(path.read_text()) == original
    reads.clear()
    fonts._MEMO.clear()
    assert fonts.coverage() is not None and not reads  # and the rebuilt cache is used again


def test_an_unwritable_cache_is_no_problem(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ANTHOLOGY_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(fonts, "font_files", lambda stack: [FontFile("Test", str(blocker), 0)])
    monkeypatch.setattr(fonts, "_read_cmap", lambda face: {65})
    found = fonts.coverage(("Test",))
    assert found is not None and found.ranges == ((65, 65),)


@needs_fonts
def test_a_changed_font_file_invalidates_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    faces = fonts.font_files()
    assert faces
    symbols = next(f for f in faces if f.family == "Noto Sans Symbols 2")
    copy = tmp_path / "fonts" / Path(symbols.path).name
    copy.parent.mkdir()
    shutil.copyfile(symbols.path, copy)
    cache = tmp_path / "cache"
    monkeypatch.setenv("ANTHOLOGY_CACHE_DIR", str(cache))
    monkeypatch.setattr(fonts, "font_files", lambda stack: [FontFile("Test", str(copy), 0)])

    one = fonts.coverage(("Test",))
    assert one is not None and "♞" in one and "A" not in one
    assert fonts.covered({"♞", "中"}, ("Test",)) == {"中"}
    os.utime(copy, ns=(1_000_000_000, 1_000_000_000))
    fonts._MEMO.clear()
    two = fonts.coverage(("Test",))
    assert two is not None and two.ranges == one.ranges
    assert len(list(cache.glob("coverage-*.json"))) == 2


def test_without_fontconfig_nothing_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("fc-list")

    monkeypatch.setattr(subprocess, "run", absent)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fonts.font_files() is None
        assert fonts.coverage() is None
        assert covered({"🧬", "\ue000", "中"}) == set()


def test_without_any_font_of_the_stack_nothing_is_reported() -> None:
    stack = ("No Such Family Anywhere",)
    if HAVE_FONTCONFIG:
        assert fonts.font_files(stack) == []
    assert fonts.coverage(stack) is None
    assert covered({"🧬"}, stack) == set()


def test_an_unreadable_font_file_covers_nothing(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    assert fonts._read_cmap(FontFile("Bogus", str(bogus))) == set()
    assert fonts._read_cmap(FontFile("Gone", str(tmp_path / "missing.ttf"))) == set()


# --- rule G001 -------------------------------------------------------------------------------


def run_g001(root: Path) -> list[tuple[str, str, int | None, str]]:
    report = validate(load_book(root), codes=["G001"])
    return [(d.code, d.path, d.line, d.message) for d in report.sorted()]


@needs_fonts
def test_g001_cases(base_book: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(BASE_BOOK, bad)
    overlay(bad, RULE_CASES / "G001" / "bad")
    assert run_g001(bad) == [
        (
            "G001",
            "chapters/walking.md",
            7,
            "No installed font has a glyph for U+1F9EC 🧬 (DNA DOUBLE HELIX); it would print as a blank box",
        )
    ]
    overlay(base_book, RULE_CASES / "G001" / "good")
    assert run_g001(base_book) == []
    assert validate(load_book(base_book)).sorted() == []  # and no other rule minds the scripts


@needs_fonts
def test_g001_checks_authors_titles_and_reports_once_per_file(base_book: Path) -> None:
    (base_book / "authors.yaml").write_text(
        "alice-smith:\n"
        "  name: Alice Smith\n"
        "  bio: >\n"
        "    Alice writes short essays\n"
        "    about long walks \U0001f6b6 and \ue000.\n"
        "  github: alice\n"
        "bob-jones:\n"
        "  name: Bob \U0001f309 Jones\n"
        "  bio: Bob edits a newsletter about bridges \U0001f309.\n"
        "  github: bobj\n",
        encoding="utf-8",
    )
    chapter = base_book / "chapters" / "bridges.md"
    chapter.write_text(
        "---\ntitle: Bridges \U0001f309\nauthors: [bob-jones]\nsection: one\n---\n"
        "Every bridge \U0001f309 is an argument with a river.\r\n\r\nThe river \U0001f30a usually wins.\n",
        encoding="utf-8",
    )
    found = [(path, line, message.split(";")[0]) for _, path, line, message in run_g001(base_book)]
    assert found == [
        ("authors.yaml", 5, "No installed font has a glyph for U+1F6B6 \U0001f6b6 (PEDESTRIAN)"),
        ("authors.yaml", 5, "No installed font has a glyph for U+E000 (a private-use character)"),
        ("authors.yaml", 8, "No installed font has a glyph for U+1F309 \U0001f309 (BRIDGE AT NIGHT)"),
        ("chapters/bridges.md", 2, "No installed font has a glyph for U+1F309 \U0001f309 (BRIDGE AT NIGHT)"),
        ("chapters/bridges.md", 8, "No installed font has a glyph for U+1F30A \U0001f30a (WATER WAVE)"),
    ]


@needs_fonts
def test_g001_is_fast_on_a_big_book(tmp_path: Path) -> None:
    fonts.coverage()  # coverage is built once per machine; time the rule itself
    body = (
        "Walking is the slowest way to think — Ζωή, Жук, 陈晓雯, さんぽ, 산책, مشي, דוד, अमिताभ.\n" * 30
        + "Ending with a helix \U0001f9ec here.\n"
    )
    chapters = tuple(
        Chapter(f"c{i}", f"chapters/c{i}.md", f"Title {i} — Ζωή", ("a",), body + f"{i}\n", 6, None) for i in range(5000)
    )
    book = Book(tmp_path, None, {}, chapters, (), (), ())
    found = list(missing_glyph(book))  # speed is measured by benchmarks/bench_validate.py
    assert len(found) == 5000 and all(f.line == 36 for f in found)
