"""T: chapters that would look like duplicates in the table of contents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

from ..diagnostics import Severity
from ..model import Book, Chapter
from .names import fold_words, shown
from .registry import Finding, rule

SIMILAR = 0.9  # difflib ratio from which two titles count as nearly the same
WINDOW = 10  # how many sorted neighbours each title is compared with
# Leading articles dropped before comparing ("The Bridge" is "Bridge"), in the book languages we meet most.
ARTICLES = frozenset(
    "the a an le la les l un une el los las il der das ein eine het een".split()
)


def title_key(title: str) -> str:
    """A title without case, accents, punctuation and a leading article: `The Café!` -> `cafe`."""
    words = fold_words(title)
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def _similar(a: str, b: str, matcher: SequenceMatcher) -> bool:
    """Whether `a` (already `matcher`'s second sequence) and `b` are nearly the same, cheap tests first."""
    matcher.set_seq1(b)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def similar_pairs(keys: list[str]) -> set[tuple[str, str]]:
    """Pairs of distinct keys that are nearly the same, found among sorted neighbours only.

    Each key is compared with the WINDOW keys after it in alphabetical order and in the order
    of their reversed text, so titles that share a beginning or an ending meet; two titles
    that differ both near the start and near the end can be missed. This keeps the cost at
    about 2 x WINDOW comparisons per title instead of one per pair of titles.
    """
    pairs: set[tuple[str, str]] = set()
    for ordered in (sorted(keys), sorted(keys, key=lambda k: k[::-1])):
        for index, key in enumerate(ordered):
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(key)
            for other in ordered[index + 1 : index + 1 + WINDOW]:
                if _similar(key, other, matcher):
                    pairs.add((min(key, other), max(key, other)))
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
