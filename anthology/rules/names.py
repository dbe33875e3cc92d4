"""N: names and titles that are not what they look like: invisible characters, look-alike
letters from another script, and one person entered twice.

Also the small text helpers the other author-facing rule modules share (`shown`, `fold_words`,
`author_texts`, `chapter_texts`): values are only checked when they are text, because a value of
the wrong type is reported by S002.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from confusable_homoglyphs import categories, confusables

from ..diagnostics import Severity
from ..model import AUTHORS_FILE, Author, Book, Chapter, Page
from .registry import Finding, rule

# --- shared text helpers ----------------------------------------------------------------------


def char_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: how messages name a character."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def _hidden(char: str) -> bool:
    """Characters that cannot be seen or that move text around when printed in a message."""
    return (unicodedata.category(char)[0] in "CZ" and char != " ") or ord(char) in _INVISIBLE_EXTRA


def shown(text: str, limit: int = 80) -> str:
    """`text` made safe to quote in a message: hidden characters as <U+XXXX>, long text cut short."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(f"<U+{ord(c):04X}>" if _hidden(c) else c for c in text)


def author_texts(book: Book, key: str) -> Iterator[tuple[Author, str]]:
    """Each author whose entry has `key` written as text (other types are S002's)."""
    for author in book.authors.values():
        value = author.raw.get(key) if isinstance(author.raw, dict) else None
        if isinstance(value, str):
            yield author, value


def chapter_texts(book: Book, key: str) -> Iterator[tuple[str, int, str]]:
    """(path, line, value) for each chapter, front and back page whose front matter has `key` as text."""
    pages: list[Chapter | Page] = [*book.chapters, *book.front, *book.back]
    for page in pages:
        value = page.meta.get(key) if page.meta is not None else None
        if isinstance(value, str) and page.meta is not None:
            yield page.path, page.meta.line_of(key), value


# Base letters NFKD does not take apart, folded to what an English keyboard would type.
_PLAIN_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ħ": "h",
        "Ħ": "H",
    }
)
# Scripts whose combining marks are accents or vowel points, so dropping them keeps the name.
# (In Indic scripts and kana the marks are part of the letters: there they are kept.)
_ACCENTED_SCRIPTS = {"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "GEORGIAN", "HEBREW", "ARABIC", "SYRIAC", "COMMON"}


_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def unicode_script(char: str) -> str:
    """The script of one character, as `confusable_homoglyphs` names it (LATIN, CYRILLIC, HAN, …)."""
    return str(categories.alias(char))


def fold_words(text: str) -> list[str]:
    """The words of `text` with case, accents and punctuation gone: `Núñez, José` -> [nunez, jose]."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
    if decomposed.isascii():
        return _ASCII_WORD.findall(decomposed.casefold())
    kept: list[str] = []
    base = " "
    for char in decomposed:
        if unicodedata.category(char) != "Mn":
            base = char
        elif unicode_script(base) in _ACCENTED_SCRIPTS:
            continue
        kept.append(char)
    spaced = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in "".join(kept).casefold())
    return spaced.split()


# --- N001 invisible characters ----------------------------------------------------------------

_ZWNJ, _ZWJ = "\u200c", "\u200d"
# Invisible characters outside the Cf category: combining grapheme joiner, Hangul fillers, Braille blank.
_INVISIBLE_EXTRA = {0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800}
# Scripts in which ZWJ/ZWNJ between two letters choose a letter form or ligature.
_JOINING_SCRIPTS = {
    "ARABIC",
    "SYRIAC",
    "NKO",
    "MONGOLIAN",
    "DEVANAGARI",
    "BENGALI",
    "GURMUKHI",
    "GUJARATI",
    "ORIYA",
    "TAMIL",
    "TELUGU",
    "KANNADA",
    "MALAYALAM",
    "SINHALA",
    "MYANMAR",
    "KHMER",
    "TIBETAN",
    "THAANA",
}
# Implicit direction marks (LRM, RLM, ALM): right-to-left typists use them to keep a bracket or
# a number on the right side; unlike the embedding, override and isolate controls they cannot
# reorder a whole run of text, so they are accepted in text that has right-to-left letters.
_DIRECTION_MARKS = {"\u200e", "\u200f", "\u061c"}
_RTL_SCRIPTS = {"ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO"}
_TATWEEL = "\u0640"  # ARABIC TATWEEL is a Common-script letter used only in Arabic script
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)  # skin tones, skipped like combining marks
_TAGS = range(0xE0020, 0xE0080)  # emoji tag sequences: subdivision flags (🏴 + tags + CANCEL TAG)


def _script_near(text: str, start: int, step: int) -> str | None:
    """The script of the nearest letter or digit from `start` in direction `step` ("EMOJI" for a
    pictograph), skipping combining marks, emoji presentation selectors and skin tones."""
    index = start
    while 0 <= index < len(text):
        char = text[index]
        kind = unicodedata.category(char)
        if char == _TATWEEL:
            return "ARABIC"
        if kind[0] == "L" or kind == "Nd":
            return unicode_script(char)
        if kind == "So":
            return "EMOJI"
        if kind[0] != "M" and ord(char) not in _EMOJI_MODIFIERS:
            return None
        index += step
    return None


def _needed_joiner(text: str, index: int) -> bool:
    """A ZWJ/ZWNJ between two letters of a script that uses them (Persian, Hindi, Sinhala, …),
    or a ZWJ inside an emoji sequence (👩‍💻)."""
    if text[index] not in (_ZWNJ, _ZWJ):
        return False
    before, after = _script_near(text, index - 1, -1), _script_near(text, index + 1, 1)
    if text[index] == _ZWJ and before == after == "EMOJI":
        return True
    return before in _JOINING_SCRIPTS and after in _JOINING_SCRIPTS


def _emoji_tag(text: str, index: int) -> bool:
    """A tag character of an emoji flag sequence: after U+1F3F4 WAVING BLACK FLAG and other tags."""
    while index > 0 and ord(text[index]) in _TAGS:
        index -= 1
    return text[index] == "\U0001f3f4"


def _has_rtl_letters(text: str) -> bool:
    return any(unicodedata.category(c)[0] == "L" and unicode_script(c) in _RTL_SCRIPTS for c in text)


def invisible_characters(text: str) -> list[str]:
    """The distinct invisible or direction-changing characters in `text`, in order of appearance.

    Judged by orthography: joiners where the script needs them, direction marks in right-to-left
    text and emoji tag sequences are spelling, not stray characters.
    """
    found: dict[str, None] = {}
    rtl: bool | None = None
    for index, char in enumerate(text):
        if not (unicodedata.category(char) == "Cf" or ord(char) in _INVISIBLE_EXTRA):
            continue
        if _needed_joiner(text, index) or (ord(char) in _TAGS and _emoji_tag(text, index)):
            continue
        if char in _DIRECTION_MARKS:
            rtl = _has_rtl_letters(text) if rtl is None else rtl
            if rtl:
                continue
        found[char] = None
    return list(found)


def _named_texts(book: Book) -> Iterator[tuple[str, int, str, str]]:
    """(path, line, what, value) for every author name and sort key and every page title and subtitle."""
    for key, what in (("name", "Name"), ("sort_as", "Sort key")):
        for author, value in author_texts(book, key):
            yield AUTHORS_FILE, author.line_of(key), f"{what} of author '{author.id}'", value
    for key, what in (("title", "Title"), ("subtitle", "Subtitle")):
        for path, line, value in chapter_texts(book, key):
            yield path, line, what, value


@rule("N001", "invisible-character")
def invisible_character(book: Book) -> Iterator[Finding]:
    """A name, sort key, title or subtitle contains an invisible or text-direction character.

    Zero-width spaces, soft hyphens, byte-order marks and bidirectional controls (such as
    U+202E RIGHT-TO-LEFT OVERRIDE) cannot be seen, but they change how a name sorts, is
    searched for, or is displayed; they usually arrive by copying from a web page. Retype
    the text. Zero-width joiners between letters of scripts that need them (Persian,
    Hindi, Sinhala, …) are fine.
    """
    for path, line, what, value in _named_texts(book):
        found = invisible_characters(value)
        if found:
            plural = "s" if len(found) > 1 else ""
            yield Finding(
                path,
                line,
                f"{what} '{shown(value)}' contains invisible character{plural} " + ", ".join(map(char_name, found)),
                "Retype this text by hand: it contains a character you cannot see (marked <U+…> above), "
                "probably copied along from a web page or word processor.",
            )


# --- N002 look-alike letters from another script ---------------------------------------------

_NEUTRAL = {"COMMON", "INHERITED", "Unknown"}
# Scripts that are written together in one name (Japanese, Korean, Chinese with bopomofo).
_TOGETHER = ({"HAN", "HIRAGANA", "KATAKANA"}, {"HAN", "HANGUL"}, {"HAN", "BOPOMOFO"})


def _letter_scripts(text: str) -> list[str]:
    return [s for c in text if unicodedata.category(c)[0] == "L" and (s := unicode_script(c)) not in _NEUTRAL]


def _one_script(scripts: set[str]) -> bool:
    return len(scripts) <= 1 or any(scripts <= together for together in _TOGETHER)


def _majority(scripts: list[str]) -> str:
    return max(sorted(set(scripts)), key=scripts.count)


def _look_alikes(word: str, script: str) -> list[str]:
    """The letters of `word` from other scripts that look like letters of `script`."""
    found = confusables.is_confusable(word, greedy=True, preferred_aliases=[script]) or []
    return [f["character"] for f in found if unicode_script(f["character"]) not in _NEUTRAL]


def _title(script: str) -> str:
    return script.replace("_", " ").title()


def confusable_words(name: str) -> Iterator[str]:
    """Why `name` is confusable, one sentence per suspicious word (nothing for honest names)."""
    scripts = _letter_scripts(name)
    if not scripts:
        return
    main = _majority(scripts)
    for word in name.split():
        word_scripts = _letter_scripts(word)
        if not word_scripts or _one_script(set(word_scripts) | {main}):
            continue
        if _one_script(set(word_scripts)):
            # A whole word in another script: suspicious only if every letter has a look-alike.
            letters = {c for c in word if unicodedata.category(c)[0] == "L" and unicode_script(c) not in _NEUTRAL}
            if letters and letters <= set(_look_alikes(word, main)):
                yield f"'{shown(word)}' is written in {_title(word_scripts[0])} letters that look like {_title(main)} ones"
            continue
        word_main = _majority(word_scripts)
        odd = _look_alikes(word, word_main)
        if odd:
            named = ", ".join(f"'{c}' ({char_name(c)})" for c in dict.fromkeys(odd))
            yield f"'{shown(word)}' mixes {_title(word_main)} letters with look-alikes from another script: {named}"


@rule("N002", "mixed-script")
def mixed_script(book: Book) -> Iterator[Finding]:
    """An author's name mixes look-alike letters from different scripts, like Latin `Pаul` with a Cyrillic `а`.

    Such a name looks right on screen but sorts, searches and links differently, and can be
    used to impersonate another contributor. Names written wholly in one script (`Ольга
    Белова`, `陈晓雯`, `中村遥` with Han and kana) are fine. Retype the name with one keyboard
    layout. (Ids are plain ASCII by their own rules, so only names and sort keys need this.)
    """
    for key in ("name", "sort_as"):
        for author, value in author_texts(book, key):
            for reason in confusable_words(value):
                yield Finding(
                    AUTHORS_FILE,
                    author.line_of(key),
                    f"{'Name' if key == 'name' else 'Sort key'} of author '{author.id}': {reason}",
                    "Retype the name using one keyboard layout: some letters come from another alphabet and only "
                    "look the same.",
                )


# --- N003 one person entered twice ----------------------------------------------------------


def person_key(name: str) -> str:
    """What two spellings of one person's name share: `José Núñez`, `Jose Nunez`, `Nunez, Jose`."""
    return " ".join(sorted(fold_words(name)))


def person_keys(name: str) -> set[str]:
    """`person_key` and the name's words run together in each rotation of their order, so that
    names differing only in spaces or hyphens meet too: `BurkHufnagel`, `Burk Hufnagel` and
    `Hufnagel, Burk` all give `burkhufnagel`."""
    words = fold_words(name)
    if not words:
        return set()
    return {person_key(name)} | {"".join(words[i:] + words[:i]) for i in range(len(words))}


@rule("N003", "same-person", Severity.WARNING)
def same_person(book: Book) -> Iterator[Finding]:
    """Two author entries whose names look like the same person spelled two ways.

    Names are compared without accents, case, punctuation, spaces, hyphens and word order,
    so `José Núñez`, `Jose Nunez` and `Nunez, Jose` are the same, and so are `Burk
    Hufnagel`, `BurkHufnagel` and `Hufnagel, Burk`. One person with two entries gets two
    biographies and two index entries. If it is one person, keep one entry and list its id
    in all their chapters; if they really are two people, ignore this warning.
    """
    first: dict[str, Author] = {}
    for author, name in author_texts(book, "name"):
        keys = person_keys(name)
        earlier = next((first[key] for key in sorted(keys) if key in first), None)
        for key in keys:
            first.setdefault(key, author)
        if earlier is not None and earlier is not author:
            yield Finding(
                AUTHORS_FILE,
                author.line_of("name"),
                f"Author '{author.id}' ('{shown(name)}') looks like the same person as '{earlier.id}' "
                f"('{shown(earlier.name or '')}', line {earlier.line})",
                f"If this is one person, keep only the entry '{earlier.id}' and use that id in all their chapters.",
            )
