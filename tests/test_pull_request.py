"""`anthology check-pr` on real git repositories: a base book on main, a pull request on a branch.

The base book has alice-smith (GitHub: alice) with chapters/walking.md, bob-jones (GitHub: bobj)
with chapters/bridges.md, and one editor, GitHub login `eddie`, under `maintainers:`. Each R code's
plain bad and good pull request, with the message it prints, is a rule case (tests/rules/cases/R00x,
run by test_rules.py); these tests cover the other situations.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitbook import chapter, commit, git, init, isolate_git, open_pull_request, write

from anthology.cli import main
from anthology.gitutil import _extract, changed_files, file_at
from anthology.pull_request import login_from_environment

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture
def repo(base_book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The base book committed on main, with branch `feature` checked out for the pull request."""
    isolate_git(monkeypatch, tmp_path)
    return open_pull_request(base_book)


def check(root: Path, login: str | None, *args: str, fmt: str = "text") -> Result:
    options = ["--author", login] if login else []
    return CliRunner().invoke(
        main,
        ["check-pr", "--root", str(root), "--base", "main", *options, "--format", fmt, *args],
        env={"NO_COLOR": "1"},
    )


def codes(result: Result) -> list[str]:
    return re.findall(r"\b[A-Z]\d{3}\b", result.output)


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- chapters ----------------------------------------------------------------------------------------


def test_author_changing_own_chapter_passes(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    commit(repo)
    result = check(repo, "alice")
    assert result.exit_code == 0, result.output
    assert "no problems in 1 chapter" in result.output


def test_login_is_compared_without_case(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    commit(repo)
    assert check(repo, "Alice").exit_code == 0


def test_taking_over_someone_elses_chapter_fails(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "authors: [alice-smith]", "authors: [bob-jones]")
    commit(repo)
    result = check(repo, "bobj")
    assert result.exit_code == 1
    assert "belongs to alice-smith (GitHub: alice); you are bobj" in result.output


def test_adding_a_chapter_credited_to_someone_else_fails(repo: Path) -> None:
    write(repo, "chapters/rivers.md", chapter("Rivers", "alice-smith"))
    commit(repo)
    result = check(repo, "bobj")
    assert result.exit_code == 1
    assert "R001" in codes(result)
    assert "New chapter chapters/rivers.md is credited to alice-smith (GitHub: alice); you are bobj" in result.output


def test_rename_of_own_chapter_passes(repo: Path) -> None:
    git(repo, "mv", "chapters/walking.md", "chapters/strolling.md")
    commit(repo)
    assert changed_files(repo, "main") == [
        type(changed_files(repo, "main")[0])("R", "chapters/strolling.md", "chapters/walking.md")
    ]
    result = check(repo, "alice")
    assert result.exit_code == 0, result.output


def test_rename_of_someone_elses_chapter_fails(repo: Path) -> None:
    git(repo, "mv", "chapters/walking.md", "chapters/strolling.md")
    commit(repo)
    result = check(repo, "bobj")
    assert result.exit_code == 1
    assert "chapters/walking.md (renamed to chapters/strolling.md) belongs to alice-smith" in result.output


def test_deletion_of_someone_elses_chapter_fails(repo: Path) -> None:
    git(repo, "rm", "-q", "chapters/bridges.md")
    commit(repo)
    result = check(repo, "alice")
    assert result.exit_code == 1
    assert codes(result) == ["R001"]
    assert "Deletes chapters/bridges.md, which belongs to bob-jones (GitHub: bobj); you are alice" in result.output


def test_deletion_of_own_chapter_passes(repo: Path) -> None:
    git(repo, "rm", "-q", "chapters/bridges.md")
    commit(repo)
    assert check(repo, "bobj").exit_code == 0


def test_validation_reports_only_the_changed_chapter(repo: Path) -> None:
    # A problem already on main in bob's chapter must not fail alice's pull request.
    git(repo, "checkout", "-q", "main")
    edit(repo, "chapters/bridges.md", "Every bridge", "<b>Every</b> bridge")
    commit(repo, "bob breaks his chapter")
    git(repo, "checkout", "-q", "-b", "alice-pr")
    long_body = " ".join(["word"] * 80)
    edit(repo, "chapters/walking.md", "Walking is", f"{long_body} Walking is")
    commit(repo)
    result = check(repo, "alice")
    assert result.exit_code == 1
    assert codes(result) == ["L001"]
    assert "chapters/walking.md" in result.output and "bridges" not in result.output


# --- authors.yaml ------------------------------------------------------------------------------------


def test_layout_and_comments_in_authors_yaml_are_not_changes(repo: Path) -> None:
    text = (repo / "authors.yaml").read_text(encoding="utf-8")
    alice, bob = text.split("bob-jones:")
    write(repo, "authors.yaml", "# Contributors\nbob-jones:" + bob.rstrip("\n") + "\n\n" + alice)
    commit(repo)
    assert check(repo, "bobj").exit_code == 0


def test_adding_own_entry_passes(repo: Path) -> None:
    with (repo / "authors.yaml").open("a", encoding="utf-8") as authors:
        authors.write("carol-white:\n  name: Carol White\n  bio: Carol paints signs.\n  github: carolw\n")
    commit(repo)
    result = check(repo, "carolw")
    assert result.exit_code == 0, result.output
    assert "I004" in codes(result)  # her chapter has not arrived yet: a warning about her entry
    assert check(repo, "carolw", "--strict").exit_code == 1


def test_entry_change_is_validated_for_that_author_only(repo: Path) -> None:
    long_bio = " ".join(["very"] * 30)
    edit(repo, "authors.yaml", "Alice writes short essays about long walks.", f"Alice is {long_bio} tall.")
    commit(repo)
    result = check(repo, "alice")
    assert result.exit_code == 1
    assert codes(result) == ["L004"]


def test_broken_authors_yaml_on_main_cannot_be_judged(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    write(repo, "authors.yaml", "alice-smith: [unclosed\n")
    commit(repo, "an editor breaks authors.yaml")
    git(repo, "checkout", "-q", "-b", "alice-pr")
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    commit(repo)
    result = check(repo, "alice")
    assert result.exit_code == 1
    assert "R005" in codes(result)
    assert "authors.yaml cannot be read before this pull request" in result.output


def test_adding_an_entry_for_someone_else_fails(repo: Path) -> None:
    with (repo / "authors.yaml").open("a", encoding="utf-8") as authors:
        authors.write("carol-white:\n  name: Carol White\n  bio: Carol paints signs.\n  github: carolw\n")
    commit(repo)
    result = check(repo, "bobj")
    assert result.exit_code == 1
    assert "The new entry 'carol-white' in authors.yaml has github: carolw; you are bobj" in result.output


def test_new_author_with_entry_and_chapter_passes(repo: Path) -> None:
    with (repo / "authors.yaml").open("a", encoding="utf-8") as authors:
        authors.write("carol-white:\n  name: Carol White\n  bio: Carol paints signs.\n  github: carolw\n")
    write(repo, "chapters/signs.md", chapter("Painted Signs", "carol-white"))
    commit(repo)
    result = check(repo, "carolw")
    assert result.exit_code == 0, result.output
    assert "no problems in 1 chapter" in result.output


# --- editor files ------------------------------------------------------------------------------------


def test_a_pull_request_cannot_appoint_its_author_maintainer(repo: Path) -> None:
    edit(repo, "book.yaml", "maintainers: [eddie]", "maintainers: [eddie, alice]")
    commit(repo)
    assert check(repo, "alice").exit_code == 1


def test_maintainer_may_change_anything(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    edit(repo, "authors.yaml", "Bob edits", "Bob writes")
    write(repo, ".github/workflows/book.yml", "on: pull_request\n")
    commit(repo)
    result = check(repo, "eddie")
    assert result.exit_code == 0, result.output


def test_workflow_and_tool_files_need_an_editor(repo: Path) -> None:
    write(repo, ".github/workflows/book.yml", "on: pull_request\n")
    write(repo, "pyproject.toml", "[project]\n")
    write(repo, "chapters/notes.docx", b"PK\x03\x04binary")
    commit(repo)
    result = check(repo, "alice")
    assert result.exit_code == 1
    assert codes(result).count("R003") == 3
    assert ".github/workflows/book.yml belongs to the editors (eddie); you are alice" in result.output
    assert "chapters/notes.docx is not a chapter" in result.output


# --- pictures ----------------------------------------------------------------------------------------


def test_deleting_own_picture_with_its_reference_passes(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    edit(repo, "chapters/walking.md", "I know.", "I know.\n\n![A dot](images/dot.png)")
    commit(repo, "alice uses the dot")
    git(repo, "checkout", "-q", "-b", "alice-pr")
    edit(repo, "chapters/walking.md", "\n\n![A dot](images/dot.png)", "")
    git(repo, "rm", "-q", "images/dot.png")
    commit(repo)
    assert check(repo, "alice").exit_code == 0
    assert check(repo, "bobj").exit_code == 1


def test_replacing_a_picture_someone_else_uses_fails(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    edit(repo, "chapters/bridges.md", "wins.", "wins.\n\n![A dot](images/dot.png)")
    commit(repo, "bob uses the dot")
    git(repo, "checkout", "-q", "-b", "alice-pr")
    write(repo, "images/dot.png", PNG + b"changed")
    edit(repo, "chapters/walking.md", "I know.", "I know.\n\n![A dot](images/dot.png)")
    commit(repo)
    result = check(repo, "alice")
    assert result.exit_code == 1
    assert "Changes images/dot.png, which someone else's chapter or photo uses; you are alice" in result.output


# --- git situations ----------------------------------------------------------------------------------


def test_merge_from_main_does_not_count_mains_changes(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    commit(repo, "alice's change")
    git(repo, "checkout", "-q", "main")
    edit(repo, "chapters/bridges.md", "Every bridge", "Each bridge")
    write(repo, "images/logo.png", PNG)
    commit(repo, "an editor's change on main")
    git(repo, "checkout", "-q", "feature")
    git(repo, "merge", "-q", "--no-edit", "main")
    assert [c.path for c in changed_files(repo, "main")] == ["chapters/walking.md"]
    result = check(repo, "alice")
    assert result.exit_code == 0, result.output


def test_head_other_than_the_checked_out_commit(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "<b>slowest</b> way")
    commit(repo)
    git(repo, "checkout", "-q", "main")
    result = check(repo, "alice", "--head", "feature")
    assert result.exit_code == 1
    assert codes(result) == ["C001"]  # the raw HTML of the head, though main is checked out
    assert file_at(repo, "feature", "chapters/walking.md") != (repo / "chapters/walking.md").read_bytes()


def test_shallow_clone_without_the_base_exits_2_with_fetch_advice(repo: Path, tmp_path: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    commit(repo)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = CliRunner().invoke(main, ["check-pr", "--root", str(clone), "--base", "origin/main", "--author", "alice"])
    assert result.exit_code == 2
    assert "shallow clone" in result.output
    assert "git fetch --unshallow" in result.output and "fetch-depth: 0" in result.output


def test_book_in_a_folder_of_the_repository(base_book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)
    outer = tmp_path / "monorepo"
    outer.mkdir()
    book = base_book.rename(outer / "book")
    write(outer, "README.md", "Not part of the book.\n")
    init(outer)
    git(outer, "checkout", "-q", "-b", "feature")
    edit(book, "chapters/walking.md", "slowest way", "slowest and best way")
    write(outer, "README.md", "Changed, but outside the book.\n")
    commit(outer)
    assert [c.path for c in changed_files(book, "main")] == ["chapters/walking.md"]
    assert file_at(book, "main", "chapters/walking.md") is not None
    assert check(book, "alice").exit_code == 0
    assert check(book, "bobj").exit_code == 1


def test_unknown_base_exits_2(repo: Path) -> None:
    result = CliRunner().invoke(main, ["check-pr", "--root", str(repo), "--base", "nope", "--author", "alice"])
    assert result.exit_code == 2
    assert "Unknown base 'nope'" in result.output


def test_outside_a_git_repository_exits_2(base_book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(base_book.parent))
    result = CliRunner().invoke(main, ["check-pr", "--root", str(base_book), "--base", "main", "--author", "alice"])
    assert result.exit_code == 2
    assert "not inside a git repository" in result.output


# --- who is asking -----------------------------------------------------------------------------------


def test_login_from_the_pull_request_event(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    commit(repo)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"user": {"login": "alice"}}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_ACTOR", "eddie")  # an editor re-running the job does not make it theirs
    assert login_from_environment() == "alice"
    assert check(repo, None).exit_code == 0
    edit(repo, "chapters/bridges.md", "Every bridge", "Each bridge")
    commit(repo)
    assert check(repo, None).exit_code == 1


def test_login_from_github_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    assert login_from_environment({"GITHUB_ACTOR": "bobj"}) == "bobj"
    assert login_from_environment({"GITHUB_EVENT_PATH": "/nonexistent.json", "GITHUB_ACTOR": "bobj"}) == "bobj"
    assert login_from_environment({}) is None


def test_missing_login_exits_2(repo: Path) -> None:
    result = check(repo, None)
    assert result.exit_code == 2
    assert "--author LOGIN" in result.output


# --- formats -----------------------------------------------------------------------------------------


def test_json_format(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    edit(repo, "authors.yaml", "Alice writes short essays", "Alice writes bad essays")
    commit(repo)
    result = check(repo, "bobj", fmt="json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    found = {(d["code"], d["path"], d["line"]) for d in document["diagnostics"]}
    assert found == {("R001", "chapters/walking.md", 3), ("R002", "authors.yaml", 1)}
    assert all(d["severity"] == "error" and d["hint"] for d in document["diagnostics"])
    assert document["summary"]["errors"] == 2


def test_github_format(repo: Path) -> None:
    edit(repo, "chapters/walking.md", "slowest way", "slowest and best way")
    commit(repo)
    result = check(repo, "bobj", fmt="github")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=chapters/walking.md,line=3,title=R001::chapters/walking.md belongs to")
    assert "you are bobj" in first


def tar_of(*members: tuple[str, str, bytes]) -> tarfile.TarFile:
    """An in-memory tar: (name, kind "file" | "symlink", content or link target)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            if kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, data.decode()
                archive.addfile(info)
            else:
                info.size, info.mode = len(data), 0o4777
                archive.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return tarfile.open(fileobj=buffer)


@pytest.mark.parametrize("filtered", [True, False], ids=["data-filter", "python-3.11.2"])
def test_export_keeps_every_file_inside_the_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filtered: bool
) -> None:
    """git archive's output unpacked with tarfile's data filter, or (Pythons before 3.11.4, such
    as Debian 12's) with the same checks made by hand."""
    if not filtered:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    good = tmp_path / "good"
    _extract(tar_of(("chapters/a.md", "file", b"text"), ("images/b.png", "symlink", b"../chapters/a.md")), good)
    assert (good / "chapters/a.md").read_bytes() == b"text"
    assert (good / "chapters/a.md").stat().st_mode & 0o7777 in (0o644, 0o755)
    assert (good / "images/b.png").resolve() == (good / "chapters/a.md").resolve()
    for bad in (
        ("../escape.md", "file", b"x"),
        ("images/c.png", "symlink", b"/etc/passwd"),
        ("images/d.png", "symlink", b"../../outside"),
    ):
        with pytest.raises(tarfile.TarError):
            _extract(tar_of(bad), tmp_path / "bad")
    assert not (tmp_path / "escape.md").exists()
