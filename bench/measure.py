"""Wall time and peak memory of a command or a Python callable, for the bench scripts.

Memory is the peak of the SUM of resident memory (RSS) over the whole process tree (the
process, its workers, their pdftoppm children...), sampled from /proc every ``INTERVAL``
seconds by a thread of the calling process. Pages shared by forked workers count once per
process, as ``ps`` would show them: an upper bound, never an under-estimate. One exception:
a child that still runs in its parent's address space (``subprocess`` starts programs with
vfork: until exec, /proc shows the parent's RSS for it) is the same memory and counts once.
Linux only.

    from measure import run_measured, call_measured

    m = run_measured(["python3", "-m", "generator.cli", "print", "--draft"], cwd=project)
    print(m.seconds, m.peak_mb, m.returncode)
    result, seconds, peak_mb = call_measured(print_all, catalog, out, draft=True)

``call_measured`` runs the callable in a forked child, so the peak is that call's alone (not
what the bench script already holds) and the result comes back pickled.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple

INTERVAL = 0.05  # seconds between samples
_PAGE = os.sysconf("SC_PAGE_SIZE")
_KCMP = {"x86_64": 312, "aarch64": 272}.get(platform.machine())  # kcmp(2) syscall number
_KCMP_VM = 1
_LIBC = ctypes.CDLL(None, use_errno=True)


def _same_memory(a: int, b: int) -> bool:
    """Do processes ``a`` and ``b`` share one address space (a vfork child before its exec)?"""
    return _KCMP is not None and _LIBC.syscall(_KCMP, a, b, _KCMP_VM, 0, 0) == 0


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process now in /proc."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone between listing and reading
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])  # the name in (...) may hold spaces
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_rss_mb(pid: int) -> float:
    """The summed RSS, in MB, of ``pid`` and all its descendants right now."""
    return _tree_mb(pid, _rss)


def tree_pss_mb(pid: int) -> float:
    """The summed PSS, in MB, of ``pid`` and its descendants: each shared page counted once in all
    (split among the processes sharing it), so forked workers don't count their parent again."""
    return _tree_mb(pid, _pss)


def _rss(p: int) -> int:
    return int(Path(f"/proc/{p}/statm").read_text().split()[1]) * _PAGE


def _pss(p: int) -> int:
    for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree_mb(pid: int, size: Callable[[int], int]) -> float:
    kids = _children()
    total, todo = 0, [(pid, None)]
    while todo:
        p, parent = todo.pop()
        todo.extend((k, p) for k in kids.get(p, []))
        try:
            used = size(p)
        except (OSError, IndexError, ValueError):
            continue
        if parent is not None and _same_memory(parent, p):
            continue
        total += used
    return total / 1e6


class Sampler:
    """Samples ``tree_rss_mb(pid)`` and ``tree_pss_mb(pid)`` in a thread until stopped; ``peak`` and
    ``peak_pss`` hold the largest values."""

    def __init__(self, pid: int, interval: float = INTERVAL):
        self.pid, self.interval, self.peak, self.peak_pss = pid, interval, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self.peak_pss = max(self.peak_pss, tree_pss_mb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class Measured(NamedTuple):
    seconds: float
    peak_mb: float  # summed RSS: shared pages once per process, an upper bound
    returncode: int
    peak_pss_mb: float = 0.0  # summed PSS: shared pages once in all


def run_measured(cmd: list[str], cwd=None, env=None) -> Measured:
    """Run ``cmd`` to the end: wall seconds, peak tree RSS in MB, exit code. Its output goes to a
    temporary file; on failure the last 20 lines are written to stderr."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            with Sampler(proc.pid) as sampler:
                code = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        seconds = time.perf_counter() - start
        if code:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").splitlines()[-20:]
            print(f"{' '.join(map(str, cmd))}: exit code {code}", *tail, sep="\n", file=sys.stderr)
    return Measured(seconds, sampler.peak, code, sampler.peak_pss)


def _child(conn, fn: Callable, args: tuple, kwargs: dict) -> None:
    try:
        conn.send((True, fn(*args, **kwargs)))
    except BaseException as exc:  # handed to the parent, which raises it
        conn.send((False, exc))
    finally:
        conn.close()


def call_measured(fn: Callable, *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    """``fn(*args, **kwargs)`` in a forked child: (its result, wall seconds, peak tree RSS in MB)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    start = time.perf_counter()
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs))
    proc.start()
    child.close()
    with Sampler(proc.pid) as sampler:
        try:
            ok, value = parent.recv()  # before join: a large result would fill the pipe
        except EOFError:
            ok, value = False, RuntimeError(f"the measured child died (exit code {proc.join() or proc.exitcode})")
        proc.join()
    seconds = time.perf_counter() - start
    if not ok:
        raise value
    return value, seconds, sampler.peak
