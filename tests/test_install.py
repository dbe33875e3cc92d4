"""The README's set-up, run for real: the bootstrap with Debian's own Python, and the wheel.

Both make a fresh virtual environment from the lock (pip's cache makes that quick after the first
run) and build the sample book with it, as a new user or a book's CI would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's own, under PEP 668
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


def tracked_copy(target: Path) -> Path:
    """The project's files as a clean clone has them (tracked or not ignored), without .venv or build/."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=PROJECT,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = PROJECT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def run(command: list[str], cwd: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    if path is not None:
        env["PATH"] = path
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def debian_python() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; sys.exit(sys.version_info < (3, 11))"])
    return check.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not debian_python(), reason="needs Debian's /usr/bin/python3 (3.11 or newer)")
def test_readme_first_command_with_debian_python(tmp_path: Path) -> None:
    """`scripts/bootstrap && .venv/bin/anthology build`, with python3 being the system's."""
    book = tracked_copy(tmp_path / "clone")
    refused = subprocess.run(
        ["python3", "-m", "pip", "install", "--dry-run", "click"],
        cwd=book,
        env={"PATH": SYSTEM_PATH, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    if "externally-managed-environment" not in refused.stderr + refused.stdout:
        pytest.skip("this python3 is not marked externally managed (PEP 668)")
    run(["bash", "-c", "scripts/bootstrap && .venv/bin/anthology build"], book, path=SYSTEM_PATH)
    base = run([str(book / ".venv/bin/python"), "-c", "import sys; print(sys.base_prefix)"], book).stdout
    assert base.strip() == "/usr"
    assert {p.suffix for p in (book / "build").glob("*.*")} >= {".epub", ".pdf"}


@pytest.mark.slow
def test_wheel_builds_the_sample_book(tmp_path: Path) -> None:
    """`python -m build` carries the theme, the Lua filter and the scaffold; the wheel, installed
    (not editable) in a fresh environment with the locked versions, builds the sample book."""
    source = tracked_copy(tmp_path / "source")
    run([sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(source)], tmp_path)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    assert next((tmp_path / "dist").glob("*.tar.gz"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "anthology/render/sanitize.lua",
        "anthology/render/theme/print.css",
        "anthology/scaffold/CONTRIBUTING.md",
        "anthology/scaffold/.github/workflows/book.yml",
    ):
        assert needed in names, needed
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run([*pip, "--require-hashes", "--no-deps", "-r", str(PROJECT / "requirements/app.txt")], tmp_path)
    run([*pip, "--no-deps", str(wheel)], tmp_path)
    book = tmp_path / "book"
    book.mkdir()
    for name in ("book.yaml", "authors.yaml", "chapters", "front", "back", "images"):
        copy = shutil.copytree if (PROJECT / name).is_dir() else shutil.copy2
        copy(PROJECT / name, book / name)
    run([str(venv / "bin/anthology"), "build", "--root", str(book)], tmp_path)
    pdf = next((book / "build").glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert next((book / "build").glob("*.epub"))
