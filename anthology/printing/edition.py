"""`anthology build --format print`: the interior and cover files, and their preflight."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..render.content import Content
from ..render.theme import MARGINS, Margins
from .cover import cover
from .interior import interior
from .preflight import HARDCOVER, PrintFile, preflight
from .profile import profile_of


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
    edition.diagnostics += preflight(
        book, profile, PrintFile(inner.pdf, shown(out_dir / interior_name, book.root)), inner.pages, cover_file, shape
    )
    return edition
