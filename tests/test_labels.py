"""The book's own words in its language (anthology.labels, anthology.translations)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from anthology.labels import KEYS, labels_for, placeholders, table_language
from anthology.load import load_book
from anthology.translations import TABLE

SHIPPED = ["en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "ru", "uk", "el", "tr",
           "ar", "fa", "he", "hi", "zh-Hans", "zh-Hant", "ja", "ko"]  # fmt: skip


def test_every_promised_language_is_shipped() -> None:
    assert set(SHIPPED) <= set(TABLE)


@pytest.mark.parametrize("language", sorted(TABLE))
def test_a_translation_has_the_english_keys_and_placeholders(language: str) -> None:
    words = TABLE[language]
    assert set(words) <= set(KEYS), set(words) - set(KEYS)
    for key, text in words.items():
        assert placeholders(text) == placeholders(KEYS[key]), (language, key, text)
    if language != "en":  # the words a reader sees on every book are translated, not inherited
        for key in ("contents", "chapter", "contributors", "index", "edited_by", "and", "draft", "rights"):
            assert key in words and words[key] != KEYS[key], (language, key)


@pytest.mark.parametrize(
    ("tag", "column"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("pt-BR", "pt"),
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-Hant", "zh-Hant"),
        ("zh-TW", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh-Hans-HK", "zh-Hans"),
        ("no", "nb"),
        ("nb-NO", "nb"),
        ("FA-IR", "fa"),
        ("iw", "he"),
        ("sw", None),
        ("tlh", None),
    ],
)
def test_a_language_tag_picks_its_column(tag: str, column: str | None) -> None:
    assert table_language(tag) == column


def settings_for(root: Path, **values: object):  # type: ignore[no-untyped-def]
    (root / "book.yaml").write_text("title: T\n", encoding="utf-8")
    settings = load_book(root).settings
    return dataclasses.replace(settings, **values)


@pytest.mark.parametrize(
    ("language", "chapter", "byline"),
    [
        ("en", "Chapter 3", "A, B and C"),
        ("es", "Capítulo 3", "A, B y C"),
        ("ru", "Глава 3", "A, B и C"),
        ("tr", "3. Bölüm", "A, B ve C"),
        ("zh-Hans", "第3章", "A、B和C"),
        ("ja", "第3章", "A、B、C"),
        ("ko", "제3장", "A, B 및 C"),
        ("fa", "فصل ۳", "A، B و C"),
        ("ar", "الفصل ٣", "A وB وC"),
        ("ar-MA", "الفصل 3", "A وB وC"),
        ("he", "פרק 3", "A, B וC"),
        ("hi", "अध्याय 3", "A, B और C"),
    ],
)
def test_chapter_numbers_and_lists_follow_the_language(
    language: str, chapter: str, byline: str, tmp_path: Path
) -> None:
    labels = labels_for(settings_for(tmp_path, language=language))
    assert labels.chapter(3) == chapter
    assert labels.names(["A", "B", "C"]) == byline


def test_overrides_replace_single_words(tmp_path: Path) -> None:
    labels = labels_for(settings_for(tmp_path, language="de", labels={"contents": "Inhaltsverzeichnis"}))
    assert labels.text("contents") == "Inhaltsverzeichnis"
    assert labels.text("index") == "Autorenregister"


def test_a_bad_override_never_breaks_the_build(tmp_path: Path) -> None:
    labels = labels_for(settings_for(tmp_path, labels={"chapter": "Ch. {num}", "and": "{0} & {", "nope": "x"}))
    assert labels.chapter(2) == "Ch. {num}"
    assert labels.names(["A", "B"]) == "A B"
    assert "nope" not in labels.words


def test_labels_are_escaped_as_html(tmp_path: Path) -> None:
    labels = labels_for(settings_for(tmp_path, labels={"edited_by": "<b>By</b> {names}"}))
    assert labels.html("edited_by", names="<span>X</span>") == "&lt;b&gt;By&lt;/b&gt; <span>X</span>"


@pytest.mark.parametrize(
    ("language", "numerals", "digits", "front"),
    [
        ("fa", None, "۱۲", "ج"),
        ("ar", None, "١٢", "ج"),
        ("fa", "latin", "12", "iii"),
        ("he", None, "12", "iii"),
        ("hi", None, "12", "iii"),
        ("hi", "native", "१२", "३"),
        ("en", "native", "12", "iii"),
    ],
)
def test_numerals_follow_cldr_unless_overridden(
    language: str, numerals: str | None, digits: str, front: str, tmp_path: Path
) -> None:
    labels = labels_for(settings_for(tmp_path, language=language, numerals=numerals))
    assert labels.number(12) == digits
    assert labels.front_folio(3) == front


@pytest.mark.parametrize(
    ("language", "direction", "rtl"),
    [
        ("fa", None, True),
        ("ar-EG", None, True),
        ("he", None, True),
        ("ur", None, True),
        ("en", None, False),
        ("en", "rtl", True),
        ("fa", "ltr", False),
        ("az-Arab", None, True),
        ("pa-Arab", None, True),
        ("ja", None, False),
    ],
)
def test_direction_follows_the_language_unless_overridden(
    language: str, direction: str | None, rtl: bool, tmp_path: Path
) -> None:
    assert labels_for(settings_for(tmp_path, language=language, direction=direction)).rtl is rtl
