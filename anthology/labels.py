"""The book's own words, numbers and direction in the book's language.

`labels_for(settings)` picks the column of the translation table (translations.py) for
book.yaml's `language:`, lays book.yaml's `labels:` over it, and decides the digits
(`numerals:`, else CLDR's default for the language) and the direction (`direction:`, else
right-to-left for Arabic, Persian, Hebrew, Urdu and the other right-to-left languages).
Both editions take every word they print from here, so a book has one set of words.

Pure and cheap: no imports beyond the standard library, so `validate` can use it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from .translations import DIGITS, LATIN_DIGIT_REGIONS, NATIVE_NUMBERS, TABLE

__all__ = ["KEYS", "Labels", "labels_for", "placeholders", "rtl_language", "table_language"]

#: Every label a book can override in `labels:`, with its English text.
KEYS: Mapping[str, str] = TABLE["en"]

#: Languages written right to left (their base language subtag).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "iw", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr", "arc", "nqo"})

# Chinese regions that write Traditional characters when the tag names no script.
_HANT_REGIONS = {"TW", "HK", "MO"}
_ALIASES = {"no": "nb", "nn": "nb", "iw": "he", "in": "id", "pes": "fa", "prs": "fa"}
# Front-matter folios in Arabic-script books with native digits: the abjad letters in order.
_ABJAD = {
    "ar": "أ ب ج د هـ و ز ح ط ي ك ل م ن س ع ف ص ق ر ش ت ث خ ذ ض ظ غ".split(),
    "fa": "الف ب ج د ه و ز ح ط ی ک ل م ن س ع ف ص ق ر ش ت ث خ ذ ض ظ غ".split(),
}
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _subtags(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) of a BCP 47 tag, language lower-cased: `zh-Hant-TW` -> (zh, Hant, TW)."""
    parts = re.split(r"[-_]", tag.strip())
    language = parts[0].lower() if parts else ""
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next(
        (p.upper() for p in parts[1:] if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), None
    )
    return _ALIASES.get(language, language), script, region


def table_language(tag: str) -> str | None:
    """The translation table's column for a language tag (`pt-BR` -> pt, `zh-TW` -> zh-Hant), or None."""
    language, script, region = _subtags(tag)
    if language == "zh":
        return "zh-Hant" if script == "Hant" or (script is None and region in _HANT_REGIONS) else "zh-Hans"
    return language if language in TABLE else None


def rtl_language(tag: str) -> bool:
    """Whether a language is written right to left (by its script subtag when it has one)."""
    language, script, _ = _subtags(tag)
    if script is not None:
        return script in {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"}
    return language in RTL_LANGUAGES


def placeholders(text: str) -> set[str] | None:
    """The `{names}` a label text uses; None when its braces are malformed."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


class _Keep(dict):  # type: ignore[type-arg]
    """Leaves an unknown `{placeholder}` as written (an override validate has already reported)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, fields: Mapping[str, Any]) -> str:
    try:
        return text.format_map(_Keep(fields))
    except (ValueError, IndexError, AttributeError):
        return text


def _pair(pattern: str, first: str, second: str) -> str:
    """A list pattern (`{0} and {1}`) applied; a malformed override falls back to a space."""
    try:
        return pattern.format(first, second)
    except (ValueError, IndexError, KeyError, AttributeError):
        return f"{first} {second}"


@dataclass(frozen=True)
class Labels:
    """The words, digits and direction of one book."""

    language: str  # the book's language tag, as written
    words: Mapping[str, str]
    digits: str | None = None  # ten native digits, or None for 0-9
    rtl: bool = False
    abjad: tuple[str, ...] = ()  # front-matter folios, when the book's numbers are Arabic-script digits

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def text(self, key: str, **fields: Any) -> str:
        """Label `key` as plain text, its placeholders filled with `fields`."""
        return _fill(self.words[key], fields)

    def html(self, key: str, **fields: str) -> str:
        """Label `key` as HTML: the label escaped, then filled with `fields` (already HTML)."""
        return _fill(escape(self.words[key], quote=False), fields)

    def number(self, value: int | str) -> str:
        """A number in the book's digits: `3` -> `۳` in a Persian book."""
        text = str(value)
        if self.digits is None:
            return text
        return text.translate(str.maketrans("0123456789", self.digits))

    def front_folio(self, value: int) -> str:
        """A front-matter folio: roman (`iv`), or abjad letters in Arabic-script books with native digits."""
        if self.abjad and value <= len(self.abjad):
            return self.abjad[value - 1]
        if self.digits is not None:
            return self.number(value)
        result = ""
        for amount, letters in _ROMAN:
            while value >= amount:
                result += letters
                value -= amount
        return result

    def chapter(self, number: int) -> str:
        """The label above a chapter title: `Chapter 3`, `Capítulo 3`, `Глава 3`, `第3章`."""
        return self.text("chapter", number=self.number(number))

    def toc_number(self, number: int) -> str:
        return self.text("toc_number", number=self.number(number))

    def series(self, items: Sequence[str]) -> str:
        """Items joined with the language's list separator (`3, 7`; `۳، ۷`): page numbers in the index."""
        joined = items[-1] if items else ""
        for item in reversed(items[:-1]):
            joined = _pair(self.words["list"], item, joined)
        return joined

    def names(self, names: Sequence[str]) -> str:
        """Names joined as the language lists them (`A, B and C`, `A、B和C`); names may be HTML."""
        if not names:
            return ""
        last = names[-1] if len(names) == 1 else _pair(self.words["and"], names[-2], names[-1])
        return self.series([*names[:-2], last])


@lru_cache(maxsize=64)
def _labels(
    language: str, overrides: tuple[tuple[str, str], ...], direction: str | None, numerals: str | None
) -> Labels:
    column = table_language(language) or "en"
    words = {**TABLE["en"], **TABLE[column], **{k: v for k, v in overrides if k in KEYS}}
    base, _, region = _subtags(language)
    system, default_native = NATIVE_NUMBERS.get(base, (None, False))
    if base == "ar" and region in LATIN_DIGIT_REGIONS:
        default_native = False
    native = system is not None and (numerals == "native" or (numerals != "latin" and default_native))
    digits = DIGITS[system] if native and system else None
    rtl = direction == "rtl" if direction in ("rtl", "ltr") else rtl_language(language)
    abjad = tuple(_ABJAD.get(base, ())) if digits is not None else ()
    return Labels(language, words, digits, rtl, abjad)


def labels_for(settings: Any) -> Labels:
    """The labels of a book (`settings` is model.Settings, or None for a book without book.yaml)."""
    if settings is None:
        return _labels("en", (), None, None)
    overrides = tuple(sorted(settings.labels.items()))
    return _labels(settings.language, overrides, settings.direction, settings.numerals)
