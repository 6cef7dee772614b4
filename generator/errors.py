"""One base for every failure a person can fix, and the exit code it ends with.

``GuideError`` is a ``click.ClickException``: the command line prints its Chinese message
and exits with ``exit_code``. The same failure ends the same way in every command:

- 2: the command was given something unusable (no such catalog file, no such git revision);
- 1: the catalog or the job itself failed (located errors, refused print, failed build).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

USAGE = 2
FAILED = 1


class GuideError(click.ClickException):
    """A failure explained in one Chinese message; ``exit_code`` says how the command ends."""

    exit_code = FAILED

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


def catalog_file(path: str | Path) -> Path:
    """``path`` if it is a catalog file to read, else a ``GuideError`` (exit 2)."""
    p = Path(path)
    if not p.exists():
        raise GuideError(f"找不到目录文件:{path}", USAGE)
    if not p.is_file():
        raise GuideError(f"{path} 不是文件", USAGE)
    return p


def git_show(rev: str, path: str | Path) -> bytes:
    """The file at ``path`` as it was at git revision ``rev``, or a ``GuideError`` (exit 2).

    ``path`` may be relative to the current folder or absolute; it must lie in a git work tree.
    """
    if rev.startswith("-"):  # git would read it as an option (``--output=FILE`` writes a file)
        raise GuideError(f"git 版本“{rev}”无效:版本名不能以“-”开头", USAGE)
    path = Path(path).resolve()
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=path.parent, check=True, capture_output=True, text=True
        ).stdout.strip()
        rel = path.relative_to(Path(top).resolve()).as_posix()
        return subprocess.run(["git", "show", "--end-of-options", f"{rev}:{rel}"], cwd=top, check=True, capture_output=True).stdout
    except FileNotFoundError:
        raise GuideError("找不到 git 命令:与 git 版本比较需要安装 git", USAGE) from None
    except (subprocess.CalledProcessError, ValueError, NotADirectoryError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        why = detail.strip().splitlines()
        raise GuideError(
            f"无法读取 git 版本“{rev}”中的 {path.name}:版本不存在、不在 git 仓库中,或该版本没有这个文件"
            + (f"(git:{why[-1]})" if why else ""),
            USAGE,
        ) from None
