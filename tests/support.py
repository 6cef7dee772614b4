"""Helpers shared by the whole suite: the repository's paths, a strict text edit for building
catalogs from a valid one, the ``guide`` command as a subprocess, and QR reading."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "data" / "services.yaml"
MINIMAL = REPO / "tests" / "fixtures" / "minimal.yaml"


def edited(text: str, old: str, new: str, count: int = 1) -> str:
    """``text`` with ``old`` replaced; fails loudly when ``old`` is not there, so a test can't pass vacuously."""
    assert text.count(old) >= count, f"fixture text not found: {old!r}"
    return text.replace(old, new, count)


def run(*cmd: str) -> str:
    """A tool's standard output (poppler, zbarimg …); fails on a non-zero exit."""
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def guide(*args: str, cwd: Path | str = REPO, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """``python3 cli.py ARGS`` in ``cwd``, as a department's script would call it."""
    return subprocess.run([sys.executable, str(REPO / "cli.py"), *args], cwd=cwd, env=env, input=input,
                          capture_output=True, text=True)


def raster(m: list[list[bool]], scale: int = 6) -> Image.Image:
    n = len(m)
    img = Image.new("L", (n * scale, n * scale), 255)
    for y, row in enumerate(m):
        for x, dark in enumerate(row):
            if dark:
                img.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    return img


def svg_modules(svg: str) -> list[list[bool]]:
    """The dark modules an ``svg()`` path draws: each ``M x y h w v1 h-w z`` is one run on a row."""
    n = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    m = [[False] * n for _ in range(n)]
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        for dx in range(int(w)):
            m[int(y)][int(x) + dx] = True
    return m
