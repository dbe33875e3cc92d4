"""Author Markdown -> safe HTML, for the whole book in one pandoc process (see sanitize.lua)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import AnthologyError

# Raw HTML/TeX/attributes, YAML blocks, citations and title blocks are all off: authors are untrusted.
READER = (
    "markdown-raw_html-raw_attribute-raw_tex-yaml_metadata_block-citations-pandoc_title_block"
    "-markdown_in_html_blocks"
)
SCRIPT = Path(__file__).with_name("sanitize.lua")


@dataclass(frozen=True)
class Item:
    """One piece of author text to convert; `key` must be unique and is the HTML id prefix."""

    key: str
    markdown: str
    inline: bool = False


@dataclass(frozen=True)
class Converted:
    print: str  # footnotes as spans floated to the page foot
    epub: str  # footnotes as endnotes
    dropped: tuple[str, ...]  # what the sanitizer removed (for the editor)


def pandoc_path() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def _key(item: Item, salt: bytes) -> str:
    digest = hashlib.sha256(salt)
    digest.update(json.dumps([item.key, item.inline, item.markdown], ensure_ascii=False).encode())
    return digest.hexdigest()


class Conversions(Mapping[str, Converted]):
    """Every item's conversion by key. Those pandoc is still working on arrive as they are read:
    looking one up waits for it, so the caller can use the first items (lay out the first
    chapters) while pandoc converts the rest.

    Pandoc is read from the calling thread (no helper thread: the layout workers are forked);
    it is stopped if this object is dropped before everything was read.
    """

    def __init__(self, keys: list[str], known: dict[str, Converted], todo: list[Item], images: set[str],
                 cache: Path | None, cache_keys: dict[str, str]) -> None:
        self._keys = keys
        self._known = known
        self._cache = cache
        self._cache_keys = cache_keys
        self._process: subprocess.Popen[bytes] | None = None
        if todo:
            self._errors = tempfile.TemporaryFile()
            payload = json.dumps(
                {"reader": READER, "images": sorted(images), "items": [item.__dict__ for item in todo]},
                ensure_ascii=False,
            ).encode()
            self._process = subprocess.Popen(
                [pandoc_path(), "lua", str(SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                env={"LANG": "C.UTF-8", "PATH": ""},
            )
            weakref.finalize(self, self._process.kill)
            assert self._process.stdin is not None
            try:
                self._process.stdin.write(payload)  # pandoc reads all of it before it writes
                self._process.stdin.close()
            except BrokenPipeError:
                pass  # pandoc ended early: its exit status and message are reported below

    def __getitem__(self, key: str) -> Converted:
        while key not in self._known and self._process is not None:
            self._read_batch()
        return self._known[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def _read_batch(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            status = self._process.wait()
            self._process = None
            self._errors.seek(0)
            message = self._errors.read().decode(errors="replace").strip()[:2000]
            if status != 0:
                raise AnthologyError(
                    f"pandoc failed: {message}",
                    "This is a bug in anthology; please report it with the chapter that triggers it.",
                )
            return
        for key, value in json.loads(line).items():
            converted = Converted(value["print"], value["epub"], tuple(value["dropped"] or ()))
            self._known[key] = converted
            if self._cache is not None:
                from ..build import write_atomically

                data = {"print": converted.print, "epub": converted.epub, "dropped": list(converted.dropped)}
                write_atomically(self._cache / f"{self._cache_keys[key]}.json", json.dumps(data, ensure_ascii=False).encode())


def convert(items: list[Item], images: set[str], cache: Path | None = None) -> Conversions:
    """Convert all items in one pandoc process. `images` are the image paths that may be kept.

    With `cache`, each item's result is kept under its hash (input, reader, filter, images)
    and only new or changed items go to pandoc. Results are in the order of `items`.
    """
    salt = json.dumps([READER, sorted(images), pandoc_path()]).encode() + SCRIPT.read_bytes()
    keys = {item.key: _key(item, salt) for item in items}
    known: dict[str, Converted] = {}
    for item in items:
        entry = cache / f"{keys[item.key]}.json" if cache is not None else None
        try:
            if entry is not None:
                value = json.loads(entry.read_text(encoding="utf-8"))
                known[item.key] = Converted(value["print"], value["epub"], tuple(value["dropped"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or corrupt: convert again
    todo = [item for item in items if item.key not in known]
    return Conversions([item.key for item in items], known, todo, images, cache, keys)
