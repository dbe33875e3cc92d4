"""Preflight: the print files checked against the service's rules, as diagnostics.

Run on the files as written, so what is checked is what the printer gets. Codes P010-P020
sit beside P001 (the page budget) in the catalogue; `anthology explain P015` documents each.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..catalogue import register
from ..diagnostics import Code, Diagnostic, Severity
from ..model import BOOK_FILE, Book
from .cover import Geometry, trim_inches
from .profile import POINTS, PrintProfile

PAGE_COUNT, TRIM, LOW_PPI, TOO_LOW_PPI, NOT_EMBEDDED, IN_MARGIN, THIN_SPINE, TRANSPARENCY, RGB = (
    f"P0{n}" for n in range(10, 19)
)
HARDCOVER, NOT_PDFX = "P019", "P020"
GOOD_PPI, LEAST_PPI = 300, 150
SPINE_FOLD = 0.01  # inches at each fold not counted as the spine (glyph boxes of the panels' text may reach it)

for _code, _name, _severity, _doc in (
    (
        PAGE_COUNT,
        "print-page-count",
        Severity.ERROR,
        """The interior has fewer or more pages than the print service binds.

KDP binds paperbacks of 24 to 828 pages (776 on cream paper), Lulu paperbacks of at least 32,
IngramSpark of at least 18. Add front or back matter, or choose another service or binding.""",
    ),
    (
        TRIM,
        "print-trim",
        Severity.ERROR,
        """The book's trim (page size) is not one the print service prints.

Choose one of the service's trim sizes in book.yaml (`trim: 6x9` is printed by all of them).""",
    ),
    (
        LOW_PPI,
        "print-image-resolution",
        Severity.WARNING,
        """An image prints at under 300 pixels per inch.

Printers ask for 300 ppi at the size an image is printed; below that it may look soft. Use a
larger original, or let the picture be printed smaller.""",
    ),
    (
        TOO_LOW_PPI,
        "print-image-too-coarse",
        Severity.ERROR,
        """An image prints at under 150 pixels per inch.

It will look visibly blurred or blocky in print. Replace it with a larger original.""",
    ),
    (
        NOT_EMBEDDED,
        "print-font-not-embedded",
        Severity.ERROR,
        """A font of the print file is not embedded.

Every print service refuses PDFs whose fonts are not embedded. Please report this: anthology
embeds every font it uses.""",
    ),
    (
        IN_MARGIN,
        "print-text-in-margin",
        Severity.ERROR,
        """Text lies inside the print service's safety margin.

Text closer to a trim edge than the service allows may be cut off. The inside margin grows with
the page count (KDP: 0.375 in up to 150 pages, up to 0.875 in beyond 700), so a longer book needs a
wider inside margin; choose a larger trim or a service with narrower margins.""",
    ),
    (
        THIN_SPINE,
        "print-spine-text-too-thin",
        Severity.ERROR,
        """The cover has text on a spine too thin for it.

Services print spine text only above a page count (KDP 79 pages, Lulu 80, IngramSpark 48); below
it the text would wrap onto the front or back. anthology leaves such a spine blank.""",
    ),
    (
        TRANSPARENCY,
        "print-transparency",
        Severity.ERROR,
        """A print file uses transparency where the service's PDF variant forbids it.

IngramSpark asks for PDF/X-1a, which has no transparency: flatten pictures with an alpha channel
(save them without one) before building.""",
    ),
    (
        RGB,
        "print-rgb-colour",
        Severity.WARNING,
        """A print file uses RGB colour where the service asks for CMYK.

IngramSpark converts RGB to CMYK when it prints, and colours may shift; black text is printed
as rich black. Check a printed proof before ordering copies.""",
    ),
):
    register(Code(_code, _name, _severity, _doc))
register(
    Code(
        NOT_PDFX,
        "print-not-pdfx",
        Severity.WARNING,
        """The print files do not declare PDF/X, which the service asks for.

IngramSpark prints from PDF/X files made for its printing condition. anthology declares
PDF/X-4 when book.yaml names that condition's ICC profile: download the CMYK profile the
service names, put it in the book and write `print: {color_profile: print/<name>.icc}`.""",
    )
)
register(
    Code(
        HARDCOVER,
        "print-hardcover-cover",
        Severity.WARNING,
        """No cover is made for a hardcover with this print service.

anthology makes the case-wrap (case laminate) cover of a Lulu hardcover: the boards, the spine
from Lulu's table and a 0.75 in wrap all round. For KDP, IngramSpark and a generic printer it has
no figures it can trust for the hinge and the hardcover spine, so it writes only the interior;
make the cover from the service's own template for the interior's page count.""",
    )
)


@dataclass(frozen=True)
class PrintFile:
    """A written print file and how diagnostics name it (relative to the book when inside it)."""

    data: bytes
    name: str


def preflight(
    book: Book, profile: PrintProfile, interior: PrintFile, pages: int, cover: PrintFile | None, shape: Geometry | None
) -> list[Diagnostic]:
    """Every problem the service would find in the interior and the cover."""
    import pypdfium2

    found: list[Diagnostic] = []
    found += _page_count(profile, interior, pages)
    found += _trim(book, profile)
    for file in (interior, *([cover] if cover else [])):
        found += _fonts_and_colour(profile, file)
        document = pypdfium2.PdfDocument(file.data)
        try:
            found += _images(book, document, file)
            if file is interior:
                found += _margins(profile, document, file, pages)
            elif shape is not None:
                found += _spine(profile, document, file, pages, shape)
        finally:
            document.close()
    return found


def _page_count(profile: PrintProfile, interior: PrintFile, pages: int) -> Iterator[Diagnostic]:
    fewest, most = profile.service.limits(profile.binding, profile.paper)
    if not fewest <= pages <= most:
        yield Diagnostic(
            PAGE_COUNT,
            Severity.ERROR,
            interior.name,
            None,
            f"The interior has {pages} pages; {profile.service.label} binds a {profile.paper}-paper "
            f"{profile.binding} of {fewest} to {most} pages",
            "Add or remove front and back matter, or choose another service or binding in book.yaml 'print:'.",
        )


def _trim(book: Book, profile: PrintProfile) -> Iterator[Diagnostic]:
    trims = profile.service.trims
    settings = book.settings
    if not trims or settings is None:
        return
    width, height = trim_inches(settings.trim)
    if not any(abs(width - w) < 0.02 and abs(height - h) < 0.02 for w, h in trims):
        line = settings.line_of("trim") if "trim" in settings.raw else settings.line_of("print")
        yield Diagnostic(
            TRIM,
            Severity.ERROR,
            BOOK_FILE,
            line,
            f"{profile.service.label} does not print a {width:g} x {height:g} in book",
            "Choose one of its trims, e.g. " + ", ".join(f"{w:g}x{h:g}" for w, h in trims[:6]) + ".",
        )


def _images(book: Book, document: Any, file: PrintFile) -> Iterator[Diagnostic]:
    """Each picture's resolution at the size it is printed, named by its source file when known."""
    import pypdfium2.raw as pdfium_c

    sources = _image_sizes(book)
    for number, page in enumerate(document):
        for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
            left, bottom, right, top = image.get_bounds()
            pixels = image.get_px_size()
            if right - left < 1 or top - bottom < 1:
                continue
            ppi = round(min(pixels[0] / ((right - left) / POINTS), pixels[1] / ((top - bottom) / POINTS)))
            if ppi >= GOOD_PPI:
                continue
            code, severity = (TOO_LOW_PPI, Severity.ERROR) if ppi < LEAST_PPI else (LOW_PPI, Severity.WARNING)
            yield Diagnostic(
                code,
                severity,
                sources.get(pixels, file.name),
                None,
                f"A {pixels[0]} x {pixels[1]} pixel picture prints at {ppi} ppi on page {number + 1} of {file.name}",
                f"Printers ask for {GOOD_PPI} ppi: use an original of at least "
                f"{round(pixels[0] * GOOD_PPI / ppi)} pixels wide, or print the picture smaller.",
            )


def _image_sizes(book: Book) -> dict[tuple[int, int], str]:
    """The book's pictures by pixel size (a picture is recognised in the PDF by its size)."""
    from PIL import Image

    sizes: dict[tuple[int, int], str] = {}
    folder = book.root / "images"
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        try:
            with Image.open(path) as picture:
                sizes.setdefault(picture.size, path.relative_to(book.root).as_posix())
        except (OSError, ValueError):
            continue
    return sizes


def _margins(profile: PrintProfile, document: Any, file: PrintFile, pages: int) -> Iterator[Diagnostic]:
    """Text closer to the trim than the service's margins (inside by page count; outside, top, bottom)."""
    service = profile.service
    inside = service.inside_margin(pages) * POINTS
    outside = service.outside_margin(profile.bleed) * POINTS
    tolerance = 0.5  # points: glyph boxes are rounded
    for number, page in enumerate(document):
        trim = page.get_trimbox()
        recto = number % 2 == 0
        left = trim[0] + (inside if recto else outside) - tolerance
        right = trim[2] - (outside if recto else inside) + tolerance
        bottom, top = trim[1] + outside - tolerance, trim[3] - outside + tolerance
        text = page.get_textpage()
        try:
            rects = [text.get_rect(i) for i in range(text.count_rects())]
        finally:
            text.close()
        for x1, y1, x2, y2 in rects:
            if x1 < left or x2 > right or y1 < bottom or y2 > top:
                yield Diagnostic(
                    IN_MARGIN,
                    Severity.ERROR,
                    file.name,
                    None,
                    f"Text on page {number + 1} lies within {service.label}'s margins "
                    f"(inside {inside / POINTS:g} in, outside {outside / POINTS:g} in)",
                    "Choose a larger trim, or a service whose margins the book's layout fits.",
                )
                break


def _spine(
    profile: PrintProfile, document: object, file: PrintFile, pages: int, shape: Geometry
) -> Iterator[Diagnostic]:
    if profile.service.spine_text(pages):
        return
    page = document[0]  # type: ignore[index]
    trim = page.get_trimbox()
    left = trim[0] + (shape.spine_left + SPINE_FOLD) * POINTS
    right = trim[0] + (shape.spine_left + shape.spine - SPINE_FOLD) * POINTS
    text = page.get_textpage()
    try:
        on_spine = text.get_text_bounded(left, trim[1], right, trim[3]).strip() if right > left else ""
    finally:
        text.close()
    if on_spine:
        yield Diagnostic(
            THIN_SPINE,
            Severity.ERROR,
            file.name,
            None,
            f"The spine ({shape.spine:.3f} in for {pages} pages) carries text; {profile.service.label} "
            f"prints spine text from {profile.service.spine_text_pages} pages",
            "Leave the spine blank (anthology's own cover does below the threshold).",
        )


_COLOUR = re.compile(rb"(?<![\w.])(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(?:rg|RG)\b")


def _fonts_and_colour(profile: PrintProfile, file: PrintFile) -> Iterator[Diagnostic]:
    """Unembedded fonts (always), transparency and RGB colour (where the service forbids them)."""
    import pikepdf

    from ..render.pdf_check import _embedded

    service = profile.service
    fonts, transparent = set(), False
    with pikepdf.open(io.BytesIO(file.data)) as pdf:
        for obj in pdf.objects:
            info = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if not isinstance(info, pikepdf.Dictionary):
                continue
            if info.get("/Type") == "/Font" and not _embedded(info):
                fonts.add(str(info.get("/BaseFont")))
            soft_mask = info.get("/SMask")
            if soft_mask is not None and soft_mask != pikepdf.Name("/None"):
                transparent = True
            if any(info.get(key) is not None and float(info.get(key)) < 1 for key in ("/ca", "/CA")):
                transparent = True
        for page in pdf.pages:  # fonts written straight into a page's resources are not objects of their own
            for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
                if isinstance(font, pikepdf.Dictionary) and not _embedded(font):
                    fonts.add(str(font.get("/BaseFont")))
        rgb = not service.rgb and _rgb(pdf)
    for font in sorted(fonts):
        yield Diagnostic(
            NOT_EMBEDDED,
            Severity.ERROR,
            file.name,
            None,
            f"Font {font} is not embedded in {file.name}",
            "Please report this as a bug.",
        )
    if transparent and not service.transparency:
        yield Diagnostic(
            TRANSPARENCY,
            Severity.ERROR,
            file.name,
            None,
            f"{file.name} uses transparency, which {service.label}'s PDF/X-1a does not allow",
            "Save pictures without an alpha channel (transparency), or choose another service.",
        )
    if rgb:
        yield Diagnostic(
            RGB,
            Severity.WARNING,
            file.name,
            None,
            f"{file.name} has RGB colour; {service.label} asks for CMYK",
            "Check a printed proof: the service converts the colours.",
        )


def _rgb(pdf: object) -> bool:
    """Whether pages or forms set a colour that is not a grey, or draw an RGB picture."""
    import pikepdf

    streams = []
    for page in pdf.pages:  # type: ignore[attr-defined]
        contents = page.obj.get("/Contents")
        streams += list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    for obj in pdf.objects:  # type: ignore[attr-defined]
        if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Subtype") == "/Form":
            streams.append(obj)
        elif (
            isinstance(obj, pikepdf.Stream)
            and obj.stream_dict.get("/Subtype") == "/Image"
            and "RGB" in str(obj.stream_dict.get("/ColorSpace", ""))
        ):
            return True
    return any(len({r, g, b}) > 1 for stream in streams for r, g, b in _COLOUR.findall(stream.read_bytes()))
