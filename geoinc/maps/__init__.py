"""Layered Folium maps: one element per layer, HTML/offline/embed/PNG outputs.

``from geoinc.maps import build_map, map_html, embed_html, offline_html, snapshot_png`` (imported on first
use, so ``import geoinc.maps`` alone does not load folium).
"""
from __future__ import annotations

import importlib
from typing import Any

_RENDER = ("build_map", "map_html", "offline_html", "embed_html", "snapshot_png", "Zone")
__all__ = list(_RENDER)


def __getattr__(name: str) -> Any:
    if name not in _RENDER:
        raise AttributeError(f"module 'geoinc.maps' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.render"), name)
