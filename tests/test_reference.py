"""The format reference (docs/format.md) documents every key and every code, and is current.

Its tables, examples, commands and codes are generated (anthology/reference.py); these tests
fail when a schema key or a catalogue code is missing from the committed file, when a key has
no description or example in the schema, and when the file was not refreshed after a change.
"""

from __future__ import annotations

import dataclasses
import difflib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT

from anthology import catalogue, reference, schema
from anthology.cli import catalogue as codes
from anthology.diagnostics import Code, Severity
from anthology.load import load_settings
from anthology.sources import parse_yaml

FORMAT = PROJECT / "docs" / "format.md"
DOC = FORMAT.read_text(encoding="utf-8")


def generated_block(doc: str, name: str) -> str:
    """The text between `<!-- generated: NAME -->` and the next end marker ("" when absent)."""
    start = f"<!-- generated: {name} -->"
    return doc.split(start, 1)[1].split("<!-- end generated -->", 1)[0] if start in doc else ""


def undocumented(doc: str, tables: dict[str, schema.Spec], entries: dict[str, Any]) -> list[str]:
    """Every key and code that `doc` does not document, and every one the schema or catalogue leaves
    without the words the reference needs (a description, an example, a family)."""
    found = []
    for name, spec in tables.items():
        table = generated_block(doc, f"keys:{name}")
        for key in reference.keys(spec):
            if f"| `{key.path}` |" not in table:
                found.append(f"{name}: key '{key.path}' is not in docs/format.md")
            if not key.spec.doc:
                found.append(f"{name}: key '{key.path}' has no description: add .about(...) in anthology/schema.py")
            if key.example is None:
                found.append(f"{name}: key '{key.path}' has no example: add example=... in anthology/schema.py")
    for code, entry in entries.items():
        if f"\n#### {code} " not in generated_block(doc, "codes"):
            found.append(f"code {code} is not in docs/format.md")
        if not entry.doc.strip():
            found.append(f"code {code} has no documentation (its docstring)")
        if code[0] not in catalogue.FAMILIES:
            found.append(f"code family {code[0]} has no subject in anthology/catalogue.py FAMILIES")
    return found


def with_key(spec: schema.Spec, name: str, value: schema.Spec) -> schema.Spec:
    return dataclasses.replace(spec, fields={**spec.fields, name: (value, False)})


FAKE_CODE = Code("Z999", "fake-code", Severity.ERROR, "A code made up by the test.\n\nIt means nothing.")


def test_the_committed_reference_is_current() -> None:
    fresh = reference.refresh(DOC)
    diff = "".join(
        list(difflib.unified_diff(DOC.splitlines(True), fresh.splitlines(True), "committed", "generated"))[:40]
    )
    assert fresh == DOC, f"docs/format.md is out of date: run `{reference.REFRESH}`\n{diff}"


def test_every_key_and_code_is_documented() -> None:
    assert undocumented(DOC, reference.TABLES, codes()) == []
    assert len(codes()) >= 56 and {"F001", "P001", "R005"} <= set(codes())


def test_the_check_fails_for_an_undocumented_key() -> None:
    book = with_key(schema.BOOK, "fake_key", schema.TEXT)
    assert undocumented(DOC, {**reference.TABLES, "book.yaml": book}, codes()) == [
        "book.yaml: key 'fake_key' is not in docs/format.md",
        "book.yaml: key 'fake_key' has no description: add .about(...) in anthology/schema.py",
        "book.yaml: key 'fake_key' has no example: add example=... in anthology/schema.py",
    ]
    described = schema.TEXT.about("Made up.", example="x")
    limits = with_key(schema.BOOK.fields["limits"][0], "fake_words", described)
    authors = with_key(schema.AUTHOR, "pronouns", described)
    tables = {**reference.TABLES, "book.yaml": with_key(schema.BOOK, "limits", limits), "authors.yaml": authors}
    assert undocumented(DOC, tables, codes()) == [
        "book.yaml: key 'limits.fake_words' is not in docs/format.md",
        "authors.yaml: key 'pronouns' is not in docs/format.md",
    ]


def test_the_check_fails_for_an_undocumented_code() -> None:
    assert undocumented(DOC, reference.TABLES, {**codes(), "Z999": FAKE_CODE}) == [
        "code Z999 is not in docs/format.md",
        "code family Z has no subject in anthology/catalogue.py FAMILIES",
    ]


def test_a_new_key_or_code_changes_the_generated_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """So the test above that the committed file is current fails until it is regenerated."""
    book = with_key(schema.BOOK, "direction", schema.TEXT)
    book = with_key(book, "print", schema.record(optional={"service": schema.TEXT}))
    book = with_key(book, "labels", schema.Spec("map", items=schema.TEXT))
    monkeypatch.setitem(reference.TABLES, "book.yaml", book)
    monkeypatch.setitem(catalogue.CODES, "Z999", FAKE_CODE)
    fresh = reference.refresh(DOC)
    assert fresh != DOC
    table = generated_block(fresh, "keys:book.yaml")
    assert "| `direction` | text | none | *(not described yet)* |  |" in table
    assert "| `print.service` | text | none |" in table
    assert "| `labels` | mapping of key to text | none |" in table
    assert "#### Z999 fake-code\n\n*Error.* A code made up by the test." in fresh
    assert "### Z: *(family not described yet)*" in fresh
    missing = "book.yaml: key 'direction' has no description: add .about(...) in anthology/schema.py"
    assert missing in undocumented(fresh, reference.TABLES, {})  # generated, yet still undocumented


def test_a_new_command_reaches_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    import click

    from anthology.cli import main

    @click.command()
    @click.option("--port", type=int, default=8000, show_default=True, help="The port to listen on.")
    def preview(port: int) -> None:
        """Serve the book's pages on a local web server."""

    monkeypatch.setitem(main.commands, "preview", preview)
    block = generated_block(reference.refresh(DOC), "commands")
    assert "### `anthology preview [OPTIONS]`\n\nServe the book's pages on a local web server." in block
    assert "| `--port INTEGER` | The port to listen on.  [default: 8000] |" in block


def test_a_missing_block_is_named() -> None:
    broken = DOC.replace("<!-- generated: codes -->", "<!-- codes -->")
    with pytest.raises(ValueError, match="<!-- generated: codes -->"):
        reference.refresh(broken)


@pytest.mark.parametrize("name", list(reference.TABLES))
def test_the_examples_fit_the_schema(name: str) -> None:
    """The example files in the reference, as printed there, hold every key and read without a problem."""
    spec = reference.TABLES[name]
    text = generated_block(DOC, f"example:{name}").split("\n", 2)[2].rsplit("```", 1)[0]  # inside the fence
    if name in ("chapter", "page"):
        text = text.split("---\n")[1]
    data, problems = parse_yaml(text)
    if name == "authors.yaml":
        data = data["jan-van-der-berg"]
    assert problems == []
    assert list(schema.mismatches(data, spec, "", 1)) == []
    assert set(data) == set(spec.fields), "every top-level key has an example"


def settings_with(text: str) -> Any:
    data, problems = parse_yaml("title: T\n" + text)
    assert problems == []
    return load_settings(data)


def test_the_documented_defaults_are_the_defaults() -> None:
    """Writing a key's documented default gives the same book as leaving the key out."""
    literal = {
        key: spec.default.strip("`") for key, (spec, _) in schema.BOOK.fields.items() if spec.default.startswith("`")
    }
    assert set(literal) >= {"language", "order", "trim", "numbered", "bios"}
    omitted = settings_with("")
    for key, value in literal.items():
        assert getattr(settings_with(f"{key}: {value}\n"), key) == getattr(omitted, key), key
    from anthology.translations import TABLE

    assert schema.BOOK.fields["rights"][0].default == TABLE["en"]["rights"]


def test_refresh_command(tmp_path: Path) -> None:
    stale = tmp_path / "format.md"
    stale.write_text(DOC.replace("| `title` |", "| `old` |", 1), encoding="utf-8")
    assert reference.main([str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == DOC
    check = subprocess.run(
        [sys.executable, "-m", "anthology.reference", "--check", "docs/format.md"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert (check.returncode, check.stderr) == (0, "")


def test_a_stale_file_names_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "format.md"
    stale.write_text(DOC.replace("| `title` |", "| `old` |", 1), encoding="utf-8")
    assert reference.main(["--check", str(stale)]) == 1
    assert reference.REFRESH in capsys.readouterr().err
