"""`anthology build --format print`: the interior and cover files, and their preflight."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..fileio import inside
from ..render.content import Content
from ..render.theme import MARGINS, Margins
from .cover import cover
from .interior import interior
from .pdfx import OutputProfile, declared, output_profile
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
    inner = interior(book_pdf, profile, margins)
    interior_name = f"{stem}-interior.pdf"
    edition = PrintEdition({interior_name: inner.pdf}, inner.pages)
    cover_file, shape = None, None
    if profile.binding == "paperback" or profile.service.makes_case:
        data, shape = cover(content, profile, inner.pages)
        cover_name = f"{stem}-cover.pdf"
        edition.files[cover_name] = data
        cover_file = PrintFile(data, shown(out_dir / cover_name, book.root))
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
    if profile.service.pdfx:
        _declare_pdfx(content, profile, edition)
        inner_data = edition.files[interior_name]
        if cover_file is not None:
            cover_file = PrintFile(edition.files[cover_name], cover_file.name)
    else:
        inner_data = inner.pdf
    edition.diagnostics += preflight(
        book, profile, PrintFile(inner_data, shown(out_dir / interior_name, book.root)), inner.pages, cover_file, shape
    )
    return edition


def _declare_pdfx(content: Content, profile: PrintProfile, edition: PrintEdition) -> None:
    """Make every print file PDF/X-4 for the printing condition book.yaml names (P020 without one;
    K003 reports a profile that cannot be used)."""
    book = content.book
    real = inside(book.root, profile.color_profile) if profile.color_profile else None
    found = output_profile(real.read_bytes()) if real is not None and real.is_file() else None
    if not isinstance(found, OutputProfile):
        edition.diagnostics.append(
            Diagnostic(
                NOT_PDFX,
                Severity.WARNING,
                "book.yaml",
                book.settings.line_of("print") if book.settings else None,
                f"The print files do not declare PDF/X, which {profile.service.label} asks for: book.yaml names "
                "no usable printing profile",
                "Download the CMYK profile the service names, put it in the book and write "
                "'print: {color_profile: print/<name>.icc}'.",
            )
        )
        return
    date = content.date.strftime("D:%Y%m%d%H%M%SZ")
    for name, data in edition.files.items():
        title = content.title if name.endswith("-interior.pdf") else f"{content.title} (cover)"
        edition.files[name] = declared(data, found, title, date)
