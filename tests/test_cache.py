"""Parallel, cached builds: a rebuild lays out only what changed and equals a clean build;
a corrupt cache entry is never trusted; `proof` shows a chapter exactly as in the book."""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import copy_sample
from test_build import flat, folio

from anthology.build import build
from anthology.cli import main
from anthology.load import load_book
from anthology.render.assemble import index_pages_guess
from anthology.render.content import prepare

CHAPTER = "chapters/people-i-have-never-met.md"
_spec = importlib.util.spec_from_file_location(
    "benchmarks_generate", Path(__file__).parent.parent / "benchmarks" / "generate.py"
)
generate = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(generate)  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "build").iterdir() if p.is_file()}


def cached(root: Path) -> set[str]:
    return {p.name for p in (root / "build" / ".cache" / "layout").glob("*.pdf")}


def test_rebuild_after_one_edit_lays_out_one_unit_and_equals_a_clean_build(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "book")
    build(load_book(root), root / "build", jobs=2)
    before = cached(root)
    chapter = root / CHAPTER
    chapter.write_text(chapter.read_text().replace("There is a woman", "There is one woman", 1))
    build(load_book(root), root / "build", jobs=2)
    assert len(cached(root) - before) == 1, "only the edited chapter's unit is laid out again"

    clean = copy_sample(tmp_path / "clean")
    shutil.copyfile(chapter, clean / CHAPTER)
    build(load_book(clean), clean / "build", jobs=1)
    assert outputs(root) == outputs(clean)


def test_a_corrupt_cache_entry_is_rebuilt(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "book")
    build(load_book(root), root / "build", ("pdf",))
    first = outputs(root)
    layout = root / "build" / ".cache" / "layout"
    victims = sorted(layout.glob("*.pdf"))[:3]
    for victim in victims:
        victim.write_bytes(victim.read_bytes()[:100])  # truncated
    (sorted(layout.glob("*.json"))[-1]).write_text("{not json")
    build(load_book(root), root / "build", ("pdf",))
    assert outputs(root) == first
    assert all(len(v.read_bytes()) > 100 for v in victims)


def test_clean_ignores_the_cache(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "book")
    build(load_book(root), root / "build", ("pdf",))
    marker = root / "build" / ".cache" / "layout" / "stale.pdf"
    marker.write_bytes(b"stale")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--format", "pdf", "--clean", "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert not marker.exists()


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    one = copy_sample(tmp_path / "one")
    two = copy_sample(tmp_path / "two")
    build(load_book(one), one / "build", ("pdf",), jobs=1)
    build(load_book(two), two / "build", ("pdf",), jobs=2)
    assert outputs(one) == outputs(two)


def test_proof_shows_the_chapter_as_in_the_book(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "book")
    build(load_book(root), root / "build", ("pdf",))
    book_pages = [p.extract_text() for p in pypdf.PdfReader(next((root / "build").glob("*.pdf"))).pages]
    result = CliRunner().invoke(main, ["proof", "--root", str(root), str(root / "chapters" / "carrying-it-over.md")])
    assert result.exit_code == 0, result.output
    proof_pages = [p.extract_text() for p in pypdf.PdfReader(root / "build" / "proofs" / "carrying-it-over.pdf").pages]
    start = next(i for i, text in enumerate(book_pages) if flat(text).startswith("Chapter 8 Carrying It Over"))
    assert proof_pages == book_pages[start : start + len(proof_pages)]
    assert folio(proof_pages[0]) == folio(book_pages[start]) and folio(proof_pages[0]) != "1"
    pngs = sorted((root / "build" / "proofs").glob("carrying-it-over-*.png"))
    assert len(pngs) == len(proof_pages) == 2
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)


def test_proof_of_a_chapter_with_errors_is_marked_draft(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "book")
    chapter = root / "chapters" / "carrying-it-over.md"
    chapter.write_text(chapter.read_text() + "\n<span>raw html</span>\n")
    result = CliRunner().invoke(main, ["proof", "--root", str(root), str(chapter)])
    assert result.exit_code == 0, result.output
    assert "C001" in result.output
    pages = pypdf.PdfReader(root / "build" / "proofs" / "carrying-it-over.pdf").pages
    assert all("DRAFT" in p.extract_text() for p in pages)


def test_an_index_of_another_length_than_guessed_is_numbered_and_headed_right(tmp_path: Path) -> None:
    root = tmp_path / "book"
    generate.generate_book(root, chapters=120, seed=6)  # the guess says 5 index pages; there are 4
    book = load_book(root)
    result = build(book, root / "build", ("pdf",), jobs=2)
    texts = [page.extract_text() for page in pypdf.PdfReader(next((root / "build").glob("*.pdf"))).pages]
    assert result.outputs[0].pages == len(texts)
    start = max(i for i, t in enumerate(texts) if flat(t).startswith("Index of Authors"))
    assert len(texts) - start != index_pages_guess(prepare(book)), "the first guess must be wrong here"
    first_folio = int(folio(texts[start]) or 0)
    for offset, text in enumerate(texts[start:]):
        assert folio(text) == str(first_folio + offset)
        if offset:  # after its first page: the piece's title on right-hand pages, the book's on left-hand ones
            head = "Index of Authors" if (start + offset) % 2 == 0 else book.settings.title  # type: ignore[union-attr]
            assert head in flat(text), (offset, text[-200:])
    body = [(i, folio(t)) for i, t in enumerate(texts[:start]) if folio(t) and folio(t).isdigit()]  # type: ignore[union-attr]
    assert all(int(f) - i == first_folio - start for i, f in body)  # type: ignore[arg-type]


def test_entries_unused_for_two_weeks_are_removed_and_used_ones_kept(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "book")
    build(load_book(root), root / "build", ("pdf",))
    layout, convert = root / "build" / ".cache" / "layout", root / "build" / ".cache" / "convert"
    month_ago = time.time() - 30 * 86400
    used = sorted(layout.glob("*.pdf"))[0]
    os.utime(used, (month_ago, month_ago))  # old, but this build uses it again
    old = [layout / "0ld.pdf", layout / "0ld.json", convert / "0ld-text.json"]
    for path in old:
        path.write_text("{}")
        os.utime(path, (month_ago, month_ago))
    recent = layout / "recent.pdf"  # unused, but not for long enough
    recent.write_text("{}")
    build(load_book(root), root / "build", ("pdf",))
    assert not any(path.exists() for path in old)
    assert used.exists() and used.stat().st_mtime > month_ago + 86400
    assert recent.exists() and (convert / "conversions.json").exists()


def test_the_longest_waiting_document_is_laid_out_next(tmp_path: Path) -> None:
    """The contents and the contributors grow with the book and are made last (they wait for
    every bio): given to the workers in the order made, one worker laid them out alone at the end."""
    from anthology.render.layout import Layouter

    page = '<!DOCTYPE html><html><head><meta charset="utf-8"/></head><body><p>{}</p></body></html>'
    documents = [page.format(f"Short {n}.") for n in range(6)] + [page.format("Long. " * 400)]
    given: list[str] = []
    with Layouter(tmp_path, None, 2) as layouter:
        pool = layouter._pool()
        submit = pool.submit
        pool.submit = lambda function, html, root: given.append(html) or submit(function, html, root)  # type: ignore[method-assign]
        results = layouter.run(documents)
    assert [r.openings[0][:8] for r in results] == [f"Short {n}." for n in range(6)] + ["Long. Lo"]
    # Two per worker are given at once, so the long one comes as soon as one of those is done.
    assert given.index(documents[-1]) == 4


def test_a_rebuild_reuses_the_names_sort_keys_instead_of_building_the_collator(tmp_path: Path) -> None:
    """Building pyuca's collator takes 0.15 s of every rebuild and proof, for the same names: their
    keys are kept in build/.cache; a damaged file or one made for other collation data is not used."""
    import json
    import subprocess
    import sys

    import pyuca

    root = copy_sample(tmp_path / "book")
    prepare(load_book(root), root / "build" / ".cache" / "convert")
    stored = root / "build" / ".cache" / "sort-keys.json"
    keys = json.loads(stored.read_text(encoding="utf-8"))["keys"]
    collator = pyuca.Collator()
    assert len(keys) > 10 and all(tuple(collator.sort_key(text)) == tuple(key) for text, key in keys.items())
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from anthology import names\n"
        "from anthology.load import load_book\n"
        "from anthology.render.content import prepare\n"
        "root = Path(sys.argv[1])\n"
        "content = prepare(load_book(root), root / 'build' / '.cache' / 'convert')\n"
        "print([entry.key for _, group in content.index() for entry in group])\n"
        "print(names._COLLATOR is not None)\n"
    )

    def fresh_run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, check=True)
        return done.stdout.splitlines()

    order, built = fresh_run()
    assert built == "False"
    for damage in ("{not json", json.dumps({"data": "another table", "keys": {}})):
        stored.write_text(damage, encoding="utf-8")
        assert fresh_run() == [order, "True"]  # the same order, from a collator built again
        assert json.loads(stored.read_text(encoding="utf-8"))["keys"] == keys  # and the file made again
