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


def test_a_swedish_book_prints_swedish_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tiny_book(tmp_path / "sv", "sv", {"ake": "Åke Öberg", "zara": "Zara Zetterlund", "anna": "Anna Andersson"})
    paths = built(root, monkeypatch)
    text = re.sub(r"\s+", " ", pdf_text(paths[".pdf"]))
    for word in ("Innehåll", "Kapitel 1", "Medverkande", "Författarregister", "Redigerad av Ada Editor och Bo Redaktör"):
        assert word in text, word
    assert not [word for word in ENGLISH if word in text]
    nav = epub_text(paths[".epub"])
    assert "Innehåll" in nav and "Författarregister" in nav and "Landmarks" not in nav


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
