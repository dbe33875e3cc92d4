"""Each typeface embedded once: the units' subsets of a face become one program, drawn the same."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pikepdf
import pypdfium2
from fontTools.ttLib import TTFont
from PIL import ImageChops

from anthology.render.fontmerge import merge_fonts
from anthology.render.layout import lay_out
from anthology.render.pdf_check import dictionaries


def programs(pdf: pikepdf.Pdf) -> Counter[str]:
    """How many distinct embedded programs each face (by PostScript name) has."""
    seen: dict[tuple[int, int], str] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile2", "/FontFile3"):
                if key in obj:
                    name = TTFont(io.BytesIO(obj[key].read_bytes()), lazy=True)["name"].getDebugName(6)
                    seen[obj[key].objgen] = name
    return Counter(seen.values())


def document(text: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><style>@page { size: 4in 3in }'
        ' body { font-family: "Noto Serif" }</style></head>'
        f"<body><p>{text}</p><p><em>{text[::-1]}</em></p><p>中文 {text}</p></body></html>"
    )


def joined(tmp_path: Path) -> bytes:
    """Two documents laid out apart (two subsets of each face), joined as assemble.py joins units."""
    out = pikepdf.new()
    sources = [
        pikepdf.open(io.BytesIO(lay_out(document(text), tmp_path).pdf)) for text in ("Alpha beta", "Quiz wyvern")
    ]
    for source in sources:
        out.pages.extend(source.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def render(data: bytes) -> list[object]:
    pdf = pypdfium2.PdfDocument(data)
    images = [page.render(scale=2).to_pil().convert("RGB") for page in pdf]
    pdf.close()
    return images


def test_subsets_of_a_face_become_one_program_that_draws_the_same(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    before = joined(tmp_path)
    with pikepdf.open(io.BytesIO(before)) as pdf:
        assert max(programs(pdf).values()) == 2  # each unit embedded its own subset
        assert merge_fonts(pdf, dictionaries(pdf)) >= 2
        buffer = io.BytesIO()
        pdf.save(buffer)
    after = buffer.getvalue()
    with pikepdf.open(io.BytesIO(after)) as pdf:
        assert set(programs(pdf).values()) == {1}
    assert len(after) < len(before)
    for old, new in zip(render(before), render(after)):
        assert ImageChops.difference(old, new).getbbox() is None


def merged(data: bytes, cache: Path | None) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        merge_fonts(pdf, dictionaries(pdf), cache)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def test_merged_subsets_are_cached_and_a_damaged_entry_is_cut_again(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    before = joined(tmp_path)
    cache = tmp_path / "fonts"
    fresh = merged(before, None)
    assert merged(before, cache) == fresh
    entries = sorted(cache.glob("*.font"))
    assert entries  # one per merged face
    assert merged(before, cache) == fresh  # read back from the cache
    entries[0].write_bytes(b"\0" * 32 + b"not a font")
    assert merged(before, cache) == fresh  # the damaged entry was not trusted
    assert entries[0].read_bytes()[32:] != b"not a font"
