"""Reading author-supplied files safely: text decoding, strict YAML with line numbers, front matter.

Nothing here raises on bad input. Every function returns what it could read plus a list of
`Problem`s (code, line, message, hint) that the loader turns into diagnostics.

YAML is parsed with PyYAML's composer (libyaml, fast) but *not* constructed by it: we walk the
node graph ourselves so that duplicate keys are reported instead of silently overwritten, tags,
anchors and aliases are refused (no alias bombs), nesting depth is bounded, and plain scalars
follow the YAML 1.2 core schema (`no` stays a string, `0777` stays a number written in decimal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

MAX_FILE_BYTES = 1_000_000  # a chapter; authors.yaml of a large book may need more
MAX_YAML_BYTES = 16_000_000
MAX_DEPTH = 20

try:  # libyaml when available: about 10x faster on large authors.yaml files
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]
    """No YAML 1.1 implicit types (dates, `yes`, `=`): plain scalars are resolved by _plain_scalar."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[object]]] = {}


def _too_deep(text: str) -> int | None:
    """The line where nesting first exceeds MAX_DEPTH, found without recursion.

    libyaml's composer recurses once per level and overflows the C stack (a crash, not an
    exception) on a few kilobytes of `[[[[…`; the event stream is flat and safe to walk.
    """
    if sum(text.count(c) for c in "[{-?\n") < MAX_DEPTH:
        return None  # too few openers to nest that deep (typical front matter): skip the walk
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(event.start_mark.line) if event.start_mark else 0
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:  # libyaml 0.2.6+ stops at its own depth limit (1,000)
        if "nesting depth" in (exc.problem or "") and exc.problem_mark is not None:
            return int(exc.problem_mark.line)
        raise
    return None


@dataclass(frozen=True)
class Problem:
    """A problem found while reading a file; `line` is 1-based within that file."""

    code: str
    line: int | None
    message: str
    hint: str = ""


class YamlMap(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of itself, of each key and of each value."""

    line: int
    key_lines: dict[str, int]
    end_line: int

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list):  # type: ignore[type-arg]
    """A sequence that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


# --- text -----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 text as every book file is read: a BOM and CRLF or CR line ends accepted.

    Raises UnicodeDecodeError; data with a NUL byte (binary) is the caller's to refuse first."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file (BOM and CRLF accepted); refuse binary, other encodings and huge files."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [
                Problem(
                    "F002",
                    None,
                    f"File is {size:,} bytes; the limit is {limit:,}",
                    "Split or shorten the file; chapters are short texts.",
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem("F001", None, f"Cannot read file: {exc.strerror}", "Check the file's permissions.")]
    if b"\x00" in data:
        return None, [
            Problem("F001", None, "File is binary, not text", "Save it as plain UTF-8 text (Markdown or YAML).")
        ]
    try:
        return decode(data), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                "F001",
                line,
                f"File is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                "Save the file as UTF-8 in your editor (File > Save with encoding > UTF-8).",
            )
        ]


# --- front matter ---------------------------------------------------------------------------

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split in two; line numbers let diagnostics point into the original file."""

    yaml_text: str | None
    yaml_line: int  # line of the first YAML line in the file
    body: str
    body_line: int  # line of the first body line in the file


def split_front_matter(text: str) -> tuple[FrontMatter, list[Problem]]:
    """Split `---` front matter from the body, keeping line offsets."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter(None, 1, text, 1), [
            Problem(
                "F006",
                1,
                "File does not start with front matter",
                "Begin the file with a line '---', then 'title: …' and 'authors: [your-id]', then '---'.",
            )
        ]
    for index in range(1, len(lines)):
        if _END.match(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(yaml_text, 2, body, index + 2), []
    return FrontMatter(None, 1, "", len(lines) + 1), [
        Problem("F006", 1, "Front matter is never closed", "Add a line '---' after the last front-matter key.")
    ]


# --- YAML -----------------------------------------------------------------------------------

_STANDARD_TAGS = {"tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")}
# YAML 1.2 core schema, for plain (unquoted) scalars only.
_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _plain_scalar(value: str) -> Any:
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value, 10)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    return value


class _Builder:
    """Turns a composed node graph into YamlMap/YamlList/scalars, collecting problems."""

    def __init__(self, line_offset: int) -> None:
        self.offset = line_offset
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if id(node) in self.seen:
            self.problems.append(
                Problem("F005", self.line(node), "YAML aliases (*name) are not allowed", "Write the value out in full.")
            )
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problems.append(
                Problem(
                    "F005",
                    self.line(node),
                    f"YAML is nested more than {MAX_DEPTH} levels deep",
                    "Flatten the structure.",
                )
            )
            return None
        if node.tag not in _STANDARD_TAGS:
            self.problems.append(
                Problem("F005", self.line(node), f"YAML tag {node.tag!r} is not allowed", "Remove the '!' tag.")
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            result = YamlList(self.build(item, depth + 1) for item in node.value)
            result.line = self.line(node)
            result.item_lines = [self.line(item) for item in node.value]
            return result
        if not getattr(node, "style", None):  # plain scalar (None or "" by loader): resolve by the YAML 1.2 core schema
            return _plain_scalar(node.value)
        return node.value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> YamlMap:
        result = YamlMap()
        result.line = self.line(node)
        result.end_line = node.end_mark.line + self.offset
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            line = self.line(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge" or key == "<<":
                self.problems.append(
                    Problem("F005", line, "YAML merge keys (<<) are not allowed", "Write the keys out.")
                )
                continue
            if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                self.problems.append(Problem("F003", line, "A key must be a plain word", "Use 'key: value'."))
                continue
            key = str(key)
            value = self.build(value_node, depth + 1)
            if key in result:
                self.problems.append(
                    Problem(
                        "F004",
                        line,
                        f"Key '{key}' appears twice (first on line {result.key_lines[key]})",
                        "Keep one of them; YAML would silently use only the last.",
                    )
                )
                continue
            result[key] = value
            result.key_lines[key] = line
        return result


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse one YAML document strictly. `first_line` is the file line where `text` starts."""
    offset = first_line
    last_line = offset + text.count("\n")
    try:
        deep = _too_deep(text)
        if deep is not None:
            return None, [
                Problem(
                    "F005", deep + offset, f"YAML is nested more than {MAX_DEPTH} levels deep", "Flatten the structure."
                )
            ]
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + offset, last_line) if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in what:  # PyYAML 6.0.4's parser stops deep nesting before _too_deep sees it
            return None, [
                Problem("F005", line, f"YAML is nested more than {MAX_DEPTH} levels deep", "Flatten the structure.")
            ]
        return None, [
            Problem(
                "F003",
                line,
                f"YAML syntax error: {what}",
                "Check indentation and quoting; a value containing ': ' or starting with a special character needs quotes.",
            )
        ]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, [Problem("F003", offset, f"YAML cannot be read: {exc}", "Simplify the YAML.")]
    if node is None:
        return None, []
    builder = _Builder(offset)
    return builder.build(node), builder.problems
