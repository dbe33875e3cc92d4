"""The contract's word-count rule (it lives here and only here).

A word is a run of non-space characters with at least one letter or digit, or a
single CJK ideograph or kana; in prose a bare URL is not a word.
"""

from __future__ import annotations

import re

# CJK ideographs and kana: each character is one word.  Kana punctuation
# (U+30FB middle dot, U+30A0, sound marks U+3099-309C) is left out.
_CJK = (
    "\u3005\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9d"
    "\U0001b000-\U0001b16f\U00020000-\U0003134f"
)
# A word: one CJK character, or a run of non-space, non-CJK characters that
# contains at least one letter or digit (``[^\W_]`` = alphanumeric).  Dashes
# and other punctuation inside the run keep compounds as one word.
_WORD_RE = re.compile(f"[{_CJK}]|[^\\s{_CJK}]*?[^\\W_{_CJK}][^\\s{_CJK}]*")
_ALNUM_RE = re.compile(r"[^\W_]")

# Fast path (the same rule, computed on UTF-8 bytes with C-speed primitives).
# Deleting every ASCII byte that is neither space nor alphanumeric, and
# mapping the rest to ' ' / 'a' / 'x', leaves token boundaries intact, so
# counting b" a" counts tokens with an ASCII letter or digit.  Tokens made
# only of punctuation and non-ASCII characters ("—", "“", "é", emoji) are
# rare; they are decoded and checked one by one.  Text holding CJK characters
# or non-ASCII spaces takes the reference path (``_WORD_RE``).
_ASCII_SPACE = b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"  # what str.split() splits on
_ASCII_ALNUM = bytes(b for b in range(128) if chr(b).isalnum())
_ASCII_OTHER = bytes(b for b in range(128) if b not in _ASCII_SPACE and b not in _ASCII_ALNUM)
_NON_ASCII = bytes(range(128, 256))
# ' ' for space, 'a' for ASCII alphanumeric, 'x' for a non-ASCII byte.
_BYTE_CLASS = bytes(0x20 if b in _ASCII_SPACE else 0x61 if b in _ASCII_ALNUM else 0x78 for b in range(256))
# Same offsets as the text: ' ', 'a', 'p' (other ASCII), 'x' (non-ASCII).
_BYTE_CLASS_P = bytes(0x70 if b in _ASCII_OTHER else c for b, c in zip(range(256), _BYTE_CLASS, strict=True))
_NO_ASCII_ALNUM_RE = re.compile(rb" [px]*x[px]*(?= )")
# UTF-8 lead bytes of CJK ranges (U+3000-9FFF, U+F900-FFFF, planes 1-3) and
# non-ASCII white space (U+0085, U+00A0, U+1680, U+2000-200A, U+2028-2029,
# U+202F, U+205F); their presence sends text to the reference path.
_SLOW_BYTES_RE = re.compile(
    rb"[\xe3-\xe9\xef\xf0]|\xc2[\x85\xa0]|\xe1\x9a\x80"
    rb"|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
)


_URL_MARK_RE = re.compile(r"://|www\.")
_SPACE_RE = re.compile(r"\s")


def _drop_urls(text: str) -> str:
    """Blank every token containing ``://`` or ``www.`` (a bare URL)."""
    parts: list[str] = []
    pos = 0
    for mark in _URL_MARK_RE.finditer(text):
        k = mark.start()
        if k < pos:
            continue  # inside a URL already dropped
        start = k
        while start > pos and not text[start - 1].isspace():
            start -= 1
        end = _SPACE_RE.search(text, k)
        stop = end.start() if end is not None else len(text)
        parts.append(text[pos:start])
        pos = stop
    parts.append(text[pos:])
    return " ".join(parts)


def count_tokens(text: str, *, drop_urls: bool = True) -> int:
    """Count words in already reader-visible text: the contract's token rule.

    A word is a run of non-space characters with at least one letter or
    digit, or a single CJK ideograph or kana (``_WORD_RE`` is the reference
    definition; the byte-level path gives the same answer faster).  Used for
    prose, where bare URLs (a token containing ``://`` or ``www.``) are not
    words, and for code (``drop_urls=False``).
    """
    if drop_urls and ("://" in text or "www." in text):
        text = _drop_urls(text)
    if not text:
        return 0
    raw = text.encode("utf-8", "surrogatepass")
    if text.isascii():
        marks = raw.translate(_BYTE_CLASS, _ASCII_OTHER)
        return marks.count(b" a") + (marks[:1] == b"a")
    if _SLOW_BYTES_RE.search(raw) is not None:
        return len(_WORD_RE.findall(text))
    marks = raw.translate(_BYTE_CLASS, _ASCII_OTHER + _NON_ASCII)
    words = marks.count(b" a") + (marks[:1] == b"a")
    marks = raw.translate(_BYTE_CLASS, _ASCII_OTHER).replace(b"a", b"x")
    if marks.count(b" x") + (marks[:1] == b"x") == words:
        return words  # every token with a non-ASCII byte also has an ASCII alnum
    classes = b" " + raw.translate(_BYTE_CLASS_P) + b" "
    for m in _NO_ASCII_ALNUM_RE.finditer(classes):
        token = raw[m.start() : m.end() - 1].decode("utf-8", "surrogatepass")
        if _ALNUM_RE.search(token) is not None:
            words += 1
    return words
