"""Shared fixtures: clean example books copied into temporary folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
PROJECT = TESTS.parent
RULE_CASES = TESTS / "rules" / "cases"
BASE_BOOK = TESTS / "rules" / "base"


CASE_FILES = frozenset({"REMOVE", "PAD", "expected.txt", "LOGIN"})  # a rule case's own files, not copied into the book


def overlay(root: Path, layer: Path) -> None:
    """Copy `layer` over `root`. `NAME.symlink` files become links to the path they contain;
    a file `REMOVE` lists paths (one a line) to delete first; a file `PAD` lists `path size` lines,
    files grown with newlines to `size` bytes afterwards (so that large-file cases are made at test
    time, not committed). The case's own files (CASE_FILES) at the top of `layer` are not copied."""
    remove = layer / "REMOVE"
    if remove.is_file():
        for line in remove.read_text().splitlines():
            if line.strip():
                target = root / line.strip()
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    for source in sorted(layer.rglob("*")):
        relative = source.relative_to(layer)
        if str(relative) in CASE_FILES or source.is_dir():
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".symlink":
            link = target.with_suffix("")
            if link.exists() or link.is_symlink():
                link.unlink()
            link.symlink_to(source.read_text().strip())
        else:
            shutil.copyfile(source, target)
    pad = layer / "PAD"
    if pad.is_file():
        for line in pad.read_text().splitlines():
            if line.strip():
                relative, size = line.rsplit(maxsplit=1)
                with (root / relative.strip()).open("ab") as grown:
                    grown.write(b"\n" * (int(size) - grown.tell()))


@pytest.fixture
def base_book(tmp_path: Path) -> Path:
    """A copy of the clean base book used by the rule cases."""
    root = tmp_path / "book"
    shutil.copytree(BASE_BOOK, root)
    return root


def pandoc(body: str, *arguments: str) -> str:
    """Real pandoc (from pypandoc-binary, a dependency) on `body`: the reference for our scanner."""
    import subprocess

    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), *arguments], input=body, capture_output=True, text=True, check=True, timeout=60
    ).stdout


def copy_sample(root: Path) -> Path:
    """Copy the project's own sample book (book.yaml, authors.yaml, chapters, front, back, images) to `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("book.yaml", "authors.yaml"):
        shutil.copyfile(PROJECT / name, root / name)
    for name in ("chapters", "front", "back", "images"):
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, root / name)
    return root


@pytest.fixture
def sample_book(tmp_path: Path) -> Path:
    """A copy of the project's own sample book."""
    return copy_sample(tmp_path / "sample")


def fontconfig_env(folder: Path, fonts: Iterable[Path] = ()) -> dict[str, str]:
    """The environment of a process whose fontconfig sees only copies of `fonts` (in
    folder/fonts; none: no font at all), with an empty anthology cache of its own."""
    font_dir = folder / "fonts"
    font_dir.mkdir(parents=True, exist_ok=True)
    for font in fonts:
        shutil.copyfile(font, font_dir / font.name)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{font_dir}</dir><cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>\n"
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config), "ANTHOLOGY_CACHE_DIR": str(folder / "cache")}


def run_anthology(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`anthology ARGS` in a new process: for what one process cannot change twice (fontconfig,
    which WeasyPrint and Pango set up once), or must not change in the test process (the umask)."""
    return subprocess.run(
        [sys.executable, "-c", "from anthology.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


from collections.abc import Callable  # noqa: E402  (golden files: appended section)

GOLDEN = TESTS / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files (tests/golden/, the rule cases' expected.txt) instead of comparing against them.",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str | Path, str], None]:
    """`golden(name, actual)`: compare `actual` with tests/golden/<name>, or with the file `name`
    when it is a Path (as strings, so a failure shows a diff), or rewrite the file when pytest runs
    with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str | Path, actual: str) -> None:
        path = name if isinstance(name, Path) else GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            return
        assert path.is_file(), f"{path} is missing; run pytest --update-golden to create it"
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, f"{name} differs from its golden file (pytest --update-golden rewrites it)"

    return check
