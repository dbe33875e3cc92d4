"""What a finished PDF must not contain, checked after every build before it is written.

An author cannot put these in (the sanitizer and the URL fetcher stop them first); the check
catches a bug or a library change that would let one through.
"""

from __future__ import annotations

import io

_ACTIONS = ("/Launch", "/JavaScript", "/ImportData", "/SubmitForm")


def inspect_pdf(data: bytes) -> list[str]:
    """What must never be in a release PDF: attachments, scripts, launch actions, unembedded fonts.

    Every object of the file is looked at, not only what the pages reach directly, so a font
    inside a form (the folio layer) or an action on any annotation is found too.
    """
    import pikepdf

    problems = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        names = root.get("/Names", pikepdf.Dictionary())
        if "/EmbeddedFiles" in names:
            problems.add("the PDF has file attachments")
        if "/JavaScript" in names or "/OpenAction" in root or "/AA" in root:
            problems.add("the PDF has scripts or automatic actions")
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            kind = obj.get("/Type")
            if kind == "/StructElem":  # most objects of a tagged PDF: a reading order, no actions or fonts
                continue
            subtype = obj.get("/Subtype")
            if subtype == "/FileAttachment" or kind == "/Filespec" or "/EmbeddedFile" in (kind, subtype):
                problems.add("the PDF has file attachments")
            action = obj.get("/A")
            if isinstance(action, pikepdf.Dictionary) and action.get("/S") in _ACTIONS:
                problems.add(f"the PDF has a {action.get('/S')} action")
            if "/AA" in obj and kind != "/Catalog":
                problems.add("the PDF has scripts or automatic actions")
            if kind == "/Font" and not _embedded(obj):
                problems.add(f"the PDF uses font {obj.get('/BaseFont')} without embedding it")
    return sorted(problems)


def _embedded(font: object) -> bool:
    if font.get("/Subtype") == "/Type3":  # type: ignore[attr-defined]
        return True  # drawn with PDF operators: nothing to embed
    if font.get("/Subtype") == "/Type0":  # type: ignore[attr-defined]
        return all(_embedded(d) for d in font.get("/DescendantFonts", []))  # type: ignore[attr-defined]
    descriptor = font.get("/FontDescriptor")  # type: ignore[attr-defined]
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
