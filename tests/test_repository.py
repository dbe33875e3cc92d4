"""The repository stays light to clone: no tracked file over 1 MB. Large test inputs are made at
test time instead (a rule case's PAD file, see conftest.overlay)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import PROJECT

MAX_BYTES = 1_000_000


def test_no_tracked_file_is_over_1_mb() -> None:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout (an unpacked source archive)")
    paths = [PROJECT / name for name in listed.stdout.decode().split("\0") if name]
    sizes = {p.relative_to(PROJECT).as_posix(): p.stat().st_size for p in paths if p.is_file() and not p.is_symlink()}
    assert len(sizes) > 100, "git ls-files listed almost nothing"
    assert {name: size for name, size in sizes.items() if size > MAX_BYTES} == {}
