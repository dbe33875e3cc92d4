"""Attack variants for the safety, names, web and topics rules (C, N, U, T), each with its line.

Every case writes one file into the clean base book and expects exactly the listed findings
among the C/N/U/T codes (other rule families are tested in test_rules.py).
"""

from __future__ import annotations

import os
import random
import string
import time
from pathlib import Path

import pytest

from anthology.load import load_book
from anthology.rules import RULES
from anthology.rules.topics import similar_pairs, title_key
from anthology.validate import validate

MINE = ("C", "N", "U", "T")
FRONT = "---\ntitle: On Walking\nauthors: [alice-smith]\nsection: one\n---\n"
BODY_LINE = 6  # first body line of a chapter written with FRONT
PROSE = "Walking is the slowest way to think, and the most reliable one I know."


def found(root: Path) -> list[tuple[str, str, int | None]]:
    """(code, path, line) of every C/N/U/T diagnostic for the book at `root`."""
    return [(d.code, d.path, d.line) for d in validate(load_book(root)).sorted() if d.code.startswith(MINE)]


def write_chapter(root: Path, body: str, front: str = FRONT) -> None:
    (root / "chapters" / "walking.md").write_text(front + PROSE + "\n\n" + body + "\n", encoding="utf-8")


def write_authors(
    root: Path, alice: str = "", bob: str = "", alice_name: str = "Alice Smith", bob_name: str = "Bob Jones"
) -> None:
    """authors.yaml with extra lines for each entry: Alice's start at line 4, Bob's name is on line 5 + len(alice)."""
    text = f"alice-smith:\n  name: {alice_name}\n  bio: Alice writes short essays about long walks.\n{alice}"
    text += f"bob-jones:\n  name: {bob_name}\n  bio: Bob edits a newsletter about bridges.\n{bob}"
    (root / "authors.yaml").write_text(text, encoding="utf-8")


def body_line(offset: int) -> int:
    """File line of the `offset`-th line (1-based) after PROSE and its blank line."""
    return BODY_LINE + 1 + offset


# --- C001-C007: forbidden constructs ------------------------------------------------------------

CONSTRUCTS = [
    ("C001", "A picture: <img src=x onerror=alert(1)>"),
    ("C001", "<!-- a hidden comment -->"),
    ("C001", "<script>alert(1)</script>"),
    ("C001", '<a href="javascript:alert(1)">click</a>'),
    ("C001", "<svg/onload=alert(1)>"),
    ("C001", "<?php system('id'); ?>"),
    ("C001", "<!DOCTYPE html>"),
    ("C001", "- a list item with <iframe src=https://evil.example>"),
    ("C001", "> a quotation with <b>bold</b>"),
    ("C002", "```{=html}\n<script>alert(1)</script>\n```"),
    ("C002", "~~~ {=latex}\n\\write18{rm -rf ~}\n~~~"),
    ("C002", "Inline `<script>alert(1)</script>`{=html} here."),
    ("C002", "Inline `\\newpage`{=latex} here."),
    ("C003", '[red]{style="color: red"} text'),
    ("C003", '[click]{onclick="alert(1)"} text'),
    ("C003", "[styled]{.warning} text"),
    ("C003", "## A heading {#custom-id}"),
    ("C003", "::: {.sidebar}\ntext\n:::"),
    ("C003", "```{.python}\nprint(1)\n```"),
    ("C003", "![dot](images/dot.png){width=100%}"),
    ("C004", "\\newpage"),
    ("C004", "Read \\input{/etc/passwd} now."),
    ("C004", "\\immediate\\write18{curl evil.example}"),
    ("C005", "As [@smith2020] shows."),
    ("C005", "@smith2020 says so."),
    ("C005", "As [-@doe99, p. 3] shows."),
    ("C006", "---\ntitle: Hijacked\n---"),
    ("C006", "---\nheader-includes: '<script>alert(1)</script>'\n..."),
    ("C007", "```\nnever closed"),
    ("C007", "~~~~ python\nnever closed\n~~~"),
]


@pytest.mark.parametrize(("code", "body"), CONSTRUCTS)
def test_forbidden_construct(code: str, body: str, base_book: Path) -> None:
    write_chapter(base_book, body)
    assert found(base_book) == [(code, "chapters/walking.md", body_line(1))]


def test_construct_on_a_later_line_is_located(base_book: Path) -> None:
    write_chapter(base_book, "A first line\nand a second line\nand <b>a third</b>.")
    assert found(base_book) == [("C001", "chapters/walking.md", body_line(3))]


@pytest.mark.parametrize(
    "body",
    [
        "Code: `<img src=x onerror=alert(1)>` and `\\newpage` and `@smith`.",
        "```\n<script>alert(1)</script>\n\\newpage\n```",
        "    <b>indented code</b>",
        "Maths: 3 < 4 and 5 > 2; mail alice@example.org; sets {a, b}.",
        "An escaped \\<b\\> and \\\\newpage and \\@smith.",
        "---\n\nA horizontal rule above.\n\n***",
        "```python\nprint(1)\n```",
    ],
)
def test_harmless_lookalikes_pass(body: str, base_book: Path) -> None:
    write_chapter(base_book, body)
    assert found(base_book) == []


def test_front_pages_are_checked(base_book: Path) -> None:
    with (base_book / "book.yaml").open("a", encoding="utf-8") as book:
        book.write("front: [front/foreword.md]\n")
    (base_book / "front").mkdir()
    (base_book / "front" / "foreword.md").write_text("---\ntitle: Foreword\n---\nHello.\n\n<script>x</script>\n")
    assert found(base_book) == [("C001", "front/foreword.md", 6)]


def test_biographies_are_checked(base_book: Path) -> None:
    write_authors(base_book)
    text = (base_book / "authors.yaml").read_text().replace("long walks.", "long walks <img src=x onerror=alert(1)>.")
    (base_book / "authors.yaml").write_text(text)
    assert found(base_book) == [("C001", "authors.yaml", 3)]


# --- C008: links ----------------------------------------------------------------------------------

UNSAFE_LINKS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](javascript\\:alert(1))",
    "[x](<javascript:alert(1)>)",
    '[x]( javascript:alert(1) "title")',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "[x](VBScript:msgbox(1))",
    "<javascript:alert(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[x](/etc/passwd)",
    "[x](../../secret.txt)",
    "[x](//evil.example/page)",
    "[x](www.example.org)",
]


@pytest.mark.parametrize("body", UNSAFE_LINKS)
def test_unsafe_link(body: str, base_book: Path) -> None:
    write_chapter(base_book, body)
    assert found(base_book) == [("C008", "chapters/walking.md", body_line(1))]


@pytest.mark.parametrize(
    "body",
    [
        "[x](https://example.org/javascript:alert)",
        "[x](HTTP://EXAMPLE.ORG)",
        "[x](mailto:alice@example.org)",
        "[x](#on-walking)",
        "<https://example.org>",
        "<alice@example.org>",
        "[x][ok]\n\n[ok]: https://example.org",
        '[x](<https://example.org/a page> "title")',
    ],
)
def test_safe_link(body: str, base_book: Path) -> None:
    write_chapter(base_book, body)
    assert found(base_book) == []


# --- C009/C010: images ----------------------------------------------------------------------------

UNSAFE_IMAGES = [
    "![x](../../etc/passwd)",
    "![x](images/../../secret.png)",
    "![x](images/%2e%2e/%2e%2e/etc/passwd)",
    "![x](images\\..\\book.yaml)",
    "![x](//evil.example/x.png)",
    "![x](/etc/passwd)",
    "![x](http://tracker.example/pixel.png)",
    "![x](HTTPS://tracker.example/pixel.png)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](file:///etc/passwd)",
    "![x](C:\\Windows\\win.ini)",
    "![x](book.yaml)",
    "![x](chapters/bridges.md)",
    "![x](images)",
    '![x](<images/../book.yaml> "title")',
    "![x][pic]\n\n[pic]: /etc/passwd",
]


@pytest.mark.parametrize("body", UNSAFE_IMAGES)
def test_unsafe_image(body: str, base_book: Path) -> None:
    write_chapter(base_book, body)
    assert found(base_book) == [("C009", "chapters/walking.md", body_line(1))]


@pytest.mark.parametrize(
    ("name", "points_to"),
    [("evil.png", "/etc/hostname"), ("inner.png", "../book.yaml"), ("loop.png", "loop.png")],
)
def test_image_symlink_out_of_images(name: str, points_to: str, base_book: Path) -> None:
    os.symlink(points_to, base_book / "images" / name)
    write_chapter(base_book, f"![x](images/{name})")
    assert found(base_book) == [("C009", "chapters/walking.md", body_line(1))]


def test_images_folder_itself_a_symlink(base_book: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "dot.png").write_bytes((base_book / "images" / "dot.png").read_bytes())
    (base_book / "images" / "dot.png").unlink()
    (base_book / "images").rmdir()
    os.symlink(elsewhere, base_book / "images")
    write_chapter(base_book, "![x](images/dot.png)")
    assert found(base_book) == [("C009", "chapters/walking.md", body_line(1))]


@pytest.mark.parametrize(
    "body",
    ["![x](images/missing.png)", "![x](images/sub/dot.png)", "![x](images/Dot.png)", "![x](images/sub/../dot.png)"],
)
def test_missing_image(body: str, base_book: Path) -> None:
    write_chapter(base_book, body)
    assert found(base_book) == [("C010", "chapters/walking.md", body_line(1))]


@pytest.mark.parametrize(
    "body",
    [
        "![x](images/dot.png)",
        "![x](images/./dot.png)",
        '![x](<images/dot.png> "A title")',
        "![x](images/my%20dot.png)",
        "![x][pic]\n\n[pic]: images/dot.png",
    ],
)
def test_safe_image(body: str, base_book: Path) -> None:
    (base_book / "images" / "my dot.png").write_bytes(b"png")
    write_chapter(base_book, body)
    assert found(base_book) == []


def test_symlink_inside_images_is_fine(base_book: Path) -> None:
    os.symlink("dot.png", base_book / "images" / "alias.png")
    write_chapter(base_book, "![x](images/alias.png)")
    assert found(base_book) == []


# --- C011: photos ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "photo",
    [
        "/etc/passwd",
        "../secret.jpg",
        "images/../../secret.jpg",
        "https://example.org/me.jpg",
        "//example.org/me.jpg",
        "file:///etc/passwd",
        "images/missing.jpg",
        "book.yaml",
        "''",
    ],
)
def test_unsafe_photo(photo: str, base_book: Path) -> None:
    write_authors(base_book, alice=f"  photo: {photo}\n")
    assert found(base_book) == [("C011", "authors.yaml", 4)]


def test_photo_symlink_to_outside(base_book: Path) -> None:
    os.symlink("/etc/hostname", base_book / "images" / "me.jpg")
    write_authors(base_book, bob="  photo: images/me.jpg\n")
    assert found(base_book) == [("C011", "authors.yaml", 7)]


def test_photo_of_wrong_type_is_left_to_s002(base_book: Path) -> None:
    write_authors(base_book, alice="  photo: [images/dot.png]\n")
    assert found(base_book) == []


# --- N001-N003: names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Alice\u200bSmith",
        "Alice Smi\u00adth",
        "\ufeffAlice Smith",
        "Alice \u202eSmith",
        "Alice \u2066Smith\u2069",
        "Alice\u2060Smith",
        "Alice\U000e0041 Smith",
        "Al\u200cice Smith",
        "Alice\u3164Smith",
    ],
)
def test_invisible_character_in_name(name: str, base_book: Path) -> None:
    write_authors(base_book, alice_name=f'"{name}"')
    assert found(base_book) == [("N001", "authors.yaml", 2)]


@pytest.mark.parametrize(("key", "line"), [("title", 2), ("subtitle", 5)])
def test_invisible_character_in_title_or_subtitle(key: str, line: int, base_book: Path) -> None:
    front = FRONT.replace("section: one\n", "section: one\nsubtitle: A stroll\n")
    front = front.replace(
        "On Walking" if key == "title" else "A stroll", "On\u200b Walking" if key == "title" else "A\u202e stroll"
    )
    write_chapter(base_book, "", front=front)
    assert found(base_book) == [("N001", "chapters/walking.md", line)]


def test_invisible_character_in_sort_key(base_book: Path) -> None:
    write_authors(base_book, alice='  sort_as: "Smith,\u200b Alice"\n')
    assert found(base_book) == [("N001", "authors.yaml", 4)]


@pytest.mark.parametrize(
    "name",
    ["میرزا\u200cزاده", "क्\u200dष सिंह", "श्री\u200cमती", "Zoë Ångström", "Jan van der Berg", "O'Brien-Smith"],
)
def test_visible_names_pass(name: str, base_book: Path) -> None:
    write_authors(base_book, alice_name=f'"{name}"')
    assert found(base_book) == []


@pytest.mark.parametrize(
    "name",
    ["Pаul Smith", "Jοhn Smith", "Alice Ѕmith", "Сора Smith", "Alicе Smith"],
)
def test_mixed_script_name(name: str, base_book: Path) -> None:
    write_authors(base_book, alice_name=name)
    assert found(base_book) == [("N002", "authors.yaml", 2)]


def test_mixed_script_sort_key(base_book: Path) -> None:
    write_authors(base_book, alice="  sort_as: Ѕmith, Alice\n")
    assert found(base_book) == [("N002", "authors.yaml", 4)]


@pytest.mark.parametrize(
    "name",
    [
        "Ольга Белова",
        "陈晓雯",
        "中村遥",
        "中村はるか",
        "キム・ミンジュ",
        "김민준",
        "Ελένη Καραγιάννη",
        "سلمى العطار",
        "תמר לוי",
        "अनन्या देशपांडे",
        "Jędrzej Wiśniewski",
        "Ελένη Karagianni",
        "Anna Сергеевна",
    ],
)
def test_single_script_names_pass(name: str, base_book: Path) -> None:
    write_authors(base_book, alice_name=name)
    assert found(base_book) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("José Núñez", "Jose Nunez"),
        ("José Núñez", "Nunez, Jose"),
        ("José Núñez", "NÚÑEZ  José"),
        ("Jędrzej Wiśniewski", "Jedrzej Wisniewski"),
        ("Søren Kierkegård", "Soren Kierkegard"),
        ("Alice Smith", "Alice Smith"),
        ("Jean-Luc Picard", "Jean Luc Picard"),
        ("Burk Hufnagel", "BurkHufnagel"),
        ("BurkHufnagel", "Hufnagel, Burk"),
        ("Hufnagel Burk", "Burk-Hufnagel"),
        ("Jan van der Berg", "Jan Vanderberg"),
        ("Jean-Luc Picard", "JeanLuc PICARD"),
        ("中村 遥", "中村遥"),
    ],
)
def test_same_person(first: str, second: str, base_book: Path) -> None:
    write_authors(base_book, alice_name=first, bob_name=second)
    assert found(base_book) == [("N003", "authors.yaml", 5)]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("José Núñez", "Josefa Núñez"),
        ("中村はるか", "中村はるが"),
        ("Alice Smith", "Alice Smithe"),
        ("Li Wei", "Wei Lin"),
        ("Burk Hufnagel", "Burk Hufnagl"),
        ("Ana Lima", "Lima Anas"),
        ("Mary Ann Lee", "Ann Lee"),
    ],
)
def test_different_people(first: str, second: str, base_book: Path) -> None:
    write_authors(base_book, alice_name=first, bob_name=second)
    assert found(base_book) == []


# --- U001/U002: web ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "website",
    [
        "www.example.org",
        "example.org",
        "javascript:alert(1)",
        "ftp://example.org",
        "https://",
        "https:///path",
        "'https://exa mple.org'",
        "https://user:secret@example.org",
        "https://example.org:99999",
        "http//example.org",
    ],
)
def test_invalid_website(website: str, base_book: Path) -> None:
    write_authors(base_book, alice=f"  website: {website}\n")
    assert found(base_book) == [("U001", "authors.yaml", 4)]


@pytest.mark.parametrize(
    "website", ["https://example.org", "http://example.org/~me/page?x=1#top", "HTTPS://EXAMPLE.ORG"]
)
def test_valid_website(website: str, base_book: Path) -> None:
    write_authors(base_book, alice=f"  website: {website}\n")
    assert found(base_book) == []


@pytest.mark.parametrize(
    "email",
    [
        "alice at example.org",
        "alice@example",
        "alice@@example.org",
        "alice@example.org@evil.org",
        "'Alice <alice@example.org>'",
        "mailto:alice@example.org",
        "alice@.example.org",
        "alice@example..org",
        ".alice@example.org",
        "alice@example.o",
        "''",
    ],
)
def test_invalid_email(email: str, base_book: Path) -> None:
    write_authors(base_book, bob=f"  email: {email}\n")
    assert found(base_book) == [("U002", "authors.yaml", 7)]


def test_invalid_email_is_not_printed(base_book: Path) -> None:
    write_authors(base_book, alice="  email: alice at private.example\n")
    messages = [d.message + d.hint for d in validate(load_book(base_book)).diagnostics]
    assert not any("private.example" in m for m in messages)


@pytest.mark.parametrize("email", ["alice@example.org", "alice.smith+book@mail.example.co.uk", "josé@exämple.de"])
def test_valid_email(email: str, base_book: Path) -> None:
    write_authors(base_book, bob=f"  email: {email}\n")
    assert found(base_book) == []


# --- T001: titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Bridges I Have Loved",
        "bridges i have loved!",
        "The Bridges I Have Loved",
        "Bridges I've Loved",
        "Bridges I Have Lovd",
    ],
)
def test_similar_titles(title: str, base_book: Path) -> None:
    write_chapter(base_book, "", front=FRONT.replace("On Walking", f'"{title}"'))
    assert found(base_book) == [("T001", "chapters/bridges.md", 2), ("T001", "chapters/walking.md", 2)]


@pytest.mark.parametrize("title", ["Bridges I Have Crossed", "Rivers I Have Loved", "Bridges"])
def test_different_titles(title: str, base_book: Path) -> None:
    write_chapter(base_book, "", front=FRONT.replace("On Walking", title))
    assert found(base_book) == []


def test_title_key() -> None:
    assert title_key("The Café, Again!") == "cafe again"
    assert title_key("The") == "the"


def test_similar_titles_scale_to_thousands() -> None:
    rng = random.Random(5)
    vocabulary = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(2000)]
    keys = sorted({" ".join(rng.choices(vocabulary, k=rng.randint(2, 6))) for _ in range(5000)})
    model = max(keys, key=len)
    end_twin = model[:-1] + ("x" if model[-1] != "x" else "y")  # one letter changed at the end
    start_twin = ("x" if model[0] != "x" else "y") + model[1:]  # and one at the start
    start = time.perf_counter()
    pairs = similar_pairs([*keys, end_twin, start_twin])
    assert time.perf_counter() - start < 60, "all-pairs comparison (12.5 million difflib ratios) would take minutes"
    assert (min(model, end_twin), max(model, end_twin)) in pairs
    assert (min(model, start_twin), max(model, start_twin)) in pairs


def test_my_rules_are_documented() -> None:
    for code, rule in RULES.items():
        if code.startswith(MINE):
            lines = rule.doc.splitlines()
            assert len(lines) >= 3 and lines[1] == "", f"{code}: summary line, blank line, explanation"
