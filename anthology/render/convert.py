"""Author Markdown -> safe HTML, for the whole book in one pandoc process (see sanitize.lua)."""

from __future__ import annotations

import hashlib
import json
import subprocess
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


def convert(items: list[Item], images: set[str], cache: Path | None = None) -> dict[str, Converted]:
    """Convert all items in one pandoc process. `images` are the image paths that may be kept.

    With `cache`, each item's result is kept under its hash (input, reader, filter, images)
    and only new or changed items go to pandoc.
    """
    salt = json.dumps([READER, sorted(images), pandoc_path()]).encode() + SCRIPT.read_bytes()
    keys = {item.key: _key(item, salt) for item in items}
    result: dict[str, Converted] = {}
    for item in items:
        entry = cache / f"{keys[item.key]}.json" if cache is not None else None
        try:
            if entry is not None:
                value = json.loads(entry.read_text(encoding="utf-8"))
                result[item.key] = Converted(value["print"], value["epub"], tuple(value["dropped"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or corrupt: convert again
    todo = [item for item in items if item.key not in result]
    fresh = _run_pandoc(todo, images) if todo else {}
    if cache is not None:
        from ..build import write_atomically

        for key, value in fresh.items():
            data = {"print": value.print, "epub": value.epub, "dropped": list(value.dropped)}
            write_atomically(cache / f"{keys[key]}.json", json.dumps(data, ensure_ascii=False).encode())
    return {item.key: result.get(item.key) or fresh[item.key] for item in items}


def _run_pandoc(items: list[Item], images: set[str]) -> dict[str, Converted]:
    payload = json.dumps(
        {"reader": READER, "images": sorted(images), "items": [item.__dict__ for item in items]},
        ensure_ascii=False,
    )
    process = subprocess.run(
        [pandoc_path(), "lua", str(SCRIPT)],
        input=payload.encode(),
        capture_output=True,
        check=False,
        env={"LANG": "C.UTF-8", "PATH": ""},
    )
    if process.returncode != 0:
        raise AnthologyError(
            "pandoc failed: " + process.stderr.decode(errors="replace").strip()[:2000],
            "This is a bug in anthology; please report it with the chapter that triggers it.",
        )
    data = json.loads(process.stdout)
    return {
        key: Converted(value["print"], value["epub"], tuple(value["dropped"] or ()))
        for key, value in data.items()
    }
