"""Safe file handling shared by every command: atomic writes, cache pruning, paths kept in the book.

A write goes to a temporary file beside its target and is renamed over it, so an interrupted or
failed run never leaves half a file and never destroys the previous edition. `mkstemp` creates
files readable by their owner only; outputs get the mode `cp` would give them (0666 less the
umask), so a web server or a second user can read a release.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

STALE_DAYS = 14  # cache entries unused for this long are removed


def _umask() -> int:
    """The process's umask (reading it means setting it; restored at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it, with the umask's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            os.fchmod(stream.fileno(), 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_stale(folder: Path, keep: set[str]) -> None:
    """Delete files in a cache folder that this run did not use (name not in `keep`) and
    nothing has used for STALE_DAYS, so a book's cache does not grow with every edit."""
    limit = time.time() - STALE_DAYS * 86400
    for path in folder.glob("*"):
        try:
            if path.name not in keep and path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue  # removed meanwhile, or not ours to remove: leave it


def inside(root: Path, relative: str) -> Path | None:
    """The real path of `relative` if it stays inside `root` after `..` and symlinks, else None."""
    if not relative or relative.startswith(("/", "\\")) or ":" in relative.split("/")[0]:
        return None
    try:
        real_root = root.resolve()
        target = (real_root / relative).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return target if target.is_relative_to(real_root) else None


def replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Write `files` (relative POSIX path -> bytes) as the new content of `folder`.

    Everything is written into a temporary folder beside it first and swapped in with two
    renames at the end, so a failed or interrupted run leaves the previous folder whole.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    old = staging.with_name(staging.name[: -len(".tmp")] + ".old")
    try:
        for relative, data in files.items():
            target = staging / relative
            if inside(staging, relative) != target.resolve():
                raise ValueError(f"{relative!r} is not a plain path inside the folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o666 & ~_umask())
        for directory in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(directory, 0o777 & ~_umask())
        if folder.exists():
            os.replace(folder, old)
        os.replace(staging, folder)
    except BaseException:
        if old.exists() and not folder.exists():
            os.replace(old, folder)  # the swap failed half-way: put the previous folder back
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
