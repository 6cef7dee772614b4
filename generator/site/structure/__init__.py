"""The guide's domain: pages, URLs, rendering, short links, offline files. No MkDocs here."""

from .render import Renderer
from .site import CONTENT_PAGES, PageSpec, Site, relative

__all__ = ["CONTENT_PAGES", "PageSpec", "Renderer", "Site", "relative"]
