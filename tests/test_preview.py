"""`anthology preview`: a real server on a free port, real files saved, real sockets and HTTP."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from anthology.cli import main
from anthology.preview import Preview, start
from anthology.preview.server import site_path
from anthology.preview.watch import is_source

CHAPTER = "chapters/carrying-it-over.md"


@pytest.fixture
def running(sample_book: Path) -> Iterator[Preview]:
    preview = start(sample_book, sample_book / "build", "127.0.0.1", 0, lambda line: None)
    yield preview
    preview.stop()


def port_of(preview: Preview) -> int:
    return int(preview.server.server_address[1])


def get(preview: Preview, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port_of(preview), timeout=60)
    connection.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read()


def raw(preview: Preview, target: str) -> bytes:
    """Send a request line exactly as given (no client normalises it) and return the whole answer."""
    with socket.create_connection(("127.0.0.1", port_of(preview)), timeout=10) as connection:
        host = f"127.0.0.1:{port_of(preview)}"
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_the_preview_serves_the_books_pages(running: Preview) -> None:
    status, home = get(running, "/")
    assert status == 200 and b"<h1>Everyone Is Somewhere Else</h1>" in home
    assert b'class="preview-panel"' in home and b"/_preview/preview.js" in home
    status, chapter = get(running, "/chapters/carrying-it-over.html")
    assert status == 200 and b"Carrying It Over" in chapter and b'href="/_proof/carrying-it-over.html"' in chapter
    for path in ("/authors/index.html", "/authors/", "/pages/foreword.html", "/site.css", "/_preview/preview.js"):
        assert get(running, path)[0] == 200, path
    status, image = get(running, "/images/desk.png")
    assert status == 200 and image.startswith(b"\x89PNG")


def test_a_save_reloads_open_pages_with_the_new_text(running: Preview, sample_book: Path) -> None:
    version = running.session.snapshot.version
    events = http.client.HTTPConnection("127.0.0.1", port_of(running), timeout=10)
    events.request("GET", f"/_events?since={version}")
    stream = events.getresponse()
    assert stream.status == 200 and stream.getheader("Content-Type") == "text/event-stream"
    chapter = sample_book / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA sentence saved just now.\n", encoding="utf-8")
    assert stream.fp.readline() == b"event: reload\n"
    assert stream.fp.readline() == f"data: {version + 1}\n".encode()
    events.close()
    assert b"A sentence saved just now." in get(running, "/chapters/carrying-it-over.html")[1]


def test_the_panel_shows_the_chapters_diagnostics_with_file_and_line(running: Preview, sample_book: Path) -> None:
    chapter = sample_book / CHAPTER
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("---\n", "---\nmood: wistful\n", 1), encoding="utf-8"
    )
    deadline = time.monotonic() + 10
    while running.session.snapshot.report.errors == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    page = get(running, "/chapters/carrying-it-over.html")[1].decode()
    assert f'<code><a href="/chapters/carrying-it-over.html">{CHAPTER}:2</a></code> <strong>S003</strong>' in page
    assert "1 error, 0 warnings in the book" in page
    other = get(running, "/chapters/four-hundred-words.html")[1].decode()
    assert "S003" not in other and "1 error" in other  # the count, but not another chapter's problems
    assert "S003" in get(running, "/")[1].decode()  # the home page lists them all


UNSERVED = [
    "/../authors.yaml",
    "/../../../../etc/passwd",
    "/%2e%2e/authors.yaml",
    "/%2E%2E%2Fauthors.yaml",
    "/images/../authors.yaml",
    "/images/%2e%2e/authors.yaml",
    "/images/..%2fauthors.yaml",
    "/%252e%252e/authors.yaml",
    "/images\\..\\authors.yaml",
    "//etc/passwd",
    "/etc/passwd",
    "/authors.yaml",
    "/book.yaml",
    "/chapters/carrying-it-over.md",
    "/.git/config",
    "/build/.cache/convert/conversions.json",
    "/images/leak.png",
    "/images/outside.png",
    "/chapters/./carrying-it-over.html",
    "/chapters//carrying-it-over.html",
    "/images/desk.png%00.html",
    "http://127.0.0.1/authors.yaml",
    "authors.yaml",
    "/_proof/../authors.yaml",
    "/_proof/carrying-it-over-1.png",  # no proof made yet
]


def test_nothing_but_the_pages_pictures_and_theme_is_served(running: Preview, sample_book: Path) -> None:
    (sample_book / "images" / "leak.png").symlink_to("../authors.yaml")
    (sample_book / "images" / "outside.png").symlink_to("/etc/passwd")
    for target in UNSERVED:
        answer = raw(running, target)
        assert answer.startswith(b"HTTP/1.1 404 "), (target, answer[:200])
        assert b"example.org" not in answer and b"root:" not in answer, target


def test_a_symlinked_picture_out_of_the_book_is_not_served_even_when_a_chapter_shows_it(
    sample_book: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes((sample_book / "images" / "desk.png").read_bytes() + b"SECRET")
    (sample_book / "images" / "elsewhere.png").symlink_to(secret)
    chapter = sample_book / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![A picture](images/elsewhere.png)\n", encoding="utf-8")
    preview = start(sample_book, sample_book / "build", "127.0.0.1", 0, lambda line: None)
    try:
        assert get(preview, "/images/elsewhere.png")[0] == 404
        page = get(preview, "/chapters/carrying-it-over.html")[1]
        assert b'src="../images/elsewhere.png"' not in page
    finally:
        preview.stop()


def test_requests_for_another_host_name_are_refused(running: Preview) -> None:
    assert get(running, "/", host=f"localhost:{port_of(running)}")[0] == 200
    assert get(running, "/", host=f"attacker.example:{port_of(running)}")[0] == 404  # DNS rebinding


def test_request_paths() -> None:
    assert site_path("/") == "index.html"
    assert site_path("/authors/") == "authors/index.html"
    assert site_path("/chapters/a%20b.html?x=1#top") == "chapters/a b.html"
    for bad in ("/..", "/a/../b", "/%2e%2e/a", "//a", "/a\\b", "/%25", "/a%00", "a", "/a/./b", "/%ff"):
        assert site_path(bad) is None, bad


def test_the_print_view_typesets_the_chapter_on_demand(running: Preview) -> None:
    status, page = get(running, "/_proof/carrying-it-over.html")
    assert status == 200, page
    assert b'<img src="/_proof/carrying-it-over-1.png"' in page
    status, png = get(running, "/_proof/carrying-it-over-1.png")
    assert status == 200 and png.startswith(b"\x89PNG")
    assert get(running, "/_proof/no-such-chapter.html")[0] == 404


def test_another_host_is_a_warning(sample_book: Path) -> None:
    said: list[str] = []
    preview = start(sample_book, sample_book / "build", "0.0.0.0", 0, said.append)
    try:
        assert any(line.startswith("Warning: serving on 0.0.0.0") for line in said)
    finally:
        preview.stop()


def test_a_port_in_use_is_a_clear_error(sample_book: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["preview", "--root", str(sample_book), "--port", str(port)])
    assert result.exit_code == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in result.output and "Traceback" not in result.output


def test_ctrl_c_stops_the_preview_cleanly(sample_book: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from anthology.cli import main; main()",
            "preview",
            "--root",
            str(sample_book),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "Previewing" in line and "http://127.0.0.1:" in line
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Stopping." in err and "Traceback" not in err


def test_a_book_that_cannot_be_read_keeps_the_last_pages_and_says_why(running: Preview, sample_book: Path) -> None:
    (sample_book / "book.yaml").rename(sample_book / "book.yaml.away")
    deadline = time.monotonic() + 10
    while not running.session.snapshot.failure and time.monotonic() < deadline:
        time.sleep(0.05)
    status, page = get(running, "/chapters/carrying-it-over.html")
    assert status == 200 and b"Carrying It Over" in page
    assert b'class="preview-failure">No book.yaml in' in page


def test_only_the_books_sources_wake_the_preview(tmp_path: Path) -> None:
    root = tmp_path / "book"
    out = root / "build"
    for source in ("chapters/a.md", "front/f.md", "images/x.png", "book.yaml", "authors.yaml"):
        assert is_source(root, out, str(root / source)), source
    for other in ("build/proofs/a-1.png", ".git/index", "chapters/.a.md.swp", "chapters/a.md~", "notes.txt", "../x.md"):
        assert not is_source(root, out, str(root / other)), other
