"""Docs that cannot lie: the README's commands, options and keys exist."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import PROJECT

from anthology import schema
from anthology.cli import catalogue, main

README = (PROJECT / "README.md").read_text(encoding="utf-8")


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


def test_every_extension_key_in_the_readme_is_in_the_schema() -> None:
    table = README.split("anthology adds these keys to the contract:")[1].split("\n\n")[1]
    keys = re.findall(r"^\| `([a-z_]+)", table, flags=re.MULTILINE)
    assert keys
    for key in keys:
        if key in ("limits", "exceptions"):
            continue
        assert key in schema.BOOK.fields, key


def test_every_code_family_in_the_readme_exists() -> None:
    families = {code[0] for code in catalogue()}
    documented = set(re.findall(r"^\| ([A-Z])\d{3}", README, flags=re.MULTILINE))
    assert families <= documented


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = re.findall(r"^(scripts/bootstrap.*?)\s+#", README, flags=re.MULTILINE)
    assert len(commands) == 2, commands
    ci = (PROJECT / ".ci/run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci == commands[1].strip()
