"""The web edition (`anthology build --format site`): real builds of the sample book, read back."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner
from conftest import PROJECT

from anthology.cli import main
from anthology.fileio import replace_folder
from anthology.labels import labels_for
from anthology.load import load_book

EPOCH = "1700000000"


class Links(HTMLParser):
    """Every href and src of a page, and the attributes of its <html> and <meta> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.html: dict[str, str | None] = {}
        self.meta: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]
        if tag == "html":
            self.html = values
        if tag == "meta" and values.get("property"):
            self.meta[str(values["property"])] = values.get("content")


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def build_site(root: Path, monkeypatch: pytest.MonkeyPatch, out: Path | None = None) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = out or root / "build"
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--format", "site", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{out / 'site'}" in result.output
    return out / "site"


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_site_has_every_page_and_every_link_resolves(sample_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site(sample_book, monkeypatch)
    chapters = sorted(p.stem for p in (sample_book / "chapters").glob("*.md"))
    authors = yaml.safe_load((sample_book / "authors.yaml").read_text(encoding="utf-8"))
    assert (site / "index.html").is_file() and (site / "authors" / "index.html").is_file()
    assert sorted(p.stem for p in (site / "chapters").glob("*.html")) == chapters
    assert {p.stem for p in (site / "authors").glob("*.html")} == {*authors, "index"}
    assert {p.stem for p in (site / "pages").glob("*.html")} == {"foreword", "afterword"}
    assert (site / "images" / "desk.png").read_bytes() == (sample_book / "images" / "desk.png").read_bytes()
    everything = b"".join(read_tree(site).values()).decode("utf-8", "replace")
    for entry in authors.values():
        if entry.get("email"):
            assert entry["email"] not in everything, "an e-mail address reached the site"
    for page in site.rglob("*.html"):
        for url in parse(page).urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                continue  # authors' own links, never a resource (checked below)
            assert not parts.scheme and not parts.netloc, f"{page}: {url}"
            if parts.path:
                assert (page.parent / unquote(parts.path)).resolve().is_file(), f"{page.name}: broken link {url}"
    assert not re.search(r'<(img|script|link|iframe)[^>]+(src|href)="(https?:)?//', everything), (
        "a request to another host"
    )
    assert "@import" not in everything and not re.search(r"url\(\s*['\"]?(https?:)?//", everything)
    assert "<script" not in everything, "the site works without JavaScript"


def test_home_chapter_contributor_and_index_pages(sample_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site(sample_book, monkeypatch)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1>Everyone Is Somewhere Else</h1>" in home
    assert "Writing Together with People We Have Never Met" in home and "Edited by" in home
    assert home.index("Finding Each Other") < home.index("The Craft at a Distance")  # contents by part
    chapter = (site / "chapters" / "carrying-it-over.html").read_text(encoding="utf-8")
    assert 'rel="prev"' in chapter and 'rel="next"' in chapter
    assert 'href="../authors/femke-van-der-linden.html"' in chapter  # the byline links to each author
    assert 'role="doc-endnotes"' in chapter  # the sanitized conversion, notes at the end
    links = parse(site / "chapters" / "carrying-it-over.html")
    assert links.html == {"lang": "en", "dir": "ltr"}
    assert links.meta["og:type"] == "article" and links.meta["og:title"]
    assert links.meta["og:description"] and "og:url" not in links.meta
    assert 'rel="canonical"' not in chapter and not (site / "sitemap.xml").exists()
    zoe = (site / "authors" / "zoe-angstrom.html").read_text(encoding="utf-8")
    assert "https://zoe.example.org" in zoe and "Northern Sound Collective" in zoe
    assert "../chapters/a-desk-in-three-cities.html" in zoe  # their chapters
    index = (site / "authors" / "index.html").read_text(encoding="utf-8")
    letters = re.findall(r"<h2>(.)</h2>", index)
    assert letters == sorted(letters) and len(letters) > 5
    assert "Linden, Femke van der</span></a>" in index  # index keys, as in the printed index


def test_site_url_gives_canonical_urls_and_a_sitemap(sample_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with (sample_book / "book.yaml").open("a", encoding="utf-8") as stream:
        stream.write("site_url: https://example.github.io/everyone\n")
    site = build_site(sample_book, monkeypatch)
    chapter = (site / "chapters" / "carrying-it-over.html").read_text(encoding="utf-8")
    url = "https://example.github.io/everyone/chapters/carrying-it-over.html"
    assert f'<link rel="canonical" href="{url}">' in chapter
    assert parse(site / "chapters" / "carrying-it-over.html").meta["og:url"] == url
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{url}</loc>" in sitemap and "<loc>https://example.github.io/everyone/</loc>" in sitemap
    assert sitemap.count("<loc>") == len(list(site.rglob("*.html")))
    assert "<lastmod>2023-11-14</lastmod>" in sitemap  # SOURCE_DATE_EPOCH


def test_the_site_is_byte_identical_across_builds(
    sample_book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = read_tree(build_site(sample_book, monkeypatch, tmp_path / "one"))
    second = read_tree(build_site(sample_book, monkeypatch, tmp_path / "two"))
    assert first == second
    again = read_tree(build_site(sample_book, monkeypatch, tmp_path / "one"))  # over the previous site
    assert again == first


def test_a_right_to_left_book_is_marked_so(sample_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = sample_book / "book.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("language: en", "language: he"), encoding="utf-8")
    site = build_site(sample_book, monkeypatch)
    assert parse(site / "index.html").html == {"lang": "he", "dir": "rtl"}


def test_a_failed_write_leaves_the_previous_site(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    replace_folder(folder, {"index.html": b"old", "chapters/a.html": b"a"})
    assert read_tree(folder) == {"chapters/a.html": b"a", "index.html": b"old"}
    with pytest.raises(ValueError):
        replace_folder(folder, {"index.html": b"new", "../outside.html": b"x"})
    assert read_tree(folder) == {"chapters/a.html": b"a", "index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left behind
    replace_folder(folder, {"index.html": b"new"})
    assert read_tree(folder) == {"index.html": b"new"}
    assert oct(folder.stat().st_mode & 0o777) == oct(0o777 & ~current_umask())
    assert oct((folder / "index.html").stat().st_mode & 0o777) == oct(0o666 & ~current_umask())


def current_umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_persian_book_reads_right_to_left_in_its_own_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "persian"
    shutil.copytree(PROJECT / "tests" / "data" / "persian", root)
    site = build_site(root, monkeypatch)
    assert parse(site / "index.html").html == {"lang": "fa", "dir": "rtl"}
    home = (site / "index.html").read_text(encoding="utf-8")
    contents = labels_for(load_book(root).settings)
    assert f">{contents.text('contents')}</h2>" in home and ">Contents<" not in home
    assert contents.toc_number(1) in home  # the book's own digits
    chapter = next((site / "chapters").glob("*.html")).read_text(encoding="utf-8")
    assert 'rel="next"' in chapter and "→" not in chapter.split('rel="next"')[1].split("</a>")[0]  # ← points onward


def test_bios_under_each_chapter_when_the_book_puts_them_there(
    sample_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (sample_book / "book.yaml").open("a", encoding="utf-8") as stream:
        stream.write("bios: chapter\n")
    site = build_site(sample_book, monkeypatch)
    chapter = (site / "chapters" / "a-desk-in-three-cities.html").read_text(encoding="utf-8")
    assert (
        'class="chapter-bios" aria-label="About the authors"' in chapter and "Umeå" in chapter.split("chapter-bios")[1]
    )
