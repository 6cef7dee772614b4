"""Helpers for the 核对表 tests: the CLI in-process, staff edits with openpyxl, LibreOffice re-saves."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support import CATALOG  # noqa: E402
from generator.cli import main  # noqa: E402
from generator.review import layout  # noqa: E402

DAY = "2026-12-02"


def guide(*args: str):
    """Run ``guide …`` in-process; a bug must never escape as anything but a clean exit."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback from guide {' '.join(args)}") from result.exception
    return result


@pytest.fixture
def catalog(tmp_path) -> Path:
    p = tmp_path / "data" / "services.yaml"
    p.parent.mkdir()
    shutil.copy(CATALOG, p)
    return p


@pytest.fixture
def export(tmp_path, catalog):
    def _export(department: str = "police", path: Path | None = None) -> Path:
        out = tmp_path / f"核对表-{department}.xlsx" if path is None else path
        r = guide("review", "export", str(catalog), "--department", department, "-o", str(out), "--date", DAY)
        assert r.exit_code == 0, r.output
        return out

    return _export


def import_(workbook: Path, catalog: Path, *more: str):
    return guide("review", "import", str(workbook), str(catalog), "--date", DAY, *more)


class Staff:
    """A workbook opened the way staff would edit it: by 事项编号 and 要素, in the editable columns."""

    def __init__(self, path: Path):
        self.path = path
        self.wb = load_workbook(path)
        self.ws = self.wb[layout.SHEET]

    def row(self, service: str, label: str) -> int:
        for r in range(2, self.ws.max_row + 1):
            if self.ws.cell(r, 1).value == service and self.ws.cell(r, 3).value == label:
                return r
        raise AssertionError(f"no row {service} · {label}")

    def fill(self, service: str, label: str, opinion: str, fix: str | None = None, *,
             basis: str | None = "发改价格〔2019〕914号", who: str | None = "张三", note: str | None = None) -> int:
        r = self.row(service, label)
        for header, value in (("部门意见", opinion), ("更正后的内容", fix), ("依据文件或网址", basis),
                              ("经办人", who), ("备注", note)):
            if value is not None:
                self.ws.cell(r, layout.COL[header]).value = value
        return r

    def save(self, path: Path | None = None) -> Path:
        out = path or self.path
        self.wb.save(out)
        return out


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """Open and re-save a workbook with LibreOffice Calc (headless), as a department's office suite would."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("soffice is missing: run scripts/setup.sh --test (Debian libreoffice-calc-nogui)")
    profile = tmp_path_factory.mktemp("lo-profile")

    def _resave(*paths: Path):
        """The re-saved copy of each path (one LibreOffice start for all of them)."""
        out = paths[0].parent / "libreoffice"
        out.mkdir(exist_ok=True)
        res = subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "xlsx",
             "--outdir", str(out), *map(str, paths)],
            capture_output=True, text=True, timeout=300,
        )
        saved = [out / p.name for p in paths]
        assert res.returncode == 0 and all(p.is_file() for p in saved), res.stdout + res.stderr
        return saved[0] if len(saved) == 1 else saved

    return _resave
