"""``guide serve``: a live preview that rebuilds when the catalog changes (a rename: everything;
an edit to a service's content: only the pages it reaches)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from support import REPO  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        body = _get(url)
        if body is not None and needle in body:
            return True
        time.sleep(0.5)
    return False


@pytest.mark.parametrize("old, new, shown", [
    ("    name: 普通护照签发\n", "    name: 普通护照签发预览测试\n", "普通护照签发预览测试"),  # a rename: a full build
    ("因学习等非公务原因", "因游学等非公务原因", "因游学等非公务原因"),  # the service's content: only its pages
])
def test_serve_previews_and_rebuilds_on_catalog_change(tmp_path, old, new, shown):
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, tmp_path / name)
    for folder in ("content", "overrides", "data"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "cli.py"), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "GUIDE_CACHE_DIR": str(tmp_path / "cache")},
    )
    try:
        page = f"http://127.0.0.1:{port}/services/passport/"
        assert _wait_for(page, "普通护照签发", 90), "preview never served the passport page"
        assert shown not in _get(page)
        catalog = tmp_path / "data" / "services.yaml"
        text = catalog.read_text(encoding="utf-8")
        assert text.count(old) == 1
        catalog.write_text(text.replace(old, new, 1), encoding="utf-8")
        assert _wait_for(page, shown, 90), "preview did not rebuild after the catalog changed"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
