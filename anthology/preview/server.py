"""The preview's web server: the book's pages, its pictures and theme, and nothing else.

A request names a page by its path in the web edition. Anything that is not a plain relative
path (`..`, `%2e%2e`, `//`, backslashes, control characters, percent signs left after
decoding) is refused before any lookup, and the lookup is in a table of the pages, pictures
and theme files the session made, never in the file system: no request can reach authors.yaml
(which holds e-mail addresses), .git, or anything outside the book. Requests whose Host is not
the address the server listens on are refused too (a web page cannot rebind its own domain
to 127.0.0.1 and read the book).
"""

from __future__ import annotations

import mimetypes
import re
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..diagnostics import Diagnostic
from ..render.theme import THEME_DIR
from .session import Session, Snapshot, chapter_named

ASSETS = {"_preview/preview.js": "preview.js", "_preview/preview.css": "preview.css"}
HEAD = '<link rel="stylesheet" href="/_preview/preview.css">\n<script src="/_preview/preview.js" defer></script>\n'
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream (finds closed pages)
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")
_PROOF_PAGE = re.compile(r"^_proof/([a-z0-9]+(?:-[a-z0-9]+)*)\.html$")
_PROOF_PNG = re.compile(r"^_proof/([a-z0-9]+(?:-[a-z0-9]+)*)-([1-9][0-9]{0,3})\.png$")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def site_path(target: str) -> str | None:
    """The page a request target names ('' is the home page), or None if it is not a plain relative path."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    path = urlsplit(target).path[1:]
    try:
        path = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "%" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts[:-1]) or parts[-1] in (".", ".."):
        return None
    return path + "index.html" if path == "" or path.endswith("/") else path


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams end with the server

    def __init__(self, address: tuple[str, int], session: Session) -> None:
        self.session = session
        super().__init__(address, Handler)
        host, port = str(self.server_address[0]), int(self.server_address[1])
        self.url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        bound = str(address[0])
        self.hosts = {f"{name}:{port}" for name in (*LOOPBACK, bound, f"[{bound}]")} if bound in LOOPBACK else None


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows what changed, not every request."""

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def respond(self, send_body: bool) -> None:
        hosts = self.server.hosts
        path = site_path(self.path)
        if path is None or (hosts is not None and self.headers.get("Host", "") not in hosts):
            return self.send(404, "text/plain; charset=utf-8", b"Not found\n", send_body)
        if path == "_events":
            return self.events()
        found = self.find(path)
        if found is None:
            return self.send(404, "text/plain; charset=utf-8", b"Not found\n", send_body)
        self.send(200, *found, send_body)

    def send(self, status: int, kind: str, data: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def find(self, path: str) -> tuple[str, bytes] | None:
        """(content type, bytes) of a page, picture or theme file of the current version."""
        session = self.server.session
        snapshot = session.snapshot
        if path in ASSETS:
            name = ASSETS[path]
            return mimetypes.guess_type(name)[0] or "text/plain", (THEME_DIR / name).read_bytes()
        if snapshot.site is None:
            return "text/html; charset=utf-8", waiting_page(snapshot).encode()
        site = snapshot.site
        if path == "site.css":
            from ..render.site import stylesheet

            return "text/css; charset=utf-8", stylesheet().encode()
        if path in site.pages:
            return "text/html; charset=utf-8", page(session, snapshot, path).encode()
        pictures = {image.href: image for image in site.pictures.by_path.values()}
        if path in pictures:
            return pictures[path].media_type, pictures[path].data
        return self.proof(snapshot, path)

    def proof(self, snapshot: Snapshot, path: str) -> tuple[str, bytes] | None:
        """The print view of a chapter (typeset on demand) and its page images."""
        if (match := _PROOF_PAGE.match(path)) and (chapter := chapter_named(snapshot.book, match.group(1))):
            pngs, failure = self.server.session.proof(chapter)
            images = "".join(
                f'<img src="/_proof/{quote(p.name)}" alt="Page {n} of the typeset chapter" width="660">'
                for n, p in enumerate(pngs, 1)
            )
            body = f'<p class="preview-failure">{escape(failure)}</p>' if failure else images
            title = escape(chapter.title or chapter.id)
            back = (
                quote(snapshot.site.chapter_files[chapter.id])
                if snapshot.site and chapter.id in snapshot.site.chapter_files
                else ""
            )
            html = frame(
                f"Print view: {title}",
                f'<h1>Print view: {title}</h1><p><a href="/{back}">Back to the chapter</a> · '
                f'typeset as in the book, from the last saved version</p><div class="proof-pages">{body}</div>',
                snapshot.version,
            )
            return "text/html; charset=utf-8", html.encode()
        if (match := _PROOF_PNG.match(path)) and chapter_named(snapshot.book, match.group(1)):
            png = self.server.session.out_dir / "proofs" / f"{match.group(1)}-{match.group(2)}.png"
            return ("image/png", png.read_bytes()) if png.is_file() else None
        return None

    def events(self) -> None:
        """Server-sent events: `reload` whenever a newer version of the book is ready."""
        session = self.server.session
        query = parse_qs(urlsplit(self.path).query)
        since = int(query["since"][0]) if query.get("since", [""])[0].isdigit() else session.snapshot.version
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        try:
            while not session.stopping:
                version = session.wait(since, KEEP_ALIVE)
                if version > since:
                    self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                    since = version
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded


def frame(title: str, body: str, version: int) -> str:
    """A page of the preview's own (print view, waiting page)."""
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f'<meta name="anthology-version" content="{version}">\n<link rel="stylesheet" href="/site.css">\n{HEAD}'
        f'</head>\n<body>\n<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def waiting_page(snapshot: Snapshot) -> str:
    failure = snapshot.failure or "The book is being read."
    return frame("Preview", f'<h1>Preview</h1><p class="preview-failure">{escape(failure)}</p>', snapshot.version)


def page(session: Session, snapshot: Snapshot, path: str) -> str:
    """A page of the web edition with the preview's panel: the diagnostics, and a print view link."""
    assert snapshot.site is not None
    site = snapshot.site
    chapter_id = next((cid for cid, file in site.chapter_files.items() if file == path), None)
    chapter = chapter_named(snapshot.book, chapter_id) if chapter_id else None
    report = snapshot.report
    counts = (
        f"{report.errors} error{'s' * (report.errors != 1)}, {report.warnings} warning{'s' * (report.warnings != 1)}"
    )
    status = [f"Preview of the book as saved · {counts} in the book"]
    if chapter is not None:
        status.append(f'<a href="/_proof/{quote(chapter.id)}.html">Print view</a>')
    shown = session.diagnostics(chapter) if chapter is not None or path == "index.html" else []
    items = "".join(diagnostic_item(d, site.chapter_files, snapshot) for d in shown)
    failure = f'<p class="preview-failure">{escape(snapshot.failure)}</p>' if snapshot.failure else ""
    panel = (
        f'<aside class="preview-panel" aria-label="Preview">{failure}<p>{" · ".join(status)}</p>'
        + (f'<ul class="diagnostics">{items}</ul>' if items else "")
        + "</aside>\n"
    )
    head = f'<meta name="anthology-version" content="{snapshot.version}">\n{HEAD}'
    return site.document(path, head, panel)


def diagnostic_item(diagnostic: Diagnostic, chapter_files: dict[str, str], snapshot: Snapshot) -> str:
    """One diagnostic: file and line (linked to the chapter's page), code, message and hint."""
    where = escape(diagnostic.path + (f":{diagnostic.line}" if diagnostic.line else ""))
    chapter = next((c for c in snapshot.book.chapters if c.path == diagnostic.path), None) if snapshot.book else None
    if chapter is not None and chapter.id in chapter_files:
        where = f'<a href="/{quote(chapter_files[chapter.id])}">{where}</a>'
    hint = f'<span class="hint">{escape(diagnostic.hint)}</span>' if diagnostic.hint else ""
    return (
        f'<li class="{diagnostic.severity.value}"><code>{where}</code> <strong>{diagnostic.code}</strong> '
        f"{escape(diagnostic.message)}{hint}</li>"
    )
