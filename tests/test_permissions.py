"""Outputs get the mode `cp` would give them: 0666 and 0777 less the umask, never mkstemp's 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from anthology.cli import main


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the test under the umask it is parametrized with; the test process's own comes back after."""
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


@pytest.mark.parametrize("umask", [0o022, 0o027], indirect=True, ids=["022", "027"])
def test_every_output_honours_the_umask(
    umask: int, base_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHOLOGY_CACHE_DIR", str(tmp_path / "user-cache"))  # coverage and font digests
    out = tmp_path / "out"
    runner = CliRunner()
    built = runner.invoke(
        main,
        [
            "build",
            "--root",
            str(base_book),
            "--out",
            str(out),
            "-j",
            "1",
            "--format",
            "pdf",
            "--format",
            "epub",
            "--format",
            "html",
        ],
    )
    assert built.exit_code == 0, built.output
    proved = runner.invoke(
        main,
        ["proof", str(base_book / "chapters" / "walking.md"), "--root", str(base_book), "--out", str(out), "-j", "1"],
    )
    assert proved.exit_code == 0, proved.output

    names = {path.name for path in out.iterdir()} | {path.name for path in (out / "proofs").iterdir()}
    assert {
        "base-book.pdf",
        "base-book.epub",
        "base-book.html",
        "SHA256SUMS",
        "manifest.json",
        "walking.pdf",
        "walking-1.png",
    } <= names
    files = [p for p in [*out.rglob("*"), *(tmp_path / "user-cache").rglob("*")] if p.is_file()]
    folders = [out, *(p for p in out.rglob("*") if p.is_dir())]
    assert len(files) > 10, [str(p) for p in files]  # the caches too
    assert {
        str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in files
        if stat.S_IMODE(p.stat().st_mode) != 0o666 & ~umask
    } == {}
    assert {
        str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in folders if stat.S_IMODE(p.stat().st_mode) != 0o777 & ~umask
    } == {}
