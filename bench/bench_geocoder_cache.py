"""Geocoder cache speed: lookups per second served from the SQLite cache (no network), and the cost of
a first lookup against a local HTTP server speaking Nominatim (rate limit off, for the client's overhead).

Run: /work/venv/bin/python bench/bench_geocoder_cache.py [--n 5000]
Prints the machine it ran on; the project's machine is shared, so numbers are noisy.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5000, help="cache-hit lookups to time")
    args = parser.parse_args()
    os.environ.pop("GEOINC_OFFLINE", None)

    from local_geocoder import PLACES, RunningServer

    from geoinc.geocoders import Fallback, GeocoderCache, GeocoderSettings, Throttle
    from geoinc.gazetteer.learned import LearnedPlaces

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    queries = list(PLACES) + [f"nowhere {i}" for i in range(20)]
    with tempfile.TemporaryDirectory() as tmp, RunningServer() as server:
        settings = GeocoderSettings(domain=server.domain, scheme="http", user_agent="geoinc-bench/1.0",
                                    min_delay=0.0)
        fb = Fallback(settings, cache=GeocoderCache(Path(tmp) / "cache.sqlite"),
                      learned=LearnedPlaces(path=Path(tmp) / "learned.sqlite"), throttle=Throttle(0.0))
        t0 = time.perf_counter()
        for q in queries:
            fb.lookup(q, country_codes=("SY",))
        cold = time.perf_counter() - t0
        print(f"first lookups (HTTP to 127.0.0.1, validation, cache write, learn): {len(queries)} in {cold:.3f} s "
              f"= {cold / len(queries) * 1000:.2f} ms each; {len(server.seen)} requests")
        before = len(server.seen)
        t0 = time.perf_counter()
        for i in range(args.n):
            fb.lookup(queries[i % len(queries)], country_codes=("SY",))
        hot = time.perf_counter() - t0
        assert len(server.seen) == before, "a cache hit touched the network"
        print(f"cache hits via Fallback.lookup: {args.n} in {hot:.3f} s = {args.n / hot:,.0f} lookups/s "
              f"({hot / args.n * 1e6:.0f} µs each); 0 requests")
        cache = fb.cache
        t0 = time.perf_counter()
        for i in range(args.n):
            cache.get(fb.label, queries[i % len(queries)], "cc=SY")
        raw = time.perf_counter() - t0
        print(f"GeocoderCache.get alone: {args.n / raw:,.0f} gets/s ({raw / args.n * 1e6:.0f} µs each)")


if __name__ == "__main__":
    main()
