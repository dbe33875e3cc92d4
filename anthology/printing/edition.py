"""`anthology build --format print`: the interior and cover files, and their preflight."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..render.content import Content
from ..render.theme import MARGINS, Margins
from .cover import cover
from .interior import interior
from .pdfx import OutputProfile, book_profile, declared, in_srgb
from .preflight import HARDCOVER, NOT_PDFX, PrintFile, preflight
from .profile import PrintProfile, profile_of


@dataclass
class PrintEdition:
    """The print files to write (name -> bytes, in order) and what the preflight found."""

    files: dict[str, bytes]
    pages: int
    diagnostics: list[Diagnostic] = field(default_factory=list)


def shown(path: Path, root: Path) -> str:
    """A print file's name as diagnostics show it: relative to the book when it lies inside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def print_edition(
    content: Content, book_pdf: bytes, out_dir: Path, stem: str, margins: Margins = MARGINS
) -> PrintEdition:
    """Make `<stem>-interior.pdf` and `<stem>-cover.pdf` from the assembled book (laid out with
    `margins`), and preflight them."""
    book = content.book
    profile = profile_of(book.settings)
    finish, diagnostics = _pdfx(content, profile)
    inner = interior(book_pdf, profile, margins)
    interior_name = f"{stem}-interior.pdf"
    edition = PrintEdition({interior_name: finish(inner.pdf, content.title)}, inner.pages, diagnostics)
    cover_file, shape = None, None
    if profile.binding == "paperback" or profile.service.makes_case:
        data, shape = cover(content, profile, inner.pages)
        cover_name = f"{stem}-cover.pdf"
        edition.files[cover_name] = finish(data, f"{content.title} (cover)")
        cover_file = PrintFile(edition.files[cover_name], shown(out_dir / cover_name, book.root))
    else:
        edition.diagnostics.append(
            Diagnostic(
                HARDCOVER,
                Severity.WARNING,
                "book.yaml",
                book.settings.line_of("print") if book.settings else None,
                f"No case-wrap cover is made for a {profile.service.label} hardcover (its wrap, hinge and spine "
                "figures are not known to anthology); only the interior was written",
                f"Download {profile.service.label}'s hardcover template for {inner.pages} pages and make the cover "
                "from it, or choose `service: lulu`, whose casewrap cover anthology makes.",
            )
        )
    interior_file = PrintFile(edition.files[interior_name], shown(out_dir / interior_name, book.root))
    edition.diagnostics += preflight(book, profile, interior_file, inner.pages, cover_file, shape)
    return edition


def _pdfx(content: Content, profile: PrintProfile) -> tuple[Callable[[bytes, str], bytes], list[Diagnostic]]:
    """What each print file goes through before it is written: made PDF/X-4 for the printing
    condition book.yaml names when the service prints from PDF/X, its RGB declared sRGB when the
    service prints RGB as sRGB, else left as it is; and P020 when the service asks for PDF/X
    and no usable profile is named (K003 says what is wrong)."""
    book = content.book
    when = content.date
    if not profile.service.pdfx:
        if profile.service.srgb:
            return lambda data, title: in_srgb(data, when), []
        return lambda data, title: data, []
    found = book_profile(book.root, profile.color_profile) if profile.color_profile else None
    if isinstance(found, OutputProfile):
        return lambda data, title: declared(data, found, title, when), []
    warning = Diagnostic(
        NOT_PDFX,
        Severity.WARNING,
        "book.yaml",
        book.settings.line_of("print") if book.settings else None,
        f"The print files do not declare PDF/X, which {profile.service.label} asks for: book.yaml names "
        "no usable printing profile",
        "Download the CMYK profile the service names, put it in the book and write "
        "'print: {color_profile: print/<name>.icc}'.",
    )
    return lambda data, title: data, [warning]
