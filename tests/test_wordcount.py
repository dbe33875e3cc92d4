"""Word counts per the contract ("Word count" in CONTRACT.md).

Table-driven cases pin down each clause of the rule; an agreement test checks
plain prose against ``pandoc -t plain | wc -w``; a property test checks the
fast byte-level counter against the reference token pattern.
"""

from __future__ import annotations

import pytest
from conftest import pandoc
from hypothesis import given, settings
from hypothesis import strategies as st

from anthology import markdown
from anthology.wordcount import count_words

CASES = [
    # -- empty and plain ----------------------------------------------------
    ("empty", "", 0),
    ("blank lines", "  \n\n\t\n", 0),
    ("plain", "One two three.", 3),
    ("wrapped paragraph", "One two\nthree four\n\nfive", 5),
    ("crlf and bom", "\ufeffOne two\r\nthree\r\n", 3),
    # -- links: text counts, URLs do not ------------------------------------
    ("inline link", "A [link text](https://example.com/a) here.", 4),
    ("link with title", '[two words](http://x.org "A long title") end', 3),
    ("link in angle brackets", "[doc](<my file.pdf> 'T') ok", 2),
    ("link then suffix stays one word", "Some [API](https://api.example)s here.", 3),
    ("reference link", "See [the docs][d].\n\n[d]: https://docs.example", 3),
    ("collapsed reference", "See [the docs][].\n\n[the docs]: https://docs.example", 3),
    ("shortcut reference", "See [docs].\n\n[docs]: https://docs.example", 2),
    ("definition with title", '[d]: https://docs.example "Docs title"\n\nText.', 1),
    ("autolink", "Mail <me@example.org> or <https://example.org>.", 2),
    ("bare url", "See https://example.org/a?b=c now.", 2),
    ("bare url in parens", "A site (https://example.org) and www.example.org too.", 4),
    ("link text that is a url", "[https://example.org](https://example.org) x", 1),
    # -- images and figures: alt text and captions do not count -------------
    ("inline image", "An ![alt words here](images/a.png) image.", 2),
    ("figure", "![A long figure caption](images/fig.png)\n\nText.", 1),
    ("reference image", "![alt text][logo]\n\n[logo]: images/logo.png", 0),
    ("badge link", "[![badge](images/b.png) docs](https://x.org) ok", 2),
    # -- footnotes: text counts, marker and label do not ---------------------
    ("footnote", "A claim.[^1]\n\n[^1]: The note text.", 5),
    ("footnote word label", "Word[^note] more\n\n[^note]: Two words.", 4),
    ("footnote continuation", "X[^1]\n\n[^1]: First.\n\n    Second para.", 4),
    ("inline footnote", "Text^[inline note here].", 4),
    # -- code counts ---------------------------------------------------------
    ("inline code", "Run `make all` now.", 4),
    ("fenced code", "```python\nprint('hi')\nx = 1\n```", 3),
    ("tilde fence", "~~~\nfoo bar\n~~~", 2),
    ("indented code", "Text.\n\n    foo bar baz\n", 4),
    ("url inside code counts", "```\ncurl https://example.org\n```", 2),
    # -- hyphens, dashes, numbers --------------------------------------------
    ("hyphenated", "A well-known state-of-the-art idea.", 4),
    ("dash joined", "word—word and word–word", 3),
    ("free-standing dashes", "a — b – c - d -- e --- f", 6),
    ("numbers", "3.14 1,000 42% 2nd $5 1990s", 6),
    ("punctuation only tokens", "Tom & Jerry … ! ?", 2),
    ("apostrophes and quotes", "“Don’t,” she said, ‘it’s fine.’", 5),
    # -- block markup does not count -------------------------------------------
    ("bullets", "- one\n- two\n* three\n+ four", 4),
    ("ordered", "1. one\n2. two\n3) three", 3),
    ("letters", "a. one\nb. two\n\n(a) three\n(b) four", 4),
    ("roman and hash", "i. one\nii. two\n\n#. three\n#. four", 4),
    ("example list", "(@) one\n(@good) two", 2),
    ("nested list", "1. one\n   - two\n   - three\n2. four", 4),
    ("task list", "- [ ] todo\n- [x] done", 2),
    ("initial is not a list", "A. Smith wrote it.", 4),
    ("number mid paragraph stays", "It was\n2019. The end.", 5),
    ("atx headings", "# Title\n\n## Sub title ##\n\nText.", 4),
    ("setext heading", "Title\n=====\n\nSub\n---\n\nText", 3),
    ("blockquote", "> quoted words\n> > nested here", 4),
    ("horizontal rules", "one\n\n---\n\n* * *\n\n___\n\ntwo", 2),
    ("pipe table", "| a | b |\n|---|:-:|\n| c d | e |", 5),
    ("emphasis", "*one* **two** _three_ __four__ ~~five~~ ***six***", 6),
    ("definition list", "Term\n\n:   The definition.", 3),
    ("line block", "| The first line\n| the second", 5),
    # -- scripts -------------------------------------------------------------
    ("chinese", "我爱北京。", 4),
    ("japanese", "東京はひらがなとカタカナ", 12),
    ("cjk then latin", "東京tower", 3),
    ("latin then cjk", "tower東京 x", 4),
    ("mixed spaced", "我 love 北京", 4),
    ("korean", "안녕하세요 세계 여러분", 3),
    ("cyrillic and greek", "Привет мир, Γειά σου", 4),
    ("accented latin", "Zoë Ångström’s café", 3),
    # -- emoji ---------------------------------------------------------------
    ("emoji alone", "🎉", 0),
    ("emoji tokens", "🎉🎉 party 👍🏽 time", 2),
    ("emoji attached", "great👍 stuff", 2),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_count_words(body: str, expected: int) -> None:
    assert count_words(body) == expected


def test_count_words_matches_scan() -> None:
    body = "A [link](u) and `code` here.[^1]\n\n[^1]: Note."
    assert count_words(body) == markdown.scan(body).words == 6


# -- the fast path implements the same rule as the reference pattern ---------

_TRICKY = list("ab1 \n\t-—–“”’é…_*#🎉東京カナ한국\xa0\u2009\u3000,.!?ÅΩ\x1c²")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY)) | st.text())
def test_fast_counter_equals_reference(text: str) -> None:
    assert markdown.count_tokens(text, drop_urls=False) == len(markdown._WORD_RE.findall(text))


# -- agreement with pandoc ------------------------------------------------------

PROSE = [
    "The *quick* brown fox, the **lazy** dog; and a ~~struck~~ word.",
    ('A [link with text](https://example.com/x "Title") and a [ref link][r].\n\n[r]: https://r.example'),
    "Use `print(x)` inline; well-known state-of-the-art ideas, e.g. these.",
    "Numbers: 3.14, 1,000, 42%, $5, 2nd, 1990s and more words.",
    "Smart \"quotes\" and 'single' ones, don't won't, it's fine...",
    "Em---dash and en--dash joined: 1990--2000 and word---word.",
    "Line one\nline two\\\nline three with  two spaces  \nand end.",
    "# A heading\n\nParagraph under it.\n\n## Second *level*\n\nMore text here.",
    "> A quoted paragraph\n> spanning two lines.\n\nThen normal.",
    "Éclair naïve café Zoë Ångström résumé über Straße.",
    "Привет мир, Γειά σου κόσμε, 안녕하세요 세계.",
    "```\ncode block line\nmore code\n```\n\n    indented code here\n\nText.",
    "Superscript 2^10^ and H~2~O and [small caps]{.smallcaps} text.",
]


def _pandoc_words(body: str) -> int:
    return len(pandoc(body, "-f", "markdown", "-t", "plain").split())


@pytest.mark.parametrize("body", PROSE, ids=range(len(PROSE)))
def test_agrees_with_pandoc_plain(body: str) -> None:
    assert count_words(body) == _pandoc_words(body)
