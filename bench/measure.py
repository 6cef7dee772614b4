"""Time and peak memory of a command with all its descendants (Linux: reads /proc).

    from measure import run_measured
    m = run_measured(["python3", "-m", "mkdocs", "build"], cwd=project)
    print(m.seconds, m.peak_mb, m.returncode)

Peak memory is the largest SUM of resident memory (RSS) of the process and every descendant,
sampled every 25 ms; it is never below the largest single process's own peak (the kernel's
ru_maxrss), which a short spike between two samples cannot escape. The command's output goes
to a temporary file; on failure its last lines are written to stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.025
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    returncode: int


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            pass
    return out


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0  # gone between the listing and the read


def tree_rss(pid: int) -> int:
    """Bytes resident in ``pid`` and all its descendants right now."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss(p)
        todo += _children(p)
    return total


def run_measured(cmd: list[str], cwd=None, env=None) -> Measured:
    """Run ``cmd`` to the end: wall seconds, peak MB (1e6 bytes) of its process tree, exit code."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        peak = 0
        try:
            while True:
                # wait4 (not Popen.poll) so the exit also reports the child's own peak RSS.
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                peak = max(peak, tree_rss(proc.pid))
                time.sleep(INTERVAL)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = max(peak, usage.ru_maxrss * 1024)  # ru_maxrss is in KiB on Linux
        if proc.returncode != 0:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").splitlines()[-20:]
            print(f"{' '.join(map(str, cmd))}: exit code {proc.returncode}", *tail, sep="\n", file=sys.stderr)
    return Measured(seconds, peak / 1e6, proc.returncode)
