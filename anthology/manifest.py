"""build/manifest.json: what typeset an edition, so two machines' books can be compared.

The manifest records the versions of the tools that decide line and page breaks (anthology,
Python, WeasyPrint, pandoc, Pango, HarfBuzz), every font file embedded in the PDF (read back
from the PDF itself, matched to the installed file by its PostScript name and version), the
sources' commit and SOURCE_DATE_EPOCH. It holds no time or path of its own, so the same
sources on the same tools give the same bytes. `differences` says what changed since the
previous build in the same folder.
"""

from __future__ import annotations

import io
import json
import platform
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .fonts import digests, faces_named
from .gitutil import head_commit

if TYPE_CHECKING:
    import pikepdf

FILE = "manifest.json"
TOOLS = {  # manifest key -> the name a person knows it by
    "anthology": "anthology",
    "python": "Python",
    "weasyprint": "WeasyPrint",
    "pandoc": "pandoc",
    "pango": "Pango",
    "harfbuzz": "HarfBuzz",
}
# The shared libraries' names on Linux, macOS and Windows (as WeasyPrint loads them).
_PANGO = ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll", "pango-1.0")
_HARFBUZZ = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz")


def load_library(names: tuple[str, ...]) -> Any:
    """A C library (a ctypes.CDLL) under the first of `names` that loads, or None.

    The last name is looked up with ctypes.util.find_library. The names are those WeasyPrint
    loads, so this is the copy WeasyPrint runs with, found even when WeasyPrint cannot start.
    """
    import ctypes
    import ctypes.util

    for name in (*names[:-1], ctypes.util.find_library(names[-1])):
        try:
            return ctypes.CDLL(name) if name else None
        except OSError:
            continue
    return None


def library_version(names: tuple[str, ...], symbol: str) -> str | None:
    """A C library's own `*_version_string()`, or None when it cannot be loaded."""
    import ctypes

    library = load_library(names)
    if library is None:
        return None
    function = getattr(library, symbol)
    function.restype = ctypes.c_char_p
    return str(function().decode())


def pango_version() -> str | None:
    return library_version(_PANGO, "pango_version_string")


def harfbuzz_version() -> str | None:
    return library_version(_HARFBUZZ, "hb_version_string")


def tool_versions() -> dict[str, str | None]:
    """The version of each tool in TOOLS (None for what cannot be found)."""
    from importlib import metadata

    import pypandoc

    loaded = sys.modules.get("weasyprint")  # an EPUB-only build need not pay for importing it
    return {
        "anthology": __version__,
        "python": platform.python_version(),
        "weasyprint": loaded.__version__ if loaded else metadata.version("weasyprint"),
        "pandoc": pypandoc.get_pandoc_version(),
        "pango": pango_version(),
        "harfbuzz": harfbuzz_version(),
    }


def _names(font: Any) -> dict[str, str]:
    """What a font's name table says it is: PostScript name, family, style, version."""
    table = font["name"]

    def name(*ids: int) -> str:
        return next((str(found) for i in ids if (found := table.getDebugName(i))), "")

    return {"name": name(6), "family": name(16, 1), "style": name(17, 2), "version": name(5)}


def embedded_faces(objects: Iterable[pikepdf.Dictionary]) -> list[dict[str, str]]:
    """What each font file embedded in a PDF says it is: PostScript name, family, style, version.

    `objects` are the PDF's dictionaries (pdf_check.dictionaries), read while the assembled book
    is still open (assemble.py). Each embedded (subset) font keeps the name table of the file
    it was cut from.
    """
    from fontTools.ttLib import TTFont

    found: dict[tuple[str, str], dict[str, str]] = {}
    seen: set[str] = set()
    for obj in objects:
        if obj.get("/Type") != "/FontDescriptor":
            continue
        stream = next((obj[key] for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in obj), None)
        description = str(obj.get("/FontName", "")).partition("+")[2]  # one Pango face: one file
        if stream is None or description in seen:
            continue
        seen.add(description)
        try:
            names = _names(TTFont(io.BytesIO(stream.read_bytes()), lazy=True))
        except Exception:  # a bare CFF or Type 1 program has no name table
            names = {"name": description, "family": description, "style": "", "version": ""}
        found.setdefault((names["name"], names["version"]), names)
    return [found[key] for key in sorted(found)]


def embedded_fonts(faces: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The embedded faces (`embedded_faces`) with the installed file each was cut from.

    The installed face with the embedded font's PostScript name and version is the file. `file`
    and `sha256` are None for a font no installed file matches (it was uninstalled since, or
    cannot be read).
    """
    candidates = faces_named(face["name"] for face in faces)
    files = [_installed(face["version"], candidates.get(face["name"], [])) for face in faces]
    sha256 = digests(path for path in files if path)
    return [
        {**face, "file": Path(path).name if path else None, "sha256": sha256.get(path) if path else None}
        for face, path in zip(faces, files, strict=True)
    ]


def _installed(version: str, candidates: list[tuple[str, int]]) -> str | None:
    """The first installed file (of faces with the embedded font's PostScript name) whose
    version string is the embedded font's: the file the PDF's font was cut from."""
    from fontTools.ttLib import TTFont

    for path, index in candidates:
        try:
            with TTFont(path, fontNumber=index, lazy=True) as font:
                if _names(font)["version"] == version:
                    return path
        except Exception:  # unreadable, or not a font fontTools knows
            continue
    return None


def make(root: Path, epoch: int, faces: list[dict[str, str]] | None) -> dict[str, Any]:
    """The manifest of a build of the book at `root`, whose PDF embeds `faces` (`embedded_faces`;
    None when no PDF was made)."""
    return {
        "commit": head_commit(root),
        "fonts": embedded_fonts(faces) if faces is not None else None,
        "source_date_epoch": epoch,
        "versions": tool_versions(),
    }


def encode(manifest: dict[str, Any]) -> bytes:
    """Sorted keys and a fixed layout: the same manifest is always the same bytes."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def read(path: Path) -> dict[str, Any] | None:
    """A manifest written by an earlier build, or None when there is none (or it is damaged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _short(digest: object) -> str:
    return f"{digest}"[:8] + "…" if digest else "none"


def _versions(old: object, new: object) -> str:
    """Two name-table version strings, without the tool notes after ';' unless those differ."""
    short = [f"{v}".partition(";")[0].removeprefix("Version ").strip() for v in (old, new)]
    return " -> ".join(short) if short[0] != short[1] else f"{old} -> {new}"


def _font_change(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """How one face (same PostScript name) differs between two builds, or None."""
    parts = []
    if old.get("version") != new.get("version"):
        parts.append(f"version {_versions(old.get('version'), new.get('version'))}")
    if old.get("file") != new.get("file"):
        parts.append(f"file {old.get('file')} -> {new.get('file')}")
    if old.get("sha256") != new.get("sha256"):
        parts.append(f"sha256 {_short(old.get('sha256'))} -> {_short(new.get('sha256'))}")
    if not parts:
        return None
    first, *rest = parts
    detail = f" ({', '.join(rest)})" if rest else ""
    return f"font {new.get('file') or new.get('name')} changed: {first}{detail}"


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Each way the tools or fonts of `new` differ from `old`'s, in words.

    Fonts used by one build only are named only when both builds were of the same commit:
    otherwise new text (a chapter in another script) explains them.
    """
    found = []
    old_versions, new_versions = old.get("versions") or {}, new.get("versions") or {}
    for key, label in TOOLS.items():
        if key in old_versions and old_versions[key] != new_versions.get(key):
            found.append(f"{label} {old_versions[key]} -> {new_versions.get(key)}")
    if not isinstance(old.get("fonts"), list) or new.get("fonts") is None:
        return found  # one of the builds made no PDF
    before = {str(font.get("name")): font for font in old["fonts"] if isinstance(font, dict)}
    after = {font["name"]: font for font in new["fonts"]}
    for name in sorted(before.keys() & after.keys()):
        change = _font_change(before[name], after[name])
        if change:
            found.append(change)
    if new.get("commit") and old.get("commit") == new.get("commit"):
        found += [
            f"font {before[name].get('file') or name} is no longer used"
            for name in sorted(before.keys() - after.keys())
        ]
        found += [
            f"font {after[name].get('file') or name} is now used" for name in sorted(after.keys() - before.keys())
        ]
    return found
