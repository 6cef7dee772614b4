"""What, besides a document's HTML, decides the bytes of a printed PDF: the print cache keys on it.

Three things, each turned into text and hashed by ``environment()``:

- the template folder (every file WeasyPrint may load: the CSS is inlined, but a template
  may also name a file under it);
- the fonts: the files fontconfig resolves for the families the CSS names (their contents),
  and the list of every installed font file (a new font may take over a fallback);
- the versions of the libraries that lay out, subset and write (WeasyPrint, pydyf, pypdf,
  Pango, HarfBuzz, zlib) and of pdftoppm, which draws the thumbnails.

Asked in the main process once per run (fc-match and fc-list honour FONTCONFIG_FILE,
as Pango does); the workers get the result.
"""

from __future__ import annotations

import ctypes
import platform
import re
import subprocess
import zlib
from importlib import metadata
from pathlib import Path

from ..cache import digest, file_digest, fonts_fingerprint
from .model import PrintError

DISTRIBUTIONS = ("weasyprint", "pydyf", "pypdf", "tinycss2", "cssselect2", "tinyhtml5", "fonttools", "pillow")
LIBRARIES = (("libpango-1.0.so.0", "pango_version_string"), ("libharfbuzz.so.0", "hb_version_string"))
WEIGHTS = ("regular", "bold")  # the templates use both


def environment(templates: Path) -> str:
    """One hash of the templates, fonts and tool versions that shape every printed document."""
    return digest(
        "print-environment-1",
        file_digest(sorted(p for p in Path(templates).rglob("*") if p.is_file())),
        fonts(templates),
        versions(),
    )


def families(templates: Path) -> list[str]:
    """The font families the template CSS asks for, generic ones included, in a stable order."""
    found: set[str] = set()
    for css in sorted(Path(templates).rglob("*.css")):
        for value in re.findall(r"font-family\s*:\s*([^;}]+)", css.read_text(encoding="utf-8")):
            found.update(name.strip().strip("'\"") for name in value.split(","))
    return sorted(found - {""})


def fonts(templates: Path) -> dict:
    """The resolved font files (hashed) and every installed font (``cache.fonts_fingerprint``)."""
    resolved = sorted({_fc("fc-match", "--format=%{file}", f"{family}:weight={weight}:lang=zh-cn")
                       for family in families(templates) for weight in WEIGHTS} - {""})
    return {
        "resolved": {path: file_digest([Path(path)]) for path in resolved},
        "installed": fonts_fingerprint(),
    }


def versions() -> dict:
    """Versions of the Python packages and native libraries that write the PDFs, and of pdftoppm."""
    found: dict[str, str] = {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    for library, function in LIBRARIES:
        try:
            call = getattr(ctypes.CDLL(library), function)
            call.restype = ctypes.c_char_p
            found[library] = call().decode()
        except (OSError, AttributeError):
            found[library] = "-"
    try:
        found["pdftoppm"] = subprocess.run(["pdftoppm", "-v"], capture_output=True, text=True).stderr.strip()
    except FileNotFoundError:
        raise PrintError("找不到 pdftoppm:请先运行 scripts/setup.sh 安装 poppler-utils") from None
    return found


def _fc(*cmd: str) -> str:
    try:
        return subprocess.run(list(cmd), capture_output=True, text=True, check=True).stdout.strip()
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        raise PrintError(f"无法查询已安装的字体({cmd[0]}:{exc})") from None

