"""``geoinc demo``: the quick start. Reads the team's articles, finds places, incidents and distance claims,
draws them with every layer (and the 55 km deconfliction zone around Al-Tanf) into maps/demo.html, and
prints what it found."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import GeoIncError, InputError, NotFoundError

# The US-declared deconfliction zone around the Al-Tanf garrison: 55 km radius (fallback coordinates of
# the garrison when the gazetteer cannot be asked).
AL_TANF_ZONE_KM = 55.0
AL_TANF = (33.50583, 38.61778)


def register(subparsers: argparse._SubParsersAction) -> None:
    from .maps import add_asset_options

    p = subparsers.add_parser(
        "demo", help="read data/articles, find places, incidents and claims, draw maps/demo.html",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", metavar="PATH", help="article files or folder (default: data/articles)")
    p.add_argument("-o", "--output", default="maps/demo.html", metavar="FILE", help="map to write (default: maps/demo.html)")
    add_asset_options(p)
    p.add_argument("--png", metavar="FILE", help="also write a PNG snapshot (headless Chromium)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=run, embed=False, width=1280, height=800)


def _articles_path(explicit: str | None) -> Path:
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise NotFoundError(f"{path}: no such file or folder of articles")
        return path
    from ..config import project_root

    for candidate in (Path("data/articles"), (project_root() or Path(".")) / "data" / "articles"):
        if candidate.exists():
            return candidate
    raise NotFoundError("no data/articles here: run from the project folder or give --articles PATH")


def _al_tanf_zone() -> Any:
    from ..maps.payload import Zone

    try:
        from ..regions import resolve_place

        lat, lon, name = resolve_place("Al-Tanf")
    except (GeoIncError, ImportError):
        (lat, lon), name = AL_TANF, "Al-Tanf"
    return Zone(f"{name} (deconfliction zone)", lat, lon, AL_TANF_ZONE_KM)


def collect(articles: list[Any], *, quiet: bool = False) -> dict[str, Any]:
    """Run geoparse, incident extraction and distance checks over the articles; a failing step is a note."""
    import tempfile

    from tqdm import tqdm

    from ..claims.measure import check_distances
    from ..geoparser.resolve import geoparse
    from ..ingest import ingest_article
    from ..store.sqlite import open_store

    mentions: list[Any] = []
    claims: list[Any] = []
    notes: list[str] = []
    # a throw-away store so that several articles' reports of one event merge into one incident
    with tempfile.TemporaryDirectory(prefix="geoinc-demo-") as tmp:
        store = open_store(Path(tmp) / "demo.sqlite")
        try:
            bar = tqdm(articles, desc="articles", unit="article", file=sys.stderr,
                       disable=quiet or not sys.stderr.isatty())
            for art in bar:
                name = Path(art.path or art.id).name
                ms = None
                try:
                    ms = geoparse(art.text, published=art.published)
                    mentions.extend(ms)
                except GeoIncError as err:
                    notes.append(f"{name}: places skipped ({err})")
                try:
                    # the same path as `geoinc ingest`: extraction, then merging with reports already stored
                    ingest_article(store, art, find_mentions=lambda _text, ms=ms: ms or [])
                except InputError as err:
                    notes.append(f"{name}: incidents skipped ({err})")
                try:
                    claims.extend(check_distances(art.text, art.published, mentions=ms))
                except GeoIncError as err:
                    notes.append(f"{name}: distance checks skipped ({err})")
            incidents = list(store.iter_incidents())
        finally:
            store.close()
    return {"mentions": mentions, "incidents": incidents, "claims": claims, "notes": notes}


def summary(found: dict[str, Any], n_articles: int, source: Path) -> str:
    """What the demo found, for a person: places by source, incidents, claims with verdicts."""
    from ..maps.payload import claim_label, mention_source_kind

    lines = [f"read {n_articles} articles from {source}"]
    ms = found["mentions"]
    resolved = [m for m in ms if m.resolved]
    places = {(m.place_id or (m.lat, m.lon)): m for m in resolved}
    by_source = Counter(mention_source_kind(m.source) for m in places.values())
    lines.append(f"places: {len(ms)} mentions, {len(resolved)} resolved to {len(places)} places ("
                 + ", ".join(f"{k} {v}" for k, v in by_source.most_common()) + ")")
    names = sorted({m.name or m.text for m in places.values()})
    if names:
        lines.append("  " + ", ".join(names[:40]) + (" …" if len(names) > 40 else ""))
    incs = sorted(found["incidents"], key=lambda i: (i.event_date, i.location))
    lines.append(f"incidents: {len(incs)}")
    for i in incs:
        where = f"{i.location} ({i.latitude:.4f}, {i.longitude:.4f})" if i.latitude is not None else f"{i.location} (unlocated)"
        lines.append(f"  {i.event_date or '????-??-??'}  {i.event_type or 'Unspecified':<27} {where}  "
                     f"killed {i.fatalities}  [{i.status}]")
    cls = found["claims"]
    verdicts = Counter(c.verdict for c in cls)
    lines.append(f"distance claims: {len(cls)} (" + ", ".join(f"{v} {verdicts[v]}" for v in
                 ("consistent", "inconsistent", "unverifiable") if verdicts[v]) + ")")
    for c in cls:
        text = " ".join(c.text.split())
        lines.append(f"  {c.verdict:<12} {claim_label(c):<36} \"{text[:70]}{'…' if len(text) > 70 else ''}\"")
    for note in found["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..articles import read_articles
    from ..maps.render import build_map
    from .maps import check_asset_options, write_outputs

    check_asset_options(args)
    from ..textio import check_output_path

    for value, flag in ((args.output, "-o"), (args.png, "--png")):
        if value is not None:
            check_output_path(value, flag)          # refused before the articles are read
    source = _articles_path(args.articles)
    articles = read_articles(source)
    if not articles:
        raise NotFoundError(f"{source}: no articles (.txt, .md or .jsonl) found")
    found = collect(articles, quiet=args.quiet)
    zones = [_al_tanf_zone()]
    title = "geoinc demo: incidents, places and distance checks from the sample articles"

    def make(offline: bool) -> Any:
        return build_map(found["incidents"], found["mentions"], found["claims"], zones=zones, title=title,
                         offline=offline)

    m = make(args.offline)
    written = write_outputs(m, args, build_png_map=(lambda: make(True)) if not args.offline else None)
    print(summary(found, len(articles), source))
    print(f"map: {', '.join(written)}")
    return 0
