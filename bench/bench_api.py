"""The HTTP service under load: 50 concurrent clients for 60 s on loopback (127.0.0.1 only).

The server is ``geoinc serve`` (its default workers) in a subprocess, over a generated store; the
clients are 50 asyncio tasks in this process, each on its own keep-alive HTTP/1.1 connection (so on a
2-core machine the load generator and the server share the CPUs: the numbers are a floor, not a ceiling).
Change of the measuring tool (issue 16, session 2): the clients used to share one httpx.AsyncClient, which
spent ~4.7 ms of CPU per request of the mixed load, close to half of all the CPU the machine had for the
test; they now speak raw HTTP/1.1 on asyncio streams (:class:`RawHTTP`, ~0.3 ms per request), and the
bench prints the load generator's own CPU per request next to the server's so the reader can judge.
``--client httpx`` measures with the old client. A warm-up of ``--warmup`` seconds runs the same mix first
(from another point of the request list), so one-time loads in each worker are not in the figures.
Each client loops until the deadline over a fixed mix of requests:

* 40 % ``GET /incidents?bbox=`` a 0.5°×0.5° box near a city (limit 100, GeoJSON),
* 30 % ``GET /incidents?lat=&lon=&radius_km=25`` (limit 100),
* 10 % ``GET /incidents?country=`` one of LB, JO, PS, IL, KW with a six-month window (limit 100),
* 15 % ``GET /incidents/{id}`` for a random stored id,
*  5 % ``GET /health``.

``--mix mixed`` is the latency test of issue 16: the mix above plus 3 % ``/map`` of a 1° box, 5 % a
polygon query and 2 % ``POST /articles`` (ingest), the light requests making up the rest.
``--mix hostile`` is the memory test of issue 16: the mix above plus 5 % ``/incidents?limit=100000``
(the whole answer asked for at once), 2 % the same as CSV, 3 % ``/map`` of a 1° box, 5 % a polygon query
and 2 % ``POST /articles`` (ingest). The server's resident memory (its process tree, sampled every 0.1 s
with psutil) is reported as a peak during the load and once idle afterwards. ``--memory-cap-gb`` puts
an address-space ceiling on the server (RLIMIT_AS) so an unbounded server fails instead of taking the
machine; its failures then show as errors.

Reported: requests/s, latency p50/p99 (ms) overall and per kind, the server's CPU time per request (user +
system of its processes: a measure that depends little on the other jobs of a shared machine), the load
generator's CPU time per request, errors (non-2xx answers or transport errors; must be 0),
server peak and idle RSS. Loops are bounded by time (``--seconds``) and by count (``--max-requests``),
and the server is stopped at the end. Run: ``python bench/bench_api.py [--db PATH] [--n 200000]
[--clients 50] [--seconds 60] [--mix light|mixed|hostile] [--client raw|httpx]``. Set PYTHONPATH to choose the server's code.
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


def hostile_request(rng: random.Random, lat: float, lon: float, i: int, *,
                    whole_store: bool = True) -> tuple[str, dict] | None:
    """One of the heavy or writing requests of ``--mix hostile`` (None: use the light mix this time);
    without ``whole_store`` (``--mix mixed``) the whole-store answers are left out."""
    r = rng.random()
    if not whole_store:
        r += 0.07
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

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server's processes so far (workers included)."""
        import psutil

        try:
            proc = psutil.Process(self.pid)
            return sum(sum(p.cpu_times()[:2]) for p in [proc, *proc.children(recursive=True)])
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


def request_mix(n_ids: int, seed: int = 7, hostile: bool = False, mixed: bool = False) -> list[tuple[str, dict]]:
    """A long fixed list of (path, params) drawn with the mix above; clients walk through it."""
    rng = random.Random(seed)
    clat, clon, w = incident_data.hotspots()
    idx = np.random.default_rng(seed).choice(len(w), size=4000, p=w)
    out: list[tuple[str, dict]] = []
    for i in range(4000):
        lat, lon = float(clat[idx[i]]), float(clon[idx[i]])
        lon = max(-179.0, min(179.0, lon))
        heavy = hostile_request(rng, lat, lon, i, whole_store=not mixed) if hostile or mixed else None
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


def kind_of(path: str, params: dict) -> str:
    """The request's kind in the report (bbox, radius, country, polygon, whole, id, map, ingest, health)."""
    if path.startswith("POST "):
        return "ingest"
    if path.startswith("/incidents/"):
        return "id"
    if path != "/incidents":
        return path.strip("/")
    for key, name in (("bbox", "bbox"), ("radius_km", "radius"), ("country", "country"), ("polygon", "polygon")):
        if key in params:
            return name
    return "whole"


class RawHTTP:
    """A lean HTTP/1.1 client on one keep-alive connection (asyncio streams): a request line, a Host header
    and the body out; a status line, headers and a Content-Length or chunked body in. The load generator of
    this bench by default, because httpx.AsyncClient spent about 4.7 ms of CPU per request of the mixed load
    (as much as half what the server spent) on the same 2 cores; this costs a fraction of that
    (the bench prints its CPU per request either way). Reconnects when the server closes the connection."""

    def __init__(self, host: str, port: int, timeout: float = 120.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body) of one request; raises OSError / asyncio.IncompleteReadError / ValueError on a
        broken exchange (the caller counts it as an error)."""
        async with asyncio.timeout(self.timeout):      # no extra task per request, as wait_for would make
            return await self._request(method, target, body, headers or {})

    async def _request(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        reader = self.reader
        assert reader is not None
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        fields = {}
        for line in header_lines:
            if line:
                k, _, v = line.partition(":")
                fields[k.strip().lower()] = v.strip()
        if "content-length" in fields:
            data = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
                if size == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":     # trailers, then the blank line
                        pass
                    break
                parts.append(await reader.readexactly(size + 2))
            data = b"".join(p[:-2] for p in parts)
        else:
            data = await reader.read()                   # body to the end of the connection
            fields["connection"] = "close"
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, data


def target_of(path: str, params: dict) -> str:
    from urllib.parse import urlencode

    return path + ("?" + urlencode(params) if params else "")


async def load(base: str, mix: list[tuple[str, dict]], clients: int, seconds: float, max_requests: int,
               client: str = "raw", start: int = 0) -> dict:
    latencies: list[float] = []
    kinds: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    sent = 0
    deadline = time.monotonic() + seconds
    token = os.environ.get("GEOINC_API_TOKEN")
    auth = {"authorization": f"Bearer {token}"} if token else {}
    host, port = base.rsplit("//", 1)[1].rsplit(":", 1)
    # each request pre-encoded once: target, method, body
    prepared = [("POST", path[5:], json.dumps(params).encode(), {**auth, "Content-Type": "application/json"})
                if path.startswith("POST ") else ("GET", target_of(path, params), b"", {}) for path, params in mix]

    async def run(send) -> None:
        async def worker(k: int) -> None:
            nonlocal sent
            conn = RawHTTP(host, int(port)) if client == "raw" else None
            i = start + k * 97
            try:
                while time.monotonic() < deadline and sent < max_requests:
                    j = i % len(mix)
                    i += 1
                    sent += 1
                    t0 = time.perf_counter()
                    try:
                        status = await send(conn, prepared[j])
                        ok, key = 200 <= status < 300, f"HTTP {status}"
                    except (OSError, EOFError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError) as err:
                        ok, key = False, type(err).__name__
                        if conn is not None:
                            await conn.close()
                    except Exception as err:  # noqa: BLE001 - httpx's transport errors
                        ok, key = False, type(err).__name__
                    latencies.append(time.perf_counter() - t0)
                    kinds.setdefault(kind_of(*mix[j]), []).append(latencies[-1])
                    if not ok:
                        errors[key] = errors.get(key, 0) + 1
            finally:
                if conn is not None:
                    await conn.close()

        await asyncio.gather(*(worker(k) for k in range(clients)))

    t_start = time.monotonic()
    if client == "raw":
        async def send_raw(conn: RawHTTP, req: tuple) -> int:
            status, _ = await conn.request(req[0], req[1], req[2], req[3])
            return status
        await run(send_raw)
    else:
        import httpx

        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, timeout=120.0, limits=limits) as hc:
            async def send_httpx(conn: None, req: tuple) -> int:
                r = await hc.request(req[0], req[1], content=req[2] or None, headers=req[3])
                await r.aread()
                return r.status_code
            await run(send_httpx)
    elapsed = time.monotonic() - t_start
    lat_ms = np.asarray(latencies) * 1000
    return {"requests": len(latencies), "seconds": round(elapsed, 1), "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(float(np.percentile(lat_ms, 50)), 1), "p99_ms": round(float(np.percentile(lat_ms, 99)), 1),
            "max_ms": round(float(lat_ms.max()), 1), "errors": sum(errors.values()), "error_kinds": errors,
            "per_kind": {k: {"n": len(v), "p50_ms": round(float(np.percentile(v, 50)) * 1000, 1),
                             "p99_ms": round(float(np.percentile(v, 99)) * 1000, 1)} for k, v in sorted(kinds.items())}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="store to serve (reused if it exists; else generated there)")
    ap.add_argument("--n", type=int, default=200_000, help="incidents to generate when the store is new (default 200,000)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--max-requests", type=int, default=1_000_000, help="hard cap on requests sent")
    ap.add_argument("--workers", type=int, default=None,
                    help="server worker processes (default: geoinc serve's default, one per CPU)")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of the same mix before the measured run")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--mix", choices=("light", "mixed", "hostile"), default="light",
                    help="light: the read mix above; mixed: plus maps, polygons, ingest (issue 16's latency "
                         "test); hostile: plus whole-store answers too")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load generator: raw (lean HTTP/1.1 on asyncio streams, default) or httpx (the AsyncClient "
                         "used before; about 4.7 ms of CPU per request of its own)")
    ap.add_argument("--memory-cap-gb", type=float, default=None,
                    help="address-space ceiling for the server (RLIMIT_AS), so a runaway server fails, not the machine")
    args = ap.parse_args(argv)

    from geoinc.store.sqlite import open_store

    print(f"machine: {incident_data.machine()} | load average {os.getloadavg()[0]:.1f} at start")
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
                               "--db", str(db), "--log-level", "warning",
                               *(["--workers", str(args.workers)] if args.workers else [])],
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
        mix = request_mix(n, hostile=args.mix == "hostile", mixed=args.mix == "mixed")
        # warm-up, not counted: the measured mix itself, so each worker has drawn a map, read a polygon and
        # ingested before the clock starts (one-time loads: map libraries, boundary layers, the geoparser)
        asyncio.run(load(base, mix, args.clients, args.warmup, 4000, args.client, start=len(mix) // 2))
        start_rss = sampler.rss_mb()
        sampler.start()
        load_before = os.getloadavg()[0]
        cpu_before = sampler.cpu_seconds()
        own_before = sum(os.times()[:2])
        res = asyncio.run(load(base, mix, args.clients, args.seconds, args.max_requests, args.client))
        res["server_cpu_ms_per_request"] = round((sampler.cpu_seconds() - cpu_before) * 1000 / max(1, res["requests"]), 2)
        res["client_cpu_ms_per_request"] = round((sum(os.times()[:2]) - own_before) * 1000 / max(1, res["requests"]), 2)
        sampler.stop()
        res["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
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
    print(f"{args.workers or 'default'} worker(s), {args.clients} clients x {res['seconds']} s, mix {args.mix}: {res['requests']:,} "
          f"requests, {res['rps']} req/s, p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, max {res['max_ms']} ms, "
          f"errors {res['errors']} {res['error_kinds'] or ''}")
    print(f"server RSS: {res['rss_start_mb']} MB after warm-up, peak {res['rss_peak_mb']} MB under load "
          f"({res['private_peak_mb']} MB private), {res['rss_idle_mb']} MB idle 5 s later ({res['private_idle_mb']} MB "
          f"private){'' if res['server_alive'] else ' (the server had died)'}")
    print("per kind (p50 / p99 ms): " + ", ".join(f"{k} {v['n']}x {v['p50_ms']:.0f}/{v['p99_ms']:.0f}"
                                                   for k, v in res["per_kind"].items()))
    print(f"server CPU per request: {res['server_cpu_ms_per_request']} ms (user + system, all its processes; "
          "depends little on what else runs)")
    print(f"load generator CPU per request: {res['client_cpu_ms_per_request']} ms (this process: the clients "
          "share the machine with the server)")
    print(f"load average (1 min) {res['load_average'][0]} before the load, {res['load_average'][1]} after")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 0 if res["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
