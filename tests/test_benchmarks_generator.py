"""The benchmark books (benchmarks/generate.py) are valid, clean and reproducible."""

from __future__ import annotations

import importlib.util
import itertools
from difflib import SequenceMatcher
from pathlib import Path

from anthology.load import load_book
from anthology.validate import validate

# benchmarks/ is a folder of scripts, not a package: load the generator from its file.
_spec = importlib.util.spec_from_file_location(
    "benchmarks_generate", Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
)
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_book_validates_clean(tmp_path: Path) -> None:
    generate.generate_book(tmp_path / "book", chapters=40, seed=3)
    book = load_book(tmp_path / "book")
    report = validate(book)
    assert report.sorted() == []
    assert len(book.chapters) == 40
    assert all(150 <= chapter.words <= 380 for chapter in book.chapters)
    credited = [author for chapter in book.chapters for author in chapter.authors]
    assert sorted(credited) == sorted(book.authors)  # every author has exactly one chapter


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate.generate_book(tmp_path / "one", chapters=40, seed=11)
    generate.generate_book(tmp_path / "two", chapters=40, seed=11)
    generate.generate_book(tmp_path / "other", chapters=40, seed=12)
    one = files(tmp_path / "one")
    assert one == files(tmp_path / "two")
    assert one != files(tmp_path / "other")


def test_title_words_differ_in_at_least_three_letters() -> None:
    """What keeps any two titles (which differ in two or more of these words) below T001's 0.9."""
    lists = (generate.TITLE_A, generate.TITLE_N, generate.TITLE_P, generate.TITLE_T)
    words = [word.lower() for words in lists for word in words]
    assert len(words) == len(set(words))
    for words in lists:
        for a, b in itertools.permutations(words, 2):
            blocks = SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).get_matching_blocks()
            matched = sum(block.size for block in blocks)
            assert min(len(a), len(b)) - matched >= 3, (a, b)
