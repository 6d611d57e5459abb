"""Benchmark of distance checks (issue 4): point-to-border and point-to-point rates after warm-up.

Usage: python bench/bench_distances.py [--points N] [--seed S]

Prints the machine, then rates for
- point to border through a prepared BorderLine (the nearest point of the Iraq–Jordan, Jordan–Syria, …
  land borders and of whole country boundaries, local azimuthal equidistant projection);
- the same through the checker's border choice (country_at + choose_border + nearest), as a claim does;
- point to point (pyproj.Geod, one call per pair);
- whole claims: check_distances on a short team-written text with an injected gazetteer;
- issue 13's budget: on each sample article (../shared/samples/articles, when present), the time
  check_distances adds to a geoparse of the same text (given the geoparse's mentions), median of --repeat runs.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRS = [("JO", "IQ"), ("JO", "SY"), ("SY", "IQ"), ("SY", "TR"), ("IQ", "IR"), ("JO", "SA"), ("IQ", "SA"),
         ("LB", "SY"), ("UA", "RU"), ("SD", "TD"), ("YE", "SA"), ("IQ", "TR")]
WHOLE = ["IQ", "SY", "JO", "IR", "UA", "SD"]


def machine() -> str:
    import numpy
    import pyproj
    import shapely

    return (f"{platform.platform()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
            f"pyproj {pyproj.__version__} · shapely {shapely.__version__} · numpy {numpy.__version__}")


def rate(fn, items) -> tuple[float, float]:
    t0 = time.perf_counter()
    for it in items:
        fn(*it)
    dt = time.perf_counter() - t0
    return len(items) / dt, dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--samples", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "articles"))
    ap.add_argument("--only-samples", action="store_true", help="run the sample-article budget only")
    args = ap.parse_args()
    if args.only_samples:
        print(f"machine: {machine()}")
        return sample_budget(Path(args.samples), args.repeat)

    from pyproj import Geod

    from geoinc import boundaries
    from geoinc.claims.measure import check_distances, choose_border
    from geoinc.geodesy import inverse
    from geoinc.models import Place

    geod = Geod(ellps="WGS84")
    rng = random.Random(args.seed)
    print(f"machine: {machine()}")
    print("note: a 2-core machine shared with other jobs; rates are noisy (best of 3 runs shown)")

    t0 = time.perf_counter()
    lines = {p: boundaries.border_line(*p) for p in PAIRS} | {(c,): boundaries.border_line(c) for c in WHOLE}
    for c in {"JO", "SY", "IQ"}:
        boundaries.land_borders_line(c)
    print(f"warm-up: load Natural Earth + prepare {len(lines) + 3} border lines: {time.perf_counter() - t0:.2f} s")

    # query points: up to 50 km from a random point of a random line
    items, keys = [], []
    geoms = {k: line.geometry for k, line in lines.items()}
    for _ in range(args.points):
        key = rng.choice(list(lines))
        geom = geoms[key]
        on = geom.interpolate(rng.random(), normalized=True)
        lon, lat, _ = geod.fwd(on.x, on.y, rng.uniform(0, 360), rng.uniform(0, 50_000))
        items.append((lines[key], lat, lon))
        keys.append(key)
    for line, lat, lon in items[:200]:  # warm the code paths
        line.nearest(lat, lon)

    best = max(rate(lambda line, lat, lon: line.nearest(lat, lon), items)[0] for _ in range(3))
    print(f"point to border (prepared line, nearest point): {best:,.0f} checks/s over {len(items)} points")

    # as a claim does it: which line ("the Iraqi border" seen from the point), then the nearest point
    # the border named is one of the countries the point was drawn near ("the Syrian border" near Syria)
    claim_items = [(rng.choice(key), lat, lon) for key, (_, lat, lon) in zip(keys, items)]
    best = max(rate(lambda code, lat, lon: (lambda ch: ch.line.nearest(lat, lon) if ch.line else None)(
        choose_border([code], lat, lon)), claim_items)[0] for _ in range(3))
    print(f"point to border (country_at + border choice + nearest): {best:,.0f} checks/s over {len(claim_items)} points")

    # far points: anywhere in a 20° box around Iraq, to Iraq's whole boundary (more segments per query)
    iraq = boundaries.border_line("IQ")
    far = [(iraq, rng.uniform(20, 40), rng.uniform(25, 50)) for _ in range(2000)]
    best = max(rate(lambda line, lat, lon: line.nearest(lat, lon), far)[0] for _ in range(3))
    print(f"point to border, far points (up to ~1,500 km from Iraq's whole boundary): {best:,.0f} checks/s")

    pp = [(lat, lon, lat + rng.uniform(-1, 1), lon + rng.uniform(-1, 1)) for _, lat, lon in items]
    best = max(rate(inverse, pp)[0] for _ in range(3))
    print(f"point to point (geodesic distance + bearing, one pair per call): {best:,.0f} checks/s")

    ref = {"Tower 22": Place("r:t22", "Tower 22", 33.31, 38.70, "base", "JO"),
           "al-Tanf": Place("r:tanf", "Al-Tanf", 33.50583, 38.61778, "base", "SY"),
           "Rukban": Place("r:rukban", "Rukban", 33.31405, 38.70342, "camp", "JO")}
    text = ("A small US garrison at al-Tanf is just 20 kilometers (12 miles) north of Tower 22. "
            "Guards at Tower 22 doubled their patrols. The Iraqi border is only 10 kilometers away. "
            "Rukban lies within 5 km of the border between Jordan and Syria.")
    n = 300
    t0 = time.perf_counter()
    for _ in range(n):
        claims = check_distances(text, mentions=[], gazetteer=ref)
    dt = time.perf_counter() - t0
    print(f"whole claims (parse + resolve + measure + verdict): {n * len(claims) / dt:,.0f} claims/s "
          f"({len(claims)} claims per text, {n / dt:,.0f} texts/s)")
    return sample_budget(Path(args.samples), args.repeat)


def _clear_claim_caches() -> None:
    from geoinc.claims import parse, phrases

    # the caches keyed by the text: a new article starts without them. Those keyed by a word or a place (name
    # folds, word classes, border hits) are kept, as the geoparser keeps its per-name caches: names and places recur
    if hasattr(phrases, "clear_text_caches"):
        phrases.clear_text_caches()
        return
    for fn in (phrases.claim_sentences, phrases.find_names, parse._hint_positions):   # before 0502a05's successors
        fn.cache_clear()


def _timed_steps(*steps: Any) -> list[tuple[float, float]]:
    """Run the steps one after the other; (wall, CPU) seconds of each."""
    out = []
    for step in steps:
        w, c = time.perf_counter(), time.process_time()
        step()
        out.append((time.perf_counter() - w, time.process_time() - c))
    return out


def sample_budget(folder: Path, repeat: int) -> int:
    """check_distances time as a share of geoparse time, per sample article (issue 13: at most 20 %).

    Wall time (perf_counter) and CPU time of this process (process_time) are both taken: on a shared machine the
    wall time of a run includes waiting for a core, CPU time does not. Each ratio is of two runs made one after
    the other, so that load affects both alike; the median of the per-run ratios is printed.

    Four checks are timed: a *new* article (the per-text caches emptied, right after a warm check of the same
    text: the issue's figure since session 5) and a *warm* one, each after a geoparse; then, in runs of their own,
    a *first* one: the check made right after a geoparse with no check before it, as a pipeline makes it. The
    first pays for the code and branch history the geoparse evicted (CPU caches, not Python's), the new one much
    less. Last, *in a stream*: before each timed geoparse and check, three other articles (the team's
    ``data/articles`` and the other samples, drawn at random) go through geoparse and check, as in a run over
    many articles; nothing of this text is left in the CPU's caches or branch history, for the geoparse either.
    And *unseen*: the same, with the gazetteer's look-up caches emptied before the timed geoparse
    (``Gazetteer.clear_caches``), as for an article none of whose names or words were looked up before: the other
    bound of a stream, where the figures before take every look-up as cached."""
    from geoinc import geoparse
    from geoinc.claims.measure import check_distances
    from geoinc.gazetteer.index import default_gazetteer

    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        print(f"sample articles: none at {folder} (skipped)")
        return 0
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    clocks = ("wall", "cpu")
    others = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    for other in others:
        check_distances(other, mentions=geoparse(other))      # the gazetteer's per-name caches, as for the samples
    for f in files:
        text = texts[f]
        mentions = geoparse(text)                       # warm caches (gazetteer, borders) before timing
        check_distances(text, mentions=mentions)

        def parse() -> None:
            geoparse(text)

        def check() -> None:
            check_distances(text, mentions=mentions)

        runs: dict[str, dict[str, list[float]]] = {c: {"geo": [], "warm": [], "new": [], "geo2": [], "first": [],
                                                       "geo3": [], "stream": [], "geo4": [], "unseen": []}
                                                   for c in clocks}
        # interleaved, so that each ratio compares runs made under the same load of the shared machine; the
        # checker's per-text caches emptied before a new article's check
        for _ in range(repeat):
            geo, warm, _, new = _timed_steps(parse, check, _clear_claim_caches, check)
            for i, c in enumerate(clocks):
                runs[c]["geo"].append(geo[i])
                runs[c]["warm"].append(warm[i])
                runs[c]["new"].append(new[i])
        for _ in range(repeat):                        # then the first check after a geoparse, as a pipeline makes it
            geo, _, first = _timed_steps(parse, _clear_claim_caches, check)
            for i, c in enumerate(clocks):
                runs[c]["geo2"].append(geo[i])
                runs[c]["first"].append(first[i])

        stream = others + [t for g, t in texts.items() if g != f]
        rng = random.Random(13)
        for _ in range(repeat):                        # in a stream of other articles
            for other in rng.sample(stream, min(3, len(stream))):
                _clear_claim_caches()
                check_distances(other, mentions=geoparse(other))
            geo, _, streamed = _timed_steps(parse, _clear_claim_caches, check)
            for i, c in enumerate(clocks):
                runs[c]["geo3"].append(geo[i])
                runs[c]["stream"].append(streamed[i])
        gazetteer = default_gazetteer()
        for _ in range(repeat):                        # in a stream, none of its look-ups cached
            for other in rng.sample(stream, min(3, len(stream))):
                _clear_claim_caches()
                check_distances(other, mentions=geoparse(other))
            gazetteer.clear_caches()
            geo, _, unseen = _timed_steps(parse, _clear_claim_caches, check)
            for i, c in enumerate(clocks):
                runs[c]["geo4"].append(geo[i])
                runs[c]["unseen"].append(unseen[i])

        def med(xs: list[float]) -> float:
            return sorted(xs)[len(xs) // 2]

        n = len(check_distances(text, mentions=mentions))
        for c in clocks:
            r = runs[c]
            share_new = 100 * med([b / a for a, b in zip(r["geo"], r["new"]) if a > 0])
            share_warm = 100 * med([b / a for a, b in zip(r["geo"], r["warm"]) if a > 0])
            share_first = 100 * med([b / a for a, b in zip(r["geo2"], r["first"]) if a > 0])
            share_stream = 100 * med([b / a for a, b in zip(r["geo3"], r["stream"]) if a > 0])
            share_unseen = 100 * med([b / a for a, b in zip(r["geo4"], r["unseen"]) if a > 0])
            print(f"{f.name} [{c}]: geoparse {med(r['geo']) * 1000:.2f} ms; check_distances adds "
                  f"{med(r['new']) * 1000:.2f} ms as for a new article = {share_new:.1f} % (per-run ratio), "
                  f"{med(r['warm']) * 1000:.2f} ms = {share_warm:.1f} % with its per-text caches warm, "
                  f"{med(r['first']) * 1000:.2f} ms = {share_first:.1f} % right after the geoparse (no check before "
                  f"it), {med(r['stream']) * 1000:.2f} ms = {share_stream:.1f} % in a stream of other articles "
                  f"(geoparse {med(r['geo3']) * 1000:.2f} ms there), {med(r['unseen']) * 1000:.2f} ms = "
                  f"{share_unseen:.1f} % with none of its look-ups cached (geoparse {med(r['geo4']) * 1000:.2f} ms); "
                  f"{n} claims; median of {repeat}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
