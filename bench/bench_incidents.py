#!/usr/bin/env python3
"""Extraction speed: articles/s of geoparse + extract_incidents on one core (the sample articles), and the
share of it spent in incident extraction alone (mentions given). Prints the machine; numbers on a shared
machine are noisy (the per-CPU-second figures show the code's own cost; run it twice).

Usage: python bench/bench_incidents.py [--seconds 5] [--json] [--pure]

Goal (issue 12): >= 300 articles/s for geoparse + incidents on the sample articles.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_geoparse import articles, pin_one_core, rate  # noqa: E402  (same articles, pinning and timing)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0, help="how long to measure each figure")
    ap.add_argument("--json", action="store_true", help="print only a JSON line")
    ap.add_argument("--pure", action="store_true", help="measure the pure-Python recogniser and resolver")
    args = ap.parse_args(argv)
    if args.pure:
        os.environ["GEOINC_PURE_PYTHON"] = "1"
    from geoinc import extract_incidents, geoparse
    from geoinc.articles import read_articles
    from geoinc.gazetteer.index import build
    from geoinc.native import status

    build()
    paths = articles()
    arts = [a for p in paths for a in read_articles(p)]
    published = {a.id: a.published or "2024-01-29" for a in arts}
    pinned = pin_one_core()
    parsed = [(a, geoparse(a.text)) for a in arts]

    def both(a):
        return extract_incidents(a.text, published[a.id])

    def incidents_only(pair):
        a, mentions = pair
        return extract_incidents(a.text, published[a.id], mentions=mentions)

    res = {"machine": f"{platform.platform()}; {platform.processor() or platform.machine()}; {os.cpu_count()} CPUs "
                      f"({pinned}); Python {platform.python_version()}",
           "articles": [p.name for p in paths], "modules": status(),
           "incidents_per_pass": sum(len(both(a)) for a in arts)}
    res["geoparse_and_incidents"] = rate(both, arts, args.seconds)
    res["incidents_only"] = rate(incidents_only, parsed, args.seconds)
    res["goal_articles_per_s"] = 300
    if args.json:
        print(json.dumps(res))
        return 0
    g, i = res["geoparse_and_incidents"], res["incidents_only"]
    print(f"machine       {res['machine']}")
    print(f"articles      {', '.join(res['articles'])} ({res['incidents_per_pass']} incidents per pass)")
    print("modules       " + "; ".join(f"{k}: {v}" for k, v in res["modules"].items()))
    print(f"extraction    geoparse + incidents: {g['median']} articles/s median, {g['best']} best, "
          f"{g['per_cpu_s']} per CPU-second (one core; goal >= 300)")
    print(f"incidents     extraction alone (mentions given): {i['median']} articles/s median, {i['best']} best, "
          f"{i['per_cpu_s']} per CPU-second")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
