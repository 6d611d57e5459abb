"""Benchmark of the exporters: CPU per incident of every text and file format, on generated incidents.

Usage: python bench/bench_export.py [--n 20000] [--repeat 3]

Prints the machine, then for ``formats.to_csv`` (all columns and ACLED's 31), ``write_acled_csv``,
``write_geojson`` and ``render(frame, "geojson")`` (what ``geoinc query --format geojson`` and the HTTP API
write) the best CPU time of --repeat runs over one result frame of --n incidents (bench/incident_data.py).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import incident_data  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from geoinc.formats import incidents_to_frame, render, to_csv, write_acled_csv, write_geojson

    print(f"machine: {incident_data.machine()}")
    frame = incidents_to_frame(incident_data.incidents(args.n))
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        out = Path(tmp)
        steps = [("to_csv (every column)", lambda: to_csv(frame)),
                 ("to_csv (ACLED columns)", lambda: to_csv(frame, acled=True)),
                 ("write_acled_csv", lambda: write_acled_csv(frame, out / "a.csv")),
                 ("write_geojson", lambda: write_geojson(frame, out / "a.geojson")),
                 ('render(frame, "geojson")', lambda: render(frame, "geojson"))]
        for name, step in steps:
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.process_time()
                step()
                best = min(best, time.process_time() - t0)
            print(f"{name:26s} {args.n:,} incidents: {best:.2f} s CPU, {best / args.n * 1e6:.1f} µs each "
                  f"(best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
