"""The only door to WeasyPrint: HTML -> PDF, offline.

Every PDF of the project (flyers, posters, the booklet, 我的清单) is rendered here. The URL
fetcher serves inline ``data:`` URLs and files under the folder the caller names (its
templates); anything else, the network above all, stops the rendering. WeasyPrint is
imported only when a PDF is made, so the site and the checker never load it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .memory import release  # noqa: F401  (the printing modules free each document with it)


def allowed(url: str, base: Path) -> bool:
    """Only inline data and files under ``base``: no network, nothing else on disk."""
    if url.startswith("data:"):
        return True
    if url.startswith("file://"):
        return Path(unquote(urlsplit(url).path)).resolve().is_relative_to(base.resolve())
    return False


def _refuse(url: str) -> ValueError:
    return ValueError(f"refused resource {url!r}: printed documents may not load external resources")


@functools.cache
def url_fetcher(base: Path):
    """A fetcher for ``base`` that works with the installed WeasyPrint (a class from 70 on, a function before)."""
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):  # WeasyPrint >= 70: a class with fetch()

        class OfflineFetcher(urls.URLFetcher):
            def fetch(self, url, headers=None):
                if not allowed(url, base):
                    raise _refuse(url)
                return super().fetch(url, headers)

        return OfflineFetcher(allowed_protocols={"data", "file"}, fail_on_errors=True)

    def fetcher(url: str, *args, **kwargs):  # WeasyPrint < 70
        if not allowed(url, base):
            raise _refuse(url)
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetcher


def document(html: str, base: Path, css: str = ""):
    """The laid-out WeasyPrint document of ``html``; relative URLs resolve under ``base``.

    ``css``: a user stylesheet, for what only the caller knows (the booklet's page numbers);
    the document's own styles win over it where both say something."""
    from weasyprint import CSS, HTML

    sheets = [CSS(string=css, url_fetcher=url_fetcher(base))] if css else []
    return HTML(string=html, base_url=str(base) + "/", url_fetcher=url_fetcher(base)).render(stylesheets=sheets)


def write_pdf(html: str, base: Path, **options) -> bytes:
    """``html`` as PDF bytes; ``options`` go to WeasyPrint's ``write_pdf``."""
    return document(html, base).write_pdf(**options)


