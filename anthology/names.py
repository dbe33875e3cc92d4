"""Author names: their script, their index key, and how index keys sort and group.

The contract ("Author index keys"): `sort_as` wins. Otherwise, in names written in Latin,
Greek or Cyrillic script the last word is the surname and lower-case particles before it are
shown after the given names (`Berg, Jan van der`); names written in Chinese, Japanese or
Korean script keep their written order; one-word names stay as they are. Keys are compared
with the Unicode Collation Algorithm (`collation_key`).

Everything here is a pure function of its arguments (the collator is built once, lazily),
except `remembered_sort_keys`, which keeps the names' sort keys from one build to the next.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .collation import tailored_heading, tailored_key

T = TypeVar("T")

__all__ = [
    "INVERTED_SCRIPTS",
    "PARTICLES",
    "SUFFIXES",
    "TITLES",
    "char_script",
    "collation_key",
    "index_entry_keys",
    "index_key",
    "index_letter",
    "is_reading",
    "name_script",
    "sorted_index",
]

# --- script ---------------------------------------------------------------------------------

# unicodedata name prefix -> script. Checked in order; the first prefix that matches wins.
_SCRIPT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN ", "latin"),
    ("FULLWIDTH LATIN ", "latin"),
    ("GREEK ", "greek"),
    ("CYRILLIC ", "cyrillic"),
    ("CJK UNIFIED IDEOGRAPH", "han"),
    ("CJK COMPATIBILITY IDEOGRAPH", "han"),
    ("IDEOGRAPHIC ", "han"),  # 々 IDEOGRAPHIC ITERATION MARK
    ("HIRAGANA ", "kana"),
    ("KATAKANA", "kana"),  # also KATAKANA-HIRAGANA PROLONGED SOUND MARK
    ("HALFWIDTH KATAKANA ", "kana"),
    ("HANGUL ", "hangul"),
    ("HALFWIDTH HANGUL ", "hangul"),
    ("ARABIC ", "arabic"),
    ("HEBREW ", "hebrew"),
    ("DEVANAGARI ", "devanagari"),
)

#: Scripts whose names are inverted to "Surname, Given names" (the contract's list).
INVERTED_SCRIPTS = frozenset({"latin", "greek", "cyrillic"})


@lru_cache(maxsize=4096)
def char_script(char: str) -> str | None:
    """The script of one letter, or None when `char` is not a letter."""
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    for prefix, script in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "other"


def name_script(name: str) -> str:
    """The dominant script of the letters of `name`.

    One of "latin", "greek", "cyrillic", "han", "japanese", "hangul", "arabic", "hebrew",
    "devanagari" or "other". Only letters count (digits, punctuation, spaces and combining
    marks do not); the script with most letters wins, a tie goes to the one that comes first.
    Han characters and kana together count as one script: it is "japanese" as soon as any
    kana is present and "han" otherwise. A name without letters is "other".
    """
    counts: dict[str, int] = {}
    for char in name:
        script = char_script(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "other"
    kana = counts.pop("kana", 0)
    if kana:
        counts["japanese"] = counts.pop("han", 0) + kana
    # dicts keep insertion order, so max() keeps the first script on a tie
    best = max(counts, key=lambda s: counts[s])
    return best


# --- index key ------------------------------------------------------------------------------

#: Lower-case words shown after the given names when they stand before the surname.
PARTICLES = frozenset(
    {
        "van", "der", "den", "de", "la", "le", "les", "del", "della", "delle", "dei", "degli",
        "di", "da", "do", "dos", "das", "du", "von", "zu", "zum", "zur", "ten", "ter", "te",
        "bin", "binti", "bint", "ibn", "ben", "bat", "al", "el", "y", "e", "af", "av",
        "op", "in", "'t",
    }
)  # fmt: skip

# Lower-case particles written joined to the surname: "al-Fayed", "d'Estaing".
_ATTACHED = re.compile(r"^(al-|el-|d['\u2019])(?=[^\W\d_])")

#: Words that end a name and stay at the end of the key (compared without dots, any case).
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "dphil", "md", "esq"})

#: Titles left out of the key when they start a name (compared without the dot, any case).
TITLES = frozenset({"dr", "prof", "mr", "mrs", "ms", "mx"})

_SPACE = re.compile(r"\s+")


def _bare(word: str) -> str:
    return word.replace(".", "").casefold()


def _is_suffix(word: str) -> bool:
    return _bare(word) in SUFFIXES


def _is_particle(word: str) -> bool:
    return word in PARTICLES or word.rstrip("-") in PARTICLES


def index_key(name: str, sort_as: str | None = None) -> str:
    """The index entry of an author, as printed: `sort_as` if given, else derived from `name`.

    The derivation (white space is collapsed first):

    - One-word names stay as they are: ``Madonna``.
    - Names written in Latin, Greek or Cyrillic script: the last word is the surname and
      everything before it follows a comma: ``Zoë Ångström`` -> ``Ångström, Zoë``,
      ``Фёдор Михайлович Достоевский`` -> ``Достоевский, Фёдор Михайлович``.
      Lower-case particles before the surname (``van``, ``van der``, ``de``, ``de la``,
      ``von``, ``da``, ``dos``, ``bin``, ``ibn`` ... see `PARTICLES`) are shown after the
      given names: ``Jan van der Berg`` -> ``Berg, Jan van der``. A lower-case ``al-``,
      ``el-`` or ``d'`` joined to the surname is such a particle too:
      ``Mohammed al-Fayed`` -> ``Fayed, Mohammed al-``. Only lower-case words are
      particles: capitalised ``De La`` in ``Oscar De La Hoya`` are given names by this rule
      (``Hoya, Oscar De La``); such authors set ``sort_as: De La Hoya, Oscar``.
    - Suffixes (``Jr.``, ``Sr.``, ``II``, ``III``, ``IV``, ``PhD``, ...; see `SUFFIXES`)
      stay at the end after another comma: ``Martin Luther King Jr.`` ->
      ``King, Martin Luther, Jr.``; a leading title (``Dr.``, ``Prof.``, ``Mr.``, ...; see
      `TITLES`) is left out.
    - A Latin/Greek/Cyrillic name that already contains a comma other than before a suffix
      is taken to be written in index form already and is kept.
    - Every other script keeps its written order: Chinese, Japanese and Korean names as the
      contract says (``陈晓雯``, ``中村 遥``), and also Arabic, Hebrew, Devanagari and all
      other scripts, where "the last word is the surname" is often wrong (patronymics,
      ``bin``/``ben`` chains, family names first). Their authors set ``sort_as`` if they want
      another entry.

    `nameparser` is deliberately not used: it treats capitalised particles as part of the
    surname (``De La Hoya``, ``Pham Van Dong``) and first words such as ``King`` or
    ``Judge`` as titles, which the contract's rule does not.
    """
    if sort_as is not None and sort_as.strip():
        return _SPACE.sub(" ", sort_as.strip())
    clean = _SPACE.sub(" ", name.strip())
    if " " not in clean or name_script(clean) not in INVERTED_SCRIPTS:
        return clean
    words = clean.replace(",", " , ").split()
    suffixes: list[str] = []
    while len(words) > 1 and (_is_suffix(words[-1]) or words[-1] == ","):
        word = words.pop()
        if word != ",":
            suffixes.insert(0, word)
    while len(words) > 1 and _bare(words[0]) in TITLES:
        words.pop(0)
    if "," in words:  # "Berg, Jan van der": already in index form
        return _join(" ".join(words).replace(" , ", ", "), suffixes)
    if len(words) == 1:
        return _join(words[0], suffixes)
    surname, given = words[-1], words[:-1]
    attached = _ATTACHED.match(surname)
    if attached and len(surname) > attached.end():
        given = [*given, attached.group(1)]
        surname = surname[attached.end() :]
    particles: list[str] = []
    while given and _is_particle(given[-1]):
        particles.insert(0, given.pop())
    rest = " ".join([*given, *particles])
    return _join(f"{surname}, {rest}" if rest else surname, suffixes)


def _join(key: str, suffixes: list[str]) -> str:
    return ", ".join([key, *suffixes]) if suffixes else key


def is_reading(name: str, sort_as: str | None) -> bool:
    """Whether `sort_as` is the kana reading of a name written with Han characters (`中村遥`,
    `なかむら はるか`): the name is then printed in the index and filed by its reading."""
    if not sort_as or not sort_as.strip():
        return False
    letters = [s for c in sort_as if (s := char_script(c)) is not None]
    return bool(letters) and set(letters) == {"kana"} and name_script(name) in ("han", "japanese")


def index_entry_keys(name: str, sort_as: str | None = None) -> tuple[str, str]:
    """(the index entry as printed, the text it is sorted by): both `index_key`, except for a
    name whose `sort_as` is its kana reading, which is printed as written and sorted by the reading."""
    if is_reading(name, sort_as):
        return _SPACE.sub(" ", name.strip()), _SPACE.sub(" ", str(sort_as).strip())
    key = index_key(name, sort_as)
    return key, key


# --- collation ------------------------------------------------------------------------------

_COLLATOR: Any = None


def _collator() -> Any:
    """The UCA collator (DUCET), built on first use (about 0.2 s) and kept for the process."""
    global _COLLATOR
    if _COLLATOR is None:
        import pyuca

        _COLLATOR = pyuca.Collator()
    return _COLLATOR


# Sort keys by text: computed here, or read from a build's cache (`remembered_sort_keys`),
# which also notes the texts looked up while it is open (so nothing that calls `_sort_key` keeps
# its own cache: what it looks up would go unnoted in a process that builds several books).
_SORT_KEYS: dict[str, tuple[int, ...]] = {}
_LOOKED_UP: list[set[str]] = []


def _sort_key(text: str) -> tuple[int, ...]:
    key = _SORT_KEYS.get(text)
    if key is None:
        key = _SORT_KEYS[text] = tuple(_collator().sort_key(text))
    for looked_up in _LOOKED_UP:
        looked_up.add(text)
    return key


def _collation_data() -> str:
    """What the sort keys depend on: pyuca's table of collation weights (its version and size)."""
    import os

    import pyuca

    version = pyuca.Collator.UCA_VERSION
    table = os.path.join(os.path.dirname(pyuca.__file__), f"allkeys-{version}.txt")
    return f"{version}:{os.path.getsize(table)}"


@contextmanager
def remembered_sort_keys(path: Path) -> Iterator[None]:
    """Reuse the sort keys an earlier build computed (kept in `path`, a JSON file in the build's
    cache), and keep those this one looked up: building the collator takes 0.15 s of every
    rebuild and proof, for the same few hundred names. A file made for other collation data,
    or damaged, is ignored and written again."""
    from .fileio import write_atomically

    data = _collation_data()
    stored: set[str] = set()
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        if found["data"] == data:
            for text, key in found["keys"].items():
                _SORT_KEYS.setdefault(str(text), tuple(int(weight) for weight in key))
                stored.add(str(text))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    looked_up: set[str] = set()
    _LOOKED_UP.append(looked_up)
    try:
        yield
    finally:
        _LOOKED_UP.remove(looked_up)
    if looked_up != stored:  # this book's names, no others (a preview or test process sees many books)
        keys = {text: list(_SORT_KEYS[text]) for text in sorted(looked_up)}
        with suppress(OSError):  # a cache that cannot be written costs the next build 0.15 s, no more
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps({"data": data, "keys": keys}, ensure_ascii=False).encode())


def collation_key(text: str, language: str | None = None) -> tuple[Any, str]:
    """A sort key for `text` by the Unicode Collation Algorithm (DUCET, via pyuca).

    Base letters decide before accents and case: ``Ångström`` sorts among the A's,
    ``Émile`` among the E's, ``Łucja`` among the L's; Greek follows Latin and Cyrillic
    follows Greek. Texts with equal collation weights are ordered by the text itself, so
    the order is always deterministic. With a `language` that has a CLDR tailoring, ICU's
    collation for that language is used instead (collation.py: Swedish Å after Z).
    """
    tailored = tailored_key(text, language) if language else None
    return (tailored if tailored is not None else _sort_key(text), text)


def _primary(char: str) -> int | None:
    """The first non-zero primary weight of `char` (None if it has none)."""
    for weight in _sort_key(char):
        return weight if weight else None
    return None


_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _latin_bases() -> dict[int, str]:
    return {w: c for c in _ASCII_UPPER if (w := _primary(c)) is not None}


def index_letter(key: str, language: str | None = None) -> str:
    """The letter heading under which index entry `key` is printed.

    For Latin, Greek and Cyrillic the base letter, upper-cased, without diacritics:
    ``Å`` -> ``A``, ``Ł`` -> ``L``, ``É`` -> ``E``, ``Ж`` -> ``Ж``, ``Έ`` -> ``Ε``. A
    letter is only folded into its base when the collation does the same, so that headings
    follow the sorted entries: Russian ``Й`` sorts after ``И`` and heads its own group.
    For Han, kana, Hangul and all other scripts: the first character itself. Leading
    punctuation is skipped (``'t Hooft`` -> ``T``); a key without letters gets its first
    non-space character ("" for an empty key).

    With a `language` that has a CLDR tailoring, the heading is the language's own letter
    when the key starts with one (collation.py: Swedish ``Å``, Chinese pinyin ``C``).
    """
    heading = tailored_heading(key, language) if language else None
    if heading is not None:
        return heading
    first = next((c for c in key if unicodedata.category(c)[0] in "LN"), None)
    if first is None:
        stripped = key.strip()
        return stripped[0] if stripped else ""
    script = char_script(first)
    if script not in INVERTED_SCRIPTS:
        return first
    weight = _primary(first)
    if script == "latin" and weight in _latin_bases():
        return _latin_bases()[weight]
    base = unicodedata.normalize("NFD", first)[0]
    upper = base.upper()
    if len(upper) == 1 and _primary(upper) == weight:
        return upper
    upper = first.upper()
    return upper if len(upper) == 1 else first


def sorted_index(entries: Iterable[tuple[str, T]], language: str | None = None) -> list[tuple[str, T]]:
    """`(key, value)` pairs sorted by the collation of their keys (stable for equal keys)."""
    return sorted(entries, key=lambda entry: collation_key(entry[0], language))
