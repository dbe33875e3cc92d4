"""`anthology proof`: one chapter typeset exactly as it will appear in the book.

The chapter's pages are cut from the book's own layout (same design, page size, page numbers
and running heads), so the proof cannot differ from the book. The layout cache under
build/.cache makes this fast once the book has been built; in CI, cache that folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .fileio import write_atomically
from .model import Book, Chapter
from .validate import validate

DPI = 110


@dataclass(frozen=True)
class Proof:
    report: Report  # the chapter's own diagnostics
    pdf: Path
    pngs: tuple[Path, ...]
    first_folio: str
    pages: int


def proof(book: Book, chapter: Chapter, out_dir: Path, jobs: int | None = None) -> Proof:
    """Write out_dir/proofs/<id>.pdf and one PNG per page; pages say DRAFT if the chapter has errors."""
    from .render.assemble import render
    from .render.content import prepare, source_date

    report = validate(book, only=[chapter.path])
    cache = out_dir / ".cache"
    content = prepare(book, cache / "convert")
    with source_date(int(content.date.timestamp())):
        jobs = jobs or os.cpu_count() or 1
        printed = render(content, report.errors > 0, jobs, cache / "layout", only=chapter.id)
    folder = out_dir / "proofs"
    target = folder / f"{chapter.id}.pdf"
    write_atomically(target, printed.pdf)
    for stale in folder.glob(f"{chapter.id}-*.png"):
        stale.unlink()
    pngs = tuple(_pngs(printed.pdf, folder, chapter.id))
    return Proof(report, target, pngs, printed.folios.get(f"ch-{chapter.id}", ""), len(pngs))


def _pngs(pdf: bytes, folder: Path, stem: str) -> list[Path]:
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    paths = []
    try:
        for number in range(len(document)):
            image = document[number].render(scale=DPI / 72).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            path = folder / f"{stem}-{number + 1}.png"
            write_atomically(path, buffer.getvalue())
            paths.append(path)
    finally:
        document.close()
    return paths
