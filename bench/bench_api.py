"""The HTTP service under load: 50 concurrent clients for 60 s on loopback (127.0.0.1 only).

The server is ``geoinc serve`` (one uvicorn process) in a subprocess, over a generated store; the
clients are 50 asyncio tasks on one httpx.AsyncClient in this process (so on a 2-core machine the load
generator and the server share the CPUs: the numbers are a floor, not a ceiling). Each client loops
until the deadline over a fixed mix of requests:

* 40 % ``GET /incidents?bbox=`` a 0.5°×0.5° box near a city (limit 100, GeoJSON),
* 30 % ``GET /incidents?lat=&lon=&radius_km=25`` (limit 100),
* 10 % ``GET /incidents?country=`` one of LB, JO, PS, IL, KW with a six-month window (limit 100),
* 15 % ``GET /incidents/{id}`` for a random stored id,
*  5 % ``GET /health``.

Reported: requests/s, latency p50/p99 (ms), and errors (non-2xx answers or transport errors; must be 0).
Loops are bounded by time (``--seconds``) and by count (``--max-requests``), and the server is stopped
at the end. Run: ``python bench/bench_api.py [--db PATH] [--n 200000] [--clients 50] [--seconds 60]``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import incident_data  # noqa: E402

HOST = "127.0.0.1"      # loopback only, always


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request_mix(n_ids: int, seed: int = 7) -> list[tuple[str, dict]]:
    """A long fixed list of (path, params) drawn with the mix above; clients walk through it."""
    rng = random.Random(seed)
    clat, clon, w = incident_data.hotspots()
    idx = np.random.default_rng(seed).choice(len(w), size=4000, p=w)
    out: list[tuple[str, dict]] = []
    for i in range(4000):
        lat, lon = float(clat[idx[i]]), float(clon[idx[i]])
        lon = max(-179.0, min(179.0, lon))
        r = rng.random()
        if r < 0.40:
            out.append(("/incidents", {"bbox": f"{lon - 0.25:.4f},{lat - 0.25:.4f},{lon + 0.25:.4f},{lat + 0.25:.4f}",
                                       "limit": 100}))
        elif r < 0.70:
            out.append(("/incidents", {"lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "radius_km": 25, "limit": 100}))
        elif r < 0.80:
            out.append(("/incidents", {"country": rng.choice(["LB", "JO", "PS", "IL", "KW"]),
                                       "since": "2025-01-01", "until": "2025-06-30", "limit": 100}))
        elif r < 0.95:
            out.append((f"/incidents/GEN{rng.randrange(n_ids):07d}", {}))
        else:
            out.append(("/health", {}))
    return out


async def load(base: str, mix: list[tuple[str, dict]], clients: int, seconds: float, max_requests: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:
        async def worker(k: int) -> None:
            nonlocal sent
            i = k * 97
            while time.monotonic() < deadline and sent < max_requests:
                path, params = mix[i % len(mix)]
                i += 1
                sent += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path, params=params)
                    await r.aread()
                    ok = 200 <= r.status_code < 300
                    key = f"HTTP {r.status_code}"
                except httpx.HTTPError as err:
                    ok, key = False, type(err).__name__
                latencies.append(time.perf_counter() - t0)
                if not ok:
                    errors[key] = errors.get(key, 0) + 1

        t_start = time.monotonic()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        elapsed = time.monotonic() - t_start
    lat_ms = np.asarray(latencies) * 1000
    return {"requests": len(latencies), "seconds": round(elapsed, 1), "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(float(np.percentile(lat_ms, 50)), 1), "p99_ms": round(float(np.percentile(lat_ms, 99)), 1),
            "max_ms": round(float(lat_ms.max()), 1), "errors": sum(errors.values()), "error_kinds": errors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="store to serve (reused if it exists; else generated there)")
    ap.add_argument("--n", type=int, default=200_000, help="incidents to generate when the store is new (default 200,000)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--max-requests", type=int, default=1_000_000, help="hard cap on requests sent")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args(argv)

    from geoinc.store.sqlite import open_store

    print(f"machine: {incident_data.machine()}")
    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-api-")
        db = Path(tmp.name) / "api.sqlite"
    if not db.exists():
        secs = incident_data.build_store(db, args.n, quiet=True)
        print(f"store: generated {args.n:,} incidents in {secs:.0f} s")
    s = open_store(db, readonly=True)
    n = s.count()
    s.close()
    print(f"store: {db} ({n:,} incidents)")

    port = free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen([sys.executable, "-m", "geoinc", "serve", "--host", HOST, "--port", str(port),
                               "--db", str(db), "--log-level", "warning", "--workers", str(args.workers)],
                              env=os.environ.copy())
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.2)
        mix = request_mix(n)
        asyncio.run(load(base, mix, args.clients, 3.0, 2000))          # warm-up, not counted
        res = asyncio.run(load(base, mix, args.clients, args.seconds, args.max_requests))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    res.update({"clients": args.clients, "workers": args.workers, "incidents": n, "machine": incident_data.machine()})
    print(f"{args.workers} worker(s), {args.clients} clients x {res['seconds']} s: {res['requests']:,} requests, {res['rps']} req/s, "
          f"p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, max {res['max_ms']} ms, errors {res['errors']} "
          f"{res['error_kinds'] or ''}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 0 if res["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
