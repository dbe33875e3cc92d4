"""Block constructs of the chapter-body scanner that the other tests reach
only in passing: one example each, with what pandoc makes of it.

Each example pins what ``scan`` reports (constructs, words, links); where it
reports raw HTML or not, pandoc itself must agree.
"""

from __future__ import annotations

import pytest
from test_markdown import _pandoc_has_raw_html

from anthology.markdown import scan

# (id, body, constructs as (line, kind), words, links as (line, target))
EXAMPLES = [
    (
        "list item ends at the margin: then indented code",
        "- item\n\ntext\n\n    <b>x</b>\n",
        [],
        3,
        [],
    ),
    (
        "indented text continues the list item",
        "- item\n\n    <b>x</b>\n",
        [(3, "raw_html"), (3, "raw_html")],
        2,
        [],
    ),
    (
        "heading in a list item",
        "- # Heading {#id}\n",
        [(1, "attribute")],
        1,
        [],
    ),
    (
        "reference definition over three lines",
        'See [the site].\n\n[the site]:\n    https://x.org\n    "Its title"\n',
        [],
        3,
        [(1, "https://x.org")],
    ),
    (
        "unclosed YAML block is a rule and text",
        "---\ntitle: x\nno end\n",
        [],
        4,
        [],
    ),
    (
        "fence in a quote must close inside it",
        "> ```\n> code\n\nText <b>x</b>\n\n```\nreal code\n```\n",
        [(1, "unclosed_fence"), (4, "raw_html"), (4, "raw_html")],
        5,
        [],
    ),
    (
        "fence in a list item must close inside it",
        "- item\n\n  ```\n  code\n\nout <b>x</b>\n\n```\nmore\n```\n",
        [(3, "unclosed_fence"), (6, "raw_html"), (6, "raw_html")],
        5,
        [],
    ),
    (
        "long paragraph with an open code span: no fence inside it",
        "`x\n" + "line\n" * 41 + "```\n<b>x</b>\n```\n",
        [],
        43,
        [],
    ),
    (
        "line numbers in a long paragraph",
        ("word " * 20 + "\n") * 100 + "<b>x</b>\n",
        [(101, "raw_html"), (101, "raw_html")],
        2001,
        [],
    ),
    (
        "line block continuation line",
        "| line one\n  continued <b>x</b>\n| line two\n",
        [(2, "raw_html"), (2, "raw_html")],
        6,
        [],
    ),
    (
        "table rule under a paragraph line",
        "a | b\n--|--\n<b>x</b> | y\n",
        [(3, "raw_html"), (3, "raw_html")],
        4,
        [],
    ),
    (
        "multiline table with a blank line between rows",
        "-----------\nrow <b>one</b>\n\nrow two\n-----------\n",
        [(2, "raw_html"), (2, "raw_html")],
        4,
        [],
    ),
    (
        "text right after a headerless table",
        "-----\nrow\n-----\nafter <b>x</b>\n",
        [(4, "raw_html"), (4, "raw_html")],
        3,
        [],
    ),
    (
        "comments keep backticks literal",
        "<!-- ` --> <!-- ` --> <b>x</b>\n",
        [(1, "raw_html")] * 4,
        1,
        [],
    ),
    (
        "unclosed link destination is text",
        "A [link](oops and more.\n",
        [],
        4,
        [],
    ),
]


@pytest.mark.parametrize(
    ("body", "constructs", "words", "links"),
    [e[1:] for e in EXAMPLES],
    ids=[e[0] for e in EXAMPLES],
)
def test_block_example(body: str, constructs: list[tuple[int, str]], words: int, links: list[tuple[int, str]]) -> None:
    result = scan(body)
    assert [(c.line, c.kind) for c in result.constructs] == constructs
    assert result.words == words
    assert [(x.line, x.target) for x in result.links] == links


@pytest.mark.parametrize(
    ("body", "constructs"),
    [e[1:3] for e in EXAMPLES],
    ids=[e[0] for e in EXAMPLES],
)
def test_pandoc_agrees_on_raw_html(body: str, constructs: list[tuple[int, str]]) -> None:
    assert _pandoc_has_raw_html(body) == any(kind == "raw_html" for _, kind in constructs)


def test_raw_attribute_after_a_double_backtick_span() -> None:
    (found,) = scan("A ``<b>``{=html} here.\n").constructs
    assert (found.line, found.kind) == (1, "raw_attribute")
    assert found.snippet.endswith("``{=html}")


def test_link_across_rows_is_checked_as_one_paragraph_too() -> None:
    """Line block lines are parsed one by one, but should pandoc join them,
    a link across them would be live: it is reported (a safe over-estimate)."""
    links = scan("| [a\n| b](javascript:alert(1))\n").links
    assert [(x.line, x.target) for x in links] == [(1, "javascript:alert(1)")]


def test_bare_url_with_www_inside_is_one_dropped_token() -> None:
    assert scan("see http://a.b/www.c here\n").words == 2
