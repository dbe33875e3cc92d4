"""The one pandoc process: every item comes back whole, alone, and sanitized (real pandoc)."""

from __future__ import annotations

import gc
import json
from pathlib import Path

from anthology.render.convert import PACK, Item, convert

MARKER = "<!--anthology:2-->"


def test_items_are_cut_apart_exactly_even_when_authors_write_the_marker() -> None:
    items = [
        Item("ch-a", f"First chapter says {MARKER} in prose.\n\n    {MARKER} in code\n"),
        Item("ch-b", "Second chapter.\n\n- one\n- two\n"),
        Item("bio-c", "A *short* bio.", inline=True),
        Item("ch-empty", ""),
        Item("ch-d", "Last chapter."),
    ]
    result = convert(items, set())
    assert set(result) == {i.key for i in items}
    first = result["ch-a"].print
    assert "&lt;!–anthology:2–&gt; in prose" in first  # smart dashes in prose
    assert "&lt;!--anthology:2--&gt; in code" in first
    assert "Second" not in first and "<!--" not in first
    assert result["ch-b"].print == "<p>Second chapter.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert result["bio-c"].print == "A <em>short</em> bio."  # inline: no paragraph
    assert result["ch-empty"].print == ""
    assert result["ch-d"].print == "<p>Last chapter.</p>"
    for item in items:  # without notes the two editions are the same HTML
        assert result[item.key].epub == result[item.key].print


def test_notes_float_in_print_and_are_numbered_per_item_in_the_epub() -> None:
    items = [
        Item("ch-a", "One.[^1]\n\n[^1]: Note of A."),
        Item("ch-b", "Two.^[Note of B.]"),
    ]
    result = convert(items, set())
    assert '<span class="footnote">Note of A.</span>' in result["ch-a"].print
    assert "Note of B." not in result["ch-a"].print
    for key, note in (("ch-a", "Note of A."), ("ch-b", "Note of B.")):
        epub = result[key].epub
        assert f'id="{key}-fn1"' in epub and f'href="#{key}-fnref1"' in epub and note in epub
        assert 'class="footnote"' not in epub


def test_unsafe_parts_are_dropped_per_item() -> None:
    items = [Item("ch-a", "[x](file:///etc/passwd) ok"), Item("ch-b", "![p](images/p.png)")]
    result = convert(items, {"images/p.png"})
    assert result["ch-a"].dropped == ("link to file:///etc/passwd",)
    assert "passwd" not in result["ch-a"].print
    assert result["ch-b"].dropped == ()
    assert 'src="images/p.png"' in result["ch-b"].print


def test_results_arrive_in_any_order_and_are_cached(tmp_path: Path) -> None:
    items = [Item(f"ch-{n}", f"Chapter number {n}.") for n in range(60)]  # several batches
    result = convert(items, set(), tmp_path)
    assert result["ch-59"].print == "<p>Chapter number 59.</p>"  # waits for the last batch
    assert result["ch-0"].print == "<p>Chapter number 0.</p>"
    assert list(result) == [i.key for i in items] and len(result) == 60
    assert len(json.loads((tmp_path / PACK).read_text())) == 60
    again = convert(items, set(), tmp_path)  # everything from the cache: no pandoc at all
    assert again._process is None
    assert again["ch-7"] == result["ch-7"]


def test_a_damaged_cache_is_converted_again(tmp_path: Path) -> None:
    items = [Item("ch-a", "Alpha."), Item("ch-b", "Beta.")]
    convert(items, set(), tmp_path)["ch-b"]
    (tmp_path / PACK).write_text('{"x": [1, 2')
    result = convert(items, set(), tmp_path)
    assert result._process is not None
    assert result["ch-a"].print == "<p>Alpha.</p>" and result["ch-b"].print == "<p>Beta.</p>"


def test_pandoc_is_stopped_when_its_results_are_dropped_unread() -> None:
    items = [Item(f"ch-{n}", "Word " * 2000) for n in range(400)]
    result = convert(items, set())
    assert result["ch-0"].print.startswith("<p>Word")
    process = result._process
    assert process is not None and process.poll() is None, "pandoc is still converting the rest"
    del result
    gc.collect()
    assert process.wait(timeout=60) != 0  # killed, not left blocked on a full pipe
