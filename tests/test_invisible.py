"""N001's judgement of invisible characters by orthography (anthology.rules.names.invisible_characters)."""

from __future__ import annotations

import pytest

from anthology.rules.names import invisible_characters

ZWNJ, ZWJ, SHY = "\u200c", "\u200d", "\u00ad"


@pytest.mark.parametrize(
    "text",
    [
        f"می{ZWNJ}شود",  # the Persian half-space
        f"کتاب{ZWNJ}ها",
        f"روز{ZWNJ}۱",  # before a Persian digit
        f"نامهٔ{ZWNJ}ها",  # after a combining hamza
        f"بـ{ZWNJ}ـین",  # next to a tatweel
        f"क्{ZWJ}ष सिंह",  # Devanagari half form
        f"श्री{ZWNJ}मती",
        f"ශ්{ZWJ}රී",  # Sinhala
        f"\U0001f468{ZWJ}\U0001f469{ZWJ}\U0001f467",  # family emoji
        f"\U0001f469\U0001f3fd{ZWJ}\U0001f4bb",  # with a skin tone
        f"\u2764\ufe0f{ZWJ}\U0001f525",  # with an emoji presentation selector
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # flag of England
        "درس (۲)\u200f",  # RLM in right-to-left text
        "שלום (2)\u200e",  # LRM in right-to-left text
        "Zoë Ångström",
    ],
)
def test_spelling_is_not_an_invisible_character(text: str) -> None:
    assert invisible_characters(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"On Wal{ZWJ}king", [ZWJ]),  # joiners in Latin text
        (f"Li{ZWNJ}nk", [ZWNJ]),
        (f"中{ZWNJ}文", [ZWNJ]),
        (f"Иван{ZWNJ}ов", [ZWNJ]),
        (f"کتاب{ZWNJ} ها", [ZWNJ]),  # before a space: nothing to keep apart
        (f"{ZWNJ}کتاب", [ZWNJ]),
        (f"می{ZWNJ}Smith", [ZWNJ]),  # between scripts
        (f"Smi{SHY}th", [SHY]),
        (f"درس{SHY}ها", [SHY]),
        ("Hello (2)\u200f", ["\u200f"]),  # a direction mark in left-to-right text
        ("x\U000e0067", ["\U000e0067"]),  # a tag outside a flag
        *((f"می{c}شود", [c]) for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),  # bidi controls
        (f"a{ZWJ}\U0001f469", [ZWJ]),  # half an emoji sequence
        ("\u200bAlice", ["\u200b"]),
    ],
)
def test_stray_characters_are_reported(text: str, found: list[str]) -> None:
    assert invisible_characters(text) == found
