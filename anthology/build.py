"""`anthology build`: validate, convert once, lay out the PDF, package the EPUB, write safely.

Outputs are written to a temporary file and renamed, so a failed or interrupted build leaves
the previous edition intact. The same sources and SOURCE_DATE_EPOCH give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .catalogue import register
from .diagnostics import Code, Diagnostic, Report, Severity
from .fileio import write_atomically
from .identifiers import is_id, slugify
from .model import Book
from .validate import validate

if TYPE_CHECKING:
    from .render.assemble import Printed
    from .render.content import Content
    from .render.pagelist import PageBreak

FORMATS = ("pdf", "epub", "html", "print", "site")
PAGE_BUDGET = "P001"
register(
    Code(
        PAGE_BUDGET,
        "page-budget",
        Severity.ERROR,
        """A chapter is longer, typeset, than the page budget in book.yaml.

`limits.chapter_pages: {max: N}` sets how many printed pages a chapter may fill (the first
Age of Conversation gave every author one page). `exceptions: {chapter-id: {max_pages: N}}`
grants one chapter more. Cut the chapter, or ask the editors for an exception.""",
    )
)


@dataclass(frozen=True)
class Output:
    path: Path
    size: int
    pages: int | None = None


@dataclass
class BuildResult:
    report: Report
    outputs: list[Output] = field(default_factory=list)
    refused: bool = False
    changes: list[str] = field(default_factory=list)  # tools and fonts unlike the previous build's


class Progress(Protocol):
    def __call__(self, stage: str, transient: bool = False) -> None: ...


def silent(stage: str, transient: bool = False) -> None:
    """The default progress: say nothing."""


def slug(book: Book) -> str:
    """The output file stem: book.yaml `slug`, else the title slugified."""
    settings = book.settings
    if settings and settings.slug and is_id(settings.slug):
        return settings.slug
    return slugify((settings.title if settings else None) or "") or "book"


def page_budget(book: Book, chapter_pages: dict[str, tuple[int, int]]) -> list[Diagnostic]:
    """P001 for each chapter whose typeset length exceeds limits.chapter_pages (or its exception)."""
    settings = book.settings
    if settings is None:
        return []
    found = []
    for chapter in book.chapters:
        exception = settings.exceptions.get(chapter.id)
        limit = exception.max_pages if exception and exception.max_pages else settings.limits.chapter_pages
        if limit is None or chapter.id not in chapter_pages:
            continue
        pages = chapter_pages[chapter.id][1]
        if pages > limit:
            found.append(
                Diagnostic(
                    PAGE_BUDGET,
                    Severity.ERROR,
                    chapter.path,
                    None,
                    f"Chapter fills {pages} pages when typeset; the budget is {limit}",
                    f"Cut about {round((pages - limit) / pages * chapter.words)} words, or ask the editors for "
                    f"'exceptions: {{{chapter.id}: {{max_pages: {pages}}}}}' in book.yaml",
                )
            )
    return found


def preview_html(content: Content) -> bytes:
    """The printed book's pieces as one self-contained page: images inlined, screen styling added."""
    from .render import print_pieces

    front, body, back = print_pieces.static_pieces(content)
    pieces = [print_pieces.titles(content), print_pieces.contents(content, {}), *front, *body, *back]
    html = print_pieces.document(content, [*pieces, print_pieces.author_index(content, {})])

    def inline(match: re.Match[str]) -> str:
        src = match.group(1)
        if src not in content.images:
            return match.group(0)
        mime = mimetypes.guess_type(src)[0] or "application/octet-stream"
        data = base64.b64encode((content.book.root / src).read_bytes()).decode()
        return f'src="data:{mime};base64,{data}"'

    screen = (
        "<style>@media screen { body { max-width: 38em; margin: 2em auto; padding: 0 1em; }"
        " .piece { border-bottom: 1px solid #ddd; padding-bottom: 2em; margin-bottom: 2em; }"
        ' .footnote { font-size: 0.85em; color: #555; } .footnote::before { content: " ["; }'
        ' .footnote::after { content: "]"; } }</style></head>'
    )
    return re.sub(r'src="([^"]+)"', inline, html).replace("</head>", screen, 1).encode()


def build(
    book: Book,
    out_dir: Path,
    formats: tuple[str, ...] = ("pdf", "epub"),
    draft: bool = False,
    progress: Progress = silent,
    jobs: int | None = None,
    clean: bool = False,
) -> BuildResult:
    """Build the requested editions of `book` into `out_dir` (layout cache: out_dir/.cache)."""
    report = validate(book)
    if report.errors and not draft:
        return BuildResult(report, refused=True)
    from .render.content import prepare, source_date

    cache = out_dir / ".cache"
    if clean:
        shutil.rmtree(cache, ignore_errors=True)
    progress(f"converting {len(book.chapters)} chapters")
    content = prepare(book, cache / "convert")
    epoch = int(content.date.timestamp())
    stem = slug(book)
    outputs: list[Output] = []
    faces: list[dict[str, str]] | None = None  # the typeset book's fonts, which the manifest lists
    epub: bytes | None = None
    with source_date(epoch):
        if "pdf" in formats or "print" in formats:
            printed, epub = _typeset(content, formats, draft, jobs or os.cpu_count() or 1, cache, progress)
            if printed.problems:
                from .errors import AnthologyError

                problems = "; ".join(printed.problems)
                raise AnthologyError(f"The PDF failed its safety check: {problems}", "Please report this bug.")
            report.diagnostics.extend(page_budget(book, printed.chapter_pages))
            if "pdf" in formats:
                outputs.append(_write(out_dir / f"{stem}.pdf", printed.pdf, printed.pages))
            if "print" in formats:
                from .printing.edition import print_edition

                progress("making the print interior and cover")
                edition = print_edition(content, printed.pdf, out_dir, stem, printed.margins)
                for name, data in edition.files.items():
                    pages = edition.pages if name.endswith("-interior.pdf") else 1
                    outputs.append(_write(out_dir / name, data, pages))
                report.diagnostics.extend(edition.diagnostics)
            faces = list(printed.faces)
        if "epub" in formats:
            if epub is None:
                progress("packaging the EPUB")
                epub = package_epub(content, None)
            outputs.append(_write(out_dir / f"{stem}.epub", epub))
        if "html" in formats:
            outputs.append(_write(out_dir / f"{stem}.html", preview_html(content)))
        if "site" in formats:
            outputs.append(_write_site(content, out_dir / "site"))
    written, changes = _write_manifest(out_dir, book.root, epoch, faces)
    paths = [o.path for o in outputs if o.path.is_file()] + [written]  # the site is a folder, published as it is
    sums = "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n" for path in paths)
    write_atomically(out_dir / "SHA256SUMS", sums.encode())
    return BuildResult(report, outputs, changes=changes)


def _typeset(
    content: Content, formats: tuple[str, ...], draft: bool, jobs: int, cache: Path, progress: Progress
) -> tuple[Printed, bytes | None]:
    """The printed book and, when asked for, the EPUB: it is packaged in a layout worker while
    the PDF is joined, as soon as the layout has given the print edition's page breaks."""
    from .render.assemble import Assembler
    from .render.layout import Layouter

    def laid_out(done: int, total: int) -> None:
        progress(f"laid out {done} of {total} parts", transient=True)

    progress(f"laying out {len(content.entries)} chapters")
    with Layouter(content.book.root, cache / "layout", jobs, laid_out) as layouter:
        assembler = Assembler(content, layouter, draft)
        placed = assembler.place()
        if "epub" in formats:
            progress("packaging the EPUB while joining the PDF")
        epub = layouter.submit(package_epub, content, placed.page_breaks()) if "epub" in formats else None
        printed = assembler.finish(placed)
        return printed, epub.result() if epub else None


def package_epub(content: Content, pages: dict[str, list[PageBreak]] | None) -> bytes:
    """The EPUB edition, with the print edition's page list when `pages` are known; its cover is
    the printed cover's front when book.yaml has print: and no cover:."""
    from .render.epub import package

    settings = content.book.settings
    front = None
    if settings and settings.printing is not None and not settings.cover:
        from .printing.cover import front_png
        from .printing.profile import profile_of

        front = front_png(content, profile_of(settings))
    return package(content, pages, front)


def _write_manifest(
    out_dir: Path, root: Path, epoch: int, faces: list[dict[str, str]] | None
) -> tuple[Path, list[str]]:
    """Write out_dir/manifest.json; say how the tools and fonts differ from the previous build's."""
    from . import manifest

    path = out_dir / manifest.FILE
    new = manifest.make(root, epoch, faces)
    old = manifest.read(path)
    write_atomically(path, manifest.encode(new))
    return path, manifest.differences(old, new) if old is not None else []


def _write_site(content: Content, folder: Path) -> Output:
    """The web edition in `folder`, swapped in whole (a failed build leaves the previous site)."""
    from .fileio import replace_folder
    from .render.site import Site

    settings = content.book.settings
    files = Site(content, settings.site_url if settings else None).files()
    replace_folder(folder, files)
    return Output(folder, sum(len(data) for data in files.values()))


def _write(path: Path, data: bytes, pages: int | None = None) -> Output:
    write_atomically(path, data)
    return Output(path, len(data), pages)
