"""Sorting in the book's language (anthology.collation through anthology.names) and the language of names."""

from __future__ import annotations

import pytest

from anthology.names import index_entry_keys, index_letter, sorted_index
from anthology.scripts import name_language, text_direction


@pytest.mark.parametrize(
    ("language", "keys", "headings"),
    [
        ("sv", ["Andersson", "Zetterlund", "Åberg", "Ängel", "Öberg"], ["A", "Z", "Å", "Ä", "Ö"]),
        ("de", ["Ärger", "Becker", "Zorn"], ["A", "B", "Z"]),  # German ä files with a (root order)
        ("es", ["Nuño", "Ñúñez", "Ortega"], ["N", "Ñ", "O"]),
        ("tr", ["ılık", "Işık", "ilk", "İnci"], ["I", "I", "İ", "İ"]),  # dotless before dotted
        ("zh-Hans", ["安然", "陈晓雯", "李明", "王伟"], ["A", "C", "L", "W"]),  # by pinyin
        ("ja", ["あおき", "かとう", "わたなべ"], ["あ", "か", "わ"]),
        ("fa", ["احمدی، سارا", "حسینی، مریم", "کریمی، رضا", "Weber, Daniel"], ["ا", "ح", "ک", "W"]),
        ("en", ["Åberg", "Andersson", "Öberg", "Zetterlund"], ["A", "A", "O", "Z"]),  # the root order
    ],
)
def test_the_index_sorts_and_heads_as_the_language_does(language: str, keys: list[str], headings: list[str]) -> None:
    shuffled = list(reversed(keys))
    assert [key for key, _ in sorted_index([(k, None) for k in shuffled], language)] == keys
    assert [index_letter(key, language) for key in keys] == headings


def test_an_unknown_language_sorts_in_the_root_order() -> None:
    keys = ["Åberg", "Andersson", "Zetterlund"]
    assert [k for k, _ in sorted_index([(k, None) for k in reversed(keys)], "tlh")] == keys


def test_a_kana_sort_as_is_a_reading() -> None:
    assert index_entry_keys("中村遥", "なかむら はるか") == ("中村遥", "なかむら はるか")
    assert index_entry_keys("中村遥", "Nakamura Haruka") == ("Nakamura Haruka", "Nakamura Haruka")
    assert index_entry_keys("Jan van der Berg") == ("Berg, Jan van der", "Berg, Jan van der")


@pytest.mark.parametrize(
    ("name", "lang", "book", "expected"),
    [
        ("中村遥", "ja", "en", "ja"),
        ("中村遥", None, "en", "zh"),  # Han alone in an English book: the guess is Chinese
        ("中村遥", None, "ja", "ja"),  # ... and Japanese in a Japanese book
        ("陈晓雯", None, "zh-Hant", "zh-Hant"),
        ("なかむら はるか", None, "en", "ja"),  # kana
        ("김민준", None, "en", "ko"),  # hangul
        ("سلمى العطار", None, "en", "ar"),
        ("سارا احمدی", None, "fa", "fa"),  # the book's own script: the book's language
        ("Ольга Белова", None, "uk", "uk"),
        ("Zoë Ångström", None, "en", None),
        ("Zoë Ångström", "sv", "en", "sv"),
        ("中村遥", "JA-jp", "en", "ja-JP"),
    ],
)
def test_the_language_of_a_name(name: str, lang: str | None, book: str, expected: str | None) -> None:
    assert name_language(name, lang, book) == expected


@pytest.mark.parametrize(("text", "direction"), [("سلام", "rtl"), ("(2) שלום", "rtl"), ("Weber", "ltr"), ("123", None)])
def test_text_direction(text: str, direction: str | None) -> None:
    assert text_direction(text) == direction
