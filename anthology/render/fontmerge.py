"""Each typeface embedded once: the layout units' subsets of one face merged into one program.

Every unit is laid out apart, so WeasyPrint embeds a subset of each face per unit (a book of
97 essays had 159 font programs for 7 typefaces). Its subsets keep the face's glyph ids, so
one program holding the union of the glyphs every unit uses serves every unit's font
dictionary unchanged (their widths and ToUnicode maps stay right). The union is cut from the
installed face, found by the PostScript name the subsets carry, with WeasyPrint's own
HarfBuzz subsetting; a face that cannot be found or made again (variable and colour fonts,
which WeasyPrint transforms) keeps its per-unit programs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..fileio import remove_stale, write_atomically

if TYPE_CHECKING:
    import pikepdf

PROGRAMS = ("/FontFile2", "/FontFile3")
_TRANSFORMED = ("fvar", "CBDT", "SVG ", "COLR", "sbix")  # tables WeasyPrint rewrites after subsetting


@dataclass
class Face:
    """One installed face and what the PDF uses of it."""

    path: str
    index: int
    glyphs: set[int] = field(default_factory=set)
    descriptors: list[tuple[pikepdf.Dictionary, str]] = field(default_factory=list)
    programs: dict[tuple[int, int], bytes] = field(default_factory=dict)  # embedded program streams: raw bytes


def merge_fonts(pdf: pikepdf.Pdf, objects: Iterable[pikepdf.Dictionary], cache: Path | None = None) -> int:
    """Make every face's font dictionaries share one program; the number of programs left over.

    `objects` are the PDF's dictionaries (pdf_check.dictionaries). Merged subsets are kept in
    `cache` (when given) by face and glyph set: a one-chapter edit rarely adds a glyph, so a
    rebuild cuts no font again."""
    import pikepdf

    faces: dict[tuple[str, int], Face] = {}
    sources: dict[str, tuple[str, int] | None] = {}  # by font name without its subset tag: one face each
    for font in objects:
        if font.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2"):
            continue
        descriptor = font.get("/FontDescriptor")
        key = next((k for k in PROGRAMS if descriptor is not None and k in descriptor), None)
        if key is None or font.get("/CIDToGIDMap", pikepdf.Name.Identity) != pikepdf.Name.Identity:
            continue
        program = descriptor[key]
        family = str(font.get("/BaseFont", "")).partition("+")[2]
        if family not in sources:
            sources[family] = _source(program.read_bytes())
        source = sources[family]
        if source is None:
            continue
        face = faces.setdefault(source, Face(*source))
        face.glyphs |= _widths(font.get("/W", pikepdf.Array()))
        face.descriptors.append((descriptor, key))
        face.programs[program.objgen] = program.read_raw_bytes()
    dropped = 0
    used: set[str] = set()
    for face in faces.values():
        if len(face.programs) < 2:
            continue
        shared = _shared(pdf, face, cache, used)
        if shared is None:
            continue
        for descriptor, key in face.descriptors:
            descriptor[key] = shared
            if "/CIDSet" in descriptor:
                del descriptor["/CIDSet"]  # lists the old subset's glyphs; optional outside PDF/A-1
        dropped += len(face.programs) - 1
    if cache is not None and cache.is_dir():
        remove_stale(cache, used)
    return dropped


def _shared(pdf: pikepdf.Pdf, face: Face, cache: Path | None, used: set[str]) -> pikepdf.Stream | None:
    """The one program every font dictionary of `face` will use (None: leave them as they are)."""
    import pikepdf

    descriptor, key = face.descriptors[0]
    if len(set(face.programs.values())) == 1:  # the same subset embedded again and again: keep one
        return descriptor[key]
    data = _cached_subset(face, cache, used)
    if data is None:
        return None
    if key == "/FontFile3":
        return pdf.make_stream(data, Subtype=pikepdf.Name.OpenType)  # compressed when saved
    return pdf.make_stream(data, Length1=len(data))


def _widths(array: pikepdf.Array) -> set[int]:
    """The glyph ids a CIDFont's /W array gives widths for (every glyph the unit shows)."""
    import pikepdf

    items, glyphs, index = list(array), set[int](), 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            glyphs.update(range(first, first + len(items[index + 1])))
            index += 2
        else:
            glyphs.update(range(first, int(items[index + 1]) + 1))
            index += 3
    return glyphs


def _source(program: bytes) -> tuple[str, int] | None:
    """The installed face a subset was cut from: its file and index, by PostScript name."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        name = TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6)
    except (TTLibError, KeyError, AssertionError, ValueError, OSError):
        return None
    return _installed(name) if name else None


def _installed(postscript_name: str) -> tuple[str, int] | None:
    """The file and face index of an installed face, unless WeasyPrint transforms it after subsetting."""
    from fontTools.ttLib import TTFont

    found = _faces().get(postscript_name)
    if found is None:
        return None
    with TTFont(found[0], fontNumber=found[1], lazy=True) as font:
        return None if any(table in font for table in _TRANSFORMED) else found


@lru_cache(maxsize=1)
def _faces() -> dict[str, tuple[str, int]]:
    """Every installed face by PostScript name, from one `fc-list` call."""
    try:
        done = subprocess.run(
            ["fc-list", "--format", "%{postscriptname}\\t%{file}\\t%{index}\\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    faces: dict[str, tuple[str, int]] = {}
    for line in sorted(done.stdout.splitlines()):
        name, _, rest = line.partition("\t")
        path, _, index = rest.partition("\t")
        if name and path and index.isdigit():
            faces.setdefault(name, (path, int(index)))
    return faces


def _cached_subset(face: Face, cache: Path | None, used: set[str]) -> bytes | None:
    """`_subset(face)`, remembered in `cache` under the face file's identity and the glyph set.

    An entry starts with the SHA-256 of the rest, so a damaged one is cut again, never trusted."""
    if cache is None:
        return _subset(face)
    import weasyprint

    stat = os.stat(face.path)
    identity = [weasyprint.__version__, face.path, face.index, stat.st_size, stat.st_mtime_ns, sorted(face.glyphs)]
    name = hashlib.sha256(json.dumps(identity).encode()).hexdigest() + ".font"
    used.add(name)
    with contextlib.suppress(OSError):
        stored = (cache / name).read_bytes()
        if hashlib.sha256(stored[32:]).digest() == stored[:32]:
            os.utime(cache / name)  # in use: not stale
            return stored[32:]
    data = _subset(face)
    if data is not None:
        with contextlib.suppress(OSError):
            write_atomically(cache / name, hashlib.sha256(data).digest() + data)
    return data


_DECLARED = False


def _subset(face: Face) -> bytes | None:
    """The face cut down to `face.glyphs`, keeping glyph ids, by WeasyPrint's own HarfBuzz
    subsetting (fontTools takes seconds on a CJK face; HarfBuzz milliseconds)."""
    global _DECLARED
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.ffi import ffi, harfbuzz

    try:
        if not _DECLARED:  # the two calls that open a face from a file, which WeasyPrint does not declare
            ffi.cdef(
                "hb_blob_t * hb_blob_create_from_file (const char *file_name);"
                "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);"
            )
            _DECLARED = True
        blob = ffi.gc(harfbuzz.hb_blob_create_from_file(face.path.encode()), harfbuzz.hb_blob_destroy)
        original = _Original(ffi.gc(harfbuzz.hb_face_create(blob, face.index), harfbuzz.hb_face_destroy), face.path)
        Font._harfbuzz_subset(original, dict.fromkeys(face.glyphs | {0}), False)
    except (AttributeError, TypeError, ffi.error):
        return None  # another WeasyPrint or HarfBuzz: the programs stay as they are
    return original.file_content or None


class _Original:
    """What WeasyPrint's `Font._harfbuzz_subset` reads and writes of a font."""

    def __init__(self, hb_face: object, family: str) -> None:
        self.hb_face = hb_face
        self.family = family
        self.missing: dict[int, int] = {}
        self.file_content = b""
