"""Writing output without ever leaving it half-written: a file or a whole folder is
built beside its target, then renamed into place.

A command replaces only a folder it wrote itself (``guide build --site-dir .`` once deleted the
whole project): a folder may be replaced only when it is missing, empty, or carries the marker a
previous run wrote; never when it holds the project or the catalog. Scratch folders carry the
writer's process id, so a later run can remove what a killed run left (``sweep``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import GuideError

MARKER = ".guide-output"


@contextmanager
def temp_beside(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """An empty temporary file next to ``path`` (same file system, so ``os.replace`` onto ``path``
    is atomic); whatever is still there on leaving the block is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    data = data.encode("utf-8") if isinstance(data, str) else data
    # One open and no folder check when the folder is there: the site cache writes thousands of
    # entries a build, and opening the temporary twice cost about a fifth more.
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class OutputDirError(GuideError):
    """The folder may not be written; the message says why, in Chinese (exit 1)."""


def check_replaceable(target: Path, *, protected: Iterable[Path], marker: str = MARKER, what: str = "输出文件夹") -> None:
    """Refuse ``target`` unless this tool may replace it: raises ``OutputDirError``."""
    target = Path(os.path.abspath(target))
    real = target.resolve()
    for p in protected:
        p = p.resolve()
        if real == p or real in p.parents:
            raise OutputDirError(f"{what} {target} 包含 {p}(项目或目录文件),不能作为{what}:请指定新的或空的文件夹")
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise OutputDirError(f"{what} {target} 已存在且不是文件夹:请指定新的或空的文件夹")
    if any(target.iterdir()) and not (target / marker).is_file():
        raise OutputDirError(
            f"{what} {target} 已存在且不是本工具生成的(没有 {marker}):请指定新的或空的文件夹,或先自行删除它"
        )


def write_marker(folder: Path, text: str, marker: str = MARKER) -> None:
    (folder / marker).write_text(text, encoding="utf-8")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def scratch(parent: Path, prefix: str) -> Path:
    """A new empty folder ``<prefix><pid>-<random>`` in ``parent``; older ones of dead runs are swept first."""
    parent.mkdir(parents=True, exist_ok=True)
    sweep(parent, prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def sweep(parent: Path, prefix: str) -> list[Path]:
    """Remove ``<prefix><pid>-*`` folders in ``parent`` whose process is gone (a killed run's leftovers)."""
    removed = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        rest = entry.name[len(prefix):] if entry.name.startswith(prefix) else ""
        pid, dash, _ = rest.partition("-")
        if not (dash and pid.isdigit()) or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def fresh_dir(target: Path) -> Path:
    """An empty folder next to ``target`` (same file system, so the swap is a rename)."""
    sweep(target.parent, f".{target.name}.old-")
    return scratch(target.parent, f"{target.name}.tmp-")


def replace_dir(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``: two renames (never a half-filled folder), then the old copy is removed."""
    old = None
    if target.exists():
        old = scratch(target.parent, f".{target.name}.old-")
        os.rmdir(old)
        os.replace(target, old)
    os.replace(new, target)
    os.chmod(target, 0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
