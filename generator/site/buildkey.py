"""The key of a whole ``guide build``: one digest of everything its output and its check depend on.

Two builds with the same key write the same files (builds are reproducible; tests compare a
restored site with a clean one), so the second may restore the first's output (``outputcache``).
The key covers:

- the catalog's bytes, ``mkdocs.yml``, every file of its ``docs_dir`` and theme ``custom_dir``;
- the generator's own files (code, page and print templates, CSS, JS) as imported;
- Python's version and every installed distribution (name, version and install time: MkDocs,
  Material, Jinja2, jieba, pypinyin, OpenCC, pydantic, WeasyPrint ... and their plugins);
- the system's package database (native libraries), Graphviz (``dot -V`` and the program file),
  every installed font and fontconfig's settings (charts and PDFs are laid out with them); with
  print, the print cache's environment (Pango, HarfBuzz, pdftoppm, the fonts the templates use);
- the options (``--offline``, print or not, the output folder's name), the ``GUIDE_*``, font,
  locale, ``PATH`` and ``SOURCE_DATE_EPOCH`` environment variables, and today's date (the
  checker compares dates).

Only what is cheap to read is read: no MkDocs, Material or catalog model is imported, so an
unchanged build costs little more than Python's start. ``None`` means "don't use the cache"
(an ``mkdocs.yml`` naming files the key can't see, an unreadable input); the build then runs
as usual and reports any problem itself.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from ..cache import digest, file_digest, fonts_fingerprint

VERSION = "guide-build-1"
PACKAGE = Path(__file__).resolve().parents[1]  # generator/
ENV_PREFIXES = ("GUIDE_", "FONTCONFIG_", "LC_")
ENV_NAMES = ("SOURCE_DATE_EPOCH", "TZ", "PATH", "LANG")
# The system's package databases: any library installed or upgraded (Pango, cairo, the ones dot
# draws with) changes them. And fontconfig's settings, which choose the fonts charts are laid out in.
SYSTEM_PACKAGES = ("/var/lib/dpkg/status", "/var/lib/rpm/rpmdb.sqlite", "/lib/apk/db/installed")
FONTCONFIG = Path("/etc/fonts")
# mkdocs.yml keys that bring in files outside docs_dir and custom_dir: the key could not see them.
UNSEEN = ("INHERIT", "hooks")


def build_key(root: Path, catalog: Path, *, offline: bool, with_print: bool, site_name: str,
              today: dt.date | None = None) -> str | None:
    """The digest of every input of ``guide build`` in project ``root``, or None (not cacheable)."""
    try:
        folders = _project_folders(root)
        if folders is None:
            return None
        return digest(
            VERSION,
            {"root": str(root), "catalog": str(catalog), "offline": offline, "print": with_print, "site": site_name},
            Path(catalog).read_bytes(),
            (root / "mkdocs.yml").read_bytes(),
            [_tree_digest(f) for f in folders],
            _tree_digest(PACKAGE),
            _software(),
            _environment(),
            (today or dt.date.today()).isoformat(),
            _print_environment() if with_print else None,
        )
    except (OSError, UnicodeError):
        return None


def _project_folders(root: Path) -> list[Path] | None:
    """The pages and theme folders ``mkdocs.yml`` names (MkDocs' defaults where it names none)."""
    import yaml

    try:
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))  # !ENV and the like: None
    except yaml.YAMLError:
        return None
    if not isinstance(config, dict) or any(k in config for k in UNSEEN):
        return None
    theme = config.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    names = [config.get("docs_dir", "docs"), *([custom] if custom else [])]
    if not all(isinstance(n, str) for n in names):
        return None
    return [root / n for n in names]


def _tree_digest(folder: Path) -> str:
    """Names and contents of every file under ``folder`` (compiled Python left out)."""
    found: list[Path] = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found.extend(Path(top) / f for f in sorted(files) if not f.endswith((".pyc", ".pyo")))
    return digest(str(folder), file_digest(found))


def _software() -> dict:
    """Python, every installed distribution, Graphviz and the fonts."""
    dists = []
    # Each folder once: the same folder as the script's and in PYTHONPATH is one environment.
    for entry in dict.fromkeys(os.path.abspath(e or ".") for e in sys.path):
        try:
            with os.scandir(entry) as it:
                for e in it:
                    if e.name.endswith((".dist-info", ".egg-info")):
                        dists.append((entry, e.name, e.stat().st_mtime_ns))
        except OSError:
            continue
    dot = shutil.which("dot")
    return {
        "python": [sys.version, sys.executable, platform.machine()],
        "distributions": sorted(dists),
        "system": [_stat(p) for p in SYSTEM_PACKAGES],
        "dot": _dot(dot) if dot else None,
        "fonts": fonts_fingerprint(),
        "fontconfig": _settings(FONTCONFIG),
    }


def _settings(folder: Path) -> list:
    """Names and contents of the files under ``folder`` (links followed; an unreadable one by name)."""
    rows = []
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for f in sorted(files):
            path = os.path.join(top, f)
            try:
                with open(path, "rb") as fh:
                    rows.append([path, digest(fh.read())])
            except OSError:
                rows.append([path, None])
    return rows


def _stat(path: str) -> list | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [path, st.st_size, st.st_mtime_ns]


def _dot(program: str) -> list:
    st = os.stat(program)
    try:
        out = subprocess.run([program, "-V"], capture_output=True, timeout=60, check=False)
        version = (out.stdout + out.stderr).decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        version = "?"
    return [program, st.st_size, st.st_mtime_ns, version]


def _environment() -> dict:
    return {k: v for k, v in sorted(os.environ.items()) if k.startswith(ENV_PREFIXES) or k in ENV_NAMES}


def _print_environment() -> str:
    """What the print cache keys every PDF on besides its HTML (libraries, fonts, pdftoppm)."""
    from ..printing import render
    from ..printing.fingerprint import environment
    from ..printing.model import PrintError

    try:
        return environment(render.TEMPLATE_DIR)
    except PrintError:
        raise OSError("print environment unavailable") from None
