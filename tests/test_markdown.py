"""The chapter-body scanner: forbidden constructs, code masking, links.

Each construct kind has failing examples that yield exactly that kind (with
line numbers) and clean look-alikes that yield nothing.
"""

from __future__ import annotations

import json
import time

import pytest
from conftest import pandoc
from hypothesis import given, settings
from hypothesis import strategies as st

from anthology.markdown import KINDS, Construct, Link, Scan, scan

LEAD = "A first paragraph of prose.\n\n"  # shifts examples to line 3


def found(body: str) -> list[tuple[int, str]]:
    return [(c.line, c.kind) for c in scan(body).constructs]


# -- failing examples: (kind, body, expected lines) -----------------------------

FAILING = [
    ("raw_html", LEAD + "Text <div>block</div> end.", [3, 3]),
    ("raw_html", LEAD + "A </span> closing tag.", [3]),
    ("raw_html", LEAD + "<img src=x onerror=alert(1)>", [3]),
    ("raw_html", LEAD + "<script>alert(1)</script>", [3, 3]),
    ("raw_html", LEAD + "Hidden <!-- a comment --> text.", [3]),
    ("raw_html", LEAD + "Multi <a\nhref='x'>line</a> tag.", [3, 4]),
    ("raw_html", LEAD + "- item with <b>bold</b>", [3, 3]),
    ("raw_html", LEAD + "> quoted <em>x</em>", [3, 3]),
    ("raw_html", LEAD + "if a<b and c>d", [3]),
    ("raw_html", LEAD + "Press <Enter> now.", [3]),
    ("raw_html", LEAD + "<svg:svg onload=alert(1)>", [3]),
    ("raw_attribute", LEAD + "```{=html}\n<b>raw</b>\n```", [3]),
    ("raw_attribute", LEAD + "~~~ {=latex}\n\\relax\n~~~", [3]),
    ("raw_attribute", LEAD + "Inline `<b>`{=html} here.", [3]),
    ("raw_attribute", LEAD + "> quote\n```{=html}\n<script>x</script>\n```", [4]),
    ("raw_attribute", LEAD + "Math $a `b$ then\n```{=html}\n<b>x</b>\n```", [4]),
    ("attribute", LEAD + "# Heading {#custom-id}", [3]),
    ("attribute", LEAD + "# Heading {-}", [3]),
    ("attribute", LEAD + "Setext {.unnumbered}\n=======", [3]),
    ("attribute", LEAD + "A [link](https://x.org){target=_blank} here.", [3]),
    ("attribute", LEAD + "![Alt](images/a.png){width=50%}", [3]),
    ("attribute", LEAD + "Some `code`{.python} here.", [3]),
    ("attribute", LEAD + "A [span]{.smallcaps} here.", [3]),
    ("attribute", LEAD + 'A [span]{style="color:red" onclick="x()"} here.', [3]),
    ("attribute", LEAD + "::: {.warning}\nText.\n:::", [3]),
    ("attribute", LEAD + "::: warning\nText.\n:::", [3]),
    ("attribute", LEAD + "```{.python}\nprint(1)\n```", [3]),
    ("attribute", LEAD + '``` {style="x"}\ncode\n```', [3]),
    ("raw_tex", LEAD + "\\begin{center}\nx\n\\end{center}", [3, 5]),
    ("raw_tex", LEAD + "\\newcommand{\\foo}{bar}", [3]),
    ("raw_tex", LEAD + "See \\input{chapter2} and \\include{x}.", [3, 3]),
    ("raw_tex", LEAD + "Make \\textbf{this} bold, \\vspace[2]{x}.", [3, 3]),
    ("raw_tex", LEAD + "\\input /etc/passwd", [3]),
    ("raw_tex", LEAD + "A path C:\\Users\\me in prose.", [3, 3]),
    ("citation", LEAD + "As shown [@doe2020].", [3]),
    ("citation", LEAD + "As shown [see @doe2020, p. 3].", [3]),
    ("citation", LEAD + "As shown [-@doe2020].", [3]),
    ("citation", LEAD + "@doe2020 says so.", [3]),
    ("citation", LEAD + "And then\n@doe says so.", [4]),
    ("citation", LEAD + "Cited (@doe) here.", [3]),
    (
        "yaml_block",
        LEAD + "---\ntitle: Injected\nheader-includes: x\n---\n\nMore.",
        [3],
    ),
    ("yaml_block", LEAD + "---\nauthor: x\n...\n", [3]),
    ("yaml_block", "---\ntitle: At the start\n---\n\nText.", [1]),
    ("unclosed_fence", LEAD + "```\ncode that never ends\n\nmore", [3]),
    ("unclosed_fence", LEAD + "~~~~\ncode\n~~~\n", [3]),
    ("unclosed_fence", LEAD + "````\ncode\n```\n", [3]),  # ``` closes a code span
]


@pytest.mark.parametrize(
    ("kind", "body", "lines"),
    FAILING,
    ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(FAILING)],
)
def test_failing_example_yields_exactly_its_kind(kind: str, body: str, lines: list[int]) -> None:
    assert found(body) == [(line, kind) for line in lines]


# -- pitfalls: live HTML that a naive scanner would take for code or text --------
# Each is checked against the scanner and against pandoc itself.

PITFALLS = [
    ("no escapes in ^superscript^", "^x\\<img/src=x/onerror=alert(1)>^", [1]),
    ("^sup^ confines code spans", "^x`^ <img src=x onerror=alert(1)> `", [1]),
    ("^[ without its ] is a superscript", "^[\\<b>x)^", [1]),
    ("[^1] is a note marker, not a superscript", "[^1]``x^y`` <b>z</b>", [1, 1]),
    ("tag wins over code span", "<x title='`'> and a later `tick", [1]),
    ("link destination wins over code", "[a](http://x/`) <b>x</b> `y`", [1, 1]),
    ("unmatched `` leaves one literal `", "a ``x ` <b> `", [1]),
    ("math wins over code", "$a `b$ <i>x</i> `c", [1, 1]),
    ("not an autolink", "<a:b/onclick=alert(1)>", [1]),
    ("::: without an open div is text", "Text.\n\n:::\n    <i>lazy</i>", [4, 4]),
    ("tilde fence cannot interrupt a paragraph", "text\n~~~\n<x>\n~~~\n", [3]),
    ("unclosed fence is text", "```\n<script>x</script>\n", [2, 2]),
    ("fence in a quote ends with it", "> ```\n> <q>\n\n<r>", [2, 4]),
    ("closing fence indented 4 does not close", "```\ncode\n    ```\n<b>x</b>", [4, 4]),
    ("lazy line after a quoted fence", "> ```\n> ```\n        <t>x</t>", [3, 3]),
    ("lazy line after an empty quoted line", "> \n\t<b>x</b>", [2, 2]),
    ("no setext under a running code span", "```py x\n=====\ny` <z> `w", [3]),
    ("one-column table under a running code span", "a `x\n---\nb <n> `", [3]),
    ("line block lines stand alone", "| x ```\n</i>`", [2]),
    ("a line block ends at a plain line", "| a\n```\nb\ny` <z> `w", [4]),
    ("^[...](u)^ is a superscript, not a note", "^[a\\<b>](u)^", [1]),
    (
        "indented code with an open span is no heading",
        "    ```\n=====\nx <b>y</b> `",
        [3, 3],
    ),
    ("multiline table rows", "-----\nhead\n-----\n    <k>x</k>\n-----", [4, 4]),
    (
        "rows that are one paragraph to pandoc",
        "   ~~~\n------  ------\n------  ------\n> > ```\n`code <i>`\na `x",
        [5],
    ),
    ("indented code above a dashed line", "    ```\n|---|---|\n\t<tab>\n    ```", [3]),
    ("a fence cannot close an open code span", "```py x\n```\n    <k>\n```", [3]),
    ("headerless table rows", "-----\n    <i>x</i>\n-----", [2, 2]),
    (
        "simple table under a rule-like header",
        "-----\n------  ------\n        <t>x</t>",
        [3, 3],
    ),
    ("multi-line paragraph has no setext", "a\nb\n---\n    <e>x</e>", [4, 4]),
    ("angle destination then junk is no definition", "[y]: <h> `t`", [1]),
]


@pytest.mark.parametrize(("body", "lines"), [p[1:] for p in PITFALLS], ids=[p[0] for p in PITFALLS])
def test_pitfall_is_flagged(body: str, lines: list[int]) -> None:
    assert [(c.line, c.kind) for c in scan(body).constructs if c.kind == "raw_html"] == [
        (line, "raw_html") for line in lines
    ]


def _pandoc_has_raw_html(body: str) -> bool:
    out = pandoc(body, "-f", "markdown", "-t", "json")
    hit = False

    def walk(node: object) -> None:
        nonlocal hit
        if isinstance(node, dict):
            if node.get("t") in ("RawInline", "RawBlock") and node["c"][0] == "html":
                hit = True
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out)["blocks"])
    return hit


@pytest.mark.parametrize("body", [p[1] for p in PITFALLS], ids=[p[0] for p in PITFALLS])
def test_pitfall_is_raw_html_to_pandoc(body: str) -> None:
    assert _pandoc_has_raw_html(body)


# -- clean look-alikes -----------------------------------------------------------

CLEAN = [
    ("html in code span", "Use `<div>` or ``<span class=`x`>`` in HTML."),
    ("html in fence", '```html\n<div onclick="x()">\n<!-- c -->\n```'),
    ("html in tilde fence", "~~~\n<script>alert(1)</script>\n~~~"),
    ("html in indented code", "Text.\n\n    <div>code</div>\n\nMore."),
    ("html in list code", "- item\n\n        <div>code</div>\n"),
    ("html in multi-line code span", "A `code\n<b>` span."),
    ("autolinks", "<https://example.org> and <me@example.org> and <mailto:a@b.c>"),
    ("comparison", "If a < b and c > d, then 3 <= 4."),
    ("escaped", "Not a citation: \\@doe, nor \\[link\\](x), nor \\`tick\\`."),
    ("escaped html and tex", "An escaped \\<b\\> and \\\\newpage and C:\\\\Users."),
    ("fence info", "```python\nx = {'a': 1}\n```"),
    ("braces in prose", "A set {a, b} and {#not-after-anything} text."),
    ("heading without attribute", "# A {curly} heading\n\nText."),
    ("tex in code", "Write `\\input{x}` or:\n\n```\n\\begin{document}\n```"),
    ("email", "Write to jane@example.org or x.@y today."),
    ("decorator in code", "Use `@property` here."),
    ("at sign alone", "Meet @ 5pm."),
    ("horizontal rule", "Text.\n\n---\n\nMore: text here."),
    ("setext heading", "Heading\n---\n\ntitle: not yaml"),
    ("dashes then blank", "---\n\ntitle: x\n---"),
    ("closed fences", "````\n```\nnested\n```\n````\n\n~~~\nx\n~~~"),
    ("fenced div close only", "Text.\n\n:::\n"),
    ("links", "[a](https://x.org) ![b](images/b.png) [c][r]\n\n[r]: https://r.org"),
]


@pytest.mark.parametrize("body", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_clean_example_yields_nothing(body: str) -> None:
    assert scan(body).constructs == ()


# -- code masking ---------------------------------------------------------------


def test_code_is_masked_but_still_counts_as_words() -> None:
    body = "Use `<b>bold</b>` inline.\n\n```\n<script>x</script> \\input{y} @doe\n```\n"
    result = scan(body)
    assert result.constructs == ()
    assert result.words == 3 + 3


def test_prose_after_a_fence_is_checked_again() -> None:
    body = "```\n<b>code</b>\n```\n\nThen <b>prose</b>."
    assert found(body) == [(5, "raw_html"), (5, "raw_html")]


def test_fence_in_a_list_item_must_close_inside_it() -> None:
    # pandoc: the indented ``` is item text; the {=html} fence below is live.
    body = "1. item\n    ```\n```{=html}\n<b>x</b>\n```"
    assert found(body) == [(2, "unclosed_fence"), (3, "raw_attribute")]
    assert found("- item\n\n  ```\n  <b>x</b>\n\n  more\n  ```\n") == []
    # A fence lazily after an item's text ends at a blank line and a dedent.
    body = "- item\n  - sub\n```\n~~~\n\n```{=html}\n<s>x</s>\n```"
    assert found(body) == [(3, "unclosed_fence"), (6, "raw_attribute")]


def test_snippets_are_short_and_show_the_construct() -> None:
    body = "x <img src=x onerror=alert(1)> y " + "z" * 100
    (c,) = scan(body).constructs
    assert c == Construct(1, "raw_html", "<img src=x onerror=alert(1)>")
    long = "<div " + "a" * 100 + ">"
    assert len(scan(long).constructs[0].snippet) == 60
    assert scan("[see @doe, p. 3] x").constructs[0].snippet == "[see @doe, p. 3]"
    assert scan("`<b>`{=html}").constructs[0].snippet == "`<b>`{=html}"


# -- links ------------------------------------------------------------------------


def test_links_and_images_with_line_numbers() -> None:
    body = (
        'Intro [first](https://a.example/x "Title") text.\n'
        "\n"
        "![A figure](images/fig.png)\n"
        "\n"
        "Wrapped paragraph with a\n"
        "[second link](<docs/a b.md>) and <https://auto.example>.\n"
        "`[not](a-link)` in code.\n"
    )
    assert scan(body).links == (
        Link(1, "https://a.example/x", "first", False),
        Link(3, "images/fig.png", "A figure", True),
        Link(6, "docs/a b.md", "second link", False),
        Link(6, "https://auto.example", "https://auto.example", False),
    )


def test_reference_style_links_and_images_resolve_to_definitions() -> None:
    body = (
        "See [the docs][docs] and [Docs].\n"
        "\n"
        "![Logo][logo] and ![logo]\n"
        "\n"
        '[docs]: https://docs.example "Docs"\n'
        "[logo]: <images/logo.png>\n"
        "[unused]: https://unused.example\n"
    )
    assert scan(body).links == (
        Link(1, "https://docs.example", "the docs", False),
        Link(1, "https://docs.example", "Docs", False),
        Link(3, "images/logo.png", "Logo", True),
        Link(3, "images/logo.png", "logo", True),
    )


def test_undefined_reference_is_not_a_link() -> None:
    assert scan("A [bracketed] word and [x][nowhere].").links == ()


def test_dangerous_targets_are_reported_as_written() -> None:
    links = scan("[x](javascript:alert(1)) ![y](../secret.png) <file:///etc/passwd>").links
    assert [(link.target, link.image) for link in links] == [
        ("javascript:alert(1)", False),
        ("../secret.png", True),
        ("file:///etc/passwd", False),
    ]


def test_badge_image_inside_link() -> None:
    links = scan("[![build](images/badge.png)](https://ci.example)").links
    assert [(link.target, link.image) for link in links] == [
        ("https://ci.example", False),
        ("images/badge.png", True),
    ]


def test_caret_then_link_is_a_link_not_a_note() -> None:
    assert scan("^[x](javascript:alert(1)) and ^[a note]").links == (Link(1, "javascript:alert(1)", "x", False),)


def test_nested_parentheses_in_url() -> None:
    (link,) = scan("[A](https://en.wikipedia.org/wiki/A_(letter)).").links
    assert link.target == "https://en.wikipedia.org/wiki/A_(letter)"


def test_crlf_and_bom_keep_line_numbers() -> None:
    result = scan("\ufeffLine one\r\n\r\n<b>x</b> [l](u)\r\n")
    assert [c.line for c in result.constructs] == [3, 3]
    assert result.links == (Link(3, "u", "l", False),)


# -- robustness: linear time on hostile input -------------------------------------

HOSTILE = {
    "backticks": "`" * 200_000,
    "backtick runs": "".join("`" * k + " " for k in range(1, 600)),
    "nested brackets": "[" * 100_000 + "]" * 100_000,
    "nested links": "[" * 50_000 + "](u)" * 50_000,
    "unclosed tags": "<a " * 70_000,
    "unclosed comments": "<!--" * 50_000,
    "tags and ticks": "<a `" * 50_000,
    "quoted attributes": ']{a="' * 40_000,
    "tex": "\\a{" * 70_000,
    "citations": "@a " * 70_000,
    "many links": "Some [words](https://example.org) here. " * 20_000,
    "deep quote": ">" * 100_000 + "```\n" + ">" * 100_000 + "x",
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_scanned_in_linear_time(body: str) -> None:
    start = time.process_time()
    scan(body)
    assert time.process_time() - start < 15, "quadratic scanning took 40-50 s on inputs like these"


# -- robustness: never raises ------------------------------------------------------

_MD_ALPHABET = st.sampled_from([*list("`~[]()<>!@#{}\\:*-_=|^.\"' \n\t>xa1é東🎉"), "---", "```", "\n\n", "    "])


@settings(max_examples=500, deadline=None)
@given(st.text() | st.lists(_MD_ALPHABET, max_size=80).map("".join))
def test_scan_never_raises(text: str) -> None:
    result = scan(text)
    assert isinstance(result, Scan)
    assert result.words >= 0
    nlines = text.count("\n") + text.count("\r") + 1
    for c in result.constructs:
        assert c.kind in KINDS
        assert 1 <= c.line <= nlines
        assert len(c.snippet) <= 60
    for link in result.links:
        assert 1 <= link.line <= nlines
