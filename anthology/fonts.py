"""The book's typefaces, and which characters they can print.

`SERIF_STACK` is the single source of truth for the body typeface: the PDF and EPUB themes
take it from here (`css_family`), and the G001 rule checks text against the same fonts
(`covered`). A character no font of the stack covers would print as a blank box.

Coverage is read from the installed font files (found with fontconfig's `fc-list`, cmaps
read with fontTools) and cached on disk per set of font files, so only the first run on a
machine pays for reading the fonts (about a second); later runs cost a few milliseconds.
Without fontconfig, or with none of the stack's fonts installed, coverage is unknown and
nothing is reported.

The build manifest asks here which installed file carries a PostScript name (`faces_named`)
and for the files' SHA-256 (`digests`, cached like coverage).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .fileio import write_atomically

__all__ = [
    "CJK_FACES",
    "SERIF_STACK",
    "Coverage",
    "FontFile",
    "cache_dir",
    "coverage",
    "covered",
    "css_family",
    "digests",
    "faces_named",
    "font_files",
    "ignorable",
    "stack_for",
    "stamps",
]

#: The body typeface and its fallbacks, in order (Debian: fonts-noto-core, fonts-noto-cjk).
SERIF_STACK: tuple[str, ...] = (
    "Noto Serif",
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "Noto Naskh Arabic",
    "Noto Serif Hebrew",
    "Noto Serif Devanagari",
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
)

#: The face whose Han glyphs each language expects, put before the stack's other CJK faces for text in
#: that language (`stack_for`): Japanese, Korean and Traditional Chinese forms of the same characters differ.
CJK_FACES: dict[str, str] = {
    "ja": "Noto Serif CJK JP",
    "ko": "Noto Serif CJK KR",
    "zh-Hant": "Noto Serif CJK TC",
    "zh-HK": "Noto Serif CJK HK",
}


def stack_for(language: str) -> tuple[str, ...]:
    """SERIF_STACK for text in `language` (a CJK_FACES key): its CJK face ahead of the others."""
    face = CJK_FACES.get(language)
    if face is None:
        return SERIF_STACK
    first_cjk = next(i for i, name in enumerate(SERIF_STACK) if "CJK" in name)
    rest = [name for name in SERIF_STACK if name != face]
    return (*rest[:first_cjk], face, *rest[first_cjk:])


_CACHE_VERSION = 1
_FC_TIMEOUT = 20  # seconds; a first fc-list on a machine may rebuild fontconfig's own cache


def css_family(stack: Iterable[str] = SERIF_STACK, generic: str | None = "serif") -> str:
    """A CSS `font-family` value for `stack`: each family quoted, then the generic family.

    >>> css_family(("Noto Serif", "Noto Serif CJK SC"))
    '"Noto Serif", "Noto Serif CJK SC", serif'
    """
    quoted = ['"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"' for name in stack]
    return ", ".join([*quoted, generic] if generic else quoted)


# --- which files -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class FontFile:
    """One face of an installed font: a file and, for a collection (.ttc), the face index."""

    family: str
    path: str
    index: int = 0


def _fold(family: str) -> str:
    """Family names compare as fontconfig compares them: ignoring case and blanks."""
    return "".join(family.split()).casefold()


def _split_families(value: str) -> list[str]:
    names, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return [n.strip() for n in names if n.strip()]


def _fc_list(fields: str) -> list[list[str]] | None:
    """Every installed face as its tab-separated fontconfig `fields`; None without fontconfig."""
    try:
        done = subprocess.run(
            ["fc-list", "--format", fields + "\n"], capture_output=True, timeout=_FC_TIMEOUT, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return [line.split("\t") for line in done.stdout.decode("utf-8", "replace").splitlines()]


def font_files(stack: Sequence[str] = SERIF_STACK) -> list[FontFile] | None:
    """The installed faces of the families in `stack`, in stack order.

    None when fontconfig (`fc-list`) cannot be run. One `fc-list` call lists every font;
    families are matched here, so the cost does not grow with the stack.
    """
    listed = _fc_list("%{family}\t%{file}\t%{index}")
    if listed is None:
        return None
    wanted = {_fold(name): position for position, name in enumerate(stack)}
    found: set[tuple[int, FontFile]] = set()
    for parts in listed:
        if len(parts) != 3:
            continue
        families, path, index = parts
        for family in _split_families(families):
            position = wanted.get(_fold(family))
            if position is not None:
                found.add((position, FontFile(stack[position], path, int(index) if index.isdigit() else 0)))
                break
    return [face for _, face in sorted(found)]


def faces_named(postscript_names: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
    """The installed faces, as (file, face index) sorted by file, with each PostScript name
    (the name a PDF's embedded font carries). Empty without fontconfig."""
    wanted = set(postscript_names)
    found: dict[str, set[tuple[str, int]]] = {}
    for parts in _fc_list("%{postscriptname}\t%{file}\t%{index}") or []:
        if len(parts) == 3 and parts[0] in wanted:
            found.setdefault(parts[0], set()).add((parts[1], int(parts[2]) if parts[2].isdigit() else 0))
    return {name: sorted(faces) for name, faces in found.items()}


# --- coverage --------------------------------------------------------------------------------


class Coverage:
    """A set of code points kept as sorted, disjoint, inclusive ranges."""

    __slots__ = ("_memo", "_starts", "ranges")

    def __init__(self, ranges: Iterable[Sequence[int]]) -> None:
        self.ranges: tuple[tuple[int, int], ...] = tuple((int(a), int(b)) for a, b in ranges)
        self._starts = [a for a, _ in self.ranges]
        self._memo: dict[str, bool] = {}

    @classmethod
    def from_code_points(cls, points: Iterable[int]) -> Coverage:
        ranges: list[list[int]] = []
        for point in sorted(set(points)):
            if ranges and point == ranges[-1][1] + 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
        return cls(ranges)

    def __contains__(self, char: object) -> bool:
        if not isinstance(char, str) or len(char) != 1:
            return False
        known = self._memo.get(char)
        if known is None:
            point = ord(char)
            at = bisect_right(self._starts, point) - 1
            known = self._memo[char] = at >= 0 and point <= self.ranges[at][1]
        return known

    def __len__(self) -> int:
        return sum(b - a + 1 for a, b in self.ranges)


def cache_dir() -> Path:
    """Where coverage is cached: $ANTHOLOGY_CACHE_DIR, else $XDG_CACHE_HOME/anthology, else
    ~/.cache/anthology."""
    explicit = os.environ.get("ANTHOLOGY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "anthology"


def stamps(faces: list[FontFile]) -> tuple[list[FontFile], list[list[object]]]:
    """The faces whose files exist, and what identifies their version (path, index, size, mtime)."""
    present: list[FontFile] = []
    rows: list[list[object]] = []
    for face in faces:
        try:
            stat = os.stat(face.path)
        except OSError:
            continue
        present.append(face)
        rows.append([face.path, face.index, stat.st_size, stat.st_mtime_ns])
    return present, rows


def _read_cmap(face: FontFile) -> set[int]:
    """The code points `face` maps to a glyph; empty if the file cannot be read."""
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(face.path, fontNumber=face.index, lazy=True)
        try:
            # Glyph names are not needed: numbered stand-ins spare parsing the CFF charset or
            # the post table, which is most of the cost for CJK fonts.
            font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
            best = font["cmap"].getBestCmap()  # the widest Unicode subtable only
            return set(best) if best else set()
        finally:
            font.close()
    except Exception:  # a bitmap font, a broken file, fontTools missing: it covers nothing we know
        return set()


def _load(path: Path, fonts: list[list[object]]) -> Coverage | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["version"] != _CACHE_VERSION or data["fonts"] != fonts:
            return None
        ranges = data["ranges"]
        previous = -1
        for a, b in ranges:
            if not (isinstance(a, int) and isinstance(b, int) and previous < a <= b <= 0x10FFFF):
                return None
            previous = b
        return Coverage(ranges)
    except Exception:  # missing, unreadable, corrupt: rebuild
        return None


def _store(path: Path, fonts: list[list[object]], found: Coverage) -> None:
    """Write the cache atomically (a parallel run never sees half a file)."""
    data = {"version": _CACHE_VERSION, "fonts": fonts, "ranges": [list(r) for r in found.ranges]}
    with contextlib.suppress(OSError):  # a read-only home is fine: the next run reads the fonts again
        write_atomically(path, json.dumps(data, separators=(",", ":")).encode())


def digests(paths: Iterable[str]) -> dict[str, str]:
    """The SHA-256 of each font file that exists, by path.

    Remembered in `cache_dir()` by path, size and modification time, as coverage is: the CJK
    fonts alone are 50 MB, too much to read on every build.
    """
    store = cache_dir() / "sha256.json"
    try:
        known = json.loads(store.read_text(encoding="utf-8"))
        known = known if isinstance(known, dict) else {}
    except (OSError, ValueError):
        known = {}
    found: dict[str, str] = {}
    changed = False
    for path in paths:
        try:
            stat = os.stat(path)
            stamp = [stat.st_size, stat.st_mtime_ns]
            entry = known.get(path)
            if not (isinstance(entry, list) and entry[:2] == stamp and isinstance(entry[-1], str)):
                with open(path, "rb") as stream:
                    entry = known[path] = [*stamp, hashlib.file_digest(stream, "sha256").hexdigest()]
                changed = True
        except OSError:
            continue
        found[path] = entry[-1]
    if changed:
        with contextlib.suppress(OSError):  # a read-only home: the next build reads the files again
            write_atomically(store, json.dumps(known, sort_keys=True).encode())
    return found


_MEMO: dict[tuple[str, ...], Coverage | None] = {}


def coverage(stack: Sequence[str] = SERIF_STACK, refresh: bool = False) -> Coverage | None:
    """The code points the installed fonts of `stack` cover together, or None when unknown.

    Unknown means fontconfig is absent or none of the stack's families is installed. The
    answer is kept for the process and cached on disk under `cache_dir()`, keyed by a hash of
    the font files' paths, face indexes, sizes and modification times (so installing or
    updating a font invalidates it). `refresh` forgets the in-process answer (the disk cache
    is still used when the fonts are unchanged).
    """
    key = tuple(stack)
    if key in _MEMO and not refresh:
        return _MEMO[key]
    faces, fonts = stamps(font_files(key) or [])
    result: Coverage | None = None
    if fonts:
        digest = hashlib.sha256(json.dumps([_CACHE_VERSION, fonts]).encode("utf-8")).hexdigest()[:20]
        path = cache_dir() / f"coverage-{digest}.json"
        result = _load(path, fonts)
        if result is None:
            points: set[int] = set()
            for face in faces:
                points |= _read_cmap(face)
            result = Coverage.from_code_points(points) if points else None
            if result is not None:
                _store(path, fonts, result)
    _MEMO[key] = result
    return result


_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0), range(0x180B, 0x1810))
_FILLERS = frozenset("\u034f\u115f\u1160\u3164\uffa0")  # grapheme joiner, Hangul fillers


def ignorable(char: str) -> bool:
    """Characters that never need a glyph: white space, control and format characters
    (zero-width joiners, direction marks, soft hyphen), variation selectors and fillers."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp") or char in _FILLERS:
        return True
    point = ord(char)
    return any(point in selectors for selectors in _VARIATION_SELECTORS)


def covered(chars: Iterable[str], stack: Sequence[str] = SERIF_STACK) -> set[str]:
    """The characters of `chars` that NO font of `stack` covers (despite the name: the
    uncovered ones; an empty set means everything can be printed).

    White space and control characters are never reported. When coverage is unknown (no
    fontconfig, none of the stack's fonts installed) the answer is the empty set.
    """
    found = coverage(stack)
    if found is None:
        return set()
    return {c for c in chars if c not in found and not ignorable(c)}
