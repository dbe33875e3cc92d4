"""`anthology build --format print`: the interior's and cover's boxes, spine, spine text and barcode area."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import struct
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from conftest import copy_sample

from anthology.build import build
from anthology.load import load_book
from anthology.printing.cover import Geometry, cover, trim_inches
from anthology.printing.interior import interior
from anthology.printing.profile import BARCODE, BLEED, SERVICE, PrintProfile, profile_of
from anthology.render.content import Content, prepare

EPOCH = "1700000000"
PT = 72.0


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    """The sample book's converted text (what the cover shows), prepared once."""
    root = copy_sample(tmp_path_factory.mktemp("print") / "sample")
    return prepare(load_book(root), root / "build" / ".cache" / "convert")


def boxes(data: bytes, page: int = 0) -> dict[str, list[float]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        obj = pdf.pages[page].obj
        return {name: [float(v) for v in obj[f"/{name}"]] for name in ("MediaBox", "TrimBox", "BleedBox")}


def blank_book(pages: int) -> bytes:
    """A 6 x 9 in PDF of `pages` empty pages: the interior's geometry does not depend on its text."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(6 * PT, 9 * PT))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("service", "paper", "pages", "spine"),
    [
        ("kdp", "white", 24, 24 * 0.002252),
        ("kdp", "white", 300, 300 * 0.002252),
        ("kdp", "cream", 828, 828 * 0.0025),
        ("kdp", "cream", 120, 0.3),
        ("lulu", "white", 32, 32 / 444 + 0.06),
        ("lulu", "cream", 300, 300 / 444 + 0.06),
        ("lulu", "white", 800, 800 / 444 + 0.06),
        ("ingram", "cream", 200, 200 / 400 + 0.025),
    ],
)
def test_spine_follows_the_services_formula(service: str, paper: str, pages: int, spine: float) -> None:
    assert SERVICE[service].spine(pages, paper) == pytest.approx(spine, abs=1e-9)


@pytest.mark.parametrize(
    ("pages", "inside"),
    [
        (24, 0.375),
        (150, 0.375),
        (151, 0.5),
        (300, 0.5),
        (301, 0.625),
        (500, 0.625),
        (501, 0.75),
        (700, 0.75),
        (701, 0.875),
        (828, 0.875),
    ],
)
def test_kdp_inside_margin_grows_with_the_page_count(pages: int, inside: float) -> None:
    assert SERVICE["kdp"].inside_margin(pages) == inside


@pytest.mark.parametrize("service", ["kdp", "lulu"])
@pytest.mark.parametrize("pages", [25, 160, 420])
@pytest.mark.parametrize("bleed", [False, True])
def test_interior_pages_are_padded_and_boxed(service: str, pages: int, bleed: bool) -> None:
    made = interior(blank_book(pages), PrintProfile(SERVICE[service], bleed=bleed))
    assert made.pages == pages + pages % 2
    with pikepdf.open(io.BytesIO(made.pdf)) as pdf:
        assert len(pdf.pages) == made.pages
    b = BLEED * PT if bleed else 0
    recto, verso = boxes(made.pdf, 0), boxes(made.pdf, 1)
    for page in (recto, verso):
        assert page["MediaBox"] == pytest.approx([0, 0, 6 * PT + b, 9 * PT + 2 * b])
        assert page["BleedBox"] == page["MediaBox"]
    # The bleed lies on the outer edges: right of a right-hand page, left of a left-hand one.
    assert recto["TrimBox"] == pytest.approx([0, b, 6 * PT, 9 * PT + b])
    assert verso["TrimBox"] == pytest.approx([b, b, 6 * PT + b, 9 * PT + b])


@pytest.mark.parametrize("service", ["kdp", "lulu"])
@pytest.mark.parametrize("pages", [80, 240, 500])
@pytest.mark.parametrize("paper", ["white", "cream"])
def test_cover_spread_has_bleed_all_round_and_the_formulas_spine(
    content: Content, service: str, pages: int, paper: str
) -> None:
    profile = PrintProfile(SERVICE[service], paper)
    data, shape = cover(content, profile, pages)
    width, height = trim_inches("6x9")
    spine = SERVICE[service].spine(pages, paper)
    found = boxes(data)
    media, trim = found["MediaBox"], found["TrimBox"]
    assert found["BleedBox"] == media
    assert trim[0] == pytest.approx(BLEED * PT) and trim[1] == pytest.approx(BLEED * PT)
    assert media[2] - trim[2] == pytest.approx(BLEED * PT) and media[3] - trim[3] == pytest.approx(BLEED * PT)
    assert (trim[3] - trim[1]) / PT == pytest.approx(height, abs=0.001)
    measured_spine = (trim[2] - trim[0]) / PT - 2 * width
    assert abs(measured_spine - spine) < 0.01
    assert shape.spine == pytest.approx(spine)


# Lulu's hardcover casewrap spine at these page counts, read off its spine width table
# (help.api.lulu.com, "How is spine width calculated?"): boards included.
LULU_CASE_SPINE = {24: 0.25, 84: 0.25, 100: 0.5, 300: 0.9375, 528: 1.4375, 800: 2.0625}


@pytest.mark.parametrize("pages", sorted(LULU_CASE_SPINE))
def test_hardcover_case_has_the_wrap_all_round_the_boards_and_the_services_spine(content: Content, pages: int) -> None:
    """Lulu's casewrap for a 6 x 9 in book: boards of 6.125 x 9.25 in (0.125 in beyond the pages
    at the top, bottom and fore-edge), the table's spine between them, a 0.75 in wrap all round."""
    data, shape = cover(content, PrintProfile(SERVICE["lulu"], binding="hardcover"), pages)
    wrap, board_width, board_height, spine = 0.75, 6.125, 9.25, LULU_CASE_SPINE[pages]
    found = {name: [v / PT for v in box] for name, box in boxes(data).items()}
    media, trim = found["MediaBox"], found["TrimBox"]
    assert found["BleedBox"] == media
    assert media[0] == 0 and media[1] == 0
    assert abs(media[2] - (2 * (wrap + board_width) + spine)) < 0.01
    assert abs(media[3] - (board_height + 2 * wrap)) < 0.01
    assert trim == pytest.approx([wrap, wrap, media[2] - wrap, media[3] - wrap], abs=0.01)
    assert abs((trim[2] - trim[0]) - 2 * board_width - spine) < 0.01  # the measured spine
    assert (shape.width, shape.height, shape.spine, shape.margin) == pytest.approx(
        (board_width, board_height, spine, wrap)
    )


def test_a_hardcover_cover_has_the_same_bytes_from_the_same_sources(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    profile = PrintProfile(SERVICE["lulu"], binding="hardcover")
    assert cover(content, profile, 300)[0] == cover(content, profile, 300)[0]


def spine_text(data: bytes, shape: Geometry) -> str:
    document = pypdfium2.PdfDocument(data)
    page = document[0]
    left = (shape.margin + shape.spine_left) * PT
    text = page.get_textpage().get_text_bounded(left, 0, left + shape.spine * PT, page.get_height())
    document.close()
    return text.strip()


@pytest.mark.parametrize(
    ("service", "binding", "threshold"),
    [("kdp", "paperback", 79), ("lulu", "paperback", 80), ("lulu", "hardcover", 80)],
)
def test_spine_text_only_from_the_services_threshold(
    content: Content, service: str, binding: str, threshold: int
) -> None:
    profile = PrintProfile(SERVICE[service], binding=binding)
    below, shape_below = cover(content, profile, threshold - 1)
    at, shape_at = cover(content, profile, threshold)
    assert spine_text(below, shape_below) == ""
    assert "Everyone Is Somewhere Else" in spine_text(at, shape_at)


@pytest.mark.parametrize(("service", "binding"), [("kdp", "paperback"), ("lulu", "paperback"), ("lulu", "hardcover")])
def test_barcode_area_is_clear_and_at_the_services_place(content: Content, service: str, binding: str) -> None:
    profile = PrintProfile(
        SERVICE[service], binding=binding, blurb="Words. " * 400, contributors=True
    )  # fills the back
    data, shape = cover(content, profile, 200)
    left, bottom, right, top = shape.barcode(profile)
    from_spine, from_bottom = SERVICE[service].barcode
    assert (right - left, top - bottom) == BARCODE
    assert shape.width - right == pytest.approx(from_spine) and bottom == pytest.approx(from_bottom)
    scale = 2
    document = pypdfium2.PdfDocument(data)
    image = document[0].render(scale=scale).to_pil().convert("RGB")
    document.close()
    page_height = image.height / scale / PT
    # 0.02 in inside the area, so anti-aliased edges do not count.
    margin = shape.margin  # the bleed, or a hardcover's wrap
    box = [
        (margin + left + 0.02) * PT * scale,
        (page_height - margin - top + 0.02) * PT * scale,
        (margin + right - 0.02) * PT * scale,
        (page_height - margin - bottom - 0.02) * PT * scale,
    ]
    region = image.crop(tuple(round(v) for v in box))
    assert region.getcolors(maxcolors=4) == [(region.width * region.height, (255, 255, 255))]
    # Outside the area the back is the cover's colour, and the blurb's text is on it.
    outside = image.crop((round(box[0]), round(box[1] - 40), round(box[2]), round(box[1] - 30)))
    assert (255, 255, 255) not in {c for _, c in outside.getcolors(maxcolors=10**6)}


def test_no_barcode_area_without_isbn(content: Content, tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    text = (root / "book.yaml").read_text().replace("isbn: 979-8-9876540-3-3\n", "")
    (root / "book.yaml").write_text(text)
    plain = prepare(load_book(root), tmp_path / "cache")
    data, _ = cover(plain, PrintProfile(SERVICE["kdp"]), 200)
    document = pypdfium2.PdfDocument(data)
    image = document[0].render(scale=1).to_pil().convert("RGB")
    document.close()
    assert (255, 255, 255) not in {c for _, c in image.getcolors(maxcolors=10**6)}


def test_cover_image_makes_the_front(content: Content, tmp_path: Path) -> None:
    profile = PrintProfile(SERVICE["kdp"], cover_image="images/desk.png")
    data, shape = cover(content, profile, 100)
    document = pypdfium2.PdfDocument(data)
    page = document[0]
    import pypdfium2.raw as pdfium_c

    images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
    assert len(images) == 1
    left, bottom, right, top = images[0].get_bounds()
    width = page.get_width()
    # The picture covers the front and its bleed, to the sheet's right, top and bottom edges.
    assert right >= width - 0.5 and bottom <= 0.5 and top >= page.get_height() - 0.5
    front = (BLEED + shape.front_left) * PT
    assert left <= front + 0.5
    assert "Everyone Is Somewhere Else" not in page.get_textpage().get_text_bounded(front, 0, width, page.get_height())
    document.close()


def sample_printed_by(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: str) -> Path:
    """A copy of the sample book whose book.yaml ends with `profile` (a print: section), dated EPOCH."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = copy_sample(tmp_path / "sample")
    with (root / "book.yaml").open("a") as f:
        f.write(profile)
    return root


def test_print_build_writes_both_files_listed_in_sums_and_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = "print:\n  service: kdp\n  paper: cream\n  bleed: true\n  blurb: A book of short essays.\n"
    root = sample_printed_by(tmp_path, monkeypatch, profile)
    first = build(load_book(root), root / "build", ("print",))
    assert not first.refused and first.report.errors == 0, first.report.sorted()
    names = [o.path.name for o in first.outputs]
    assert names == ["everyone-is-somewhere-else-interior.pdf", "everyone-is-somewhere-else-cover.pdf"]
    sums = (root / "build" / "SHA256SUMS").read_text()
    for output in first.outputs:
        assert f"{hashlib.sha256(output.path.read_bytes()).hexdigest()}  {output.path.name}" in sums
    inner = first.outputs[0].path.read_bytes()
    pages = first.outputs[0].pages
    assert pages is not None and pages % 2 == 0
    assert boxes(inner, 1)["TrimBox"] == pytest.approx([9, 9, 6 * PT + 9, 9 * PT + 9])
    cover_boxes = boxes(first.outputs[1].path.read_bytes())
    spine = (cover_boxes["TrimBox"][2] - cover_boxes["TrimBox"][0]) / PT - 12
    assert abs(spine - pages * 0.0025) < 0.01
    again = build(load_book(root), tmp_path / "again", ("print",))
    assert [o.path.read_bytes() for o in again.outputs] == [o.path.read_bytes() for o in first.outputs]


def test_a_wider_inside_margin_lays_the_book_out_again_with_a_narrower_text_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lulu asks 1 in inside (151-400 pages) and 0.5 in outside: moving the theme's text block
    (0.8 in inside, 0.6 in outside) 0.2 in outwards would leave 0.4 in outside, so the book is
    laid out again for those margins and its interior passes the preflight."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = copy_sample(tmp_path / "sample")
    plain = build(load_book(root), root / "build", ("pdf",)).outputs[0].pages
    with (root / "book.yaml").open("a") as f:
        f.write("print: {service: lulu}\n")
    # The sample's 32 pages are far from 151: Lulu's 1 in band is moved down to them.
    monkeypatch.setitem(SERVICE, "lulu", dataclasses.replace(SERVICE["lulu"], inside=((20, 0.625), (10**9, 1.0))))
    result = build(load_book(root), root / "build", ("pdf", "print"))
    assert "P015" not in {d.code for d in result.report.diagnostics}, result.report.sorted()
    inner = result.outputs[1].path.read_bytes()
    assert result.outputs[0].pages is not None and plain is not None and result.outputs[0].pages > plain
    document = pypdfium2.PdfDocument(inner)
    for number in range(4, len(document), 5):  # text on right-hand pages keeps 1 in from the spine
        page, recto = document[number], number % 2 == 0
        text = page.get_textpage()
        lefts = [text.get_rect(i)[0] for i in range(text.count_rects())]
        spine_side = (
            min(lefts) if recto else page.get_trimbox()[2] - max(text.get_rect(i)[2] for i in range(text.count_rects()))
        )
        assert not lefts or spine_side >= 1.0 * PT - 0.5, (number, spine_side)
    document.close()


def test_without_print_settings_the_profile_is_generic(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "sample")
    profile = profile_of(load_book(root).settings)
    assert (profile.service.name, profile.paper, profile.binding, profile.bleed) == (
        "generic",
        "white",
        "paperback",
        False,
    )


def test_cli_print_build_reports_the_preflight_as_json(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from anthology.cli import main

    root = copy_sample(tmp_path / "sample")
    with (root / "book.yaml").open("a") as f:
        f.write("print: {service: lulu}\n")  # the sample's 30 pages are too few for Lulu (32)
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--format", "print", "--report", "json", "-q"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stderr)
    assert {d["code"] for d in report["diagnostics"]} >= {"P010"}
    assert (root / "build" / "everyone-is-somewhere-else-interior.pdf").is_file()
    assert (root / "build" / "everyone-is-somewhere-else-cover.pdf").is_file()


def test_epub_cover_is_the_printed_front_when_book_yaml_names_none(tmp_path: Path) -> None:
    import zipfile

    from PIL import Image

    root = copy_sample(tmp_path / "sample")
    with (root / "book.yaml").open("a") as f:
        f.write("print: {service: kdp}\n")
    result = build(load_book(root), root / "build", ("epub",))
    with zipfile.ZipFile(result.outputs[0].path) as epub:
        opf = epub.read("OEBPS/content.opf").decode()
        assert 'href="images/_front.png" media-type="image/png" properties="cover-image"' in opf
        front = Image.open(io.BytesIO(epub.read("OEBPS/images/_front.png")))
    assert front.size == (1600, 2400)  # the 6 x 9 in front, without bleed
    # The typographic front: the cover's ground colour, lettered in the paper colour.
    colours = {colour for _, colour in front.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert (0x1D, 0x2B, 0x36) in colours


PRESS_PROFILE = Path(__file__).parent / "rules" / "cases" / "K003" / "good" / "print" / "press.icc"


def test_ingram_files_declare_pdf_x4_for_the_named_printing_condition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample_printed_by(tmp_path, monkeypatch, "print: {service: ingram}\n")
    undeclared = build(load_book(root), root / "build", ("print",))
    assert "P020" in {d.code for d in undeclared.report.diagnostics}
    (root / "print").mkdir()
    (root / "print" / "press.icc").write_bytes(PRESS_PROFILE.read_bytes())
    (root / "book.yaml").write_text(
        (root / "book.yaml")
        .read_text()
        .replace("{service: ingram}", "{service: ingram, color_profile: print/press.icc}")
    )
    result = build(load_book(root), root / "build", ("print",))
    assert "P020" not in {d.code for d in result.report.diagnostics}
    assert len(result.outputs) == 2
    for output in result.outputs:
        with pikepdf.open(output.path) as pdf:
            assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4" and pdf.docinfo.Trapped == pikepdf.Name("/False")
            assert "/CreationDate" in pdf.docinfo and "/ModDate" in pdf.docinfo
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "Test coated press"
            assert intent.DestOutputProfile.read_bytes() == PRESS_PROFILE.read_bytes()
            assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in pdf.Root.Metadata.read_bytes()
            for page in pdf.pages:
                assert "/Annots" not in page.obj  # no links on paper
                default = page.obj.Resources.ColorSpace.DefaultRGB  # RGB colour is sRGB
                assert default[0] == "/ICCBased" and default[1].N == 3
                # Dated as the book, not when it was built (LittleCMS writes the time it runs).
                assert struct.unpack_from(">6H", default[1].read_bytes(), 24) == (2023, 11, 14, 22, 13, 20)
                assert "/TrimBox" in page.obj and "/BleedBox" in page.obj
    again = build(load_book(root), tmp_path / "again", ("print",))
    assert [o.path.read_bytes() for o in again.outputs] == [o.path.read_bytes() for o in result.outputs]


def test_lulu_files_declare_their_rgb_colour_srgb_and_no_pdf_x(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lulu prints RGB as sRGB: its files say so on every page (WeasyPrint writes device RGB),
    without claiming PDF/X; a KDP file stays as it was."""
    root = sample_printed_by(tmp_path, monkeypatch, "print: {service: lulu}\n")
    result = build(load_book(root), root / "build", ("print",))
    assert len(result.outputs) == 2
    for output in result.outputs:
        with pikepdf.open(output.path) as pdf:
            assert "/OutputIntents" not in pdf.Root and "/GTS_PDFXVersion" not in pdf.docinfo
            for page in pdf.pages:
                default = page.obj.Resources.ColorSpace.DefaultRGB
                assert default[0] == "/ICCBased" and default[1].N == 3
                assert default[1].read_bytes()[36:40] == b"acsp" and default[1].read_bytes()[16:20] == b"RGB "
    kdp = sample_printed_by(tmp_path / "kdp", monkeypatch, "print: {service: kdp}\n")
    (interior_file, _) = build(load_book(kdp), kdp / "build", ("print",)).outputs
    with pikepdf.open(interior_file.path) as pdf:
        assert all("/DefaultRGB" not in page.obj.Resources.get("/ColorSpace", {}) for page in pdf.pages)
