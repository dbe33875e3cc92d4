"""The CSS a book's languages and direction add to the theme (both editions).

- The body typeface stack for the book's language (a Japanese book's Han characters in Japanese
  forms: fonts.stack_for), and the same for every element marked with a CJK `lang` (names).
- Scripts without italic or small-capital faces (CJK, Arabic, Hebrew, Indic; scripts.py) are
  set upright wherever the theme slants or small-caps text, instead of getting synthesized
  oblique or small capitals; emphasis there is bold.

The theme itself is written with logical properties (start/end, inline-start/inline-end), so a
right-to-left book needs only `dir="rtl"` on its documents; the page-level mirroring (gutter,
running heads, folios) is done in theme.folio_css and assemble.py.
"""

from __future__ import annotations

from functools import lru_cache

from ..fonts import CJK_FACES, css_family, stack_for
from ..labels import Labels
from ..scripts import UPRIGHT_LANGUAGES, canonical_tag
from ..translations import DIGITS

# The CSS counter style (CSS Counter Styles 3, predefined) of each set of native digits.
COUNTER_STYLES = {DIGITS["arab"]: "arabic-indic", DIGITS["arabext"]: "persian", DIGITS["deva"]: "devanagari"}

# Which `lang` values take each CJK face (canonical case, as scripts.canonical_tag writes them).
_CJK_SELECTORS = {
    "ja": '[lang|="ja"]',
    "ko": '[lang|="ko"]',
    "zh-Hant": '[lang|="zh-Hant"], [lang|="zh-TW"], [lang|="zh-MO"]',
    "zh-HK": '[lang="zh-HK"], [lang="zh-Hant-HK"]',
}


def cjk_face(language: str) -> str | None:
    """The CJK_FACES key for a language tag: ja, ko, zh-Hant (Taiwan, Macao), zh-HK, or None."""
    parts = canonical_tag(language).split("-")
    if parts[0] in ("ja", "ko"):
        return parts[0]
    if parts[0] != "zh":
        return None
    if "HK" in parts:
        return "zh-HK"
    return "zh-Hant" if "Hant" in parts or "TW" in parts or "MO" in parts else None


def _upright(book_upright: bool) -> str:
    """Upright text for names in such scripts; for a whole book in one of them, everything upright
    (a universal rule only then: it would cost every element of every other book a match)."""
    names = ", ".join(f'[lang|="{lang}"]' for lang in UPRIGHT_LANGUAGES)
    rules = f"{names} {{ font-style: normal !important; font-variant: normal !important; letter-spacing: normal !important; }}\n"
    if book_upright:
        rules += (
            "* { font-style: normal !important; font-variant: normal !important; letter-spacing: normal !important; }\n"
        )
        rules += "em, i { font-weight: bold; }\n"
    return rules


@lru_cache(maxsize=32)
def language_css(language: str, body: str = "body") -> str:
    """Rules for a book in `language`; `body` is the selector that carries the body typeface."""
    rules = [f"{_CJK_SELECTORS[face]} {{ font-family: {css_family(stack_for(face))}; }}\n" for face in CJK_FACES]
    face = cjk_face(language)
    if face is not None:
        rules.insert(0, f"{body} {{ font-family: {css_family(stack_for(face))}; }}\n")
    return "".join(rules) + _upright(canonical_tag(language).split("-")[0] in UPRIGHT_LANGUAGES)


def book_css(labels: Labels, body: str = "body") -> str:
    style = COUNTER_STYLES.get(labels.digits or "")
    numbered_lists = f"ol {{ list-style-type: {style}; }}\n" if style else ""
    return language_css(canonical_tag(labels.language), body) + numbered_lists


def _native_footnotes(labels: Labels) -> str:
    """Footnote calls and markers in the book's digits (the printed book's footnotes are CSS counters)."""
    style = COUNTER_STYLES.get(labels.digits or "")
    if style is None:
        return ""
    return (
        f".footnote::footnote-call {{ content: counter(footnote, {style}); }}\n"
        f'.footnote::footnote-marker {{ content: counter(footnote, {style}) ". "; }}\n'
    )


# WeasyPrint puts a right-to-left paragraph's text-indent on the left, the end of its first line,
# so printed right-to-left books set paragraphs apart with space instead of first-line indents.
RTL_PRINT = (
    "p { text-indent: 0 !important; }\n"
    "article.chapter p + p, .editor-page p + p, .footnote + p { margin-top: 0.45em; }\n"
)


def print_css(labels: Labels) -> str:
    """What the printed book adds to book_css: the paragraph style of right-to-left books."""
    return book_css(labels) + _native_footnotes(labels) + (RTL_PRINT if labels.rtl else "")
