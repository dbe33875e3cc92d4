"""Author Markdown -> safe HTML, for the whole book in one pandoc process (see sanitize.lua)."""

from __future__ import annotations

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


def convert(items: list[Item], images: set[str]) -> dict[str, Converted]:
    """Convert all items at once. `images` are the image paths (as written) that may be kept."""
    if not items:
        return {}
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
