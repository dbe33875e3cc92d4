"""Author index keys, their collation and their letter headings (anthology.names)."""

from __future__ import annotations

import pytest

from anthology.names import collation_key, index_key, index_letter, name_script, sorted_index

KEYS = [
    # Latin: the last word is the surname; lower-case particles follow the given names
    ("Jan van der Berg", None, "Berg, Jan van der"),
    ("Zoë Ångström", None, "Ångström, Zoë"),
    ("Ludwig von Mises", None, "Mises, Ludwig von"),
    ("Vincent van Gogh", None, "Gogh, Vincent van"),
    ("Charles de Gaulle", None, "Gaulle, Charles de"),
    ("Juan de la Cruz", None, "Cruz, Juan de la"),
    ("Leonardo da Vinci", None, "Vinci, Leonardo da"),
    ("Maria dos Santos", None, "Santos, Maria dos"),
    ("Ursula von der Leyen", None, "Leyen, Ursula von der"),
    ("Ahmad bin Salman", None, "Salman, Ahmad bin"),
    ("Mohammed al-Fayed", None, "Fayed, Mohammed al-"),
    ("Valéry Giscard d'Estaing", None, "Estaing, Valéry Giscard d'"),
    ("Jean-Luc Picard", None, "Picard, Jean-Luc"),
    ("bell hooks", None, "hooks, bell"),
    # only lower-case words are particles (nameparser would file these under De/Van/Al)
    ("Oscar De La Hoya", None, "Hoya, Oscar De La"),
    ("Pham Van Dong", None, "Dong, Pham Van"),
    ("Omar Al-Fayed", None, "Al-Fayed, Omar"),
    # words nameparser takes for titles are names here
    ("King Smith", None, "Smith, King"),
    # suffixes stay at the end, titles are left out
    ("Martin Luther King Jr.", None, "King, Martin Luther, Jr."),
    ("Martin Luther King, Jr.", None, "King, Martin Luther, Jr."),
    ("John Smith III", None, "Smith, John, III"),
    ("Jane Doe, PhD", None, "Doe, Jane, PhD"),
    ("Jan van der Berg Sr.", None, "Berg, Jan van der, Sr."),
    ("Dr. Ana Lima", None, "Lima, Ana"),
    # white space is collapsed; a name already in index form is kept
    ("  Ana \t  Lima ", None, "Lima, Ana"),
    ("Berg, Jan van der", None, "Berg, Jan van der"),
    # one word
    ("Madonna", None, "Madonna"),
    ("Ὅμηρος", None, "Ὅμηρος"),
    # Greek and Cyrillic are inverted like Latin
    ("Αλέξης Τσίπρας", None, "Τσίπρας, Αλέξης"),
    ("Фёдор Михайлович Достоевский", None, "Достоевский, Фёдор Михайлович"),
    ("Анна Ахматова", None, "Ахматова, Анна"),
    # Chinese, Japanese and Korean keep their written order
    ("陈晓雯", None, "陈晓雯"),
    ("中村 遥", None, "中村 遥"),
    ("やまだ はなこ", None, "やまだ はなこ"),
    ("김 민준", None, "김 민준"),
    # other scripts keep their written order too (the safe default)
    ("محمد عبد الله", None, "محمد عبد الله"),
    ("דוד בן גוריון", None, "דוד בן גוריון"),
    ("अमिताभ बच्चन", None, "अमिताभ बच्चन"),
    ("สมชาย ใจดี", None, "สมชาย ใจดี"),
    # sort_as wins (trimmed); an empty sort_as does not
    ("Oscar De La Hoya", "De La Hoya, Oscar", "De La Hoya, Oscar"),
    ("陈晓雯", "Chen Xiaowen", "Chen Xiaowen"),
    ("محمد عبد الله", " عبد الله، محمد ", "عبد الله، محمد"),
    ("Zoë Ångström", "", "Ångström, Zoë"),
]


@pytest.mark.parametrize(("name", "sort_as", "key"), KEYS)
def test_index_key(name: str, sort_as: str | None, key: str) -> None:
    assert index_key(name, sort_as) == key


def test_the_table_covers_enough() -> None:
    assert len(KEYS) >= 20


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("Zoë Ångström", "latin"),
        ("Ｊａｎｅ", "latin"),
        ("Αλέξης Τσίπρας", "greek"),
        ("Фёдор", "cyrillic"),
        ("陈晓雯", "han"),
        ("中村 遥", "han"),  # kanji only: nothing tells it apart from Chinese
        ("中村 はるか", "japanese"),
        ("ナカムラ", "japanese"),
        ("김민준", "hangul"),
        ("محمد", "arabic"),
        ("דוד", "hebrew"),
        ("अमिताभ", "devanagari"),
        ("สมชาย", "other"),
        ("Li Wei 李伟", "latin"),  # the script with most letters wins
        ("123 !", "other"),
        ("", "other"),
    ],
)
def test_script_of(name: str, script: str) -> None:
    assert name_script(name) == script


def test_collation_differs_from_code_points() -> None:
    names = ["Zoë", "Ångström", "Émile", "Łucja", "Ana"]
    assert sorted(names) == ["Ana", "Zoë", "Ångström", "Émile", "Łucja"]
    assert sorted(names, key=collation_key) == ["Ana", "Ångström", "Émile", "Łucja", "Zoë"]


def test_collation_orders_letters_before_accents_and_scripts() -> None:
    names = ["Борис", "Lyon", "Ελένη", "Łucja", "Lucas", "Eve", "Émile", "Ed", "陈"]
    assert sorted(names, key=collation_key) == ["Ed", "Émile", "Eve", "Lucas", "Łucja", "Lyon", "Ελένη", "Борис", "陈"]


def test_collation_compares_keys_word_by_word() -> None:
    assert sorted(["Bergman, Anna", "Berg, Jan van der"], key=collation_key) == ["Berg, Jan van der", "Bergman, Anna"]


def test_collation_ties_are_broken_by_the_text() -> None:
    a, b = "Ana", "Ana\u0000"  # NUL has no collation weight: the weights are equal
    assert collation_key(a)[0] == collation_key(b)[0]
    assert sorted([b, a], key=collation_key) == [a, b]


def test_sorted_index_sorts_by_key_and_keeps_values() -> None:
    entries = [(index_key(n), n) for n in ["Zoë Ångström", "Ana Lima", "Łucja Nowak", "Émile Zola", "Jan van der Berg"]]
    assert sorted_index(entries) == [
        ("Ångström, Zoë", "Zoë Ångström"),
        ("Berg, Jan van der", "Jan van der Berg"),
        ("Lima, Ana", "Ana Lima"),
        ("Nowak, Łucja", "Łucja Nowak"),
        ("Zola, Émile", "Émile Zola"),
    ]
    assert sorted_index([]) == []


@pytest.mark.parametrize(
    ("key", "letter"),
    [
        ("Ångström, Zoë", "A"),
        ("ångström", "A"),
        ("Łucja", "L"),
        ("Émile", "E"),
        ("Ølsen", "O"),
        ("Æbel", "A"),  # Æ sorts as A+E
        ("Жук", "Ж"),
        ("Ёлка", "Е"),
        ("Йорк", "Й"),  # sorts after И as a letter of its own, so it heads its own group
        ("Ελένη", "Ε"),
        ("Έλενα", "Ε"),
        ("ἀρετή", "Α"),
        ("陈晓雯", "陈"),
        ("中村 遥", "中"),
        ("やまだ", "や"),
        ("김민준", "김"),
        ("محمد", "م"),
        ("'t Hooft, Gerard", "T"),
        ("", ""),
    ],
)
def test_index_letter(key: str, letter: str) -> None:
    assert index_letter(key) == letter


def test_headings_follow_the_sorted_entries() -> None:
    keys = [index_key(n) for n in ["Zoë Ångström", "Ana Lima", "Łucja Nowak", "Lucas Lee", "Émile Zola", "Ivan Йорк"]]
    keys += ["Иван", "Ёлка", "Ежов"]
    letters = [index_letter(k) for k, _ in sorted_index((k, None) for k in keys)]
    assert letters == ["A", "L", "L", "N", "Z", "Е", "Е", "И", "Й"]
    # each heading appears in one run: no letter comes back after another one
    runs = [letter for i, letter in enumerate(letters) if i == 0 or letters[i - 1] != letter]
    assert len(runs) == len(set(runs))
