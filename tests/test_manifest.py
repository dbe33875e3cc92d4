"""build/manifest.json: what typeset the book, and the warning when the next build differs.

The sample book's manifest is checked against its PDF in test_build.py (one shared build).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import BASE_BOOK, fontconfig_env, run_anthology
from gitbook import init, isolate_git

from anthology import fonts
from anthology.build import build
from anthology.load import load_book
from anthology.manifest import differences

LATIN = ("NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic")


def _font(name: str, version: str = "Version 2.004", sha: str = "a" * 64, file: str | None = None) -> dict[str, object]:
    return {
        "name": name,
        "family": "Noto Serif",
        "style": "Regular",
        "version": version,
        "sha256": sha,
        "file": file or f"{name}.ttf",
    }


def _manifest(
    commit: str | None = "c1", fonts: list[dict[str, object]] | None = None, **versions: str
) -> dict[str, object]:
    return {
        "commit": commit,
        "fonts": fonts if fonts is not None else [_font("NotoSerif-Regular")],
        "source_date_epoch": 1,
        "versions": {"weasyprint": "70.0", "pango": "1.50.12", **versions},
    }


def test_differences_name_each_tool_and_font_that_changed() -> None:
    old = _manifest(
        fonts=[_font("NotoSerif-Regular", "Version 2.013; ttfautohint", "ab12" + "0" * 60), _font("NotoSerif-Bold")]
    )
    new = _manifest(
        fonts=[_font("NotoSerif-Regular", "Version 2.014; ttfautohint", "cd34" + "0" * 60), _font("NotoSerif-Bold")],
        weasyprint="71.0",
    )
    assert differences(old, new) == [
        "WeasyPrint 70.0 -> 71.0",
        "font NotoSerif-Regular.ttf changed: version 2.013 -> 2.014 (sha256 ab120000… -> cd340000…)",
    ]
    assert differences(new, new) == []
    moved = _manifest(fonts=[_font("NotoSerif-Regular", file="NotoSerif-Regular.otf"), _font("NotoSerif-Bold")])
    assert differences(new, moved) == [
        "WeasyPrint 71.0 -> 70.0",
        "font NotoSerif-Regular.otf changed: version 2.014 -> 2.004 (file NotoSerif-Regular.ttf -> NotoSerif-Regular.otf, "
        "sha256 cd340000… -> aaaaaaaa…)",
    ]


def test_fonts_used_by_one_build_only_are_named_only_for_the_same_commit() -> None:
    one, two = [_font("NotoSerif-Regular")], [_font("NotoSerif-Regular"), _font("NotoSansThai-Regular")]
    assert differences(_manifest("c1", one), _manifest("c1", two)) == ["font NotoSansThai-Regular.ttf is now used"]
    assert differences(_manifest("c1", two), _manifest("c1", one)) == [
        "font NotoSansThai-Regular.ttf is no longer used"
    ]
    assert differences(_manifest("c1", one), _manifest("c2", two)) == []  # a new chapter in Thai explains it
    assert differences(_manifest(None, one), _manifest(None, two)) == []  # outside git nobody knows
    assert differences({**_manifest(), "fonts": None}, _manifest()) == []  # the last build made no PDF


def test_the_manifest_names_the_commit_and_needs_no_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    root = tmp_path / "book"
    shutil.copytree(BASE_BOOK, root)
    init(root)
    head = (root / ".git" / "refs" / "heads" / "main").read_text().strip()
    result = build(load_book(root), tmp_path / "out", ("epub",))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["commit"] == head and manifest["fonts"] is None
    assert manifest["source_date_epoch"] > 0 and manifest["versions"]["weasyprint"]
    assert result.changes == []
    sums = (tmp_path / "out" / "SHA256SUMS").read_text()
    assert "  manifest.json\n" in sums and "  base-book.epub\n" in sums


def _latin_fonts() -> list[Path]:
    found = fonts.faces_named(LATIN)
    if set(found) != set(LATIN):
        pytest.skip("Noto Serif is not installed")
    return [Path(found[name][0][0]) for name in LATIN]


def test_a_changed_font_file_is_named_by_the_next_build(tmp_path: Path) -> None:
    """Two real builds with fontconfig pointed at copies of Noto Serif; between them the
    regular face is replaced by one whose version is 9.000 (as a font update would)."""
    from fontTools.ttLib import TTFont

    env = fontconfig_env(tmp_path, _latin_fonts())
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    root = tmp_path / "book"
    shutil.copytree(BASE_BOOK, root)
    first = run_anthology("build", "--root", str(root), "--format", "pdf", "-j", "1", env=env)
    assert first.returncode == 0, first.stderr
    assert "warning" not in first.stderr
    regular = tmp_path / "fonts" / "NotoSerif-Regular.ttf"
    before = json.loads((root / "build" / "manifest.json").read_text())
    assert {font["name"] for font in before["fonts"]} <= set(LATIN)
    font = TTFont(regular)
    for record in font["name"].names:
        if record.nameID == 5:
            record.string = "Version 9.000"
    font.save(regular)

    second = run_anthology("build", "--root", str(root), "--format", "pdf", "-j", "1", env=env)
    assert second.returncode == 0, second.stderr
    old_sha = next(f["sha256"] for f in before["fonts"] if f["name"] == "NotoSerif-Regular")
    new_sha = hashlib.sha256(regular.read_bytes()).hexdigest()
    assert "warning: the previous build here used other tools or fonts" in second.stderr
    assert (
        f"font NotoSerif-Regular.ttf changed: version 2.004 -> 9.000 (sha256 {old_sha[:8]}… -> {new_sha[:8]}…)"
        in second.stderr
    )
    after = json.loads((root / "build" / "manifest.json").read_text())
    [entry] = [f for f in after["fonts"] if f["name"] == "NotoSerif-Regular"]
    assert entry["version"] == "Version 9.000" and entry["sha256"] == new_sha  # laid out again, not from the cache
