"""Docs that cannot lie: the README's commands, options and code families exist, and its links resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROJECT

from anthology.cli import catalogue, main
from anthology.reference import slug

README = (PROJECT / "README.md").read_text(encoding="utf-8")
DOCS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]


def prose(text: str) -> str:
    """Markdown without its code (fenced blocks and `code spans`), where links are only examples."""
    text = re.sub(r"^(```+|~~~+).*?^\1\s*$", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(`+).+?\1", "", text)


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file (a repeated heading gets -1, -2, …)."""
    found: set[str] = set()
    for title in re.findall(
        r"^#+ (.+)$", re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL), re.MULTILINE
    ):
        anchor, count = slug(title.replace("`", "")), 0
        while anchor in found:
            count += 1
            anchor = f"{slug(title.replace('`', ''))}-{count}"
        found.add(anchor)
    return found


def local_links(path: Path) -> list[str]:
    """The targets of a Markdown file's links that are not web or mail addresses."""
    targets = re.findall(r"\]\(([^)\s]+)\)", prose(path.read_text(encoding="utf-8")))
    return [target for target in targets if not re.match(r"[a-z]+:", target)]


def test_every_command_in_the_readme_exists() -> None:
    used = set(re.findall(r"(?:`|\$ )anthology ([a-z][a-z-]+)", README))
    assert used <= set(main.commands), used - set(main.commands)
    assert set(main.commands) <= used, "every command is documented"


def test_every_option_in_the_readme_examples_exists() -> None:
    for command, rest in re.findall(r"^\$ anthology ([a-z-]+)(.*)$", README, flags=re.MULTILINE):
        options = re.findall(r"(--[a-z-]+)", rest.split("#")[0])
        help_text = CliRunner().invoke(main, [command, "--help"]).output
        for option in options:
            assert option in help_text, (command, option)


def test_every_code_family_in_the_readme_exists() -> None:
    families = {code[0] for code in catalogue()}
    documented = set(re.findall(r"^\| ([A-Z])\d{3}", README, flags=re.MULTILINE))
    assert families <= documented


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = re.findall(r"^(scripts/bootstrap.*?)\s+#", README, flags=re.MULTILINE)
    assert len(commands) == 2, commands
    ci = (PROJECT / ".ci/run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci == commands[1].strip()


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.relative_to(PROJECT).as_posix())
def test_every_link_in_the_docs_resolves(path: Path) -> None:
    links = local_links(path)
    assert links or path.name != "README.md" or path.parent != PROJECT, "the README links to the docs"
    for link in links:
        target, _, anchor = link.partition("#")
        resolved = (path.parent / target).resolve() if target else path
        assert resolved.is_relative_to(PROJECT), f"{link}: outside the repository"
        assert resolved.is_file(), f"{link}: no such file"
        if anchor:
            assert anchor in anchors(resolved.read_text(encoding="utf-8")), f"{link}: no such heading"


def test_the_readme_points_to_the_format_reference_and_nothing_outside() -> None:
    assert "](docs/format.md)" in README
    assert "CONTRACT.md" not in README and "shared folder" not in README


def test_the_link_checker_finds_broken_links(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# A Title\n\n[ok](#a-title) [bad](#no-title) `[code](nowhere.md)`\n\n```\n[x](gone.md)\n```\n")
    assert local_links(page) == ["#a-title", "#no-title"]
    assert anchors(page.read_text()) == {"a-title"}
