"""The 我的清单 page body (placeholder until the checklist lands)."""

from ..schema import Catalog


def render(catalog: Catalog) -> str:
    """HTML for the body of the 我的清单 page."""
    return "<p>我的清单正在建设中。</p>"
