"""The API's CPU cost per request kind, without queueing: where a loaded server's time goes.

The app of ``geoinc serve`` (create_app, every middleware) is called in this process through ASGI, one
request at a time, over the kinds of bench_api.py's ``--mix`` (bbox, radius, country, id, health, map,
polygon, ingest, and with ``--mix hostile`` whole-store pages). For each kind it prints the CPU time
(user + system of this process, all threads) per request, the answer's size, and the kind's share of
the mix's CPU; HTTP parsing by uvicorn is not included (see bench_api.py for the whole server).
Rounds alternate over the kinds and the best round counts, so other jobs on a shared machine disturb the
figures little. Run: ``python bench/bench_api_cost.py --db STORE [--mix mixed] [--n 40] [--rounds 3]``
(the store is opened read-write because ingest writes: give it a copy). The code measured is the
repository this script sits in (its root goes first on sys.path).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_api  # noqa: E402
import incident_data  # noqa: E402


async def call(app, method: str, target: str, body: bytes = b"") -> tuple[int, int]:
    """(status, bytes of the body) of one request to the ASGI ``app``."""
    path, _, query = target.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 40000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())]}
    sent = False
    status, size = 0, 0

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    await app(scope, receive, send)
    return status, size


def cpu() -> float:
    return time.process_time()       # user + system of every thread, at nanosecond resolution


async def measure(db: Path, mix_name: str, n: int, rounds: int,
                  kinds: set[str] | None = None) -> dict[str, dict[str, float]]:
    from geoinc.api.app import create_app

    app = create_app(db)
    mix = bench_api.request_mix(200_000, hostile=mix_name == "hostile", mixed=mix_name == "mixed")
    share: dict[str, int] = {}
    by_kind: dict[str, list[tuple[str, str, bytes]]] = {}
    for path, params in mix:
        kind = bench_api.kind_of(path, params)
        share[kind] = share.get(kind, 0) + 1
        if kinds and kind not in kinds:
            continue
        if path.startswith("POST "):
            req = ("POST", path[5:], json.dumps(params).encode())
        else:
            req = ("GET", path + ("?" + urlencode(params) if params else ""), b"")
        by_kind.setdefault(kind, []).append(req)
    best: dict[str, float] = {}
    sizes: dict[str, float] = {}
    async with app.router.lifespan_context(app):
        import threading

        for t in threading.enumerate():                       # the server's map warm-up (geoinc.api.app)
            if t.name == "geoinc-warm-maps":
                t.join()
        for kind, reqs in by_kind.items():                    # warm-up: one-time loads of every kind
            for req in reqs[:3]:
                await call(app, *req)
        for r in range(rounds):
            for kind, reqs in sorted(by_kind.items()):
                todo = reqs[(r * n) % len(reqs):][:n] or reqs[:n]
                t0, total = cpu(), 0
                for req in todo:
                    status, size = await call(app, *req)
                    if status >= 300:
                        raise SystemExit(f"{kind}: {req[0]} {req[1][:80]} answered {status}")
                    total += size
                per = (cpu() - t0) * 1000 / len(todo)
                best[kind] = min(best.get(kind, per), per)
                sizes[kind] = total / len(todo)
    whole = sum(share.values())
    mean = sum(best[k] * share[k] / whole for k in best) or 1.0
    return {k: {"cpu_ms": round(best[k], 2), "share": round(share[k] / whole, 3), "bytes": int(sizes[k]),
                "cpu_share": round(best[k] * share[k] / whole / mean, 3)} for k in sorted(best)} | \
        {"_mix": {"cpu_ms": round(mean, 2)}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="a store (a copy: ingest writes to it)")
    ap.add_argument("--mix", choices=("light", "mixed", "hostile"), default="mixed")
    ap.add_argument("--n", type=int, default=40, help="requests of each kind per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--kinds", help="only these kinds, comma-separated (e.g. map,bbox; for profiling)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    print(f"machine: {incident_data.machine()} | load average {os.getloadavg()[0]:.1f} at start")
    t0 = time.monotonic()
    kinds = set(args.kinds.split(",")) if args.kinds else None
    res = asyncio.run(measure(args.db, args.mix, args.n, args.rounds, kinds))
    for kind, v in res.items():
        if kind != "_mix":
            print(f"{kind:8s} {v['cpu_ms']:7.2f} ms CPU/request  {v['bytes']:>8,} B  {100 * v['share']:4.1f} % of "
                  f"requests, {100 * v['cpu_share']:4.1f} % of the CPU")
    print(f"mix {args.mix}: {res['_mix']['cpu_ms']} ms CPU per request on average (in-process, no HTTP parsing; "
          f"{time.monotonic() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
