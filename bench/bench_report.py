"""Report speed and size: ``geoinc report`` over a store of N generated incidents (default 10,000).

    python bench/bench_report.py [--n 10000] [--runs 3] [--pdf]

Incidents come from bench/incident_data.py (clustered around real cities, 2018-2025), each given one
source of realistic size (a 70-character title, a link and a 200-character quote), as merged news
incidents have. Build = ``build_report`` on an open store: the query and the previous period's, the
figures, the claims of the period's stored articles (none here: generated incidents cite no stored
article), the map (offline) and its PNG for print (headless Chromium), the charts, the table and the
CSV/GeoJSON downloads, and the page. Timed with and without the PNG; the first run also imports
matplotlib and warms caches, so the best of --runs is reported next to the first. Wall time depends on
what else runs on the machine (its load average is printed); CPU time (this process and its finished
children: Chromium, chromedriver) much less. Goal: <= 10 s and <= 15 MB for 10,000 incidents.
"""
from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from incident_data import incidents as generated, machine  # noqa: E402

from geoinc.models import Source  # noqa: E402

GOAL_SECONDS = 10.0
GOAL_BYTES = 15_000_000
QUOTE = ("Local officials said the attack near {place} on {day} killed {k} people and wounded several others, "
         "while residents reported that fighting continued in the surrounding villages until the evening.")


def realistic(n: int):
    """The generated incidents, each with one source the size of a real one."""
    for inc in generated(n):
        day = inc.event_date
        yield dataclasses.replace(inc, sources=[Source(
            article=f"gen{int(inc.event_id_cnty[3:]) // 3:07d}", published=day,
            title=f"Fighting near {inc.location} leaves {inc.fatalities} dead, local officials say",
            url=f"https://news.example.org/{day}/{inc.event_id_cnty.lower()}",
            quote=QUOTE.format(place=inc.location, day=day, k=inc.fatalities))])


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (Chromium, chromedriver)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def build(store, static_map: bool):
    """(wall seconds, CPU seconds, the built report)."""
    from geoinc.regions import build_spec
    from geoinc.reports.build import build_report

    t0, c0 = time.perf_counter(), _cpu()
    built = build_report(build_spec(), store, query={}, respec=lambda s, u: build_spec(since=s, until=u),
                         static_map=static_map)
    return time.perf_counter() - t0, _cpu() - c0, built


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pdf", action="store_true", help="also time printing the report to PDF")
    args = ap.parse_args()

    from geoinc.maps.browser import find_chromium
    from geoinc.store import open_store

    import os

    print(f"machine: {machine()} | load average {os.getloadavg()[0]:.1f} (shared machine: numbers vary with it)")
    with tempfile.TemporaryDirectory(prefix="geoinc-bench-report-") as tmp:
        store = open_store(Path(tmp) / "bench.sqlite")
        t0 = time.perf_counter()
        store.add_incidents(realistic(args.n), batch=20_000)
        print(f"store: {args.n:,} incidents inserted in {time.perf_counter() - t0:.1f} s")
        modes = [False] + ([True] if find_chromium() else [])
        if len(modes) == 1:
            print("note: headless Chromium is not installed: timing the report without its static map only")
        page = None
        for static_map in modes:
            times, cpus = [], []
            for _ in range(args.runs):
                seconds, cpu, built = build(store, static_map)
                times.append(seconds)
                cpus.append(cpu)
            page = built.html
            size = len(page.encode("utf-8"))
            verdict = "ok" if min(times) <= GOAL_SECONDS and size <= GOAL_BYTES else "OVER GOAL"
            print(f"report of {built.incidents:,} incidents, static map {'yes' if static_map else 'no '}: "
                  f"first {times[0]:.2f} s, best {min(times):.2f} s, median {statistics.median(times):.2f} s "
                  f"(CPU best {min(cpus):.2f} s); "
                  f"page {size / 1e6:.2f} MB  [{verdict}: <= {GOAL_SECONDS:g} s, <= {GOAL_BYTES / 1e6:g} MB]")
            print("  last run, seconds by step: " + ", ".join(f"{k} {v:.2f}" for k, v in built.seconds.items()))
        _sizes(page)
        import resource

        print(f"peak memory of this process (store, queries and every build): "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB RSS")
        if args.pdf and find_chromium():
            from geoinc.reports.pdf import print_pdf

            t0 = time.perf_counter()
            pdf = print_pdf(page, timeout=600)
            print(f"pdf: {time.perf_counter() - t0:.1f} s, {len(pdf) / 1e6:.2f} MB")
        store.close()
    return 0


def _sizes(page: str) -> None:
    """Where the bytes of the page go: the map frame, the downloads, the PNG, the charts, the table."""
    import re

    parts = {
        "map (gzip+base64)": sum(len(m) for m in re.findall(r'<iframe [^>]*data-gz="[^"]*"', page)),
        "downloads (gzip+base64)": sum(len(m) for m in re.findall(r'<a [^>]*data-gz="[^"]*"', page)),
        "static map PNG": sum(len(m) for m in re.findall(r'<img src="data:image/png;base64,[^"]*', page)),
        "charts (SVG)": sum(len(m) for m in re.findall(r"<svg\b.*?</svg>", page, re.S)),
        "incidents table": sum(len(m) for m in re.findall(r'<table class="incidents.*?</table>', page, re.S)),
    }
    total = len(page)
    print("page: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in parts.items())
          + f", rest {(total - sum(parts.values())) / 1e6:.2f} MB")


if __name__ == "__main__":
    sys.exit(main())
