"""Timing for the benchmarks: each command in a fresh process, the way a user runs it.

`run(command)` measures one process: wall time, CPU time and peak resident memory (from its
rusage via os.wait4, so they are the command's own, not the benchmark's), exit code and output.
With `tree=True` the peak memory is instead that of the process and all its descendants
(pandoc, layout workers), sampled from /proc every 20 ms. `repeat` runs a command once to warm
the file cache and .pyc files, then `runs` times for the figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from statistics import median

# The command a user types, without relying on PATH: the console script's entry point.
ANTHOLOGY = [sys.executable, "-c", "from anthology.cli import main; main()"]

__all__ = ["ANTHOLOGY", "Run", "medians", "repeat", "run"]


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock, from starting the process to its exit
    cpu: float  # user + system CPU seconds of the process (and the children it waited for)
    peak_mb: float  # peak resident memory in MiB: of the process, or of its whole tree (tree=True)
    exit_code: int
    output: str  # stdout and stderr together


def _tree_kib(pid: int) -> int:
    """Resident KiB of a process and all its descendants, from /proc."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return total


class _TreeSampler:
    """Samples the resident memory of a process tree in a thread until stopped."""

    def __init__(self, pid: int) -> None:
        self.peak_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(pid,), daemon=True)
        self._thread.start()

    def _sample(self, pid: int) -> None:
        while not self._done.is_set():
            self.peak_kib = max(self.peak_kib, _tree_kib(pid))
            time.sleep(0.02)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak_kib


def run(command: list[str], cwd: Path | None = None, *, tree: bool = False) -> Run:
    """One command in a fresh process, its output captured, standard input closed."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        sampler = _TreeSampler(process.pid) if tree else None
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if sampler is not None:
        peak_kib = float(sampler.stop())
    else:
        peak_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024  # KiB on Linux
    return Run(seconds, usage.ru_utime + usage.ru_stime, peak_kib / 1024, process.returncode, output)


def repeat(command: list[str], runs: int, cwd: Path | None = None) -> list[Run]:
    """One warm-up run (not counted), then `runs` measured runs."""
    run(command, cwd)
    return [run(command, cwd) for _ in range(runs)]


def medians(runs: Iterable[Run]) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs`."""
    listed = list(runs)
    return median(r.seconds for r in listed), median(r.cpu for r in listed)
