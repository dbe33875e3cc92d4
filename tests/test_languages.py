"""Books in other languages, built for real: their own words, names, sorting and direction."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf
import pytest

from anthology.build import build
from anthology.load import load_book

EPOCH = "1700000000"


def tiny_book(root: Path, language: str, authors: dict[str, str], extra: str = "") -> Path:
    """A book in `language` with one short chapter per author (`id: name`), in one section."""
    root.mkdir(parents=True)
    (root / "book.yaml").write_text(
        f"title: Liten bok\neditors: [Ada Editor, Bo Redaktör]\nlanguage: {language}\n{extra}", encoding="utf-8"
    )
    entries = "".join(f"{key}:\n  name: {name}\n  bio: Writes.\n" for key, name in authors.items())
    (root / "authors.yaml").write_text(entries, encoding="utf-8")
    (root / "chapters").mkdir()
    for number, key in enumerate(authors, start=1):
        (root / "chapters" / f"{key}.md").write_text(
            f"---\ntitle: Text {number}\nauthors: [{key}]\n---\nOne two three four five six seven.\n", encoding="utf-8"
        )
    return root


def built(root: Path, monkeypatch: pytest.MonkeyPatch, formats: tuple[str, ...] = ("pdf", "epub")) -> dict[str, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = build(load_book(root), root / "build", formats)
    assert not result.refused, [d.message for d in result.report.diagnostics]
    return {o.path.suffix: o.path for o in result.outputs}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def epub_files(path: Path) -> str:
    """The e-book's XHTML documents (the package document's accessibility summary is metadata)."""
    with zipfile.ZipFile(path) as epub:
        return "\n".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))


def epub_text(path: Path) -> str:
    """The words of the e-book's documents (tags removed)."""
    return re.sub(r"<[^>]+>", "", epub_files(path))


ENGLISH = ["Contents", "Chapter", "Contributors", "Index of Authors", "Edited by", "All rights reserved"]


SWEDES = {"ake": "Åke Öberg", "zara": "Zara Zetterlund", "anna": "Anna Andersson", "asa": "Åsa Åberg"}


def test_a_swedish_book_prints_swedish_words_and_files_a_ring_after_z(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = built(tiny_book(tmp_path / "sv", "sv", SWEDES), monkeypatch)
    text = re.sub(r"\s+", " ", pdf_text(paths[".pdf"]))
    for word in (
        "Innehåll",
        "Kapitel 1",
        "Medverkande",
        "Författarregister",
        "Redigerad av Ada Editor och Bo Redaktör",
    ):
        assert word in text, word
    assert not [word for word in ENGLISH if word in text]
    index = text[text.rindex("Författarregister") :]
    order = [
        index.index(entry) for entry in ("A Andersson, Anna", "Z Zetterlund, Zara", "Å Åberg, Åsa", "Ö Öberg, Åke")
    ]
    assert order == sorted(order), index
    nav = epub_text(paths[".epub"])
    assert "Innehåll" in nav and "Författarregister" in nav and "Landmarks" not in nav
    # order: author files chapters by the same collation: Öberg's chapter comes last
    assert re.search(r"4\. Text 1", nav), nav


def test_the_same_names_in_an_english_book_keep_the_root_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = epub_text(built(tiny_book(tmp_path / "en", "en", SWEDES), monkeypatch, ("epub",))[".epub"])
    index = text[text.rindex("Index of Authors") :]
    order = [index.index(entry) for entry in ("Åberg, Åsa", "Andersson, Anna", "Öberg, Åke", "Zetterlund, Zara")]
    assert order == sorted(order), index


def test_a_japanese_book_prints_japanese_words_and_files_names_by_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tiny_book(tmp_path / "ja", "ja", {"nakamura": "中村遥", "watanabe": "渡辺翔", "aoki": "青木花"})
    readings = {"中村遥": "なかむら はるか", "渡辺翔": "わたなべ しょう", "青木花": "あおき はな"}
    text = (root / "authors.yaml").read_text(encoding="utf-8")
    for name, reading in readings.items():
        text = text.replace(f"name: {name}\n", f"name: {name}\n  sort_as: {reading}\n")
    (root / "authors.yaml").write_text(text, encoding="utf-8")
    epub = built(root, monkeypatch, ("epub",))[".epub"]
    files = epub_files(epub)
    words = re.sub(r"<[^>]+>", "", files)
    for word in ("目次", "第1章", "執筆者紹介", "著者索引", "Ada Editor、Bo Redaktör 編"):
        assert word in words, word
    assert not [word for word in ENGLISH if word in words]
    index = words[words.rindex("著者索引") :]
    order = [index.index(entry) for entry in ("あ青木花", "な中村遥", "わ渡辺翔")]  # heading, then the name as written
    assert order == sorted(order), index
    with zipfile.ZipFile(epub) as archive:  # the body's Han characters in Japanese forms
        assert 'html { font-family: "Noto Serif", "Noto Serif CJK JP"' in archive.read("OEBPS/epub.css").decode()


def test_a_russian_ebook_shows_russian_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tiny_book(tmp_path / "ru", "ru", {"olga": "Ольга Белова", "ivan": "Иван Петров"})
    text = epub_text(built(root, monkeypatch, ("epub",))[".epub"])
    for word in ("Содержание", "Глава 1", "Авторы", "Указатель авторов", "Редакция: Ada Editor и Bo Redaktör"):
        assert word in text, word
    assert not [word for word in ENGLISH if word in text]


def test_labels_in_book_yaml_replace_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = 'labels:\n  contents: Inhaltsverzeichnis\n  chapter: "{number}. Kapitel"\n'
    root = tiny_book(tmp_path / "de", "de", {"ute": "Ute Ulm"}, extra)
    text = epub_text(built(root, monkeypatch, ("epub",))[".epub"])
    assert "Inhaltsverzeichnis" in text and "1. Kapitel" in text and "Autorenregister" in text


def pdf_fonts(path: Path) -> set[str]:
    """The base font names embedded anywhere in a PDF (pages, forms, the folio layer)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return {
            str(obj.get("/BaseFont"))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/BaseFont" in obj
        }


def test_a_japanese_name_is_japanese_in_an_english_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tiny_book(tmp_path / "en", "en", {"haruka": "中村遥", "xiaowen": "陈晓雯", "salma": "سلمى العطار"})
    authors = (
        (root / "authors.yaml").read_text(encoding="utf-8").replace("name: 中村遥\n", "name: 中村遥\n  lang: ja\n")
    )
    (root / "authors.yaml").write_text(authors, encoding="utf-8")
    paths = built(root, monkeypatch, ("pdf", "epub", "html"))
    html = paths[".html"].read_text(encoding="utf-8")
    assert '<span lang="ja">中村遥</span>' in html and '<span lang="zh">陈晓雯</span>' in html
    assert '<span lang="ar" dir="rtl">سلمى العطار</span>' in html  # isolated in a left-to-right book
    assert 'xml:lang="ja" lang="ja">中村遥' in epub_files(paths[".epub"])
    fonts = pdf_fonts(paths[".pdf"])
    assert any("CJK-JP" in font for font in fonts), fonts  # Japanese glyph forms
    assert any("CJK-SC" in font for font in fonts), fonts  # and Simplified Chinese ones for the other name


def test_names_in_scripts_without_italics_stay_upright(tmp_path: Path) -> None:
    """WeasyPrint's computed style of the byline: small capitals for the Latin name, none (and no
    slant) for the Arabic and Japanese ones, which have no such faces to use."""
    import weasyprint

    from anthology.render.content import prepare
    from anthology.render.print_pieces import chapter_piece, document

    root = tiny_book(tmp_path / "en", "en", {"ada": "Ada Lovelace", "salma": "سلمى العطار", "haruka": "中村はるか"})
    for key in ("salma", "haruka"):
        (root / "chapters" / f"{key}.md").unlink()
    chapter = (root / "chapters" / "ada.md").read_text(encoding="utf-8").replace("[ada]", "[ada, salma, haruka]")
    (root / "chapters" / "ada.md").write_text(chapter, encoding="utf-8")
    book = load_book(root)
    content = prepare(book)
    html = document(content, [chapter_piece(content, book.chapters[0], 1)])
    styles: dict[str, tuple[str, str]] = {}

    def walk(box: object) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str) and text.strip():
            styles[text.strip()] = (box.style["font_style"], box.style["font_variant_caps"])  # type: ignore[attr-defined]
        for child in getattr(box, "children", []):
            walk(child)

    for page in weasyprint.HTML(string=html).render().pages:
        walk(page._page_box)
    assert styles["Ada Lovelace"] == ("normal", "small-caps")
    assert styles["سلمى العطار"] == ("normal", "normal")
    assert styles["中村はるか"] == ("normal", "normal")


def test_a_right_to_left_title_and_name_are_isolated_in_an_english_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tiny_book(tmp_path / "en", "en", {"sara": "سارا احمدی", "ada": "Ada Lovelace"})
    chapter = root / "chapters" / "sara.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("title: Text 1", "title: می‌خواهم راه بروم"), "utf-8")
    paths = built(root, monkeypatch, ("epub", "html"))
    html = paths[".html"].read_text(encoding="utf-8")
    contents = html[html.index('<nav class="toc">') : html.index("</nav>")]
    assert '<span class="toc-title">2. <span dir="rtl">می‌خواهم راه بروم</span></span>' in contents
    assert '<span lang="ar" dir="rtl">سارا احمدی</span>' in contents  # isolated (Arabic script: guessed ar)
    assert '<html lang="en" dir="ltr">' in html
    assert '<span dir="rtl">می‌خواهم راه بروم</span>' in epub_files(paths[".epub"])
