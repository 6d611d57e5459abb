"""The report's charts, drawn by matplotlib as inline SVG (no network, no JavaScript, prints sharply).

matplotlib is used through its object API (a ``Figure`` on the SVG canvas, never pyplot), so charts keep
no global state and can be drawn from the API's worker threads; the few rc settings a chart needs are
applied under a lock. Text stays text in the SVG (``svg.fonttype: none``), so labels are selectable and
small; matplotlib escapes them for XML, and ``$`` is escaped here so a name from an article is never read
as mathtext.
"""
from __future__ import annotations

import io
import re
import threading
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from .figures import Areas, Timeline

_LOCK = threading.Lock()
FATALITIES_COLOR = "#222222"
BAR_COLOR = "#4e79a7"
MAX_LABEL = 42


def _rc(salt: str) -> Any:
    return {"svg.fonttype": "none", "svg.hashsalt": f"geoinc-{salt}", "font.size": 9,
            "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False}


def plain(text: str, limit: int = MAX_LABEL) -> str:
    """A label as literal text for matplotlib: control and format characters dropped (no font has them),
    ``$`` escaped (no mathtext), cut to ``limit`` characters."""
    text = " ".join("".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C" or ch.isspace()).split())
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text.replace("\\", "\\\\").replace("$", r"\$")


_XML_HEAD = re.compile(r"\A.*?(?=<svg\b)", re.S)
_SIZE_ATTR = re.compile(r'\s(width|height)="[^"]*"')


def _svg(fig: object, salt: str, label: str) -> str:
    """The figure as an ``<svg>`` element for inlining: no XML prologue, scalable (viewBox, no fixed size)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})  # type: ignore[attr-defined]
    text = _XML_HEAD.sub("", buf.getvalue(), count=1)
    head, sep, rest = text.partition(">")
    head = _SIZE_ATTR.sub("", head)
    from html import escape

    head += f' role="img" aria-label="{escape(label, quote=True)}" class="geoinc-chart chart-{salt}"'
    return head + sep + rest


def _figure(width_in: float, height_in: float) -> object:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasSVG(fig)
    return fig


def _bin_days(start: date, unit: str) -> int:
    if unit == "day":
        return 1
    if unit == "week":
        return 7
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (nxt - start).days


def timeline_svg(tl: Timeline) -> str:
    """Stacked bars of incidents per day/week/month by event type, and fatalities as a line on a second axis."""
    import matplotlib
    from matplotlib import dates as mdates
    from matplotlib.collections import PolyCollection

    from ..maps.payload import type_colors

    if not tl.starts:
        return ""
    with _LOCK, matplotlib.rc_context(_rc("timeline")):
        fig = _figure(8.0, 3.4)
        ax = fig.add_subplot()   # type: ignore[attr-defined]
        x = [s + timedelta(days=_bin_days(s, tl.unit) / 2) for s in tl.starts]  # bar centres
        centre = mdates.date2num(x)
        half = [_bin_days(s, tl.unit) * 0.85 / 2 for s in tl.starts]
        bottom = [0] * len(x)
        colors = type_colors(list(tl.counts))   # the map's colours (tl.counts is in its legend order)
        for t, (name, counts) in enumerate(tl.counts.items()):
            # one collection of rectangles per event type (hundreds of bars draw in milliseconds, not as
            # hundreds of artists); empty bins get no rectangle. Its SVG group is tl-type-T.
            boxes = [[(c0 - h, b), (c0 + h, b), (c0 + h, b + n), (c0 - h, b + n)]
                     for c0, h, b, n in zip(centre, half, bottom, counts) if n]
            bars = PolyCollection(boxes, facecolors=colors[t], edgecolors="none", linewidths=0,
                                  label=plain(name, 30))
            bars.set_gid(f"tl-type-{t}")
            ax.add_collection(bars)
            bottom = [b + n for b, n in zip(bottom, counts)]
        ax.set_ylabel(f"incidents per {tl.unit}")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylim(0, max(1, max(bottom)) * 1.15)
        ax2 = ax.twinx()
        ax2.spines["right"].set_visible(True)
        marker = "o" if len(x) <= 40 else None
        (line,) = ax2.plot(x, tl.fatalities, color=FATALITIES_COLOR, linewidth=1.4, marker=marker, markersize=3,
                           label="fatalities")
        line.set_gid("tl-fatalities")
        ax2.set_ylabel(f"fatalities per {tl.unit}")
        ax2.yaxis.get_major_locator().set_params(integer=True)
        ax2.set_ylim(0, max(1, max(tl.fatalities)) * 1.15)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        pad = timedelta(days=_bin_days(tl.starts[0], tl.unit))
        ax.set_xlim(tl.starts[0] - pad * 0.2, tl.starts[-1] + pad * 1.2)
        handles, labels = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        fig.legend(handles + h2, labels + l2, loc="outside upper center", ncols=min(4, len(labels) + 1),  # type: ignore[attr-defined]
                   frameon=False, fontsize=8)
        total = sum(bottom)
        label = (f"Timeline: {total} incidents per {tl.unit} by event type, stacked, and fatalities per {tl.unit} "
                 f"as a line, {len(tl.starts)} {tl.unit}s from {tl.starts[0].isoformat()}")
        return _svg(fig, "timeline", label)


def areas_svg(areas: Areas) -> str:
    """Horizontal bars of the areas with most incidents, each labelled with its incidents and fatalities."""
    import matplotlib

    if not areas.rows:
        return ""
    rows: Sequence[tuple[str, int, int]] = areas.rows
    with _LOCK, matplotlib.rc_context(_rc("areas")):
        fig = _figure(8.0, 0.9 + 0.32 * len(rows))
        ax = fig.add_subplot()   # type: ignore[attr-defined]
        names = [plain(r[0]) for r in rows][::-1]
        counts = [r[1] for r in rows][::-1]
        fatal = [r[2] for r in rows][::-1]
        pos = list(range(len(rows)))
        for rect, y in zip(ax.barh(pos, counts, color=BAR_COLOR, height=0.7), pos):
            rect.set_gid(f"area-bar-{len(rows) - 1 - y}")   # area-bar-0 is the top area
        ax.set_yticks(pos, labels=names)
        top = max(counts)
        for y, c, k in zip(pos, counts, fatal):
            ax.text(c + top * 0.01, y, f"{c} ({k} killed)", va="center", fontsize=8)
        ax.set_xlim(0, top * 1.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("incidents")
        what = "first-level areas" if areas.level == "admin1" else "locations"
        label = f"Top {len(rows)} {what} by incidents: " + "; ".join(f"{r[0]} {r[1]}" for r in rows)
        return _svg(fig, "areas", label)


__all__ = ["timeline_svg", "areas_svg", "plain"]
