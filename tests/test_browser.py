"""The web edition and the preview in a real browser: headless Chromium, axe-core, screenshots.

Skipped, with the reason, where Chromium or axe-core is not installed (see tests/chromium.py);
CI installs both. Screenshots are kept in build/test-artifacts/browser/.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from chromium import Browser, serious, skip_reason
from click.testing import CliRunner
from conftest import copy_sample

from anthology.cli import main
from anthology.preview import Preview, start

CHAPTER = "chapters/carrying-it-over.html"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Not on the test's output."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module's tests; skipped, saying why, where there is none."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    chromium = Browser()
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample book's web edition, served as GitHub Pages would: static files over HTTP."""
    root = copy_sample(tmp_path_factory.mktemp("site") / "book")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--format", "site"])
    assert result.exit_code == 0, result.output
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root / "build" / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = copy_sample(tmp_path / "book")
    running = start(root, root / "build", "127.0.0.1", 0, lambda line: None)
    yield running
    running.stop()


def check_page(browser: Browser, url: str, origin: str, name: str) -> None:
    """Load a page: it shows its title, asks nothing of another host, and axe finds nothing serious."""
    browser.open(url)
    assert browser.evaluate("document.querySelector('h1') !== null && document.title.length > 0")
    assert [u for u in browser.requested() if not u.startswith(origin)] == []
    browser.screenshot(name)
    assert serious(browser.axe()) == []


def page_state(browser: Browser, expression: str) -> bool:
    """`expression` in the open page; False while the page is between two documents (reloading)."""
    try:
        return bool(browser.evaluate(expression))
    except RuntimeError:
        return False


@pytest.mark.parametrize("page", ["index.html", CHAPTER, "authors/index.html", "authors/olga-belova.html"])
def test_site_pages_load_and_pass_axe(browser: Browser, site: str, page: str) -> None:
    check_page(browser, site + page, site, "site-" + page.replace("/", "-").removesuffix(".html"))


def test_the_site_fits_a_phone(browser: Browser, site: str) -> None:
    browser.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=1, mobile=True)
    try:
        for page in ("index.html", CHAPTER):
            browser.open(site + page)
            assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page
            assert browser.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
        browser.screenshot("site-chapter-phone")
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")


def test_preview_pages_load_and_pass_axe(browser: Browser, preview: Preview) -> None:
    check_page(browser, preview.url, preview.url, "preview-home")
    check_page(browser, preview.url + CHAPTER, preview.url, "preview-chapter")


def test_a_saved_chapter_appears_in_the_open_page_where_the_reader_was(
    browser: Browser,
    preview: Preview,
) -> None:
    browser.send("Emulation.setDeviceMetricsOverride", width=800, height=400, deviceScaleFactor=1, mobile=False)
    try:
        browser.open(preview.url + CHAPTER)
        browser.evaluate("window.scrollTo(0, 600); window.scrollY")
        chapter = preview.session.root / "chapters" / "carrying-it-over.md"
        chapter.write_text(
            chapter.read_text(encoding="utf-8") + "\nWritten while the page was open.\n", encoding="utf-8"
        )
        saved = time.monotonic()
        deadline = saved + 10
        shows = "document.body !== null && document.body.innerText.includes('Written while the page was open.')"
        while not page_state(browser, shows):
            assert time.monotonic() < deadline, "the open page did not show the saved text"
            time.sleep(0.02)
        shown = time.monotonic() - saved
        assert shown < 5
        while not page_state(browser, "document.readyState === 'complete'"):
            assert time.monotonic() < deadline
        assert abs(browser.evaluate("window.scrollY") - 600) < 2, "the page did not keep its place"
        browser.screenshot("preview-after-save")
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")
