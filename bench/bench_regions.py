"""Region-query latency on 1,000,000 generated incidents in the embedded store, against a plain geopandas filter.

What "a query" is here (each timed end to end, as a user calls it):

* bbox    — ``geoinc.query(bbox=...)``: a 1°×1° box centred near a city where incidents cluster
            (returns hundreds to a few thousand rows);
* radius  — ``geoinc.query(lat=, lon=, radius_km=50)`` around such a city (geodesic);
* country — ``geoinc.query(country=...)`` for ten countries from Syria (small, many events) to the US
            and Indonesia (multipolygons); also with a one-year time window, the usual way it is asked.

Two timings for ours: ``ids`` (R*Tree candidates + exact predicate + filters: the matching ids) and
``frame`` (the full GeoDataFrame of every matching row, all columns: what ``geoinc.query`` returns). For
the country queries the previous row-by-row result path is timed too (``--no-row-path`` skips it).
The baseline is the whole table already in memory as a GeoDataFrame (load time reported apart), filtered
without any index: ``gdf[gdf.intersects(box)]``, a geodesic distance to every row, ``gdf[gdf.intersects(country)]``.

Run: ``python bench/bench_regions.py [--n 1000000] [--db PATH] [--queries 60]``. The store is generated
once (about two minutes) and reused when ``--db`` names an existing one with the right size.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import incident_data  # noqa: E402

COUNTRIES = ["SY", "IQ", "YE", "UA", "SD", "NG", "FR", "ID", "US", "BR"]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def summary(times: list[float], rows: list[int]) -> dict:
    return {"median_ms": round(statistics.median(times) * 1000, 2), "p95_ms": round(pct(times, 95) * 1000, 2),
            "n": len(times), "median_rows": int(statistics.median(rows)), "max_rows": int(max(rows))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="incidents in the store (default 1,000,000)")
    ap.add_argument("--db", type=Path, help="store to reuse or create (default: a temporary file)")
    ap.add_argument("--queries", type=int, default=60, help="timed queries per kind (default 60)")
    ap.add_argument("--baseline-queries", type=int, default=6, help="timed baseline queries per kind (default 6)")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--no-row-path", dest="row_path", action="store_false",
                    help="skip timing the previous row-by-row result path on the country queries")
    args = ap.parse_args(argv)

    from geoinc.regions import build_spec, run
    from geoinc.store.columns import rows_to_frame
    from geoinc.store.sqlite_query import load_rows, select
    from geoinc.store.sqlite import open_store

    print(f"machine: {incident_data.machine()}")
    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-regions-")
        db = Path(tmp.name) / "bench.sqlite"
    build_s = None
    if db.exists():
        s = open_store(db, readonly=True)
        have = s.count()
        s.close()
        if have != args.n:
            sys.exit(f"{db} holds {have} incidents, not {args.n}: give another --db")
        print(f"store: reusing {db} ({have:,} incidents)")
    else:
        build_s = incident_data.build_store(db, args.n, quiet=args.quiet)
        print(f"store: generated and bulk-inserted {args.n:,} incidents in {build_s:.1f} s "
              f"({args.n / build_s:,.0f} incidents/s)")
    size_mb = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
    print(f"store size: {size_mb:,.0f} MB")

    rng = np.random.default_rng(42)
    clat, clon, w = incident_data.hotspots()
    centres = rng.choice(len(w), size=args.queries, p=w)
    jitter = rng.normal(0, 0.2, (args.queries, 2))
    bbox_specs = [build_spec(bbox=(float(clon[c] + j[1] - 0.5), float(clat[c] + j[0] - 0.5),
                                   float(clon[c] + j[1] + 0.5), float(clat[c] + j[0] + 0.5)))
                  for c, j in zip(centres, jitter) if -179 < clon[c] < 179]
    radius_specs = [build_spec(lat=float(clat[c] + j[0]), lon=float(clon[c] + j[1]), radius_km=50)
                    for c, j in zip(centres, jitter)]
    country_specs = [build_spec(country=COUNTRIES[i % len(COUNTRIES)]) for i in range(max(args.queries // 2, 20))]
    country_year_specs = [build_spec(country=COUNTRIES[i % len(COUNTRIES)], since="2025-01-01", until="2025-12-31")
                          for i in range(max(args.queries // 2, 20))]

    store = open_store(db, readonly=True)
    conn = store.conn
    results: dict = {"machine": incident_data.machine(), "n": args.n, "store_mb": round(size_mb),
                     "build_s": round(build_s, 1) if build_s else None, "ours": {}, "baseline": {}}

    def row_path(spec):
        """The previous result path (every row read through the cursor, then typed): for comparison."""
        sel = select(conn, spec, by_date=False)
        return rows_to_frame(*load_rows(conn, sel.fids, by_date=True))

    def timed(kind: str, specs: list) -> None:
        for spec in specs[:3]:           # warm: page cache, country polygons prepared
            run(spec, store)
        t_ids, t_frame, t_rows, rows = [], [], [], []
        for spec in specs:
            t0 = time.perf_counter()
            chosen = select(conn, spec)
            t_ids.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            frame = run(spec, store)
            t_frame.append(time.perf_counter() - t0)
            rows.append(len(frame))
            assert len(frame) == chosen.matched
            del frame                    # freeing a result is not part of the next query's latency
            if args.row_path and kind == "country":
                t0 = time.perf_counter()
                row_path(spec)
                t_rows.append(time.perf_counter() - t0)
        results["ours"][kind] = {"ids": summary(t_ids, rows), "frame": summary(t_frame, rows),
                                 "per_query_frame_ms": [round(t * 1000, 2) for t in t_frame]}
        if t_rows:
            results["ours"][kind]["row_path"] = summary(t_rows, rows)
            print(f"           (previous row-by-row result path on the same queries: median "
                  f"{statistics.median(t_rows) * 1000:.1f} ms, p95 {pct(t_rows, 95) * 1000:.1f} ms)")
        if kind.startswith("country"):
            by: dict[str, list] = {}
            for spec, ti, tf, nr in zip(specs, t_ids, t_frame, rows):
                by.setdefault(spec.labels[0], []).append((ti, tf, nr))
            detail = {k: {"rows": v[0][2], "ids_ms": round(statistics.median(x[0] for x in v) * 1000, 1),
                          "frame_ms": round(statistics.median(x[1] for x in v) * 1000, 1)} for k, v in by.items()}
            results["ours"][kind]["by_country"] = detail
            for k, d in detail.items():
                print(f"           {k:<48} rows {d['rows']:>7,}  ids {d['ids_ms']:8.1f} ms  GeoDataFrame {d['frame_ms']:8.1f} ms")
        r = results["ours"][kind]
        print(f"ours     {kind:<13} ids: median {r['ids']['median_ms']:8.1f} ms  p95 {r['ids']['p95_ms']:8.1f} ms | "
              f"GeoDataFrame: median {r['frame']['median_ms']:8.1f} ms  p95 {r['frame']['p95_ms']:8.1f} ms | "
              f"rows median {r['frame']['median_rows']:,} max {r['frame']['max_rows']:,} (n={len(specs)})")

    timed("bbox 1x1deg", bbox_specs)
    timed("radius 50km", radius_specs)
    timed("country", country_specs)
    timed("country+year", country_year_specs)
    store.close()

    # baseline: the whole table in memory, no index
    import geopandas as gpd
    import pandas as pd
    from pyproj import Geod
    from shapely import box

    import sqlite3

    t0 = time.perf_counter()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        df = pd.read_sql_query("SELECT * FROM incidents", c)
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326")
    load_s = time.perf_counter() - t0
    results["baseline"]["load_s"] = round(load_s, 1)
    print(f"baseline load: whole table into a GeoDataFrame in {load_s:.1f} s ({len(gdf):,} rows)")
    geod = Geod(ellps="WGS84")
    lons = gdf["longitude"].to_numpy()
    lats = gdf["latitude"].to_numpy()
    k = args.baseline_queries

    def base(kind: str, fn, items: list) -> None:
        times, rows = [], []
        for item in items[:k]:
            t0 = time.perf_counter()
            out = fn(item)
            times.append(time.perf_counter() - t0)
            rows.append(len(out))
        results["baseline"][kind] = summary(times, rows)
        r = results["baseline"][kind]
        print(f"baseline {kind:<13} median {r['median_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms | rows median "
              f"{r['median_rows']:,} (n={len(times)})")

    base("bbox 1x1deg", lambda s: gdf[gdf.intersects(box(*s.regions[0].boxes()[0]))], bbox_specs)

    def radius(spec):
        r = spec.regions[0]
        _, _, d = geod.inv(np.full(lons.size, r.lon), np.full(lats.size, r.lat), lons, lats)
        return gdf[d <= r.radius_km * 1000]

    base("radius 50km", radius, radius_specs)
    base("country", lambda s: gdf[gdf.intersects(s.regions[0].geometry())], country_specs)
    # compare on the same queries: the baseline ran the first k of each kind
    same = {kind: statistics.median(results["ours"][kind]["per_query_frame_ms"][:k])
            for kind in ("bbox 1x1deg", "radius 50km", "country")}
    results["ours_same_queries_frame_median_ms"] = same
    results["ratio_median"] = {kind: round(results["baseline"][kind]["median_ms"] / same[kind], 1) for kind in same}
    print("ours on the baseline's queries (GeoDataFrame median): "
          + ", ".join(f"{k} {v:.1f} ms" for k, v in same.items()))
    print("speed-up (baseline median / ours GeoDataFrame median, same queries): "
          + ", ".join(f"{k} {v}x" for k, v in results["ratio_median"].items()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
