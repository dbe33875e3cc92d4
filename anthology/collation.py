"""Sorting and index headings in the book's language, with ICU's tailorings (CLDR data).

A language with a CLDR collation tailoring sorts as its readers expect: Swedish Å Ä Ö after Z,
Spanish ñ after n, Turkish dotless ı before i, Chinese by pinyin, Persian and Arabic names
before Latin ones. Its index headings are ICU's alphabetic index labels for the language
(Swedish Å, Ä and Ö head their own groups; Chinese names are filed under pinyin letters;
Japanese readings under あ, か, さ, …); a name outside the language's alphabet gets the root
heading (names.index_letter).

Languages whose CLDR collation is the root order (English, German, French, Italian,
Portuguese, Dutch, …), a machine without ICU (the `pyicu-wheels` package), or an unknown
language use the Unicode Collation Algorithm's root order through pyuca, as before; ICU is
not even imported for them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# CLDR languages without a collation tailoring: the root order applies (no ICU import needed).
ROOT_ORDER = frozenset({"en", "de", "fr", "it", "pt", "nl", "id", "ms", "ga", "ca", "gl", "af", "sw", "la"})


@lru_cache(maxsize=16)
def tailoring(language: str) -> tuple[Any, Any] | None:
    """(ICU collator, alphabetic index) for a language with a tailoring, else None (root order)."""
    if not language or language.split("-")[0].lower() in ROOT_ORDER:
        return None
    try:
        import icu
    except ImportError:  # pyicu-wheels is not installed: the root order
        return None
    locale = icu.Locale.forLanguageTag(language)
    collator = icu.Collator.createInstance(locale)
    if collator.getLocale(icu.ULocDataLocaleType.ACTUAL_LOCALE) in ("", "root"):
        return None
    return collator, icu.AlphabeticIndex(locale).buildImmutableIndex()


def tailored_key(text: str, language: str) -> bytes | None:
    """ICU's sort key of `text` in `language`, or None when the language sorts in the root order."""
    found = tailoring(language)
    return found[0].getSortKey(text) if found else None


def tailored_heading(key: str, language: str) -> str | None:
    """The index heading of `key` in `language`'s alphabet, or None (root heading, or not in the alphabet)."""
    found = tailoring(language)
    if found is None:
        return None
    index = found[1]
    label, kind = index.getBucket(index.getBucketIndex(key))
    return str(label) if kind == 0 else None  # 0: a letter of the alphabet, not under/over/inflow "…"
