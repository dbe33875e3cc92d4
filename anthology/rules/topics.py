"""T: chapters that would look like duplicates in the table of contents."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

from ..diagnostics import Severity
from ..model import Book, Chapter
from .names import fold_words, shown
from .registry import Finding, rule

SIMILAR = 0.9  # difflib ratio from which two titles count as nearly the same
WINDOW = 10  # how many sorted neighbours each title is compared with
# Leading articles dropped before comparing ("The Bridge" is "Bridge"), in the book languages we meet most.
ARTICLES = frozenset("the a an le la les l un une el los las il der das ein eine het een".split())


def title_key(title: str) -> str:
    """A title without case, accents, punctuation and a leading article: `The Café!` -> `cafe`."""
    words = fold_words(title)
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


class _Title:
    """A title key with what the cheap similarity bounds need, computed once."""

    __slots__ = ("_matcher", "key", "letters")

    def __init__(self, key: str) -> None:
        self.key = key
        # The multiset of characters as a set of numbers (a, a, b -> a#1, a#2, b#1), so that the
        # letters two titles have in common are counted by one set intersection.
        self.letters = frozenset(ord(c) << 20 | i for c, n in Counter(key).items() for i in range(n))
        self._matcher: SequenceMatcher[str] | None = None

    def similar(self, other: _Title) -> bool:
        """difflib's ratio >= SIMILAR, after two cheaper upper bounds (lengths, then letters in common)."""
        total = len(self.key) + len(other.key)
        if 2 * min(len(self.key), len(other.key)) < SIMILAR * total:
            return False
        if 2 * len(self.letters & other.letters) < SIMILAR * total:
            return False
        if self._matcher is None:
            self._matcher = SequenceMatcher(None, autojunk=False)
            self._matcher.set_seq2(self.key)
        self._matcher.set_seq1(other.key)
        return self._matcher.ratio() >= SIMILAR


def similar_pairs(keys: list[str]) -> set[tuple[str, str]]:
    """Pairs (sorted) of distinct keys that are nearly the same, found among sorted neighbours only.

    Each key is compared with the WINDOW keys after it in alphabetical order and in the order
    of their reversed text, so titles that share a beginning or an ending meet; two titles
    that differ both near the start and near the end can be missed. This keeps the cost at
    about 2 x WINDOW comparisons per title instead of one per pair of titles.
    """
    titles = [_Title(key) for key in dict.fromkeys(keys)]
    number = {id(title): index for index, title in enumerate(titles)}
    compared: set[tuple[int, int]] = set()
    pairs: set[tuple[str, str]] = set()
    for ordered in (sorted(titles, key=lambda t: t.key), sorted(titles, key=lambda t: t.key[::-1])):
        for index, title in enumerate(ordered):
            for other in ordered[index + 1 : index + 1 + WINDOW]:
                a, b = number[id(title)], number[id(other)]
                pair = (a, b) if a < b else (b, a)
                if pair not in compared:
                    compared.add(pair)
                    if title.similar(other):
                        pairs.add((min(title.key, other.key), max(title.key, other.key)))
    return pairs


@rule("T001", "similar-titles", Severity.WARNING)
def similar_titles(book: Book) -> Iterator[Finding]:
    """Two chapters have the same or nearly the same title.

    Readers find chapters by title, so two entries like `On Walking` and `On walking!` or
    `The Bridge` and `Bridges` look like a mistake in the table of contents. Titles are
    compared without case, accents, punctuation and a leading article, and count as similar
    when they are equal or differ by about one letter in ten. To stay fast in books with
    thousands of chapters, only titles that are neighbours when all titles are sorted from
    the start, or from the end, are compared, so a rare pair differing at both ends may be
    missed. Change one title, or ignore the warning if both are intended.
    """
    groups: dict[str, list[Chapter]] = defaultdict(list)
    for chapter in book.chapters:
        title = chapter.meta.get("title") if chapter.meta is not None else None
        if isinstance(title, str) and (key := title_key(title)):
            groups[key].append(chapter)
    alike: dict[str, set[str]] = {key: {key} for key in groups}
    for a, b in similar_pairs(list(groups)):
        alike[a].add(b)
        alike[b].add(a)
    for key, chapters in groups.items():
        for chapter in chapters:
            others = [c for k in sorted(alike[key]) for c in groups[k] if c is not chapter]
            if not others:
                continue
            first = others[0]
            more = f" and {len(others) - 1} other chapter{'s' if len(others) > 2 else ''}" if len(others) > 1 else ""
            yield Finding(
                chapter.path,
                chapter.line_of("title"),
                f"Title '{shown(chapter.title or '')}' is the same as or very like that of {first.path} "
                f"('{shown(first.title or '')}'){more}",
                "Give the chapter a title readers can tell apart from the other one, or ask the editors whether "
                "both chapters should stay.",
            )
