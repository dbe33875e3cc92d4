"""The keys each file may hold, their types, and which are required: one table per file.

The loader reads values through these tables, and the schema rules (S001-S003) report what
does not fit them, so the contract's key tables live in exactly one place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .sources import YamlList, YamlMap


@dataclass(frozen=True)
class Spec:
    """The expected shape of a value.

    kind: "str", "int", "bool", "number", "list", "map" (free keys), "record" (fixed keys);
    `str` accepts numbers when `numeric_ok` (an unhyphenated ISBN is a number in YAML).
    """

    kind: str
    items: Spec | None = None
    fields: dict[str, tuple[Spec, bool]] = field(default_factory=dict)
    numeric_ok: bool = False
    alternatives: tuple[Spec, ...] = ()

    def describe(self) -> str:
        if self.alternatives:
            return " or ".join(alt.describe() for alt in self.alternatives)
        names = {"str": "text", "int": "a whole number", "bool": "true or false", "number": "a number"}
        if self.kind == "list":
            return "a list"
        if self.kind in ("map", "record"):
            return "a mapping of keys to values"
        return names[self.kind]


TEXT = Spec("str")
INT = Spec("int")
BOOL = Spec("bool")
TEXT_LIST = Spec("list", items=TEXT)


def record(required: dict[str, Spec] | None = None, optional: dict[str, Spec] | None = None) -> Spec:
    fields = {name: (spec, True) for name, spec in (required or {}).items()}
    fields.update({name: (spec, False) for name, spec in (optional or {}).items()})
    return Spec("record", fields=fields)


def one_of(*alternatives: Spec) -> Spec:
    return Spec(alternatives[0].kind, alternatives=alternatives)


AUTHOR = record(
    required={"name": TEXT, "bio": TEXT},
    optional={
        name: TEXT for name in ("sort_as", "website", "social", "github", "email", "photo", "affiliation")
    },
)
CHAPTER = record(
    required={"title": TEXT, "authors": one_of(TEXT_LIST, TEXT)},
    optional={"section": TEXT, "subtitle": TEXT},
)
PAGE = record(required={"title": TEXT})
_RANGE = record(optional={"min": INT, "max": INT})
BOOK = record(
    required={"title": TEXT},
    optional={
        "subtitle": TEXT,
        "editors": TEXT_LIST,
        "language": TEXT,
        "isbn": Spec("str", numeric_ok=True),
        "publisher": TEXT,
        "limits": record(
            optional={
                "chapter_words": _RANGE,
                "bio_words": record(optional={"max": INT}),
                "chapter_pages": record(optional={"max": INT}),
            }
        ),
        "sections": Spec("list", items=record(required={"id": TEXT, "title": TEXT})),
        "slug": TEXT,
        "order": one_of(TEXT, TEXT_LIST),
        "front": TEXT_LIST,
        "back": TEXT_LIST,
        "exceptions": Spec("map", items=record(optional={"max_words": INT, "min_words": INT, "max_pages": INT})),
        # Extensions to the contract (documented in README and CHANGELOG).
        "maintainers": TEXT_LIST,
        "trim": TEXT,
        "numbered": BOOL,
        "bios": TEXT,
        "cover": TEXT,
        "rights": TEXT,
        "edition": Spec("str", numeric_ok=True),
        "site_url": TEXT,
    },
)


@dataclass(frozen=True)
class Mismatch:
    """One place where a value does not fit its Spec."""

    code: str  # S001 missing, S002 wrong type, S003 unknown key
    line: int | None
    key: str
    message: str
    hint: str


def _type_ok(value: Any, spec: Spec) -> bool:
    if spec.alternatives:
        return any(_type_ok(value, alt) for alt in spec.alternatives)
    if spec.kind == "str":
        return isinstance(value, str) or (spec.numeric_ok and isinstance(value, int) and not isinstance(value, bool))
    if spec.kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if spec.kind == "bool":
        return isinstance(value, bool)
    if spec.kind == "list":
        return isinstance(value, list)
    return isinstance(value, dict)


def _chosen(value: Any, spec: Spec) -> Spec:
    for alt in spec.alternatives:
        if _type_ok(value, alt):
            return alt
    return spec


def suggest(word: str, known: list[str] | set[str]) -> str | None:
    """The closest known key to a misspelt one (`boi` -> `bio`), if any is close."""
    matches = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def mismatches(value: Any, spec: Spec, where: str, line: int | None) -> Iterator[Mismatch]:
    """Every way `value` does not fit `spec`; `where` names the value for messages."""
    if not _type_ok(value, spec):
        shown = "nothing" if value is None else f"{type(value).__name__.replace('Yaml', '').lower()}"
        yield Mismatch(
            "S002", line, where, f"'{where}' should be {spec.describe()}, not {shown}", f"Write '{where}' as {spec.describe()}."
        )
        return
    spec = _chosen(value, spec)
    if spec.kind == "list" and spec.items is not None and isinstance(value, YamlList):
        for index, item in enumerate(value):
            yield from mismatches(item, spec.items, f"{where}[{index + 1}]", value.item_lines[index])
    elif spec.kind == "map" and spec.items is not None and isinstance(value, YamlMap):
        for key, item in value.items():
            yield from mismatches(item, spec.items, f"{where}.{key}", value.line_of(key))
    elif spec.kind == "record" and isinstance(value, YamlMap):
        yield from _record_mismatches(value, spec, where)


def _record_mismatches(value: YamlMap, spec: Spec, where: str) -> Iterator[Mismatch]:
    prefix = f"{where}." if where else ""
    for key, (field_spec, required) in spec.fields.items():
        if key not in value:
            if required:
                yield Mismatch(
                    "S001", value.line, prefix + key, f"Required key '{prefix}{key}' is missing", f"Add '{key}: …'."
                )
            continue
        if value[key] is None and not required:
            continue
        yield from mismatches(value[key], field_spec, prefix + key, value.line_of(key))
    for key in value:
        if key not in spec.fields:
            guess = suggest(key, set(spec.fields))
            hint = f"Did you mean '{guess}'?" if guess else "Allowed keys: " + ", ".join(spec.fields) + "."
            yield Mismatch("S003", value.line_of(key), prefix + key, f"Unknown key '{prefix}{key}'", hint)


def typed(value: Any, spec: Spec) -> Any:
    """`value` if it fits `spec` at the top level, else None: the loader never trusts a wrong type."""
    return value if value is not None and _type_ok(value, spec) else None
