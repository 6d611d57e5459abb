"""The report page: one Jinja2 template with autoescaping, its stylesheet and script inlined.

Every value from articles, imports or the query reaches the page through the template's autoescaping;
the only markup passed through unescaped is what geoinc itself produced (``Markup``): the SVG charts
(matplotlib escapes their text), the map fragment (:func:`geoinc.maps.render.embed_html` escapes the
whole map page into ``srcdoc``) and JSON made safe for a ``<script>`` block by ``js_json``.
"""
from __future__ import annotations

import base64
import functools
import gzip
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

# words of the page that are not data, per language (only English so far: --lang checks against this)
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary", "map": "Map", "timeline": "Timeline", "areas": "Where", "incidents": "Incidents",
        "claims": "Distance claims", "methods": "Methods", "made": "Made", "data": "Data", "query": "Query",
        "region": "Region", "period": "Period", "previous": "Previous period",
    },
}
LANGUAGES = tuple(WORDS)


@dataclass(frozen=True, slots=True)
class Download:
    """A file offered by the page: gzip-compressed, base64 text, unpacked in the browser on click."""

    name: str
    mime: str
    size: int            # bytes once unpacked
    gz_b64: str


def download(name: str, mime: str, text: str) -> Download:
    """Pack a file for the page. gzip level 1: a 10,000-incident CSV + GeoJSON (16 MB) become 1.8 MB in 0.3 s;
    level 6 would save 0.4 MB for twice the time."""
    raw = text.encode("utf-8")
    packed = gzip.compress(raw, compresslevel=1, mtime=0)
    return Download(name, mime, len(raw), base64.b64encode(packed).decode("ascii"))


def human_bytes(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("geoinc.reports", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["bytes"] = human_bytes
    env.filters["wbr"] = slash_breaks
    env.filters["thousands"] = lambda n: f"{n:,}".replace(",", "\u202f")
    return env


def slash_breaks(text: str) -> Markup:
    """Escaped text that may wrap after each slash ("Explosions/<wbr>Remote violence") in narrow columns."""
    from markupsafe import escape

    return Markup(str(escape(text)).replace("/", "/<wbr>"))


def trusted(markup: str) -> Markup:
    """Mark geoinc's own generated markup (charts, map fragment, script-safe JSON) as safe to insert."""
    return Markup(markup)


def render_page(context: dict[str, Any]) -> str:
    """The complete HTML page from the report's context (see geoinc.reports.build for its keys)."""
    lang = context.get("lang", "en")
    if lang not in WORDS:
        from ..errors import InputError

        raise InputError(f"bad language {lang!r}: reports are written in {', '.join(LANGUAGES)}")
    return _environment().get_template("report.html.j2").render(words=WORDS[lang], **context)


__all__ = ["render_page", "download", "Download", "trusted", "WORDS", "LANGUAGES", "human_bytes"]
