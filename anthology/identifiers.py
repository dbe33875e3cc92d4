"""What an id is (authors, chapters, sections, the output file's slug), in one place.

The contract's pattern `^[a-z0-9]+(-[a-z0-9]+)*$` and the way a title or name becomes one, used
alike by the loader's rules, `anthology new`, the build's file names and the editions' anchors.
"""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_RULE = "lower-case letters a-z, digits and single hyphens"


def is_id(text: str) -> bool:
    """Whether `text` is a valid author, chapter or section id (`^[a-z0-9]+(-[a-z0-9]+)*$`)."""
    return ID_PATTERN.fullmatch(text) is not None


def slugify(text: str) -> str:
    """The id closest to `text`: accents dropped, lower case, other characters as single hyphens."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")
