"""The format reference, docs/format.md: the parts generated from the schema, the commands and the codes.

docs/format.md is prose written by hand around generated blocks, each between
`<!-- generated: NAME -->` and `<!-- end generated -->`. The key tables come from schema.py (a
key's type, default, meaning and example are declared there, with the key), the commands from
the Click group, the codes from the catalogue, so a new key, command or code reaches the
reference by running

    python -m anthology.reference docs/format.md

(`--check` only says whether the file is current). tests/test_reference.py fails while it is not.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import click
import yaml

from . import schema
from .catalogue import FAMILIES
from .fileio import write_atomically

#: The files (and parts of files) whose keys the reference lists, with their schema tables.
TABLES: dict[str, schema.Spec] = {
    "book.yaml": schema.BOOK,
    "authors.yaml": schema.AUTHOR,
    "chapter": schema.CHAPTER,
    "page": schema.PAGE,
}
REFRESH = ".venv/bin/python -m anthology.reference docs/format.md"
_BLOCK = re.compile(r"(<!-- generated: (?P<name>\S+) -->\n).*?(<!-- end generated -->)", re.DOTALL)


@dataclass(frozen=True)
class Key:
    """One key of a file, with its dotted path (`limits.chapter_words.max`) and its example."""

    path: str
    spec: schema.Spec
    required: bool
    example: Any


def keys(spec: schema.Spec, prefix: str = "", example: Any = None) -> Iterator[Key]:
    """Every key of a record, nested ones too; a key without its own example takes its part of its parent's."""
    for name, (child, required) in spec.fields.items():
        own = child.example
        if own is None and isinstance(example, dict):
            own = example.get(name)
        yield Key(prefix + name, child, required, own)
        if child.kind == "record":
            yield from keys(child, f"{prefix}{name}.", own)
        elif child.kind == "list" and child.items is not None and child.items.kind == "record":
            yield from keys(child.items, f"{prefix}{name}[].", own[0] if isinstance(own, list) and own else None)
        elif child.kind == "map" and child.items is not None and child.items.kind == "record":
            item = next(iter(own.values()), None) if isinstance(own, dict) and own else None
            path = f"{prefix}{name}.<{child.keys_are}>"
            yield Key(path, child.items, False, item)
            yield from keys(child.items, path + ".", item)


def kind(spec: schema.Spec) -> str:
    """A value's type in the users' words: `text`, `list of text`, `true or false`, …"""
    if spec.alternatives:
        return " or ".join(kind(alternative) for alternative in spec.alternatives)
    if spec.kind in ("list", "map"):
        items = "entries" if spec.items is None or spec.items.kind == "record" else kind(spec.items)
        return f"list of {items}" if spec.kind == "list" else f"mapping of {spec.keys_are} to {items}"
    words = {"str": "text", "int": "whole number", "bool": "true or false", "number": "number", "record": "mapping"}
    return "text or number" if spec.numeric_ok else words[spec.kind]


def inline_yaml(value: Any) -> str:
    """A value as it would be written on one line of a YAML file."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
    return text.removesuffix("\n...\n").strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def key_table(spec: schema.Spec) -> str:
    """The key table of one file: key, type, default, meaning, example."""
    rows = ["| key | type | default | meaning | example |", "|---|---|---|---|---|"]
    for key in keys(spec):
        default = "*required*" if key.required else key.spec.default or "none"
        example = f"`{inline_yaml(key.example)}`" if key.example is not None else ""
        meaning = key.spec.doc or "*(not described yet)*"
        rows.append(f"| `{key.path}` | {kind(key.spec)} | {_cell(default)} | {_cell(meaning)} | {_cell(example)} |")
    return "\n".join(rows)


def example(spec: schema.Spec) -> dict[str, Any]:
    """A complete example of a file's keys, from every top-level key's example."""
    return {key.path: key.example for key in keys(spec) if "." not in key.path and key.example is not None}


def block_yaml(data: dict[str, Any]) -> str:
    """YAML with one key a line, and short lists and mappings written on that line (`editors: [A, B]`)."""
    return "".join(
        yaml.safe_dump(
            {key: value},
            allow_unicode=True,
            sort_keys=False,
            width=10**6,
            default_flow_style=None if isinstance(value, (list, dict)) else False,
        )
        for key, value in data.items()
    )


def example_block(name: str, spec: schema.Spec) -> str:
    """An example file (or front matter) made of every key's example, as a fenced block."""
    text = block_yaml(example(spec))
    if name == "authors.yaml":  # one entry, under its id
        text = "jan-van-der-berg:\n" + "".join(f"  {line}" for line in text.splitlines(keepends=True))
    if name in ("chapter", "page"):
        return f"```markdown\n---\n{text}---\nThe text of the {name}, in Markdown…\n```"
    return f"```yaml\n# {name}\n{text}```"


def commands() -> str:
    """Every command (the hidden ones aside): its usage, what it does, and its options."""
    from .cli import main

    parent = click.Context(main, info_name="anthology")
    parts = []
    for name, command in main.commands.items():
        if command.hidden:
            continue
        context = click.Context(command, info_name=name, parent=parent)
        usage = " ".join(["anthology", name, *command.collect_usage_pieces(context)])
        options = [
            record
            for param in command.params
            if isinstance(param, click.Option) and (record := param.get_help_record(context)) is not None
        ]
        table = ["| option | meaning |", "|---|---|"] + [
            f"| `{_cell(opts)}` | {_cell(text)} |" for opts, text in options
        ]
        parts.append(
            f"### `{usage}`\n\n{inspect.cleandoc(command.help or '')}" + ("\n\n" + "\n".join(table) if options else "")
        )
    return "\n\n".join(parts)


def heading(entry: Any) -> str:
    return f"{entry.code} {entry.name}"


def codes() -> str:
    """Every code in the catalogue: a summary table, then each code's documentation by family."""
    from .cli import catalogue

    entries = list(catalogue().values())
    table = ["| code | severity | what it reports |", "|---|---|---|"] + [
        f"| [{e.code}](#{slug(heading(e))}) | {e.severity.value} | {_cell(e.summary)} |" for e in entries
    ]
    parts = ["\n".join(table)]
    family = ""
    for entry in entries:
        if entry.code[0] != family:
            family = entry.code[0]
            parts.append(f"### {family}: {FAMILIES.get(family, '*(family not described yet)*')}")
        parts.append(f"#### {heading(entry)}\n\n*{entry.severity.value.capitalize()}.* {inspect.cleandoc(entry.doc)}")
    return "\n\n".join(parts)


def slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def blocks() -> dict[str, Callable[[], str]]:
    """Each generated block of docs/format.md by name, as a function rendering it."""
    found: dict[str, Callable[[], str]] = {}
    for name, spec in TABLES.items():
        found[f"keys:{name}"] = partial(key_table, spec)
        found[f"example:{name}"] = partial(example_block, name, spec)
    found["commands"] = commands
    found["codes"] = codes
    return found


def refresh(text: str) -> str:
    """`text` with every generated block rendered anew; a block missing from it is an error."""
    renderers = blocks()
    missing = set(renderers) - {match["name"] for match in _BLOCK.finditer(text)}
    if missing:
        markers = ", ".join(f"<!-- generated: {name} -->" for name in sorted(missing))
        raise ValueError(
            f"the reference has no place for {markers}: add each (with <!-- end generated -->) where it belongs"
        )

    def render(match: re.Match[str]) -> str:
        if match["name"] not in renderers:
            raise ValueError(f"unknown generated block '{match['name']}'; known: {', '.join(renderers)}")
        return f"{match[1]}{renderers[match['name']]()}\n{match[3]}"

    return _BLOCK.sub(render, text)


def main(argv: list[str] | None = None) -> int:
    """`python -m anthology.reference [--check] [FILE]`: rewrite the generated blocks of FILE."""
    parser = argparse.ArgumentParser(prog="python -m anthology.reference", description=main.__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=Path("docs/format.md"))
    parser.add_argument("--check", action="store_true", help="only report whether FILE is current (exit 1 if not)")
    options = parser.parse_args(argv)
    text = options.file.read_text(encoding="utf-8")
    try:
        fresh = refresh(text)
    except ValueError as error:
        print(f"{options.file}: {error}", file=sys.stderr)
        return 2
    if fresh == text:
        return 0
    if options.check:
        print(f"{options.file} is out of date: run {REFRESH}", file=sys.stderr)
        return 1
    write_atomically(options.file, fresh.encode("utf-8"))
    print(f"{options.file}: generated parts refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
