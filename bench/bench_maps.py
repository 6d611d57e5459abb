"""Map speed: build time, HTML size and headless-Chromium load time for 1k, 10k and 100k incidents,
against plain folium Markers (one ``folium.Marker`` with a popup per incident) as the baseline, plus a
million incidents binned.

    python bench/bench_maps.py [--sizes 1000,10000,100000] [--baseline-max 10000] [--no-browser]

Build = ``build_map`` + ``map_html`` (the page a user saves). Chromium load = from ``driver.get`` of the
self-contained (offline) page, network blocked, until the map script has run and the next two animation
frames have been painted. The baseline stops at ``--baseline-max`` incidents (default 10k): at 100k,
folium Markers take minutes to build and the page does not load in a useful time. Numbers are noisy on
the shared 2-core machine; run it twice and keep the lower.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoinc.models import Incident, Source  # noqa: E402

TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
         "Strategic developments"]
ACTORS = ["Military Forces of Syria", "IRGC", "Islamic State", "SDF", "Military Forces of the United States",
          "Kataib Hezbollah", "Civilians (Syria)", "Protesters (Iraq)", "Hezbollah", "Unidentified Armed Group"]
PLACES = [("Tower 22", 33.31, 38.70), ("Al-Tanf", 33.50583, 38.61778), ("Abu Kamal", 34.45226, 40.91854),
          ("Deir ez-Zor", 35.336, 40.14), ("Raqqa", 35.95, 39.01), ("Baghdad", 33.34, 44.40), ("Mosul", 36.34, 43.13),
          ("Homs", 34.73, 36.71), ("Aleppo", 36.20, 37.16), ("Idlib", 35.93, 36.63)]


def incidents(n: int, seed: int = 7) -> list[Incident]:
    """n incidents around real places in Syria/Iraq/Jordan, each with one source and a one-sentence quote."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name, lat, lon = PLACES[i % len(PLACES)]
        out.append(Incident(
            event_id_cnty=f"SYR{i}", event_date=f"202{3 + i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            event_type=TYPES[i % len(TYPES)], actor1=ACTORS[i % len(ACTORS)], actor2=ACTORS[(i * 7 + 3) % len(ACTORS)],
            location=name, latitude=lat + rng.gauss(0, 0.8), longitude=lon + rng.gauss(0, 0.8),
            geo_precision=1 + i % 3, fatalities=rng.choice([0, 0, 0, 1, 2, 3, 5, 12]),
            sources=[Source(article=f"a{i % 20000}", published="2024-03-01", title=f"Report {i % 20000}",
                            quote=f"Fighting was reported near {name} on the {i % 28 + 1}th, a monitor said.",
                            url=f"https://example.org/r/{i % 20000}")]))
    return out


def baseline_map(incs: list[Incident]):
    """What an analyst writes by hand: a folium.Map with one Marker and popup per incident."""
    import html

    import folium

    m = folium.Map(location=[34.5, 40.0], zoom_start=6)
    for inc in incs:
        popup = html.escape(f"{inc.event_date} {inc.event_type}: {inc.actor1} vs {inc.actor2}, "
                            f"{inc.fatalities} killed. {inc.sources[0].quote}")
        folium.Marker([inc.latitude, inc.longitude], popup=folium.Popup(popup, max_width=300)).add_to(m)
    return m


def browser_load(driver, page: str, *, ours: bool) -> float:
    """Seconds from navigation until the map has run and painted (page loaded from a temp file)."""
    from geoinc.maps.browser import wait_ready

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        path.write_text(page, encoding="utf-8")
        start = time.perf_counter()
        driver.get(path.as_uri())
        if ours:
            wait_ready(driver, 120)
        driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));")
        return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--baseline-max", type=int, default=10_000)
    ap.add_argument("--million", action=argparse.BooleanOptionalAction, default=True,
                    help="also build a map of 1,000,000 incidents (binned)")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()

    from geoinc.maps.browser import chromium, find_chromium
    from geoinc.maps.render import build_map, inline_assets, map_html, offline_html

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print("(shared 2-core machine: timings are noisy)")
    sizes = [int(s) for s in args.sizes.split(",")]
    use_browser = not args.no_browser and find_chromium() is not None
    rows = []
    ctx = chromium(width=1280, height=800) if use_browser else None
    driver = ctx.__enter__() if ctx else None
    try:
        if driver:
            driver.set_page_load_timeout(300)
            driver.set_script_timeout(300)
            browser_load(driver, offline_html(build_map(incidents(10))), ours=True)   # warm-up
        for n in sizes:
            incs = incidents(n)
            t0 = time.perf_counter()
            m = build_map(incs)
            t1 = time.perf_counter()
            page = map_html(m)
            t2 = time.perf_counter()
            off = offline_html(m)
            load = browser_load(driver, off, ours=True) if driver else float("nan")
            rows.append(("geoinc", n, t1 - t0, t2 - t0, len(page), len(off), load))
            print(f"geoinc   {n:>8}: build_map {t1 - t0:6.2f} s, +html {t2 - t0:6.2f} s, "
                  f"html {len(page) / 1e6:6.2f} MB, offline {len(off) / 1e6:6.2f} MB, chromium {load:6.2f} s", flush=True)
            if n <= args.baseline_max:
                t0 = time.perf_counter()
                bm = baseline_map(incs)
                t1 = time.perf_counter()
                bpage = bm.get_root().render()
                t2 = time.perf_counter()
                boff = inline_assets(bpage)
                bload = browser_load(driver, boff, ours=False) if driver else float("nan")
                rows.append(("folium Markers", n, t1 - t0, t2 - t0, len(bpage), len(boff), bload))
                print(f"baseline {n:>8}: build {t1 - t0:6.2f} s, +html {t2 - t0:6.2f} s, html {len(bpage) / 1e6:6.2f} MB, "
                      f"offline {len(boff) / 1e6:6.2f} MB, chromium {bload:6.2f} s", flush=True)
            else:
                print(f"baseline {n:>8}: skipped (above --baseline-max {args.baseline_max})", flush=True)
        if args.million:
            incs = incidents(1_000_000)
            t0 = time.perf_counter()
            m = build_map(incs, heat=False)
            page = map_html(m)
            t1 = time.perf_counter()
            off = offline_html(m)
            load = browser_load(driver, off, ours=True) if driver else float("nan")
            print(f"geoinc  1000000 (binned): build+html {t1 - t0:6.2f} s, "
                  f"html {len(page) / 1e6:6.2f} MB, chromium {load:6.2f} s", flush=True)
            rows.append(("geoinc (binned)", 1_000_000, float("nan"), t1 - t0, len(page), len(off), load))
    finally:
        if ctx:
            ctx.__exit__(None, None, None)
    print()
    print("| map | incidents | build_map (s) | build + HTML (s) | HTML (MB) | offline HTML (MB) | Chromium load (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, n, b, bh, size, osize, load in rows:
        fmt = (lambda v: "–" if v != v else f"{v:.2f}")   # NaN -> dash
        print(f"| {name} | {n:,} | {fmt(b)} | {fmt(bh)} | {size / 1e6:.2f} | {osize / 1e6:.2f} | {fmt(load)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
