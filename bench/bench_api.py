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

``--mix hostile`` is the memory test of issue 16: the mix above plus 5 % ``/incidents?limit=100000``
(the whole answer asked for at once), 2 % the same as CSV, 3 % ``/map`` of a 1° box, 5 % a polygon query
and 2 % ``POST /articles`` (ingest). The server's resident memory (its process tree, sampled every 0.1 s
with psutil) is reported as a peak during the load and once idle afterwards. ``--memory-cap-gb`` puts
an address-space ceiling on the server (RLIMIT_AS) so an unbounded server fails instead of taking the
machine; its failures then show as errors.

Reported: requests/s, latency p50/p99 (ms), errors (non-2xx answers or transport errors; must be 0),
server peak and idle RSS. Loops are bounded by time (``--seconds``) and by count (``--max-requests``),
and the server is stopped at the end. Run: ``python bench/bench_api.py [--db PATH] [--n 200000]
[--clients 50] [--seconds 60] [--mix light|hostile]``. Set PYTHONPATH to choose the server's code.
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


ARTICLE = ("date 2024-0{m}-1{d}\n\nClashes erupted between government forces and Islamic State fighters near "
           "Palmyra on Sunday, report {i}. Four soldiers were killed and {i} were wounded, a monitor said.")


def hostile_request(rng: random.Random, lat: float, lon: float, i: int) -> tuple[str, dict] | None:
    """One of the heavy or writing requests of ``--mix hostile`` (None: use the light mix this time)."""
    r = rng.random()
    if r < 0.05:
        return ("/incidents", {"limit": 100000})
    if r < 0.07:
        return ("/incidents", {"limit": 100000, "format": "csv"})
    if r < 0.10:
        return ("/map", {"bbox": f"{lon - 0.5:.4f},{lat - 0.5:.4f},{lon + 0.5:.4f},{lat + 0.5:.4f}"})
    if r < 0.15:
        ring = [[lon - 0.3, lat - 0.2], [lon + 0.3, lat - 0.25], [lon + 0.2, lat + 0.3], [lon - 0.25, lat + 0.2]]
        ring.append(ring[0])
        return ("/incidents", {"polygon": json.dumps({"type": "Polygon", "coordinates": [ring]}), "limit": 100})
    if r < 0.17:
        return ("POST /articles", {"text": ARTICLE.format(m=1 + i % 9, d=i % 10, i=i), "published": "2024-03-05"})
    return None


class RssSampler:
    """Resident memory of the server's process tree (workers included), sampled on a thread."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        import threading

        self.pid, self.every, self.peak_mb, self.peak_private_mb = pid, every, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss_mb(self, private: bool = False) -> float:
        """RSS in MB; ``private``: without shared file pages (the memory-mapped store, libraries)."""
        import psutil

        try:
            proc = psutil.Process(self.pid)
            procs = [proc, *proc.children(recursive=True)]
            infos = [p.memory_info() for p in procs]
            return round(sum(m.rss - (m.shared if private else 0) for m in infos) / 1e6, 1)
        except psutil.Error:
            return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.rss_mb())
            self.peak_private_mb = max(self.peak_private_mb, self.rss_mb(private=True))
            self._stop.wait(self.every)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def request_mix(n_ids: int, seed: int = 7, hostile: bool = False) -> list[tuple[str, dict]]:
    """A long fixed list of (path, params) drawn with the mix above; clients walk through it."""
    rng = random.Random(seed)
    clat, clon, w = incident_data.hotspots()
    idx = np.random.default_rng(seed).choice(len(w), size=4000, p=w)
    out: list[tuple[str, dict]] = []
    for i in range(4000):
        lat, lon = float(clat[idx[i]]), float(clon[idx[i]])
        lon = max(-179.0, min(179.0, lon))
        heavy = hostile_request(rng, lat, lon, i) if hostile else None
        if heavy is not None:
            out.append(heavy)
            continue
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
    token = os.environ.get("GEOINC_API_TOKEN")
    auth = {"authorization": f"Bearer {token}"} if token else {}

    async with httpx.AsyncClient(base_url=base, timeout=120.0, limits=limits) as client:
        async def worker(k: int) -> None:
            nonlocal sent
            i = k * 97
            while time.monotonic() < deadline and sent < max_requests:
                path, params = mix[i % len(mix)]
                i += 1
                sent += 1
                t0 = time.perf_counter()
                try:
                    if path.startswith("POST "):
                        r = await client.post(path[5:], json=params, headers=auth)
                    else:
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
    ap.add_argument("--mix", choices=("light", "hostile"), default="light",
                    help="light: the read mix above; hostile: plus whole-store answers, maps, polygons, ingest")
    ap.add_argument("--memory-cap-gb", type=float, default=None,
                    help="address-space ceiling for the server (RLIMIT_AS), so a runaway server fails, not the machine")
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
    cap = None if args.memory_cap_gb is None else int(args.memory_cap_gb * 1024 ** 3)

    def limit_server() -> None:
        if cap is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    server = subprocess.Popen([sys.executable, "-m", "geoinc", "serve", "--host", HOST, "--port", str(port),
                               "--db", str(db), "--log-level", "warning", "--workers", str(args.workers)],
                              env=os.environ.copy(), preexec_fn=limit_server, cwd=tempfile.gettempdir())
    sampler = RssSampler(server.pid)
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
        mix = request_mix(n, hostile=args.mix == "hostile")
        asyncio.run(load(base, request_mix(n), args.clients, 3.0, 2000))          # warm-up, not counted
        start_rss = sampler.rss_mb()
        sampler.start()
        res = asyncio.run(load(base, mix, args.clients, args.seconds, args.max_requests))
        sampler.stop()
        time.sleep(5.0)
        res.update({"mix": args.mix, "rss_start_mb": start_rss, "rss_peak_mb": sampler.peak_mb,
                    "private_peak_mb": sampler.peak_private_mb, "rss_idle_mb": sampler.rss_mb(),
                    "private_idle_mb": sampler.rss_mb(private=True), "server_alive": server.poll() is None})
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    res.update({"clients": args.clients, "workers": args.workers, "incidents": n, "machine": incident_data.machine()})
    print(f"{args.workers} worker(s), {args.clients} clients x {res['seconds']} s, mix {args.mix}: {res['requests']:,} "
          f"requests, {res['rps']} req/s, p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, max {res['max_ms']} ms, "
          f"errors {res['errors']} {res['error_kinds'] or ''}")
    print(f"server RSS: {res['rss_start_mb']} MB after warm-up, peak {res['rss_peak_mb']} MB under load "
          f"({res['private_peak_mb']} MB private), {res['rss_idle_mb']} MB idle 5 s later ({res['private_idle_mb']} MB "
          f"private){'' if res['server_alive'] else ' (the server had died)'}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 0 if res["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
