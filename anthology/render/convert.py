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
from typing import Any

from ..errors import AnthologyError

# Raw HTML/TeX/attributes, YAML blocks, citations and title blocks are all off: authors are untrusted.
READER = (
    "markdown-raw_html-raw_attribute-raw_tex-yaml_metadata_block-citations-pandoc_title_block-markdown_in_html_blocks"
)
SCRIPT = Path(__file__).with_name("sanitize.lua")
PACK = "conversions.json"  # in the cache folder: every text's conversion, keyed by its hash


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

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Converted:
        """As sanitize.lua writes it and the cache pack keeps it."""
        return cls(value["print"], value["epub"], tuple(value["dropped"] or ()))

    def as_json(self) -> dict[str, Any]:
        return {"print": self.print, "epub": self.epub, "dropped": list(self.dropped)}


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

    def __init__(
        self,
        keys: list[str],
        known: dict[str, Converted],
        todo: list[Item],
        images: set[str],
        cache: Path | None,
        cache_keys: dict[str, str],
    ) -> None:
        self._keys = keys
        self._known = known
        self._cache = cache
        self._cache_keys = cache_keys
        self._process: subprocess.Popen[bytes] | None = None
        if todo:
            self._errors = tempfile.TemporaryFile()  # noqa: SIM115  (pandoc's stderr, read when it ends)
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

    def __getstate__(self) -> dict[str, object]:
        """Every conversion, read to the end, for another process (the EPUB is packaged in a
        layout worker): no pandoc process or open file goes with it."""
        while self._process is not None:
            self._read_batch()
        return {"_keys": self._keys, "_known": self._known, "_cache": None, "_cache_keys": {}, "_process": None}

    def __len__(self) -> int:
        return len(self._keys)

    def _read_batch(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if line:
            for key, value in json.loads(line).items():
                self._known[key] = Converted.from_json(value)
        if not line or len(self._known) == len(self._keys):
            self._finish()

    def _finish(self) -> None:
        """Pandoc has written everything: check that it ended well and keep the results."""
        assert self._process is not None and self._process.stdout is not None
        self._process.stdout.read()
        status = self._process.wait()
        self._process = None
        if status != 0 or len(self._known) != len(self._keys):
            self._errors.seek(0)
            message = self._errors.read().decode(errors="replace").strip()[:2000]
            raise AnthologyError(
                f"pandoc failed: {message or 'it stopped before converting every text'}",
                "This is a bug in anthology; please report it with the chapter that triggers it.",
            )
        self._save()

    def _save(self) -> None:
        """Write the cache pack: this book's conversions, by hash (entries of removed texts go)."""
        if self._cache is None:
            return
        from ..fileio import write_atomically

        pack = {self._cache_keys[key]: converted.as_json() for key, converted in self._known.items()}
        write_atomically(self._cache / PACK, json.dumps(pack, ensure_ascii=False).encode())


def _read_pack(cache: Path | None) -> dict[str, Converted]:
    """The cached conversions by hash; nothing when the pack is missing or damaged."""
    if cache is None:
        return {}
    try:
        pack = json.loads((cache / PACK).read_text(encoding="utf-8"))
        return {key: Converted.from_json(value) for key, value in pack.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # missing or damaged: convert everything again


def convert(items: list[Item], images: set[str], cache: Path | None = None) -> Conversions:
    """Convert all items in one pandoc process. `images` are the image paths that may be kept.

    With `cache`, each item's result is kept under its hash (input, reader, filter, images)
    in one pack file (one read instead of a file per text), and only new or changed items
    go to pandoc. Results are in the order of `items`.
    """
    salt = json.dumps([READER, sorted(images), pandoc_path()]).encode() + SCRIPT.read_bytes()
    keys = {item.key: _key(item, salt) for item in items}
    packed = _read_pack(cache)
    if cache is not None and cache.is_dir():
        from ..fileio import remove_stale

        remove_stale(cache, {PACK})  # e.g. the file-per-text entries of earlier versions
    known = {item.key: packed[keys[item.key]] for item in items if keys[item.key] in packed}
    todo = [item for item in items if item.key not in known]
    return Conversions([item.key for item in items], known, todo, images, cache, keys)
