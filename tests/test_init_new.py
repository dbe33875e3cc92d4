"""`anthology init` and `anthology new`: a new book works at once, and a new author is added
without touching a byte of anyone else's authors.yaml entry.

Real git repositories in tmp_path; the CLI through click's CliRunner.
"""

from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path

import git
import pytest
from click.testing import CliRunner, Result

from anthology import __version__
from anthology.cli import main
from anthology.load import load_book
from anthology.new_book import ACTION, FALLBACK_AUTHOR, templates, yaml_quote
from anthology.sources import parse_yaml

PROJECT = Path(__file__).parent.parent

SCAFFOLD_FILES = {
    "book.yaml",
    "authors.yaml",
    "chapters/ada-example.md",
    "images/.gitkeep",
    ".gitignore",
    "CONTRIBUTING.md",
    ".github/pull_request_template.md",
    ".github/workflows/book.yml",
}

COMMENTED_AUTHORS = """\
# One entry per contributor. Edit your own entry only!
#   name: as printed   bio: one paragraph

zoe-angstrom:   # the first one
  bio: >-
    Zoë writes radio plays.
  name: Zoë Ångström
  # github: zoe  (not yet)


# two blank lines above, a comment at column 0 inside the mapping
li-wei:
  name: "李 伟"
  bio: |
    Li Wei writes
    on trains.

# trailing comment, no newline at the end"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env={"NO_COLOR": "1"})


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    result = run("init", root, "--title", "Test Book")
    assert result.exit_code == 0, result.output
    return root


# --- init ------------------------------------------------------------------------------------


def test_init_creates_every_file_and_a_first_commit(tmp_path: Path) -> None:
    root = tmp_path / "new-book"
    result = run("init", root, "--title", "Letters from Afar")
    assert result.exit_code == 0, result.output
    no_traceback(result)
    assert files_in(root) == SCAFFOLD_FILES
    for name in SCAFFOLD_FILES:
        assert f"created  {name}" in result.output
    repo = git.Repo(root)
    assert repo.active_branch.name == "main"
    assert len(list(repo.iter_commits())) == 1
    committed = {item.path for item in repo.head.commit.tree.traverse() if item.type == "blob"}
    assert committed == SCAFFOLD_FILES
    assert not repo.is_dirty(untracked_files=True)
    assert (root / ".gitignore").read_text().splitlines()[-1] == "build/"


def test_init_book_validates_cleanly(book: Path) -> None:
    result = run("validate", "--root", book, "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no problems in 1 chapter")
    loaded = load_book(book)
    assert loaded.settings is not None and loaded.settings.title == "Test Book"
    assert loaded.settings.maintainers == ()
    assert loaded.settings.raw["maintainers"] == []
    (chapter,) = loaded.chapters
    assert set(chapter.authors) == set(loaded.authors)  # the example author has the example chapter


def test_init_fills_every_placeholder(book: Path) -> None:
    for relative in SCAFFOLD_FILES:
        text = (book / relative).read_text(encoding="utf-8")
        for name in ("$title", "$version", "$requirement", "$action", "$chapter_min", "$chapter_max", "$bio_max"):
            assert name not in text, f"{relative} still has {name}"
    workflow = (book / ".github/workflows/book.yml").read_text(encoding="utf-8")
    assert f"uses: {ACTION}\n" in workflow and ACTION.endswith(f" # v{__version__}")
    assert '"origin/$BASE_REF"' in workflow  # shell variables are not placeholders
    contributing = (book / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "*Test Book*" in contributing and "between **100 and 400 words**" in contributing


@pytest.mark.parametrize("title", ['Voices: "Near" & Far', "#1 — a title: with colons", "Ünïcödé 書 \\ $title"])
def test_init_title_is_quoted_safely(tmp_path: Path, title: str) -> None:
    root = tmp_path / "book"
    assert run("init", root, "--title", title).exit_code == 0
    settings = load_book(root).settings
    assert settings is not None and settings.title == title
    assert run("validate", "--root", root).exit_code == 0


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    root = tmp_path / "book"
    root.mkdir()
    (root / "notes.txt").write_text("mine\n")
    result = run("init", root)
    assert result.exit_code == 2, result.output
    no_traceback(result)
    assert "not empty" in result.output and "--force" in result.output
    assert files_in(root) == {"notes.txt"}
    assert not (root / ".git").exists()


def test_init_accepts_an_empty_clone_and_commits(tmp_path: Path) -> None:
    root = tmp_path / "clone"
    git.Repo.init(root)
    result = run("init", root)
    assert result.exit_code == 0, result.output
    assert len(list(git.Repo(root).iter_commits())) == 1


def test_init_force_skips_existing_files_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    mine = b"title: Mine\n# my comment\n"
    (root / "book.yaml").write_bytes(mine)
    (root / "chapters" / "ada-example.md").write_bytes(b"my own text")
    (root / "notes.txt").write_bytes(b"mine")
    result = run("init", root, "--force")
    assert result.exit_code == 0, result.output
    assert "skipped  book.yaml (exists; left unchanged)" in result.output
    assert "skipped  chapters/ada-example.md" in result.output
    assert (root / "book.yaml").read_bytes() == mine
    assert (root / "chapters" / "ada-example.md").read_bytes() == b"my own text"
    assert (root / "notes.txt").read_bytes() == b"mine"
    assert files_in(root) == SCAFFOLD_FILES | {"notes.txt"}
    committed = {item.path for item in git.Repo(root).head.commit.tree.traverse() if item.type == "blob"}
    assert committed == SCAFFOLD_FILES - {"book.yaml", "chapters/ada-example.md"}


def test_init_force_leaves_an_existing_history_alone(book: Path) -> None:
    (book / "CONTRIBUTING.md").unlink()
    head = git.Repo(book).head.commit.hexsha
    result = run("init", book, "--force")
    assert result.exit_code == 0, result.output
    assert "created  CONTRIBUTING.md" in result.output
    assert "already has a git history" in result.output
    assert git.Repo(book).head.commit.hexsha == head


def test_init_commits_as_anthology_without_a_git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "none"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "book"
    assert run("init", root).exit_code == 0
    commit = git.Repo(root).head.commit
    assert (commit.author.name, commit.author.email) == FALLBACK_AUTHOR
    assert (commit.committer.name, commit.committer.email) == FALLBACK_AUTHOR


def test_init_misuse_exits_2(tmp_path: Path) -> None:
    assert run("init").exit_code == 2
    file = tmp_path / "file"
    file.write_text("x")
    result = run("init", file)
    assert result.exit_code == 2
    no_traceback(result)


def test_every_scaffold_file_is_package_data() -> None:
    """A regular (non-editable) install ships only what the package-data globs match; `*` and
    `**` skip hidden names there as in Python's glob, so `.github/` needs its own pattern."""
    patterns = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "anthology"
    ]
    package = PROJECT / "anthology"
    shipped = {
        Path(match).as_posix()
        for pattern in patterns
        for match in glob.glob(pattern, root_dir=package, recursive=True)
        if (package / match).is_file()
    }
    missing = {f"scaffold/{relative}" for relative, _ in templates()} - shipped
    assert not missing, f"not matched by [tool.setuptools.package-data] in pyproject.toml: {sorted(missing)}"


# --- new -------------------------------------------------------------------------------------


def test_new_appends_an_entry_and_keeps_every_existing_byte(book: Path) -> None:
    authors = book / "authors.yaml"
    authors.write_text(COMMENTED_AUTHORS, encoding="utf-8")
    before = authors.read_bytes()
    result = run("new", "jane-doe", "--name", "Jane Doe", "--root", book, "--github", "@janedoe")
    assert result.exit_code == 0, result.output
    no_traceback(result)
    after = authors.read_bytes()
    assert after.startswith(before + b"\n")  # only a final newline was missing
    data, problems = parse_yaml(after.decode("utf-8"))
    assert not problems
    assert list(data) == ["zoe-angstrom", "li-wei", "jane-doe"]
    assert data["li-wei"]["bio"] == "Li Wei writes\non trains.\n"
    assert data["jane-doe"]["name"] == "Jane Doe"
    assert data["jane-doe"]["github"] == "janedoe"
    assert data["jane-doe"]["bio"].startswith("TODO:") and "at most 60 words" in data["jane-doe"]["bio"]
    assert f"(line {data.line_of('jane-doe')})" in result.output
    chapter = book / "chapters" / "jane-doe.md"
    assert chapter.is_file()
    loaded = next(c for c in load_book(book).chapters if c.id == "jane-doe")
    assert loaded is not None and loaded.authors == ("jane-doe",) and loaded.title and "TODO" in loaded.title
    assert "between 100 and 400 words" in loaded.body


def test_new_keeps_crlf_line_ends(book: Path) -> None:
    authors = book / "authors.yaml"
    authors.write_bytes(COMMENTED_AUTHORS.replace("\n", "\r\n").encode() + b"\r\n")
    before = authors.read_bytes()
    assert run("new", "jane-doe", "--name", "Jane Doe", "--root", book).exit_code == 0
    after = authors.read_bytes()
    assert after.startswith(before)
    assert b"\n" not in after[len(before) :].replace(b"\r\n", b"")


@pytest.mark.parametrize(
    "name",
    [
        'Jane "JD" Doe',
        "Jan: van der Berg # not a comment",
        "@handle",
        "C:\\path\\name",
        "李小龍",
        "Zoë\u2028Å",
        "- [x]: {y}",
        "'quoted'",
    ],
)
def test_new_quotes_any_name_safely(book: Path, name: str) -> None:
    result = run("new", "someone", "--name", name, "--root", book)
    assert result.exit_code == 0, result.output
    assert load_book(book).authors["someone"].name == name


@pytest.mark.parametrize("text", ["plain", 'a "b" \\ c', "tab\there", "ctrl\x07\x1b", "\ufeffbom\u0085nel", "🙂"])
def test_yaml_quote_round_trips(text: str) -> None:
    assert parse_yaml(f"k: {yaml_quote(text)}\n")[0]["k"] == text


def test_new_refuses_an_existing_author_id(book: Path) -> None:
    before = (book / "authors.yaml").read_bytes()
    result = run("new", "ada-example", "--name", "Ada Again", "--root", book)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert "already in authors.yaml" in result.output and "'ada-example-2'" in result.output
    assert (book / "authors.yaml").read_bytes() == before


def test_new_refuses_an_existing_chapter_file(book: Path) -> None:
    (book / "chapters" / "jane-doe.md").write_text("mine")
    before = (book / "authors.yaml").read_bytes()
    result = run("new", "jane-doe", "--name", "Jane Doe", "--root", book)
    assert result.exit_code == 1, result.output
    assert "chapters/jane-doe.md already exists" in result.output and "hint:" in result.output
    assert (book / "authors.yaml").read_bytes() == before
    assert (book / "chapters" / "jane-doe.md").read_text() == "mine"


@pytest.mark.parametrize(
    ("bad", "suggested"), [("Jane Doe", "jane-doe"), ("zoë_ångström", "zoe-angstrom"), ("李", "someone-new")]
)
def test_new_refuses_a_malformed_id_and_suggests_a_slug(book: Path, bad: str, suggested: str) -> None:
    before = files_in(book), (book / "authors.yaml").read_bytes()
    result = run("new", bad, "--name", "Someone New", "--root", book)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert f"Use '{suggested}' instead" in result.output
    assert (files_in(book), (book / "authors.yaml").read_bytes()) == before


def test_new_refuses_a_malformed_authors_yaml_with_its_location(book: Path) -> None:
    authors = book / "authors.yaml"
    authors.write_text("ada-example:\n  name: [Ada\n", encoding="utf-8")
    result = run("new", "jane-doe", "--name", "Jane Doe", "--root", book)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert "authors.yaml:" in result.output and "YAML syntax error" in result.output
    assert not (book / "chapters" / "jane-doe.md").exists()


def test_new_refuses_a_duplicate_key_in_authors_yaml(book: Path) -> None:
    (book / "authors.yaml").write_text("a:\n  name: A\n  bio: x\na:\n  name: B\n  bio: y\n", encoding="utf-8")
    result = run("new", "jane-doe", "--name", "Jane Doe", "--root", book)
    assert result.exit_code == 1, result.output
    assert "authors.yaml:4:" in result.output


def test_new_refuses_a_flow_style_authors_yaml_rather_than_break_it(book: Path) -> None:
    (book / "authors.yaml").write_text('{ada: {name: Ada, bio: "x"}}', encoding="utf-8")
    result = run("new", "jane-doe", "--name", "Jane Doe", "--root", book)
    assert result.exit_code == 1, result.output
    assert (book / "authors.yaml").read_text() == '{ada: {name: Ada, bio: "x"}}'


def test_new_section_must_be_declared(book: Path) -> None:
    with (book / "book.yaml").open("a", encoding="utf-8") as settings:
        settings.write("sections:\n  - {id: beginnings, title: Beginnings}\n")
    result = run("new", "jane-doe", "--name", "Jane Doe", "--section", "beginning", "--root", book)
    assert result.exit_code == 1, result.output
    assert "Did you mean 'beginnings'?" in result.output
    result = run("new", "jane-doe", "--name", "Jane Doe", "--section", "beginnings", "--root", book)
    assert result.exit_code == 0, result.output
    chapter = next(c for c in load_book(book).chapters if c.id == "jane-doe")
    assert chapter is not None and chapter.section == "beginnings"


def test_new_without_a_book_exits_2(tmp_path: Path) -> None:
    result = run("new", "jane-doe", "--name", "Jane Doe", "--root", tmp_path)
    assert result.exit_code == 2, result.output
    assert "No book.yaml" in result.output


def test_new_needs_a_name(book: Path) -> None:
    assert run("new", "jane-doe", "--root", book).exit_code == 2


# --- the whole path an editor takes --------------------------------------------------------


def test_init_new_write_validate(tmp_path: Path) -> None:
    root = tmp_path / "book"
    assert run("init", root, "--title", "From Scratch").exit_code == 0
    result = run("new", "jane-doe", "--name", "Jane Doe", "--root", root, "--github", "janedoe")
    assert result.exit_code == 0, result.output
    stub = run("validate", "--root", root)
    assert stub.exit_code == 1 and "chapters/jane-doe.md:5: L002" in stub.output  # a clear stub, too short
    assert "chapters/jane-doe.md:2: L006" in stub.output and re.search(r"authors\.yaml:\d+: L006", stub.output)

    authors = root / "authors.yaml"
    text = authors.read_text(encoding="utf-8")
    placeholder = '  bio: "TODO: one short paragraph about you (at most 60 words)."'
    assert placeholder in text
    authors.write_text(
        text.replace(placeholder, "  bio: Jane Doe writes about rivers from a houseboat."), encoding="utf-8"
    )
    body = " ".join(["The river moves slowly past the window, and I write down what it carries."] * 10)
    (root / "chapters" / "jane-doe.md").write_text(
        f"---\ntitle: What the River Carries\nauthors: [jane-doe]\n---\n\n{body}\n", encoding="utf-8"
    )
    result = run("validate", "--root", root, "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no problems in 2 chapters")

    built = run("build", "--root", root, "--quiet")
    assert built.exit_code == 0, built.output
    assert (root / "build" / "from-scratch.pdf").read_bytes().startswith(b"%PDF")
    assert (root / "build" / "from-scratch.epub").is_file()


def test_init_takes_root_like_every_command(tmp_path: Path) -> None:
    result = run("init", "--root", tmp_path / "by-root", "--title", "By Root")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "by-root" / "book.yaml").is_file()
    nested = run("init", "--root", tmp_path, "nested", "--title", "Nested")
    assert nested.exit_code == 0, nested.output
    assert (tmp_path / "nested" / "book.yaml").is_file()
