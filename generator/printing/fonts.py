"""Is there a font for Chinese? Asked of fontconfig, the library Pango (and so WeasyPrint) picks fonts with.

Without one, WeasyPrint still writes a PDF, and every Chinese character in it is a box.
"""

from __future__ import annotations

import subprocess

from .model import PrintError

FAMILY = "Noto Sans CJK SC"  # what printing/templates/*.css asks for first (Debian fonts-noto-cjk)
INSTALL = "请安装 Noto Sans CJK SC 字体(Debian:apt-get install fonts-noto-cjk,或运行 scripts/setup.sh)"


def chinese_fonts() -> list[str]:
    """Families fontconfig offers for Simplified Chinese (honours FONTCONFIG_FILE, as Pango does)."""
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        raise PrintError("找不到 fc-list 命令(Debian 软件包 fontconfig),无法确认已安装中文字体:请运行 scripts/setup.sh") from None
    except subprocess.CalledProcessError as exc:
        raise PrintError(f"无法查询已安装的字体(fc-list:{exc.stderr.strip()})") from None
    return sorted({f.strip() for line in out.splitlines() for f in line.split(",") if f.strip()})


def require_chinese_font() -> None:
    """``PrintError`` when no installed font covers Chinese: checked before anything is written."""
    if not chinese_fonts():
        raise PrintError(f"找不到中文字体:印出的 PDF 中每个汉字都会是方框,未印制任何文件。{INSTALL}")
