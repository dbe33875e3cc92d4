"""Watching the book folder: which saved files matter to the preview.

watchfiles (Rust's `notify`: inotify on Linux, FSEvents on macOS) reports a save within a few
tens of milliseconds and groups the bursts editors make (write, rename, chmod) into one change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..model import AUTHORS_FILE, BOOK_FILE, CHAPTERS_DIR, IMAGES_DIR

SOURCES = {CHAPTERS_DIR, IMAGES_DIR, "front", "back"}


def is_source(root: Path, out_dir: Path, path: str) -> bool:
    """Whether a changed file is one the book is made from (not an output, not .git, not a temporary file)."""
    changed = Path(path)
    if changed.is_relative_to(out_dir) or not changed.is_relative_to(root):
        return False
    parts = changed.relative_to(root).parts
    if not parts or any(part.startswith(".") or part.endswith("~") for part in parts):
        return False
    return (
        parts[0] in SOURCES or (len(parts) == 1 and parts[0] in (BOOK_FILE, AUTHORS_FILE)) or parts[0].endswith(".md")
    )


def watch(
    root: Path, out_dir: Path, on_change: Callable[[set[str]], None], stop: threading.Event, ready: threading.Event
) -> None:
    """Call `on_change(relative paths)` after each burst of saves under `root`, until `stop` is set.

    `ready` is set once the folder is watched (watchfiles says so by its first timeout), so a
    save made after that is never missed.
    """
    from watchfiles import watch as changes

    real_root, real_out = root.resolve(), out_dir.resolve()
    for batch in changes(
        real_root,
        watch_filter=lambda _change, path: is_source(real_root, real_out, path),
        stop_event=stop,
        debounce=400,
        step=30,
        rust_timeout=200,
        yield_on_timeout=True,
    ):
        ready.set()
        if batch:
            on_change({Path(path).relative_to(real_root).as_posix() for _change, path in batch})
