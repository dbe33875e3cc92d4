"""The print preflight: each code with a failing and a passing example, on real print files."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import copy_sample
from PIL import Image

from anthology.cli import main
from anthology.diagnostics import Severity
from anthology.load import load_book
from anthology.printing import preflight as codes
from anthology.printing.cover import cover, cover_html, geometry
from anthology.printing.edition import print_edition
from anthology.printing.interior import interior
from anthology.printing.preflight import PrintFile, preflight
from anthology.printing.profile import SERVICE, PrintProfile
from anthology.render.assemble import render
from anthology.render.content import Content, prepare
from anthology.render.layout import lay_out

PT = 72.0
PRESS_PROFILE = Path(__file__).parent / "rules" / "cases" / "K003" / "good" / "print" / "press.icc"
PICTURES = {"sharp": (2000, 3000), "soft": (1400, 2100), "coarse": (600, 900)}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    """The sample book with cover pictures of three resolutions (and one with transparency)."""
    root = copy_sample(tmp_path_factory.mktemp("preflight") / "sample")
    for name, size in PICTURES.items():
        Image.new("RGB", size, (120, 40, 30)).save(root / "images" / f"{name}.png")
    Image.new("RGBA", (2000, 3000), (120, 40, 30, 128)).save(root / "images" / "glass.png")
    return prepare(load_book(root), root / "build" / ".cache" / "convert")


def pdf_with_text(pages: int, runs: tuple[tuple[float, str], ...] = ()) -> bytes:
    """A 6 x 9 in book of `pages` pages; the first has each text run at (x in inches, 4.5 in up)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(6 * PT, 9 * PT))
    if runs:
        page = pdf.pages[0]
        helvetica = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica))  # not embedded
        text = "".join(f"BT /F1 10 Tf {x * PT:.2f} {4.5 * PT:.2f} Td ({word}) Tj ET\n" for x, word in runs)
        page.obj.Contents = pdf.make_stream(text.encode())
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def found(
    content: Content,
    profile: PrintProfile,
    book_pdf: bytes,
    cover_pdf: bytes | None = None,
    pages_for_cover: int | None = None,
) -> set[str]:
    made = interior(book_pdf, profile)
    shape = geometry("6x9", profile, pages_for_cover or made.pages)
    cover_file = PrintFile(cover_pdf, "cover.pdf") if cover_pdf is not None else None
    return {
        d.code
        for d in preflight(
            content.book, profile, PrintFile(made.pdf, "interior.pdf"), pages_for_cover or made.pages, cover_file, shape
        )
    }


def test_page_count_outside_the_services_limits(content: Content) -> None:
    book = pdf_with_text(30)
    assert codes.PAGE_COUNT in found(content, PrintProfile(SERVICE["lulu"]), book)  # Lulu: at least 32
    assert codes.PAGE_COUNT not in found(content, PrintProfile(SERVICE["kdp"]), book)  # KDP: at least 24
    assert codes.PAGE_COUNT in found(content, PrintProfile(SERVICE["kdp"]), pdf_with_text(22))


def test_trim_the_service_does_not_print(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    with (root / "book.yaml").open("a") as f:
        f.write("trim: b5\n")
    book = load_book(root)
    made = interior(pdf_with_text(40), PrintProfile(SERVICE["kdp"]))
    kdp = preflight(book, PrintProfile(SERVICE["kdp"]), PrintFile(made.pdf, "i.pdf"), 40, None, None)
    assert [(d.code, d.path, d.line) for d in kdp] == [(codes.TRIM, "book.yaml", book.settings.line_of("trim"))]
    assert codes.TRIM not in {
        d.code for d in preflight(book, PrintProfile(SERVICE["generic"]), PrintFile(made.pdf, "i.pdf"), 40, None, None)
    }


@pytest.mark.parametrize(
    ("picture", "expected"), [("sharp", set()), ("soft", {codes.LOW_PPI}), ("coarse", {codes.TOO_LOW_PPI})]
)
def test_picture_resolution_at_its_printed_size(content: Content, picture: str, expected: set[str]) -> None:
    profile = PrintProfile(SERVICE["kdp"], cover_image=f"images/{picture}.png")
    data, shape = cover(content, profile, 100)
    diagnostics = preflight(
        content.book,
        profile,
        PrintFile(interior(pdf_with_text(100), profile).pdf, "i.pdf"),
        100,
        PrintFile(data, "cover.pdf"),
        shape,
    )
    resolution = [d for d in diagnostics if d.code in (codes.LOW_PPI, codes.TOO_LOW_PPI)]
    assert {d.code for d in resolution} == expected
    for d in resolution:
        assert d.path == f"images/{picture}.png"  # named by the picture the author can replace
        assert d.severity is (Severity.ERROR if d.code == codes.TOO_LOW_PPI else Severity.WARNING)


def test_font_not_embedded(content: Content) -> None:
    profile = PrintProfile(SERVICE["kdp"])
    assert codes.NOT_EMBEDDED in found(content, profile, pdf_with_text(30, ((1, "Hello"),)))
    assert codes.NOT_EMBEDDED not in found(content, profile, pdf_with_text(30))


def test_text_inside_the_safety_margin(content: Content) -> None:
    # Text spanning the layout's text block (0.8 in from the inner edge, 0.6 in from the outer).
    runs = ((0.8, "I"), (6 - 0.6 - 0.1, "I"))
    book = pdf_with_text(200, runs)
    assert codes.IN_MARGIN not in found(content, PrintProfile(SERVICE["kdp"]), book)  # KDP: 0.5 in / 0.25 in
    # Lulu asks 1.0 in inside at 200 pages and 0.5 in outside: moved inwards, the block reaches the outer margin.
    assert codes.IN_MARGIN in found(content, PrintProfile(SERVICE["lulu"]), book)
    assert codes.IN_MARGIN in found(content, PrintProfile(SERVICE["kdp"]), pdf_with_text(200, ((0.1, "I"),)))


@pytest.fixture(scope="module")
def sample_pdf(content: Content) -> bytes:
    return render(content, False, 2, None).pdf


@pytest.mark.parametrize("service", ["kdp", "lulu", "ingram", "generic"])
def test_the_sample_books_heads_and_folios_keep_the_services_margins(
    content: Content, sample_pdf: bytes, service: str
) -> None:
    """Running heads and folios stay clear of every service's margin (IngramSpark and Lulu:
    half an inch at the top and bottom)."""
    assert codes.IN_MARGIN not in found(content, PrintProfile(SERVICE[service]), sample_pdf)


def test_spine_text_on_a_spine_too_thin(content: Content) -> None:
    profile = PrintProfile(SERVICE["kdp"])
    shape = geometry("6x9", profile, 40)
    forced = lay_out(cover_html(content, profile, shape, spine_text=True), content.book.root).pdf
    assert codes.THIN_SPINE in found(content, profile, pdf_with_text(40), forced)
    ours, _ = cover(content, profile, 40)
    assert codes.THIN_SPINE not in found(content, profile, pdf_with_text(40), ours)


def test_transparency_where_the_variant_forbids_it(content: Content) -> None:
    glass = "images/glass.png"
    ingram = PrintProfile(SERVICE["ingram"], cover_image=glass)
    assert codes.TRANSPARENCY in found(content, ingram, pdf_with_text(40), cover(content, ingram, 40)[0])
    kdp = PrintProfile(SERVICE["kdp"], cover_image=glass)
    assert codes.TRANSPARENCY not in found(content, kdp, pdf_with_text(40), cover(content, kdp, 40)[0])
    opaque = PrintProfile(SERVICE["ingram"], cover_image="images/sharp.png")
    assert codes.TRANSPARENCY not in found(content, opaque, pdf_with_text(40), cover(content, opaque, 40)[0])


def test_rgb_colour_where_the_service_asks_for_cmyk(content: Content) -> None:
    ingram = PrintProfile(SERVICE["ingram"])
    assert codes.RGB in found(content, ingram, pdf_with_text(40), cover(content, ingram, 40)[0])
    assert codes.RGB not in found(content, ingram, pdf_with_text(40))  # black text only
    kdp = PrintProfile(SERVICE["kdp"])
    assert codes.RGB not in found(content, kdp, pdf_with_text(40), cover(content, kdp, 40)[0])


@pytest.mark.parametrize(
    ("service", "binding", "cover_made"),
    [
        ("lulu", "hardcover", True),  # Lulu's casewrap figures are known
        ("kdp", "hardcover", False),
        ("ingram", "hardcover", False),
        ("generic", "hardcover", False),
        ("kdp", "paperback", True),
    ],
)
def test_a_hardcover_cover_is_made_where_the_services_case_is_known_else_a_warning(
    content: Content, tmp_path: Path, service: str, binding: str, cover_made: bool
) -> None:
    import dataclasses

    raw = content.book.settings.raw
    raw["print"] = {"service": service, "binding": binding}
    settings = dataclasses.replace(content.book.settings, printing=raw["print"])
    book = dataclasses.replace(content.book, settings=settings)
    try:
        made = print_edition(dataclasses.replace(content, book=book), pdf_with_text(80), tmp_path, "b")
    finally:
        del raw["print"]
    assert list(made.files) == ["b-interior.pdf", "b-cover.pdf"] if cover_made else ["b-interior.pdf"]
    assert (codes.HARDCOVER in {d.code for d in made.diagnostics}) is not cover_made
    warned = [d for d in made.diagnostics if d.code == codes.HARDCOVER]
    for d in warned:
        assert SERVICE[service].label in d.message and d.severity is Severity.WARNING


@pytest.mark.parametrize("code", [f"P0{n}" for n in range(10, 21)])
def test_every_preflight_code_is_explained(code: str) -> None:
    result = CliRunner().invoke(main, ["explain", code])
    assert result.exit_code == 0 and result.output.startswith(code)


def test_pdfx_is_declared_only_with_a_printing_profile(tmp_path: Path) -> None:
    """IngramSpark prints from PDF/X: without the printing condition's ICC profile the files
    cannot declare it (P020); with it they do."""
    root = copy_sample(tmp_path / "sample")
    with (root / "book.yaml").open("a") as f:
        f.write("print: {service: ingram}\n")
    book_pdf = pdf_with_text(40)

    def made(book_root: Path) -> tuple[set[str], bytes]:
        content = prepare(load_book(book_root), book_root / "build" / ".cache" / "convert")
        edition = print_edition(content, book_pdf, book_root / "build", "s")
        return {d.code for d in edition.diagnostics}, edition.files["s-interior.pdf"]

    found, interior_pdf = made(root)
    assert codes.NOT_PDFX in found and b"GTS_PDFXVersion" not in interior_pdf
    (root / "print").mkdir()
    (root / "print" / "press.icc").write_bytes(PRESS_PROFILE.read_bytes())
    yaml = (root / "book.yaml").read_text()
    (root / "book.yaml").write_text(
        yaml.replace("{service: ingram}", "{service: ingram, color_profile: print/press.icc}")
    )
    found, interior_pdf = made(root)
    assert codes.NOT_PDFX not in found
    with pikepdf.open(io.BytesIO(interior_pdf)) as pdf:
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
