"""The CI workflow that `anthology init` writes (and the sample book's own copy) is safe to run
on pull requests from strangers, and only calls commands that exist.

Also the pre-commit hook definition of the tool repository.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from anthology import __version__
from anthology.cli import main
from anthology.new_book import ACTION, ACTION_COMMIT, placeholders, render

PROJECT = Path(__file__).parent.parent
TEMPLATE = PROJECT / "anthology" / "scaffold" / ".github" / "workflows" / "book.yml"
OWN = PROJECT / ".github" / "workflows" / "book.yml"
ACTION_FILE = PROJECT / "action.yml"
LOCAL_ACTION = "./ # action.yml of this checkout; a book repository names it by commit"
FORBIDDEN_TRIGGERS = {"pull_request_target", "workflow_run"}
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
# `anthology <command>` where a shell command starts: line start, after a pipe, `&&`, `;`, `(`, …
COMMAND = re.compile(r"(?:^|[;&|(!]|\bthen\b|\bdo\b)\s*anthology\s+([a-z][a-z-]*)", re.M)


def rendered_template() -> str:
    return render(TEMPLATE.read_text(encoding="utf-8"), placeholders("Test"))


WORKFLOWS = {"scaffold": rendered_template, "project": lambda: OWN.read_text(encoding="utf-8")}


@pytest.fixture(params=sorted(WORKFLOWS))
def text(request: pytest.FixtureRequest) -> str:
    return str(WORKFLOWS[request.param]())


def parse(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    if True in data:  # YAML 1.1 (PyYAML) reads the key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def code_jobs(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The jobs that check out and run the book's code (all but the Pages deployment)."""
    return {name: job for name, job in data["jobs"].items() if any("run" in step for step in job["steps"])}


def pr_jobs(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: job for name, job in data["jobs"].items() if "pull_request" in job.get("if", "")}


def test_triggers_are_pull_request_and_version_tags(text: str) -> None:
    on = parse(text)["on"]
    assert set(on) == {"pull_request", "push"}
    assert not FORBIDDEN_TRIGGERS & set(on)
    assert on["push"] == {"tags": ["v*"]}


def test_no_forbidden_trigger_anywhere(text: str) -> None:
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())  # the header warns against them
    for trigger in FORBIDDEN_TRIGGERS:
        assert trigger not in code


def test_pull_request_job_is_read_only_and_uses_no_secrets(text: str) -> None:
    data = parse(text)
    assert data["permissions"] == {}
    jobs = pr_jobs(data)
    assert list(jobs) == ["check"]
    for job in jobs.values():
        assert job["permissions"] == {"contents": "read"}
        dumped = yaml.safe_dump(job)
        assert "secrets." not in dumped and "github.token" not in dumped and "GITHUB_TOKEN" not in dumped


def test_release_job_only_on_tags_with_contents_write(text: str) -> None:
    release = parse(text)["jobs"]["release"]
    assert release["permissions"] == {"contents": "write"}
    assert "refs/tags/v" in release["if"] and "push" in release["if"]
    run = " ".join(step.get("run", "") for step in release["steps"])
    assert "anthology build" in run
    for output in ("build/*.pdf", "build/*.epub", "build/SHA256SUMS"):
        assert output in run


def test_checkout_never_keeps_credentials(text: str) -> None:
    data = parse(text)
    checkouts = [step for step in steps(data) if step.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == len(code_jobs(data))
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False
    for job in pr_jobs(data).values():
        (checkout,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert checkout["with"]["fetch-depth"] == 0


def test_every_action_is_pinned_by_commit_with_a_version_comment(text: str) -> None:
    for step in steps(parse(text)):
        if "uses" in step and step["uses"] != "./":
            assert PINNED.match(step["uses"]), step["uses"]
    for line in text.splitlines():
        if re.match(r"\s*(-\s+)?uses:", line) and "uses: ./ " not in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_no_expressions_inside_scripts(text: str) -> None:
    """`${{ … }}` in a `run:` script is pasted into the shell before it runs (script injection):
    values from the event go through `env:` instead."""
    for step in steps(parse(text)):
        assert "${{" not in step.get("run", ""), step["run"]


def test_every_job_installs_with_the_action_right_after_checkout(text: str) -> None:
    for job in code_jobs(parse(text)).values():
        assert job["steps"][0]["uses"].startswith("actions/checkout@")
        assert job["steps"][1]["uses"] in (ACTION.split(" #")[0], "./")
        assert not any("pip install" in step.get("run", "") for step in job["steps"])


def test_scaffold_pins_the_action_of_the_current_version() -> None:
    assert ACTION.endswith(f" # v{__version__}") and PINNED.match(ACTION.split(" #")[0])
    assert rendered_template().count(f"uses: {ACTION}\n") == 2
    assert OWN.read_text(encoding="utf-8").count(f"uses: {LOCAL_ACTION}\n") == 2


def action() -> dict[str, Any]:
    data = yaml.safe_load(ACTION_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_action_installs_fonts_and_the_locked_versions_with_a_pip_cache() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    run = "\n".join(step.get("run", "") for step in data["runs"]["steps"])
    assert '"$ACTION_PATH/requirements/debian.txt"' in run and "apt-get install" in run
    assert '--require-hashes --no-deps -r "$ACTION_PATH/requirements/app.txt"' in run
    assert 'pip install --disable-pip-version-check --no-deps "$ACTION_PATH"' in run
    (cache,) = [s for s in data["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == "~/.cache/pip" and "steps.lock.outputs.hash" in cache["with"]["key"]
    packages = (PROJECT / "requirements/debian.txt").read_text(encoding="utf-8")
    for package in ("fonts-noto-core", "fonts-noto-cjk", "libharfbuzz-subset0", "libpango-1.0-0"):
        assert package in packages.split()


def test_action_pins_its_actions_and_keeps_expressions_out_of_scripts() -> None:
    for step in action()["runs"]["steps"]:
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
        assert "${{" not in step.get("run", ""), step["run"]
    for line in ACTION_FILE.read_text(encoding="utf-8").splitlines():
        if re.match(r"\s*(-\s+)?uses:", line):
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_the_pinned_action_commit_has_the_action() -> None:
    """ACTION_COMMIT names a commit of this repository that holds action.yml (where git has it)."""
    import subprocess

    found = subprocess.run(["git", "cat-file", "-e", f"{ACTION_COMMIT}:action.yml"], cwd=PROJECT, capture_output=True)
    if found.returncode != 0:
        shallow = subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"], cwd=PROJECT, capture_output=True, text=True
        )
        if shallow.returncode != 0 or shallow.stdout.strip() == "true":
            pytest.skip("no full git history here")
    assert found.returncode == 0, f"{ACTION_COMMIT} has no action.yml: update ACTION_COMMIT in anthology/new_book.py"


def test_project_copy_matches_the_scaffold() -> None:
    """The sample book's workflow is the scaffold's, installing the tool from the checkout."""

    def code(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.lstrip().startswith("#")]

    expected = rendered_template().replace(f"uses: {ACTION}", f"uses: {LOCAL_ACTION}")
    assert code(OWN.read_text(encoding="utf-8")) == code(expected)


def test_pull_request_job_does_what_the_contributor_guide_promises(text: str) -> None:
    (job,) = pr_jobs(parse(text)).values()
    run = "\n".join(step.get("run", "") for step in job["steps"])
    assert "anthology validate --format github" in run
    assert 'anthology check-pr --base "origin/$BASE_REF" --format github' in run
    assert 'anthology status --format markdown --author "$author" >> "$GITHUB_STEP_SUMMARY"' in run
    assert '--arg login "$PR_AUTHOR"' in run  # the rows of the authors with the PR author's `github:`
    assert "anthology proof" in run
    (upload,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "build/proofs/"
    assert job["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_every_anthology_command_in_the_workflow_exists(text: str) -> None:
    """Fails until `status`, `check-pr` and `proof` are registered (being written alongside)."""
    used = set()
    for step in steps(parse(text)):
        used.update(COMMAND.findall(step.get("run", "")))
    assert {"validate", "check-pr", "status", "proof", "build"} <= used
    missing = used - set(main.commands)
    assert not missing, f"the workflow runs commands that `anthology --help` does not list: {sorted(missing)}"


def test_pre_commit_hook_definition() -> None:
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "anthology-validate"
    assert hook["entry"] == "anthology validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("chapters/my-chapter.md", "authors.yaml", "book.yaml"):
        assert files.search(path), path
    for path in ("chapters/notes.txt", "README.md", "front/foreword.md", "x/authors.yaml", "book.yaml.bak"):
        assert not files.search(path), path
    assert hook["entry"].split()[1] in main.commands


def test_pages_job_is_opt_in_and_only_deploys(text: str) -> None:
    """Publishing the web edition: off unless the PUBLISH_SITE variable is true; the job that
    can deploy runs nothing but the pinned deploy action on what the release job built."""
    data = parse(text)
    pages = data["jobs"]["pages"]
    assert pages["needs"] == "release" and pages["if"] == "vars.PUBLISH_SITE == 'true'"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in pages["steps"]] == ["actions/deploy-pages"]
    assert all("run" not in step for step in pages["steps"])
    release = data["jobs"]["release"]["steps"]
    site = [step for step in release if step.get("if") == "vars.PUBLISH_SITE == 'true'"]
    assert site[0]["run"] == "anthology build --format site"
    assert site[1]["uses"].startswith("actions/upload-pages-artifact@") and site[1]["with"]["path"] == "build/site/"
    assert "pages" not in str(data["jobs"]["release"]["permissions"])
