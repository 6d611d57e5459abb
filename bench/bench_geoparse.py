#!/usr/bin/env python3
"""Geoparsing speed and memory: articles/s of geoparse on one core, cold-start time of `geoinc places`,
peak memory. Prints the machine too; numbers on a shared machine are noisy (run it twice).

Usage: python bench/bench_geoparse.py [--seconds 5] [--json] [--pure]

The recogniser and resolver run compiled when the install built their mypyc twins (see geoinc/native.py);
the script says which. ``--pure`` measures the pure-Python modules instead (GEOINC_PURE_PYTHON=1).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples" / "articles"
DATA = ROOT / "data" / "articles"


def articles() -> list[Path]:
    """The shared sample articles, else the team's own (data/articles)."""
    paths = sorted(SAMPLES.glob("*.txt")) or sorted(DATA.glob("*.txt"))
    if not paths:
        sys.exit("no sample articles found (../shared/samples/articles or data/articles)")
    return paths


def pin_one_core() -> str:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        return "pinned to one core"
    except (AttributeError, OSError):
        return "not pinned"


def rate(fn, items: list, seconds: float) -> dict[str, float]:
    """Items per wall-clock and per CPU second of ``fn(item)`` over repeated passes after a warm-up pass (wall
    rates suffer when other processes share the core; CPU-time rates show the code's own cost)."""
    for it in items:
        fn(it)
    rates, cpu_rates = [], []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(rates) < 3:
        t0, c0 = time.perf_counter(), time.process_time()
        n = 0
        while time.perf_counter() - t0 < 0.5:
            for it in items:
                fn(it)
                n += 1
        rates.append(n / (time.perf_counter() - t0))
        cpu_rates.append(n / max(1e-9, time.process_time() - c0))
    return {"median": round(statistics.median(rates), 1), "best": round(max(rates), 1),
            "per_cpu_s": round(statistics.median(cpu_rates), 1)}


def throughput(texts: list[str], seconds: float) -> dict[str, float]:
    """Articles per second of geoparse over repeated passes, on this process's core."""
    from geoinc import geoparse

    r = rate(geoparse, texts, seconds)
    return {"articles_per_s_median": r["median"], "articles_per_s_best": r["best"],
            "articles_per_cpu_s_median": r["per_cpu_s"],
            "chars_per_article": round(sum(map(len, texts)) / len(texts))}


def cold_start(path: Path, runs: int = 5) -> dict[str, float]:
    """Wall time of `geoinc places FILE` in a fresh interpreter (index already built)."""
    exe = Path(sys.executable).with_name("geoinc")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "geoinc"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run([*cmd, "places", str(path)], capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            sys.exit(f"geoinc places failed: {proc.stderr.strip()}")
    return {"cold_start_s_median": round(statistics.median(times), 3), "cold_start_s_best": round(min(times), 3)}


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0, help="how long to measure throughput")
    ap.add_argument("--json", action="store_true", help="print only a JSON line")
    ap.add_argument("--pure", action="store_true", help="measure the pure-Python recogniser and resolver")
    args = ap.parse_args(argv)
    if args.pure:
        os.environ["GEOINC_PURE_PYTHON"] = "1"     # read when geoinc.geoparser.recognizer/resolve are first imported
    from geoinc.native import status

    from geoinc.gazetteer.index import build

    build()   # the index is built once, outside the timings
    paths = articles()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    pinned = pin_one_core()
    res = {
        "machine": f"{platform.platform()}; {platform.processor() or platform.machine()}; "
                   f"{os.cpu_count()} CPUs ({pinned}); Python {platform.python_version()}",
        "articles": [p.name for p in paths],
        "statistical_ner": False,
        "modules": status(),
    }
    res.update(cold_start(paths[-1]))
    res.update(throughput(texts, args.seconds))
    res["peak_memory_mb"] = peak_memory_mb()
    res["goals"] = {"articles_per_s": 500, "cold_start_s": 1.5, "peak_memory_mb": 400}
    if args.json:
        print(json.dumps(res))
        return 0
    print(f"machine       {res['machine']}")
    print(f"articles      {', '.join(res['articles'])} (~{res['chars_per_article']} chars each)")
    print("modules       " + "; ".join(f"{k}: {v}" for k, v in res["modules"].items()))
    print(f"throughput    {res['articles_per_s_median']} articles/s median, {res['articles_per_s_best']} best "
          f"(one core, gazetteer path, no statistical NER; goal >= 500); "
          f"{res['articles_per_cpu_s_median']} per CPU-second")
    print(f"cold start    geoinc places: {res['cold_start_s_median']} s median, {res['cold_start_s_best']} s best "
          "(goal <= 1.5 s)")
    print(f"peak memory   {res['peak_memory_mb']} MB (goal <= 400 MB)")
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
