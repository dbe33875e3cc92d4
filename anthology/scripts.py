"""Which language and direction a name or title is written in, and which scripts have no italics.

A name is marked up with the language it is written in, so that it is printed with that
language's letter forms (Han characters differ between Japanese, Simplified and Traditional
Chinese and Korean fonts), and with its direction when that differs from the book's, so that
it is isolated from the punctuation and page numbers around it.

The language is the author's `lang:` when given. Otherwise it is guessed from the letters:

- kana (with or without Han characters) -> `ja`; Hangul -> `ko`;
- Han characters alone -> the book's language when that is Chinese, Japanese or Korean
  (a Japanese book's `中村遥` is Japanese), else `zh` (Simplified Chinese glyphs);
- Greek -> `el`, Cyrillic -> `ru`, Arabic script -> `ar`, Hebrew -> `he`, Devanagari -> `hi`,
  except that a script the book's own language is written in gets the book's language (an
  Arabic-script name in a Persian book is Persian, a Cyrillic one in a Ukrainian book Ukrainian);
- Latin and other scripts: no guess (the name inherits the book's language).

Authors whose names the guess gets wrong (a Chinese name in a Japanese book, an Urdu name in
an English one) set `lang:` in authors.yaml.
"""

from __future__ import annotations

import re
import unicodedata

from .names import name_script

__all__ = ["UPRIGHT_LANGUAGES", "canonical_tag", "name_language", "text_direction"]

LANG_OF_SCRIPT = {
    "greek": "el",
    "cyrillic": "ru",
    "han": "zh",
    "japanese": "ja",
    "hangul": "ko",
    "arabic": "ar",
    "hebrew": "he",
    "devanagari": "hi",
}
# The scripts each language is written in, for "a name in the book's own script".
_SCRIPTS_OF = {
    "el": {"greek"}, "ru": {"cyrillic"}, "uk": {"cyrillic"}, "bg": {"cyrillic"}, "sr": {"cyrillic"},
    "zh": {"han"}, "ja": {"han", "japanese"}, "ko": {"han", "hangul"}, "ar": {"arabic"}, "fa": {"arabic"},
    "ur": {"arabic"}, "ps": {"arabic"}, "he": {"hebrew"}, "yi": {"hebrew"}, "hi": {"devanagari"},
    "mr": {"devanagari"}, "ne": {"devanagari"},
}  # fmt: skip

#: Languages whose scripts have no italic or small-capital faces (primary subtags).
UPRIGHT_LANGUAGES = ("ja", "zh", "ko", "ar", "fa", "ur", "ps", "he", "yi", "hi", "mr", "ne", "bn", "ta", "te", "th")

_STRONG_RTL = {"R", "AL"}


def canonical_tag(tag: str) -> str:
    """A BCP 47 tag with conventional case: `ZH-hant-tw` -> `zh-Hant-TW` (CSS attribute selectors match case)."""
    parts = re.split(r"[-_]", tag.strip())
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(
            part.title() if len(part) == 4 and part.isalpha() else part.upper() if len(part) == 2 else part.lower()
        )
    return "-".join(out)


def name_language(name: str, lang: str | None, book_language: str) -> str | None:
    """The language tag to mark `name` with, or None to let it inherit the book's (see module doc)."""
    if lang and lang.strip():
        return canonical_tag(lang)
    script = name_script(name)
    guess = LANG_OF_SCRIPT.get(script)
    if guess is None:
        return None
    book = canonical_tag(book_language)
    if script in _SCRIPTS_OF.get(book.split("-")[0], ()):
        return book
    return guess


def text_direction(text: str) -> str | None:
    """ "rtl" or "ltr" by the first strongly directional character of `text` (None if it has none)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            return "rtl"
        if kind == "L":
            return "ltr"
    return None
