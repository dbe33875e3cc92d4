"""What a finished PDF must not contain, checked after every build before it is written.

An author cannot put these in (the sanitizer and the URL fetcher stop them first); the check
catches a bug or a library change that would let one through. The build checks the assembled
document while it is still open (assemble.py), a written file is checked with `inspect_pdf`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

_ACTIONS = ("/Launch", "/JavaScript", "/ImportData", "/SubmitForm")


def inspect_pdf(data: bytes) -> list[str]:
    """What must never be in a release PDF (see `problems`), in a written file."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return problems(pdf, dictionaries(pdf))


def dictionaries(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every dictionary of `pdf` but its structure elements: what holds fonts, actions and files.

    Structure elements are most objects of a tagged book and hold none of these; the list is
    made once and read by the safety check, the font merge and the manifest."""
    import pikepdf

    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") != "/StructElem"]


def problems(pdf: pikepdf.Pdf, objects: Iterable[pikepdf.Dictionary]) -> list[str]:
    """What must never be in a release PDF: attachments, scripts, launch actions, unembedded fonts.

    `objects` are all the file's dictionaries (`dictionaries`), not only what the pages reach
    directly, so a font inside a form (the folio layer) or an action on any annotation is
    found too.
    """
    import pikepdf

    found = set()
    root = pdf.Root
    names = root.get("/Names", pikepdf.Dictionary())
    if "/EmbeddedFiles" in names:
        found.add("the PDF has file attachments")
    if "/JavaScript" in names or "/OpenAction" in root or "/AA" in root:
        found.add("the PDF has scripts or automatic actions")
    for obj in objects:
        kind = obj.get("/Type")
        subtype = obj.get("/Subtype")
        if subtype == "/FileAttachment" or kind == "/Filespec" or "/EmbeddedFile" in (kind, subtype):
            found.add("the PDF has file attachments")
        action = obj.get("/A")
        if isinstance(action, pikepdf.Dictionary) and action.get("/S") in _ACTIONS:
            found.add(f"the PDF has a {action.get('/S')} action")
        if "/AA" in obj and kind != "/Catalog":
            found.add("the PDF has scripts or automatic actions")
        if kind == "/Font" and not _embedded(obj):
            found.add(f"the PDF uses font {obj.get('/BaseFont')} without embedding it")
    return sorted(found)


def _embedded(font: object) -> bool:
    if font.get("/Subtype") == "/Type3":  # type: ignore[attr-defined]
        return True  # drawn with PDF operators: nothing to embed
    if font.get("/Subtype") == "/Type0":  # type: ignore[attr-defined]
        return all(_embedded(d) for d in font.get("/DescendantFonts", []))  # type: ignore[attr-defined]
    descriptor = font.get("/FontDescriptor")  # type: ignore[attr-defined]
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
