"""C: what an untrusted author could smuggle into the book through Markdown.

Chapters, front and back pages and author biographies (inline Markdown) are scanned by
`markdown.scan`; the rules here turn its findings into diagnostics. Raw HTML, TeX and format
blocks could run scripts in the e-book or commands in the typesetter; links and images could
point at the reader's or the build machine's files.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from ..fileio import inside
from ..markdown import Link, Scan, scan
from ..model import AUTHORS_FILE, IMAGES_DIR, Book
from .names import author_texts, shown
from .registry import Finding, rule

SAFE_LINK_SCHEMES = ("http", "https", "mailto")

# --- what to scan ------------------------------------------------------------------------------

_scan_text = lru_cache(maxsize=8192)(scan)  # pages and bios; chapters cache their own scan


@dataclass(frozen=True)
class _Text:
    """One scanned piece of Markdown and where its lines are in its file."""

    path: str
    scan: Scan
    first_line: int
    single_line: bool = False  # a YAML value: every finding goes to the key's line

    def line(self, body_line: int) -> int:
        return self.first_line if self.single_line else self.first_line + body_line - 1


def _texts(book: Book) -> Iterator[_Text]:
    for chapter in book.chapters:
        yield _Text(chapter.path, chapter.scan, chapter.body_line)
    for page in (*book.front, *book.back):
        yield _Text(page.path, _scan_text(page.body), page.body_line)
    for author, bio in author_texts(book, "bio"):
        yield _Text(AUTHORS_FILE, _scan_text(bio), author.line_of("bio"), single_line=True)


def _quoted(snippet: str) -> str:
    return shown(" ".join(snippet.split("\n")), 60)


# --- C001-C007: forbidden constructs -----------------------------------------------------------


def _constructs(book: Book, kind: str, what: str, hint: str) -> Iterator[Finding]:
    """One finding per line with constructs of `kind` (`<b>x</b>` is one problem, not two)."""
    for text in _texts(book):
        lines: set[int] = set()
        for found in text.scan.constructs:
            line = text.line(found.line)
            if found.kind == kind and line not in lines:
                lines.add(line)
                yield Finding(text.path, line, f"{what}: '{_quoted(found.snippet)}'", hint)


@rule("C001", "raw-html")
def raw_html(book: Book) -> Iterator[Finding]:
    """Raw HTML (a tag such as `<span>` or `<img …>`, or an `<!-- comment -->`) in the text.

    HTML passes straight into the e-book, where it can run scripts, load files from the
    internet or break the layout. Use Markdown instead: *italic*, **bold**, [links](https://…).
    To show a tag as text, put it in backticks: `` `<br>` ``.
    """
    return _constructs(
        book,
        "raw_html",
        "HTML is not allowed",
        "Remove the HTML and use Markdown (*italic*, **bold**, [text](https://…)). To show a tag as text, "
        "put it between backticks: `<b>`. Comments (<!-- … -->) are HTML too: delete them.",
    )


@rule("C002", "raw-format-block")
def raw_format_block(book: Book) -> Iterator[Finding]:
    """A raw format block or span, such as ```` ```{=html} ```` or `` `\\newpage`{=latex} ``.

    Raw blocks are copied unchecked into one output format (HTML, LaTeX, …), so they can
    run scripts or typesetter commands. Write the passage in plain Markdown instead.
    """
    return _constructs(
        book,
        "raw_attribute",
        "Raw format block is not allowed",
        "Remove the {=…} marker and write the passage in plain Markdown; the book's design takes care of the layout.",
    )


@rule("C003", "attribute")
def attribute(book: Book) -> Iterator[Finding]:
    """An attribute block such as `{.class}`, `{#id}`, `{style="…"}` or `{onclick=…}`.

    Attributes set styles, identifiers and event handlers in the output, which can break
    the book's design or run scripts. Remove the `{…}` after the text; the book's design
    decides how things look.
    """
    return _constructs(
        book,
        "attribute",
        "Attribute block is not allowed",
        "Remove the part in curly braces {…}; how the text looks is decided by the book's design. "
        "If you need braces as text, write \\{ and \\}.",
    )


@rule("C004", "raw-tex")
def raw_tex(book: Book) -> Iterator[Finding]:
    """A TeX or LaTeX command such as `\\newpage` or `\\input{…}`.

    TeX commands go straight to the typesetter, where they can read files on the build
    machine or wreck the page layout. Remove the command; page breaks and spacing are the
    editors' job. To print a backslash, write `\\\\`.
    """
    return _constructs(
        book,
        "raw_tex",
        "TeX command is not allowed",
        "Remove the command starting with a backslash; page layout is the editors' job. To print a "
        "backslash, write two: \\\\.",
    )


@rule("C005", "citation")
def citation(book: Book) -> Iterator[Finding]:
    """A citation such as `[@smith2020]` or `@smith2020`.

    The book has no bibliography, so a citation key would print as a broken reference.
    Write the reference out in words. To write an @ (a social-media handle), put a
    backslash before it: `\\@name`.
    """
    return _constructs(
        book,
        "citation",
        "Citation is not supported",
        "Write the reference out in words (author, title, year). To write an @, e.g. a handle, put a "
        "backslash before it: \\@name.",
    )


@rule("C006", "yaml-block")
def yaml_block(book: Book) -> Iterator[Finding]:
    """A YAML block (`---`, then `key: value` lines, then `---`) in the middle of the text.

    pandoc reads such a block as settings for the whole book, so one chapter could change
    the title, the authors or the typesetting of everybody's book. For a scene break use
    `***` on its own line between blank lines.
    """
    return _constructs(
        book,
        "yaml_block",
        "Settings block in the text is not allowed",
        "Remove the block between the --- lines. For a scene break, put *** on its own line with an empty "
        "line before and after it.",
    )


@rule("C007", "unclosed-fence")
def unclosed_fence(book: Book) -> Iterator[Finding]:
    """A code block opened with ```` ``` ```` or `~~~` is never closed.

    Everything after the opening line would be shown as code, or not at all. Add a line
    with the same fence (```` ``` ````) where the code ends.
    """
    return _constructs(
        book,
        "unclosed_fence",
        "Code block is never closed",
        "Add a line with the same ``` (or ~~~) where the code ends, or remove the opening line.",
    )


# --- C008 links --------------------------------------------------------------------------------

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def unescape(target: str) -> str:
    """A link target as pandoc passes it on: backslash escapes and HTML entities (`&#58;`) decoded."""
    return html.unescape(_ESCAPED.sub(r"\1", target))


def _visible(text: str) -> str:
    """`text` without the spaces and control or invisible characters that browsers skip in addresses."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c)[0] != "C")


def scheme(target: str) -> str | None:
    """The scheme a browser would see (`JaVa\tScript:` -> `javascript`), or None for a relative target."""
    match = _SCHEME.match(_visible(unescape(target)))
    return match.group(1).lower() if match else None


_BARE_EMAIL = re.compile(r"[^@/:]+@[^@/:]+\.[^@/:]+")  # <ana@example.org> becomes a mailto: link


def link_problem(target: str) -> str | None:
    """Why a link target is not a web or e-mail address or a #heading, or None if it is one."""
    visible = _visible(unescape(target))
    found = scheme(target)
    if not visible or visible.startswith("#") or found in SAFE_LINK_SCHEMES or _BARE_EMAIL.fullmatch(visible):
        return None
    if found is not None:
        return f"uses '{found}:', which is not allowed"
    return "is not a web address (https://…): it would open a file on the reader's computer"


def _links(book: Book, images: bool) -> Iterator[tuple[_Text, Link]]:
    for text in _texts(book):
        for link in text.scan.links:
            if link.image == images:
                yield text, link


@rule("C008", "unsafe-link")
def unsafe_link(book: Book) -> Iterator[Finding]:
    """A link that is not a web address, an e-mail address or a place in the book.

    Links may start with `https://`, `http://` or `mailto:`, or be `#a-heading`. Others
    (`javascript:`, `data:`, `file:`, `vbscript:`, …, in any capitals and even with spaces
    hidden inside, or plain file paths like `/etc/passwd`) can run scripts or open files on
    the reader's computer. Link to the web page instead, or remove the link.
    """
    for text, link in _links(book, images=False):
        problem = link_problem(link.target)
        if problem:
            yield Finding(
                text.path,
                text.line(link.line),
                f"Link '{shown(link.target, 60)}' {problem}",
                "Link only to web pages (https://…), e-mail addresses (mailto:…) or headings of the book (#…); "
                "remove this link or replace its address.",
            )


# --- C009-C011 images and photos ---------------------------------------------------------------


def _outside_images(root: Path, path: str) -> str | None:
    """Why the file `path` names is not under images/ once `..` and links are resolved, else None."""
    try:
        real = inside(root, path)
        images = root.resolve() / IMAGES_DIR
    except (OSError, RuntimeError, ValueError):  # link loops, NUL bytes, over-long names
        return "cannot be opened (a link that loops, or a path that is too long)"
    if real == images:
        return "is the images/ folder itself, not a picture in it"
    if real is not None and real.is_relative_to(images):
        return None
    if posixpath.normpath(path).startswith(IMAGES_DIR + "/"):
        return "is a link to a file outside images/"
    return "lies outside the images/ folder"


def image_problem(root: Path, target: str) -> tuple[bool, str] | None:
    """(unsafe, why) for a picture path that must name a file under images/, or None if it does.

    Unsafe: remote, protocol-relative, absolute, with a scheme, or outside images/ after
    `..`, percent-escapes and symbolic links are resolved. Safe but not a file: missing.
    """
    path = unescape(target)
    visible = _visible(path)
    found = scheme(target)
    if not visible:
        return True, "has no path"
    if found is not None:
        if found in ("http", "https"):
            return True, "is a picture on the internet, not a file in images/"
        where = "a file on your own computer" if len(found) == 1 else f"a '{found}:' address"
        return True, f"is {where}, not a file in images/"
    if visible.startswith(("//", "\\\\")):
        return True, "is on another web site, not in images/"
    if visible.startswith(("/", "\\")):
        return True, "is an absolute path, not a path in images/"
    candidates = dict.fromkeys(p.replace("\\", "/") for p in (path, unquote(path)))
    for candidate in candidates:
        why = _outside_images(root, candidate)
        if why:
            return True, why
    try:
        exists = any((root / candidate).is_file() for candidate in candidates)
    except (OSError, ValueError):
        exists = False
    return None if exists else (False, "does not exist")


def _images(book: Book, unsafe: bool) -> Iterator[Finding]:
    for text, link in _links(book, images=True):
        problem = image_problem(book.root, link.target)
        if problem is not None and problem[0] == unsafe:
            yield Finding(
                text.path,
                text.line(link.line),
                f"Image '{shown(link.target, 60)}' {problem[1]}",
                "Put the picture file in the book's images/ folder and refer to it as images/name.png."
                if unsafe
                else "Add the picture to the images/ folder, or correct the file name (capitals count).",
            )


@rule("C009", "unsafe-image")
def unsafe_image(book: Book) -> Iterator[Finding]:
    """An image that is not a file in the book's `images/` folder.

    Pictures from the internet (`https://…`, `//…`), absolute paths (`/…`), `data:` and
    other addresses, paths leading out with `..`, and links to files elsewhere could
    track readers or copy private files from the build machine into the book. Put the
    picture in `images/` and write `![Description](images/name.png)`.
    """
    return _images(book, unsafe=True)


@rule("C010", "missing-image")
def missing_image(book: Book) -> Iterator[Finding]:
    """An image path in `images/` that does not exist.

    The book cannot be built with a missing picture. Check the spelling and capitals of the
    file name, and that the picture was added to the `images/` folder in the same change.
    """
    return _images(book, unsafe=False)


@rule("C011", "unsafe-photo")
def unsafe_photo(book: Book) -> Iterator[Finding]:
    """An author's `photo` is not an existing file in `images/`.

    The photo is printed with the biography, so, like pictures in chapters, it must be a
    file in the book's `images/` folder, written as `images/name.jpg`, and not an internet
    address or a path to elsewhere.
    """
    for author, photo in author_texts(book, "photo"):
        problem = image_problem(book.root, photo)
        if problem is not None:
            yield Finding(
                AUTHORS_FILE,
                author.line_of("photo"),
                f"Photo '{shown(photo, 60)}' of author '{author.id}' {problem[1]}",
                "Add your photo to the images/ folder and write its path, like 'photo: images/your-name.jpg'.",
            )
