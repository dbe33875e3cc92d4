"""How large the book's PDF is beside the same book laid out by WeasyPrint as one document.

    python benchmarks/bench_pdf_size.py [--chapters 300] [--seed 0]

The build lays out units apart and joins them (render/assemble.py); without merging, each unit
embedded its own subset of every typeface. This prints both sizes, their ratio (the issue
asks for at most 1.25) and the number of embedded font programs in each.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate_book


def font_programs(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(
            {
                obj[key].objgen
                for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
                for key in ("/FontFile", "/FontFile2", "/FontFile3")
                if key in obj
            }
        )


def one_document(root: Path) -> bytes:
    """Every piece of the printed book in one WeasyPrint document (no folios: WeasyPrint's own size)."""
    import weasyprint

    from anthology.load import load_book
    from anthology.render import print_pieces
    from anthology.render.content import prepare
    from anthology.render.fetcher import VIRTUAL_ROOT, book_fetcher

    book = load_book(root)
    content = prepare(book, root / "build" / ".cache" / "convert")
    front, body, back = print_pieces.static_pieces(content)
    pieces = [
        print_pieces.titles(content),
        print_pieces.contents(content, {}),
        *front,
        *body,
        *back,
        print_pieces.author_index(content, {}),
    ]
    html = print_pieces.document(content, pieces)
    document = weasyprint.HTML(string=html, base_url=VIRTUAL_ROOT.as_uri() + "/", url_fetcher=book_fetcher(root))
    return document.write_pdf(pdf_tags=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    from anthology.build import build
    from anthology.load import load_book

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "book"
        generate_book(root, options.chapters, options.seed)
        started = time.perf_counter()
        result = build(load_book(root), root / "build", ("pdf",))
        ours = result.outputs[0].path.read_bytes()
        ours_time = time.perf_counter() - started
        started = time.perf_counter()
        single = one_document(root)
        single_time = time.perf_counter() - started
    print(
        f"{'chapters':>8} {'ours KiB':>9} {'one-doc KiB':>11} {'ratio':>6} {'fonts':>6} {'one-doc fonts':>13}"
        f" {'ours s':>7} {'one-doc s':>9}"
    )
    print(
        f"{options.chapters:>8} {len(ours) / 1024:>9.0f} {len(single) / 1024:>11.0f} {len(ours) / len(single):>6.2f}"
        f" {font_programs(ours):>6} {font_programs(single):>13} {ours_time:>7.1f} {single_time:>9.1f}"
    )


if __name__ == "__main__":
    main()
