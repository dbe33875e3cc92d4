"""Every code anthology reports, in one catalogue: validate's rules, the build's and the pull request's checks.

`anthology rules` lists it and `anthology explain CODE` prints an entry's documentation. A code
is registered once, where its check lives; registering a code twice is a programming error, so
two checks can never share a code. Codes are never reused.
"""

from __future__ import annotations

from typing import Protocol

from .diagnostics import Severity


class Documented(Protocol):
    """What the catalogue needs of an entry: a rule (rules/registry.py) or a Code (diagnostics.py)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def doc(self) -> str: ...
    @property
    def summary(self) -> str: ...


CODES: dict[str, Documented] = {}

#: What each family of codes (the code's letter) is about, as the format reference groups them.
FAMILIES: dict[str, str] = {
    "I": "Ids: author ids, chapter file names, who wrote which chapter",
    "B": "book.yaml's own values",
    "F": "Files that cannot be read",
    "G": "Characters no font can print",
    "S": "Required keys, types and unknown keys",
    "L": "Length limits",
    "N": "Names that are not what they look like",
    "C": "Content safety: what a chapter may not contain",
    "T": "Titles",
    "U": "Websites and e-mail addresses",
    "W": "Writing systems: the book's own words, direction, numerals, names' languages",
    "P": "Page budget (checked by `anthology build`)",
    "R": "Pull requests (checked by `anthology check-pr`)",
}


def register(entry: Documented) -> None:
    """Add `entry` to the catalogue, refusing a code that is already there."""
    if entry.code in CODES:
        raise ValueError(f"code {entry.code} registered twice")
    CODES[entry.code] = entry


def ordered() -> list[Documented]:
    """The registered entries in a stable order, whatever order their modules were imported in:
    by family as FAMILIES lists them (a family it lacks last), then by code."""
    rank = {letter: number for number, letter in enumerate(FAMILIES)}
    return sorted(CODES.values(), key=lambda entry: (rank.get(entry.code[0], len(rank)), entry.code))
