"""Authors are untrusted: a canary file outside the book, named every way we can think of,
never reaches an output, nothing is fetched from the network, and every attempt is reported."""

from __future__ import annotations

import http.server
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pikepdf
import pytest

from anthology.build import build
from anthology.load import load_book
from anthology.validate import validate

SECRET = "CANARY-SECRET-7f3a9c"
WIDTH, HEIGHT = 37, 41  # an image of this size in the PDF would be the canary


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x12\x34\x56" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(png(WIDTH, HEIGHT))

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A web server on loopback that records every request made to it."""
    Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def attacks(outside: Path, url: str) -> dict[str, str]:
    """Chapter bodies, each trying one way to pull the canary in."""
    png_path, txt_path = outside / "canary.png", outside / "canary.txt"
    return {
        "relative": "![x](../canary.png)",
        "absolute": f"![x]({png_path})",
        "file-url": f"![x](file://{png_path})",
        "dotdot-in-images": "![x](images/../../canary.png)",
        "encoded": "![x](images/%2e%2e/%2e%2e/canary.png)",
        "symlink": "![x](images/evil.png)",
        "file-link": f"[read me](file://{txt_path})",
        "raw-img": '<img src="../canary.png">',
        "raw-style": f"<style>@import url(file://{txt_path});</style>",
        "raw-link": f'<link rel="stylesheet" href="file://{txt_path}">',
        "raw-iframe": f'<iframe src="file://{txt_path}"></iframe>',
        "raw-block": f'```{{=html}}\n<img src="file://{png_path}">\n```',
        "attribute": f'![x](images/dot.png){{style="background: url(file://{png_path})"}}',
        "yaml-block": f"Text.\n\n---\ncss: file://{txt_path}\nheader-includes: <link href='{txt_path}'>\n---\n\nMore.",
        "remote-image": f"![x]({url}/canary.png)",
        "remote-raw": f'<img src="{url}/raw.png">',
    }


@pytest.fixture
def hostile_book(base_book: Path, server: str) -> Path:
    outside = base_book.parent
    (outside / "canary.png").write_bytes(png(WIDTH, HEIGHT))
    (outside / "canary.txt").write_text(SECRET)
    (base_book / "images" / "evil.png").symlink_to(outside / "canary.png")
    for name, body in attacks(outside, server).items():
        (base_book / "chapters" / f"attack-{name}.md").write_text(
            f"---\ntitle: Attack {name}\nauthors: [alice-smith]\nsection: one\n---\nSome words first.\n\n{body}\n"
        )
    (base_book / "chapters" / "attack-front-matter.md").write_text(
        "---\ntitle: Front matter\nauthors: [alice-smith]\nsection: one\ncss: ../canary.txt\n"
        "header-includes: '<link href=\"../canary.txt\">'\n---\nWords.\n"
    )
    authors = (base_book / "authors.yaml").read_text()
    (base_book / "authors.yaml").write_text(
        authors.replace("  github: alice\n", "  github: alice\n  photo: ../canary.png\n").replace(
            "  github: bobj\n", "  github: bobj\n  photo: images/evil.png\n"
        )
    )
    (base_book / "book.yaml").write_text((base_book / "book.yaml").read_text() + "cover: ../canary.png\n")
    return base_book


def test_every_attempt_is_reported_with_its_line(hostile_book: Path, server: str) -> None:
    report = validate(load_book(hostile_book))
    flagged = {d.path for d in report.diagnostics if d.severity.value == "error"}
    for name in attacks(hostile_book.parent, server):
        assert f"chapters/attack-{name}.md" in flagged, name
    assert "chapters/attack-front-matter.md" in flagged
    photo_lines = [d for d in report.diagnostics if d.path == "authors.yaml" and d.code == "C011"]
    assert len(photo_lines) == 2 and all(d.line for d in photo_lines)
    assert all(d.line is not None for d in report.diagnostics if d.path.startswith("chapters/attack-"))


def test_the_canary_never_reaches_an_output(hostile_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = build(load_book(hostile_book), hostile_book / "build", ("pdf", "epub", "html"), draft=True)
    assert len(result.outputs) == 3
    canary_png = (hostile_book.parent / "canary.png").read_bytes()
    for output in result.outputs:
        data = output.path.read_bytes()
        assert SECRET.encode() not in data and canary_png not in data, output.path.name
    with pikepdf.open(next(o.path for o in result.outputs if o.path.suffix == ".pdf")) as pdf:
        assert not pdf.attachments
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert SECRET.encode() not in obj.read_bytes()
                if obj.get("/Subtype") == "/Image":
                    assert (int(obj.Width), int(obj.Height)) != (WIDTH, HEIGHT)
    with zipfile.ZipFile(next(o.path for o in result.outputs if o.path.suffix == ".epub")) as epub:
        for name in epub.namelist():
            data = epub.read(name)
            assert SECRET.encode() not in data and data != canary_png, name
            assert "canary" not in name and "evil" not in name
    assert Recorder.requests == [], "the build reached the network"


def test_nothing_is_read_from_outside_the_book(hostile_book: Path) -> None:
    """The loader itself refuses a chapter that is a symlink to a file outside the book."""
    (hostile_book / "chapters" / "linked.md").symlink_to(hostile_book.parent / "canary.txt")
    book = load_book(hostile_book)
    assert all(SECRET not in c.body for c in book.chapters)
    assert any(p.path == "chapters/linked.md" and p.problem.code == "F001" for p in book.problems)
