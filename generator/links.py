"""Link policy: which web addresses the guide may show or print, and which are placeholders.

Shared by the checker (``rules``) and the outputs (print refuses a placeholder QR target),
so both apply the same test.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost", "example.com", "example.org", "example.net")


def host_allowed(host: str, domains: list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


# Characters a page's link attribute or a QR payload can't carry as written: the site drops such a button.
_UNSAFE_URL_CHAR = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f]")


def check_link(url: str, domains: list[str]) -> str | None:
    """Why ``url`` may not be a link in the guide, or None when it may."""
    bad = _UNSAFE_URL_CHAR.search(url)
    if bad:
        return (f"链接“{url}”含有空格、引号、尖括号、反斜杠或控制字符(第 {bad.start() + 1} 个字符),"
                "网站会丢弃这个链接;空格请写作 %20,或删除这些字符")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError:
        return f"“{url}”不是有效的网址"
    if parts.scheme != "https":
        return f"链接“{url}”必须使用 https://"
    if parts.username or parts.password or "@" in parts.netloc:
        return f"链接“{url}”中含有“@”,可能伪装成其他网站"
    host = (parts.hostname or "").lower()
    if not host or not re.fullmatch(r"[a-z0-9.-]+", host) or host.startswith("xn--") or ".xn--" in host:
        return f"链接“{url}”的域名无效或含有非英文字符(可能是仿冒域名)"
    if not host_allowed(host, [d.lower() for d in domains]):
        return f"链接“{url}”的域名“{host}”不在允许的域名(meta.link_domains)之内,可能是仿冒网站"
    del port
    return None


def is_placeholder(url: str) -> bool:
    """A reserved or local host (example.com, .test, localhost …): never a real guide address."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.endswith(PLACEHOLDER_SUFFIXES)
