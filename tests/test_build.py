"""`anthology build` on the sample book, read back: contents, index, fonts, privacy, determinism."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
import weasyprint
from click.testing import CliRunner
from conftest import copy_sample

from anthology import __version__
from anthology.build import build
from anthology.cli import main
from anthology.fileio import write_atomically
from anthology.load import load_book
from anthology.names import index_key
from anthology.outline import reading_order
from anthology.render.pdf_check import inspect_pdf

EPOCH = "1700000000"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The sample book built once for the whole module (PDF and EPUB)."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = copy_sample(tmp_path_factory.mktemp("book") / "sample")
    result = build(load_book(root), root / "build")
    monkeypatch.undo()
    assert not result.refused and result.report.errors == 0
    paths = {o.path.suffix: o.path for o in result.outputs}
    reader = pypdf.PdfReader(paths[".pdf"])
    return {
        "root": root,
        "result": result,
        "paths": paths,
        "reader": reader,
        "texts": [p.extract_text() for p in reader.pages],
    }


def folio(text: str) -> str | None:
    """The page number printed at the foot of a page (the last line), if any."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines and re.fullmatch(r"\d+|[ivxlc]+", lines[-1]) else None


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def chapter_start_folios(built: dict[str, object]) -> dict[str, str]:
    """Where each chapter really starts: the page whose top says 'Chapter N' and its title."""
    book = load_book(built["root"])  # type: ignore[arg-type]
    texts: list[str] = built["texts"]  # type: ignore[assignment]
    starts = {}
    for entry in reading_order(book):
        marker = flat(f"Chapter {entry.number} {entry.chapter.title}")
        pages = [i for i, text in enumerate(texts) if flat(text).startswith(marker)]
        assert len(pages) == 1, (entry.chapter.id, pages)
        starts[entry.chapter.id] = folio(texts[pages[0]])
    return starts


def test_contents_entries_name_the_page_where_each_chapter_starts(built: dict[str, object]) -> None:
    texts: list[str] = built["texts"]  # type: ignore[assignment]
    contents = flat(" ".join(t for t in texts if flat(t).startswith("Contents") or "Index of Authors v" in flat(t)))
    starts = chapter_start_folios(built)
    book = load_book(built["root"])  # type: ignore[arg-type]
    for entry in reading_order(book):
        match = re.search(rf"{entry.number}\. {re.escape(flat(entry.chapter.title or ''))} (\d+)", contents)
        assert match, f"{entry.chapter.title} not in contents"
        assert match.group(1) == starts[entry.chapter.id], entry.chapter.id


def test_front_matter_is_roman_and_body_starts_at_one(built: dict[str, object]) -> None:
    texts: list[str] = built["texts"]  # type: ignore[assignment]
    folios = [folio(t) for t in texts]
    first_arabic = next(i for i, f in enumerate(folios) if f and f.isdigit())
    page_one = first_arabic - (int(folios[first_arabic]) - 1)  # a part title page is counted, not numbered
    assert flat(texts[page_one]).startswith("Finding Each Other")
    assert all(f is None or not f.isdigit() for f in folios[:page_one])
    assert any(f and f.isalpha() for f in folios[:page_one])
    assert page_one % 2 == 0, "page 1 must be a right-hand page"
    numbered = [(i, f) for i, f in enumerate(folios) if f and f.isdigit()]
    assert all(int(f) == i - page_one + 1 for i, f in numbered)


def test_index_lists_each_author_once_with_their_chapters_pages(built: dict[str, object]) -> None:
    texts: list[str] = built["texts"]  # type: ignore[assignment]
    start = next(i for i, t in enumerate(texts) if flat(t).startswith("Index of Authors"))
    index = flat(" ".join(texts[start:]))
    book = load_book(built["root"])  # type: ignore[arg-type]
    starts = chapter_start_folios(built)
    for author in book.authors.values():
        key = index_key(author.name or author.id, author.sort_as)
        assert index.count(key) == 1, key
        expected = [starts[c.id] for c in reading_order_chapters(book) if author.id in c.authors]
        match = re.search(re.escape(key) + r" ((\d+)(, \d+)*)", index)
        assert match, key
        assert match.group(1).split(", ") == expected, key


def reading_order_chapters(book):  # type: ignore[no-untyped-def]
    return [entry.chapter for entry in reading_order(book)]


def test_co_authors_each_have_the_shared_chapter(built: dict[str, object]) -> None:
    book = load_book(built["root"])  # type: ignore[arg-type]
    shared = [c for c in book.chapters if len(c.authors) > 1]
    assert shared, "the sample book has a co-authored chapter"
    index = flat(" ".join(built["texts"]))  # type: ignore[arg-type]
    for author_id in shared[0].authors:
        author = book.authors[author_id]
        assert index_key(author.name or "", author.sort_as) in index


def test_no_email_address_in_any_output(built: dict[str, object]) -> None:
    book = load_book(built["root"])  # type: ignore[arg-type]
    emails = [a.email for a in book.authors.values() if a.email]
    assert emails
    paths: dict[str, Path] = built["paths"]  # type: ignore[assignment]
    pdf_text = " ".join(built["texts"])  # type: ignore[arg-type]
    with zipfile.ZipFile(paths[".epub"]) as epub:
        epub_text = b"".join(epub.read(name) for name in epub.namelist()).decode("utf-8", "replace")
    raw = paths[".pdf"].read_bytes().decode("latin-1")
    for email in emails:
        assert email not in pdf_text and email not in epub_text and email not in raw


def _tampered(data: bytes, change: str) -> bytes:
    """The built PDF with one thing a release must never hold added to it."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[3]
        if change == "attachment":
            pdf.attachments["secret.txt"] = pikepdf.AttachedFileSpec(pdf, b"canary")
        elif change == "script":
            pdf.Root.OpenAction = pdf.make_indirect(
                pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
            )
        elif change == "launch":
            action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/bin/sh"))
            annotation = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 9, 9], A=action
            )
            page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))
        elif change == "font in a form":  # a font reached only through the folio layer's form
            font = pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
            form = page.obj.Resources.XObject["/AnthologyStamp"]
            form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F9=pdf.make_indirect(font)))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("attachment", "the PDF has file attachments"),
        ("script", "the PDF has scripts or automatic actions"),
        ("launch", "the PDF has a /Launch action"),
        ("font in a form", "the PDF uses font /Helvetica without embedding it"),
    ],
)
def test_the_safety_check_finds_what_must_not_be_in_a_pdf(built: dict[str, object], change: str, problem: str) -> None:
    paths: dict[str, Path] = built["paths"]  # type: ignore[assignment]
    assert problem in inspect_pdf(_tampered(paths[".pdf"].read_bytes(), change))


def test_fonts_are_embedded_and_every_script_has_its_font(built: dict[str, object]) -> None:
    paths: dict[str, Path] = built["paths"]  # type: ignore[assignment]
    data = paths[".pdf"].read_bytes()
    assert inspect_pdf(data) == []
    reader: pypdf.PdfReader = built["reader"]  # type: ignore[assignment]
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", "")
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    for family in ("NotoSerif", "NotoSerifCJK", "NotoNaskhArabic", "NotoSerifHebrew", "NotoSerifDevanagari"):
        assert any(f.startswith(family) for f in fonts), (family, fonts)


def test_names_in_every_script_are_in_the_text(built: dict[str, object]) -> None:
    text = " ".join(built["texts"])  # type: ignore[arg-type]
    for name in ("Zoë Ångström", "Ελένη Καραγιάννη", "Ольга Белова", "陈晓雯", "中村遥", "Jędrzej Wiśniewski"):
        assert name in text, name


def test_pdf_metadata(built: dict[str, object]) -> None:
    reader: pypdf.PdfReader = built["reader"]  # type: ignore[assignment]
    assert reader.metadata.title == "Everyone Is Somewhere Else"
    assert "Miriam Castellane" in (reader.metadata.author or "")
    assert reader.trailer["/Root"].get("/Lang") == "en"
    outline_titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Finding Each Other" in outline_titles and "Index of Authors" in outline_titles


def test_sha256sums_list_the_outputs_and_the_manifest(built: dict[str, object]) -> None:
    root: Path = built["root"]  # type: ignore[assignment]
    lines = (root / "build" / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ")) for line in lines)
    paths = [*built["paths"].values(), root / "build" / "manifest.json"]  # type: ignore[union-attr]
    assert sorted(listed) == sorted(path.name for path in paths)
    for path in paths:
        assert listed[path.name] == hashlib.sha256(path.read_bytes()).hexdigest()


def _installed_file(postscript_name: str) -> Path:
    """The file fontconfig lists for a PostScript name (asked directly, not through anthology)."""
    out = subprocess.run(
        ["fc-list", f":postscriptname={postscript_name}", "file"], capture_output=True, text=True, check=True
    ).stdout
    [path] = {line.rstrip(":") for line in out.split()}
    return Path(path)


def test_manifest_lists_every_font_embedded_in_the_pdf(built: dict[str, object]) -> None:
    from fontTools.ttLib import TTFont
    from weasyprint.text.ffi import harfbuzz, pango

    root: Path = built["root"]  # type: ignore[assignment]
    manifest = json.loads((root / "build" / "manifest.json").read_text())
    embedded = set()
    with pikepdf.open(built["paths"][".pdf"]) as pdf:  # type: ignore[index]
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                program = obj.get("/FontFile2") or obj.get("/FontFile3")
                embedded.add(str(TTFont(io.BytesIO(program.read_bytes()))["name"].getDebugName(6)))
    assert {font["name"] for font in manifest["fonts"]} == embedded
    assert {"Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", "Noto Serif Hebrew"} <= {
        f["family"] for f in manifest["fonts"]
    }
    for font in manifest["fonts"]:
        path = _installed_file(font["name"])
        assert font["file"] == path.name
        assert font["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), font["name"]
        assert font["version"] and font["style"]
    versions = manifest["versions"]
    assert versions["weasyprint"] == weasyprint.__version__ and versions["anthology"] == __version__
    major, minor, micro = (int(part) for part in versions["pango"].split("."))
    assert pango.pango_version() == major * 10000 + minor * 100 + micro  # the copy WeasyPrint uses
    major, minor, micro = (int(part) for part in versions["harfbuzz"].split("."))
    assert harfbuzz.hb_version_atleast(major, minor, micro) and not harfbuzz.hb_version_atleast(major, minor, micro + 1)
    assert re.fullmatch(r"\d+(\.\d+)+", versions["pandoc"])
    assert manifest["commit"] is None  # the copy is not in a git repository
    assert manifest["source_date_epoch"] == int(EPOCH)


def test_two_builds_are_byte_identical(
    built: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = copy_sample(tmp_path / "again")
    # One job: the EPUB is packaged after the PDF is joined, not in a worker meanwhile.
    result = build(load_book(root), root / "build", jobs=1)
    paths: dict[str, Path] = built["paths"]  # type: ignore[assignment]
    for output in result.outputs:
        assert output.path.read_bytes() == paths[output.path.suffix].read_bytes(), output.path.suffix
    first: Path = built["root"]  # type: ignore[assignment]
    for name in ("manifest.json", "SHA256SUMS"):
        assert (root / "build" / name).read_bytes() == (first / "build" / name).read_bytes(), name


def test_a_build_leaves_source_date_epoch_as_it_found_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-lived process (the preview, the tests) dates each build from that book's sources."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_sample(tmp_path / "dated")
    build(load_book(root), root / "build", ("epub",))
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(load_book(root), root / "build", ("epub",))
    assert os.environ["SOURCE_DATE_EPOCH"] == EPOCH


def test_a_book_with_errors_is_refused_and_old_outputs_stay(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "broken")
    (root / "build").mkdir()
    (root / "build" / "everyone-is-somewhere-else.pdf").write_bytes(b"previous edition")
    chapter = root / "chapters" / "four-hundred-words.md"
    chapter.write_text(chapter.read_text().replace("title:", "titel:", 1))
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 1
    assert "S003" in result.output and "--draft" in result.output
    assert (root / "build" / "everyone-is-somewhere-else.pdf").read_bytes() == b"previous edition"


def test_draft_builds_anyway_and_marks_every_page(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "draft")
    chapter = root / "chapters" / "four-hundred-words.md"
    chapter.write_text(chapter.read_text().replace("section: craft", "section: crafts"))
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--draft", "--format", "pdf"])
    assert result.exit_code == 1, result.output
    reader = pypdf.PdfReader(root / "build" / "everyone-is-somewhere-else.pdf")
    assert all("DRAFT" in page.extract_text() for page in reader.pages)


def test_interrupted_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "book.pdf"
    target.write_bytes(b"previous edition")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("anthology.build.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"new edition")
    assert target.read_bytes() == b"previous edition"
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]


def test_html_preview_is_self_contained(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "preview")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--format", "html", "-q"])
    assert result.exit_code == 0, result.output
    page = (root / "build" / "everyone-is-somewhere-else.html").read_text()
    assert 'src="data:image/png;base64,' in page and 'src="images/' not in page


def test_pdf_pages_are_the_trim_size(built: dict[str, object]) -> None:
    reader: pypdf.PdfReader = built["reader"]  # type: ignore[assignment]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (432, 648)  # 6 x 9 in


@pytest.mark.parametrize("trim, size", [("a5", (420, 595)), ("8.5x11", (612, 792))])
def test_other_trim_sizes(tmp_path: Path, trim: str, size: tuple[int, int]) -> None:
    root = copy_sample(tmp_path / trim)
    (root / "book.yaml").write_text((root / "book.yaml").read_text() + f"trim: {trim}\n")
    result = build(load_book(root), root / "build", ("pdf",))
    box = pypdf.PdfReader(io.BytesIO(result.outputs[0].path.read_bytes())).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ctypes runs the compiler to find libraries on Linux")
def test_weasyprint_is_imported_without_running_the_compiler_to_find_its_libraries() -> None:
    """On Linux WeasyPrint's library names for other systems made ctypes run gcc and ld (0.2 s)."""
    script = (
        "import ctypes.util, sys\n"
        "searched = []\n"
        "slow = ctypes.util._findLib_gcc\n"
        "ctypes.util._findLib_gcc = lambda name: searched.append(name) or slow(name)\n"
        "lookup = ctypes.util.find_library\n"
        "from anthology.render.layout import import_weasyprint\n"
        "weasyprint = import_weasyprint()\n"
        "from weasyprint.text import ffi\n"
        "assert ffi.pango is not None and ffi.harfbuzz is not None and ffi.fontconfig is not None\n"
        "assert ctypes.util.find_library is lookup, 'the lookup was not put back'\n"
        "print(len(searched))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


def test_weasyprint_glyph_arrays_of_every_length_share_one_parsed_type() -> None:
    """WeasyPrint types each font subset's glyph array by its length; cffi parsed each new
    length with its C parser (10 ms), over a hundred times per layout worker."""
    script = (
        "import weasyprint  # imported before anthology asks for it: the arrays are shared all the same\n"
        "from anthology.render.layout import import_weasyprint\n"
        "import_weasyprint()\n"
        "import_weasyprint()\n"
        "from weasyprint.text.ffi import ffi\n"
        "before = len(ffi._parsed_types)\n"
        "arrays = [ffi.new(f'hb_codepoint_t[{n}]', list(range(n))) for n in range(1, 60)]\n"
        "assert [len(a) for a in arrays] == list(range(1, 60))\n"
        "assert list(arrays[4]) == [0, 1, 2, 3, 4]\n"
        "assert len(ffi.new('hb_codepoint_t[8]', [1, 2])) == 8  # a longer array than its list: as asked\n"
        "print(len(ffi._parsed_types) - before)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert int(done.stdout) <= 2
