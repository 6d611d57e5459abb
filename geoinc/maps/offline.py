"""Self-contained pages: every ``<script src>`` and stylesheet link of a folium page replaced by its content.

The copies come from the PyPI package folium-offline (a declared dependency), so inlining needs no
network; a page that would still need one is refused rather than written half-working.
"""
from __future__ import annotations

import functools
import html
import re

from ..errors import GeoIncError

_SCRIPT_SRC = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>', re.I)
_CSS_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>', re.I)
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<url>[^)'\"]+)(?P=q)\)")

# the one relative image left in the shipped CSS (minimap toggle): a small inline arrow instead
_TOGGLE_SVG = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 18 18'>"
               "<path d='M4 14 L14 4 M7 4 H14 V11' stroke='%23333' stroke-width='2' fill='none'/></svg>")


@functools.lru_cache(maxsize=1)
def _asset_table() -> dict[str, str]:
    """URL -> file content of the web assets shipped by the PyPI package folium-offline."""
    try:
        from offlinefolium.elements import _res
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise GeoIncError("offline maps need the package folium-offline (pip install folium-offline)") from err
    return dict(_res)


def _asset(url: str) -> str:
    table = _asset_table()
    text = table.get(url)
    if text is None:
        # same file under another CDN spelling (e.g. folium@main vs folium/): match on the file name + version
        tail = url.rsplit("/", 2)[-2:]
        hits = [v for k, v in table.items() if k.rsplit("/", 2)[-2:] == tail] or \
               [v for k, v in table.items() if k.rsplit("/", 1)[-1] == tail[-1]]
        if not hits:
            raise GeoIncError(f"no offline copy of {url}: cannot make a self-contained map")
        text = hits[0]
    return text


def _fix_css(css: str) -> str:
    def repl(match: re.Match[str]) -> str:
        url = match.group("url").strip()
        if url.startswith(("data:", "#")):
            return match.group(0)
        if "toggle" in url:
            return f'url("{_TOGGLE_SVG}")'
        return "none"  # any other relative or remote image: nothing rather than a failed request

    return _CSS_URL.sub(repl, css)


def inline_assets(page: str) -> str:
    """Replace every external ``<script src>`` and stylesheet link with its content (from folium-offline)."""
    def script(match: re.Match[str]) -> str:
        js = _asset(html.unescape(match.group("url"))).replace("</script", "<\\/script")
        return f"<script>{js}</script>"

    def style(match: re.Match[str]) -> str:
        css = _fix_css(_asset(html.unescape(match.group("url")))).replace("</style", "<\\/style")
        return f"<style>{css}</style>"

    page = _SCRIPT_SRC.sub(lambda mt: script(mt), page)
    page = _CSS_LINK.sub(lambda mt: style(mt), page)
    leftover = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"', page)
    if leftover:
        raise GeoIncError(f"could not inline {leftover[0]}: the offline map would need the network")
    return page


__all__ = ["inline_assets"]
