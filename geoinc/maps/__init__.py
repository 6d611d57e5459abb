"""Layered Folium maps: one element per layer, HTML/offline/embed/PNG outputs."""
