"""`anthology doctor`: the machine's libraries, tools and fonts, checked for the book at --root."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import fontconfig_env, run_anthology

from anthology.cli import main
from anthology.fonts import font_files

STACK_FAMILIES = ("Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", "Noto Serif Hebrew", "Noto Serif Devanagari")


def _states(output: str) -> dict[str, str]:
    """item -> state, from the doctor's one line per item."""
    return {m[0].strip(): m[1] for m in re.findall(r"^(\S.{27}) (ok|missing|too old|not writable)\b", output, re.M)}


@pytest.mark.skipif(not font_files(), reason="the Noto fonts are not installed")
def test_this_machine_can_build_the_sample_book(sample_book: Path) -> None:
    result = CliRunner().invoke(main, ["doctor", "--root", str(sample_book)])
    assert result.exit_code == 0, result.output
    states = _states(result.output)
    for item in ("Python", "Pango", "HarfBuzz", "WeasyPrint", "pandoc", "Java", "output folder", *STACK_FAMILIES):
        assert states.get(item) == "ok", (item, result.output)
    assert "Noto Serif                   ok        for Latin, Greek, Cyrillic" in result.output
    assert result.output.endswith("The book can be built here.\n")


def test_without_the_books_fonts_it_names_them_and_how_to_install_them(sample_book: Path, tmp_path: Path) -> None:
    done = run_anthology("doctor", "--root", str(sample_book), env=fontconfig_env(tmp_path / "no-fonts"))
    assert done.returncode == 1, done.stdout + done.stderr
    states = _states(done.stdout)
    assert all(states[family] == "missing" for family in STACK_FAMILIES), done.stdout
    assert states["Python"] == states["WeasyPrint"] == "ok"
    verdict = done.stdout.strip().splitlines()[-1]
    assert verdict == f"The book cannot be built here. Needed first: {', '.join(STACK_FAMILIES)} (see above)."
    assert "Debian/Ubuntu: sudo apt-get install fonts-noto-cjk" in done.stdout
    assert "Fedora:        sudo dnf install google-noto-naskh-arabic-fonts" in done.stdout
    assert "macOS:         brew install --cask font-noto-serif-hebrew" in done.stdout
    assert done.stderr == ""


def test_weasyprint_that_cannot_start_is_reported_not_raised(base_book: Path, tmp_path: Path) -> None:
    """A WeasyPrint whose libraries cannot be loaded (as without Pango) raises OSError on import."""
    fake = tmp_path / "site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "print('WeasyPrint could not import some external libraries.')\n"
        "raise OSError(\"cannot load library 'libpango-1.0-0': no such file\")\n"
    )
    done = run_anthology("doctor", "--root", str(base_book), env={**os.environ, "PYTHONPATH": str(tmp_path / "site")})
    assert done.returncode == 1
    assert "WeasyPrint                   missing   cannot start: cannot load library 'libpango-1.0-0'" in done.stdout
    assert "    Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr and "could not import" not in done.stdout
    assert "Needed first: WeasyPrint" in done.stdout


def test_java_is_a_warning_and_an_unwritable_output_folder_an_error(
    base_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    which = shutil.which
    monkeypatch.setattr("anthology.doctor.shutil.which", lambda name: None if name == "java" else which(name))
    result = CliRunner().invoke(main, ["doctor", "--root", str(base_book)])
    assert _states(result.output)["Java"] == "missing"
    assert "    Debian/Ubuntu: sudo apt-get install default-jre-headless" in result.output
    assert result.exit_code == (0 if font_files() else 1), result.output
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    result = CliRunner().invoke(main, ["doctor", "--root", str(base_book), "--out", str(in_the_way / "build")])
    assert result.exit_code == 1
    assert _states(result.output)["output folder"] == "not writable"
    assert "Needed first: output folder" in result.output or "output folder (see above)" in result.output


def test_misuse_exits_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["doctor", "--root", str(tmp_path / "nowhere")]).exit_code == 2
    assert CliRunner().invoke(main, ["doctor", "--no-such-option"]).exit_code == 2
