"""`anthology doctor`: can this machine build the book, and if not, what to install.

Each check is one line (ok / missing / too old); for what is missing it gives the exact
install command for Debian/Ubuntu, Fedora and macOS (Homebrew). A check that `blocks` stops
the build; the others (Java, needed by the tests only; a character no font of the stack has,
which G001 reports) do not. Nothing here may fail with a traceback: a library that cannot be
loaded is what the doctor is for.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import fonts
from .manifest import harfbuzz_version, load_library, pango_version
from .model import Book
from .names import char_script
from .rules.glyphs import printed_texts

PYTHON, PANGO, HARFBUZZ, PANDOC, JAVA = (3, 11), (1, 44), (4, 1), (3, 0), (11,)  # oldest that work
_HARFBUZZ_SUBSET = (
    "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.0.dylib",
    "libharfbuzz-subset-0.dll",
    "harfbuzz-subset",
)


@dataclass(frozen=True)
class Install:
    """One thing to install, by package manager."""

    debian: str
    fedora: str
    macos: str

    def commands(self) -> list[str]:
        return [
            f"Debian/Ubuntu: sudo apt-get install {self.debian}",
            f"Fedora:        sudo dnf install {self.fedora}",
            f"macOS:         brew install {self.macos}",
        ]


PACKAGES = {
    "Python": Install("python3.11 python3.11-venv", "python3.11", "python@3.12"),
    "Pango": Install("libpango-1.0-0 libpangoft2-1.0-0", "pango", "pango"),
    "HarfBuzz": Install("libharfbuzz0b libharfbuzz-subset0", "harfbuzz", "harfbuzz"),
    "fontconfig": Install("fontconfig", "fontconfig", "fontconfig"),
    "Java": Install("default-jre-headless", "java-21-openjdk-headless", "openjdk"),
    "Noto Serif": Install("fonts-noto-core", "google-noto-serif-fonts", "--cask font-noto-serif"),
    "Noto Serif CJK SC": Install("fonts-noto-cjk", "google-noto-serif-cjk-fonts", "--cask font-noto-serif-cjk"),
    "Noto Serif CJK JP": Install("fonts-noto-cjk", "google-noto-serif-cjk-fonts", "--cask font-noto-serif-cjk"),
    "Noto Naskh Arabic": Install("fonts-noto-core", "google-noto-naskh-arabic-fonts", "--cask font-noto-naskh-arabic"),
    "Noto Serif Hebrew": Install("fonts-noto-core", "google-noto-serif-hebrew-fonts", "--cask font-noto-serif-hebrew"),
    "Noto Serif Devanagari": Install(
        "fonts-noto-core", "google-noto-serif-devanagari-fonts", "--cask font-noto-serif-devanagari"
    ),
}
# The script of a letter (names.char_script; None: not a letter) -> what it is called here,
# and the family of fonts.SERIF_STACK that prints it.
SCRIPTS = {
    "latin": ("Latin", "Noto Serif"),
    "greek": ("Greek", "Noto Serif"),
    "cyrillic": ("Cyrillic", "Noto Serif"),
    "han": ("Chinese characters", "Noto Serif CJK SC"),
    "kana": ("Japanese kana", "Noto Serif CJK JP"),
    "hangul": ("Korean", "Noto Serif CJK SC"),
    "arabic": ("Arabic", "Noto Naskh Arabic"),
    "hebrew": ("Hebrew", "Noto Serif Hebrew"),
    "devanagari": ("Devanagari", "Noto Serif Devanagari"),
    "other": ("other letters", None),
    None: ("symbols", None),
}
_ASCII = frozenset(chr(i) for i in range(128))  # printed by Noto Serif, checked with Latin


@dataclass(frozen=True)
class Check:
    item: str
    state: str  # "ok", "missing", "too old" or "not writable"
    detail: str = ""
    blocks: bool = True  # a failure stops the build (False: only the tests or a few glyphs)
    fix: list[str] = field(default_factory=list)  # what to run or do, one line each

    @property
    def failed(self) -> bool:
        return self.state != "ok"


def _version(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text or "")[:3])


def _library(item: str, found: str | None, oldest: tuple[int, ...], needs: str) -> Check:
    if found is None:
        return Check(item, "missing", f"{needs} needs it", fix=PACKAGES[item].commands())
    if _version(found) < oldest:
        return Check(
            item,
            "too old",
            f"{found}; {needs} needs {'.'.join(map(str, oldest))} or newer",
            fix=PACKAGES[item].commands(),
        )
    return Check(item, "ok", found)


def _python() -> Check:
    found = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] < PYTHON:
        return Check("Python", "too old", f"{found}; anthology needs 3.11 or newer", fix=PACKAGES["Python"].commands())
    return Check("Python", "ok", f"{found} ({sys.executable})")


def _harfbuzz() -> list[Check]:
    checks = [_library("HarfBuzz", harfbuzz_version(), HARFBUZZ, "WeasyPrint's font subsetting")]
    if load_library(_HARFBUZZ_SUBSET) is None:
        checks.append(
            Check(
                "HarfBuzz-subset",
                "missing",
                "WeasyPrint falls back to fontTools (slower)",
                blocks=False,
                fix=PACKAGES["HarfBuzz"].commands(),
            )
        )
    return checks


def _weasyprint() -> Check:
    try:
        # WeasyPrint prints its own help on failure, and warns when no font is installed (said below)
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import weasyprint
    except Exception as error:  # a missing library is an OSError; report it, whatever it is
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Check("WeasyPrint", "missing", f"cannot start: {reason}", fix=PACKAGES["Pango"].commands())
    return Check("WeasyPrint", "ok", weasyprint.__version__)


def _pandoc() -> Check:
    reinstall = f"{sys.executable} -m pip install --force-reinstall 'pypandoc-binary>=1.13'"
    try:
        import pypandoc

        found = str(pypandoc.get_pandoc_version())
    except Exception as error:  # pypandoc missing, or its pandoc cannot run
        return Check(
            "pandoc", "missing", f"from the pypandoc-binary package: {error}", fix=[f"any system: {reinstall}"]
        )
    if _version(found) < PANDOC:
        return Check(
            "pandoc", "too old", f"{found}; the Lua filter needs 3.0 or newer", fix=[f"any system: {reinstall}"]
        )
    return Check("pandoc", "ok", found)


def _java() -> Check:
    java = shutil.which("java")
    fix = PACKAGES["Java"].commands()
    if java is None:
        return Check("Java", "missing", "EPUBCheck, for the tests only", blocks=False, fix=fix)
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.SubprocessError) as error:
        return Check("Java", "missing", f"{java} does not run: {error}", blocks=False, fix=fix)
    found = (re.findall(r'version "([^"]+)"', out) or ["unknown"])[0]
    major = _version(found.removeprefix("1."))[:1]
    if major < JAVA:
        return Check("Java", "too old", f"{found}; EPUBCheck (tests only) needs 11 or newer", blocks=False, fix=fix)
    return Check("Java", "ok", f"{found} (for the tests only)")


def _describe(chars: Iterable[str]) -> str:
    shown = sorted(chars)
    listed = ", ".join(f"U+{ord(c):04X} {c} ({unicodedata.name(c, '?').lower()})" for c in shown[:3])
    return listed + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")


def _script(char: str) -> str | None:
    """A letter's script; a vowel sign or other mark goes with its script too (by its name)."""
    script = char_script(char)
    if script is None:
        first = unicodedata.name(char, "").split(" ")[0].lower()
        script = first if first in SCRIPTS else None
    return script


def _fonts(book: Book) -> list[Check]:
    """One line per font of the stack the book needs, for the scripts it is written in."""
    installed = fonts.font_files()
    if installed is None:
        return [
            Check("fontconfig", "missing", "fonts cannot be found without it", fix=PACKAGES["fontconfig"].commands())
        ]
    families = {face.family for face in installed}
    found = fonts.coverage()
    needed: dict[str | None, tuple[list[str], set[str]]] = {}  # family -> (scripts, characters)
    by_script: dict[str | None, set[str]] = {"latin": set("abc")}  # the book's own headings are Latin
    for text in printed_texts(book):
        for char in set(text):
            if not fonts.ignorable(char) and (char.isalpha() or char not in _ASCII):
                by_script.setdefault(_script(char), set()).add(char)
    for script, (label, family) in SCRIPTS.items():
        if by_script.get(script):
            labels, chars = needed.setdefault(family, ([], set()))
            labels.append(label)
            chars |= by_script[script]
    checks = []
    for family, (labels, chars) in needed.items():
        missing = {c for c in chars if found is None or c not in found}
        if family is not None and family not in families and missing:
            checks.append(Check(family, "missing", f"for {', '.join(labels)}", fix=PACKAGES[family].commands()))
        elif missing:
            checks.append(
                Check(
                    f"font for {', '.join(labels)}",
                    "missing",
                    f"no installed font has {_describe(missing)}",
                    blocks=False,
                    fix=["run 'anthology validate' (G001 says where) and replace them"],
                )
            )
        elif family is None:
            checks.append(Check(f"font for {', '.join(labels)}", "ok", "covered by the installed fonts"))
        else:
            checks.append(Check(family, "ok", f"for {', '.join(labels)}"))
    return checks


def _output(folder: Path) -> Check:
    """Can a file be created in `folder` (or, while it does not exist, in the folder that will hold it)?"""
    target = folder
    while not target.exists() and target.parent != target:
        target = target.parent
    try:
        with tempfile.TemporaryFile(dir=target):
            pass
    except OSError as error:
        return Check(
            "output folder",
            "not writable",
            f"{target}: {error.strerror or error}",
            fix=[f"give yourself write access (chmod u+w {target}) or build elsewhere with --out DIR"],
        )
    return Check("output folder", "ok", f"{folder} is writable")


def examine(book: Book, out: Path) -> list[Check]:
    """Every check, in the order they are printed."""
    return [
        _python(),
        _library("Pango", pango_version(), PANGO, "WeasyPrint"),
        *_harfbuzz(),
        _weasyprint(),
        _pandoc(),
        *_fonts(book),
        _java(),
        _output(out),
    ]


def render(checks: list[Check]) -> str:
    """One line per check, install commands under what is missing, then the verdict."""
    lines = []
    for check in checks:
        lines.append(f"{check.item:<28} {check.state:<9} {check.detail}".rstrip())
        lines += [f"    {line}" for line in check.fix if check.failed]
    blocking = [check.item for check in checks if check.failed and check.blocks]
    if blocking:
        lines.append(
            f"\nThe book cannot be built here. Needed first: {', '.join(dict.fromkeys(blocking))} (see above)."
        )
    else:
        lines.append("\nThe book can be built here.")
    return "\n".join(lines) + "\n"
