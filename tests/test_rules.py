"""Every code in the catalogue (`anthology rules`) has its case: a bad example that gives exactly that
code and prints the diagnostics pinned in its golden file, and a good example that gives nothing.

Cases live in tests/rules/cases/<CODE>/{bad,good}/ and run by the code's family:
- validate's rules: the example's files laid over the clean base book (tests/rules/base), validated;
- P, the build's checks: the same, then the PDF is built;
- R, check-pr's: `base/` laid over the base book and committed on main (with the editor `eddie`),
  then `pull/` laid over it and committed on a branch: the pull request of the GitHub login in `LOGIN`.
A bad example's `expected.txt` holds its diagnostics as the text reporter prints them
(`path:line: CODE message`, hints left out); `pytest --update-golden` rewrites it.

The print preflight's codes (P010-P020) judge the finished print files, and most of what they
find no book can make anthology write (an unembedded font, spine text on a thin spine): their
failing and passing examples are crafted files in tests/test_preflight.py, which this file
checks are there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RULE_CASES, overlay
from gitbook import commit, isolate_git, open_pull_request

from anthology.build import build
from anthology.cli import catalogue
from anthology.diagnostics import Diagnostic, Report
from anthology.load import load_book
from anthology.printing import preflight
from anthology.pull_request import check_pull_request
from anthology.reporters.text import headline
from anthology.validate import validate

CATALOGUE = catalogue()
PREFLIGHT = {code: name for name, code in vars(preflight).items() if name.isupper() and code in CATALOGUE}
CODES = {code: entry for code, entry in CATALOGUE.items() if code not in PREFLIGHT}
EXPECTED = "expected.txt"


def validated(root: Path, example: Path) -> Report:
    overlay(root, example)
    return validate(load_book(root))


def built(root: Path, example: Path) -> Report:
    overlay(root, example)
    return build(load_book(root), root / "build", ("pdf",)).report


def pull_request(root: Path, example: Path) -> Report:
    overlay(root, example / "base")
    open_pull_request(root)
    overlay(root, example / "pull")
    commit(root, "The pull request")
    return check_pull_request(root, "main", (example / "LOGIN").read_text(encoding="utf-8").strip())


RUNNERS: dict[str, Callable[[Path, Path], Report]] = {"P": built, "R": pull_request}  # by family; others: validated


@pytest.fixture
def run(base_book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str, str], list[Diagnostic]]:
    """`run(code, "bad" | "good")`: the sorted diagnostics of that example of `code`."""
    isolate_git(monkeypatch, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # build() sets it: keep it out of other tests

    def run(code: str, example: str) -> list[Diagnostic]:
        return RUNNERS.get(code[0], validated)(base_book, RULE_CASES / code / example).sorted()

    return run


def test_base_book_is_clean(base_book: Path) -> None:
    assert validate(load_book(base_book)).sorted() == []


@pytest.mark.parametrize("code", sorted(CODES))
def test_bad_example_prints_its_golden_diagnostics(
    code: str, run: Callable[[str, str], list[Diagnostic]], golden: Callable[[str | Path, str], None]
) -> None:
    found = run(code, "bad")
    assert found, f"{code}: the bad example gives nothing"
    assert {d.code for d in found} == {code}, found
    golden(RULE_CASES / code / "bad" / EXPECTED, "".join(headline(d) + "\n" for d in found))


@pytest.mark.parametrize("code", sorted(CODES))
def test_good_example_gives_nothing(code: str, run: Callable[[str, str], list[Diagnostic]]) -> None:
    assert run(code, "good") == []


def test_every_code_has_cases_and_documentation() -> None:
    for code, entry in CODES.items():
        assert (RULE_CASES / code / "bad" / EXPECTED).is_file(), f"{code} has no bad example with its {EXPECTED}"
        assert (RULE_CASES / code / "good").is_dir(), f"{code} has no good example"
        assert entry.doc.strip() and entry.summary.strip(), f"{code} has no docstring"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.name), f"{code}: name {entry.name!r}"
    assert {p.name for p in RULE_CASES.iterdir()} <= set(CODES), "case folder for an unknown code"


def test_preflight_codes_have_failing_and_passing_examples() -> None:
    """Each preflight code's constant is named in tests/test_preflight.py at least twice: where a
    crafted print file must give it and where a sound one must not."""
    tests = (Path(__file__).parent / "test_preflight.py").read_text(encoding="utf-8")
    assert set(PREFLIGHT) == {f"P0{n}" for n in range(10, 21)}
    for code, name in PREFLIGHT.items():
        assert CATALOGUE[code].doc.strip(), code
        assert len(re.findall(rf"codes\.{name}\b", tests)) >= 2, f"{code}: no failing and passing example"


def test_codes_are_well_formed() -> None:
    for code in CATALOGUE:
        assert re.fullmatch(r"[A-Z]\d{3}", code), code
