"""Ingestion benchmark: articles/s and store size for N generated articles (default 10,000).

Generates articles from templates (bench/gen_articles.py), ingests them with ``geoinc ingest`` logic in
process (geoparse -> extract -> merge -> the store, a transaction per batch of parsed articles as
``geoinc ingest`` writes them), re-runs to time the
idempotent pass, and exports ACLED CSV and GeoJSON. With ``--bulk N`` it also times the store's bulk
insert of N incidents and a few R*Tree searches at that size. Prints the machine it ran on.

Usage: python bench/bench_ingest.py [--articles 10000] [--bulk 0] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gen_articles import write_articles  # noqa: E402

from geoinc.formats import export  # noqa: E402
from geoinc.regions import build_spec  # noqa: E402
from geoinc.ingest import ingest_paths  # noqa: E402
from geoinc.models import Incident  # noqa: E402
from geoinc.store import open_store  # noqa: E402


def machine() -> str:
    return (f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
            f"load average {os.getloadavg()[0]:.1f} at start")


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def bench_articles(work: Path, n: int) -> None:
    folder = work / "articles"
    t = time.perf_counter()
    write_articles(folder, n, seed=2024)
    gen_s = time.perf_counter() - t
    db = work / "bench.sqlite"
    store = open_store(db)
    from geoinc.geoparser.resolve import geoparse

    geoparse("Warm-up in Amman.")          # load the gazetteer before timing
    t = time.perf_counter()
    summary = ingest_paths([folder], store)
    ingest_s = time.perf_counter() - t
    t = time.perf_counter()
    again = ingest_paths([folder], store)
    rerun_s = time.perf_counter() - t
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = store.size_bytes()
    stats = store.stats()
    t = time.perf_counter()
    n_csv = export(store.iter_incidents(), work / "out.csv", "acled-csv")
    csv_s = time.perf_counter() - t
    t = time.perf_counter()
    export(store.iter_incidents(), work / "out.geojson", "geojson")
    gj_s = time.perf_counter() - t
    assert store.integrity_check() and again.articles_new == 0
    store.close()
    print(f"articles generated: {n} in {gen_s:.1f} s")
    print(f"ingest: {summary.line()}")
    print(f"ingest rate: {n / ingest_s:.0f} articles/s ({ingest_s:.1f} s for {n})")
    print(f"re-run (all already stored): {n / rerun_s:.0f} articles/s ({rerun_s:.1f} s)")
    print(f"store: {mb(size)} for {stats['articles']} articles, {stats['incidents']} incidents, "
          f"{stats['reports']} reports, {stats['mentions']} mentions ({size / n / 1024:.1f} KiB per article)")
    print(f"export: ACLED CSV {n_csv} incidents in {csv_s:.2f} s ({mb((work / 'out.csv').stat().st_size)}), "
          f"GeoJSON in {gj_s:.2f} s ({mb((work / 'out.geojson').stat().st_size)})")


def bench_bulk(work: Path, n: int) -> None:
    rng = random.Random(1)

    def gen():
        for i in range(n):
            d = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            yield Incident(event_id_cnty=f"B{i}", event_date=d, year=int(d[:4]), event_type="Battles",
                           sub_event_type="Armed clash", latitude=rng.uniform(-60, 70),
                           longitude=rng.uniform(-180, 180), location=f"p{i % 5000}", fatalities=rng.randint(0, 5),
                           date_start=d, date_end=d)

    store = open_store(work / "bulk.sqlite")
    t = time.perf_counter()
    inserted = store.add_incidents(gen())
    bulk_s = time.perf_counter() - t
    timings = []
    radius = []
    for _ in range(50):
        lat, lon = rng.uniform(-50, 60), rng.uniform(-170, 170)
        t = time.perf_counter()
        store.select(build_spec(bbox=(lon, lat, lon + 1, lat + 1)))
        timings.append(time.perf_counter() - t)
        t = time.perf_counter()
        store.select(build_spec(lat=lat, lon=lon, radius_km=100))
        radius.append(time.perf_counter() - t)
    print(f"bulk insert: {inserted} incidents in {bulk_s:.1f} s ({inserted / bulk_s:.0f} rows/s), "
          f"store {mb(store.size_bytes())}")
    print(f"search at {inserted} rows: 1x1 degree bbox median {statistics.median(timings) * 1000:.2f} ms; "
          f"100 km radius median {statistics.median(radius) * 1000:.2f} ms (50 queries each)")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--bulk", type=int, default=0, help="also bulk-insert this many incidents (e.g. 1000000)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("GEOINC_HOME", str(work / "home"))
        if args.articles:
            bench_articles(work, args.articles)
        if args.bulk:
            bench_bulk(work, args.bulk)


if __name__ == "__main__":
    main()
