"""Every rule code has a bad example that gives exactly that code and a good one that gives nothing.

Cases live in tests/rules/cases/<CODE>/{bad,good}/ as files laid over the clean base book.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RULE_CASES, overlay

from anthology.load import load_book
from anthology.rules import RULES
from anthology.validate import validate


def check(root: Path, layer: Path) -> list[tuple[str, str, int | None, str]]:
    overlay(root, layer)
    report = validate(load_book(root))
    return [(d.code, d.path, d.line, d.message) for d in report.sorted()]


def test_base_book_is_clean(base_book: Path) -> None:
    assert validate(load_book(base_book)).sorted() == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_example_gives_exactly_its_code(code: str, base_book: Path) -> None:
    found = check(base_book, RULE_CASES / code / "bad")
    assert found, f"{code}: the bad example gives nothing"
    assert {f[0] for f in found} == {code}, found


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_gives_nothing(code: str, base_book: Path) -> None:
    assert check(base_book, RULE_CASES / code / "good") == []


def test_every_rule_has_cases_and_documentation() -> None:
    for code, rule in RULES.items():
        assert (RULE_CASES / code / "bad").is_dir(), f"{code} has no bad example"
        assert (RULE_CASES / code / "good").is_dir(), f"{code} has no good example"
        assert len(rule.doc.splitlines()) >= 1 and rule.doc.strip(), f"{code} has no docstring"
    assert {p.name for p in RULE_CASES.iterdir()} <= set(RULES), "case folder for an unknown code"


def test_codes_are_well_formed() -> None:
    for code in RULES:
        assert len(code) == 4 and code[0].isupper() and code[1:].isdigit()
