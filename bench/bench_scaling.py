"""Ingestion with Dask workers, and region queries on PostGIS vs SQLite: the numbers of docs/benchmarks.md.

ingest: the project's sample articles (data/articles), each published on many dates 20 days apart (distinct
articles), ingested serially (geoinc.ingest.ingest_paths) and on a LocalCluster of 1 and 2 worker processes
(geoinc.ingest_dask), into SQLite (one writer) and PostGIS (workers write). Clusters are started as
``geoinc ingest --workers N`` starts them and warmed (gazetteer opened) before timing; articles/s is over the
ingestion alone. Each Dask run also prints the CPU ms per article of every process (workers, this process's
writer thread and its scheduler/client/nanny threads, PostgreSQL) and the 2-worker speed-up on 2 cores those
costs allow (wall-clock ratios on a shared machine are noise; the CPU split shows where the time goes).
queries: --n generated incidents (bench/incident_data.py) in an SQLite store and a PostGIS store (a
throwaway server, tests/pg_cluster.py); the same 1-degree bbox, 50 km radius and country queries on both,
medians and p90 in ms, and the answers compared (equal matched counts).

writes: CPU per article of store.add_article alone (client + PostgreSQL backend), on pre-parsed articles.
Query timings are wall-clock and CPU (this process plus the PostgreSQL backend serving it, from /proc).
``--keep DIR`` builds the query stores once in DIR (an SQLite file and a PostgreSQL cluster, per --n) and
reuses them on later runs, e.g. ``--skip-ingest --n 1000000 --keep /var/tmp/geoinc-bench``.

Run: ``python bench/bench_scaling.py [--copies 40] [--n 200000] [--queries 30] [--skip-ingest] [--skip-queries]
[--sqlite-only] [--writer-only] [--claims] [--keep DIR] [--shared-buffers 1GB]``

writer: ``--writer-only --copies 300`` times the SQLite single writer alone on tasks parsed beforehand.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import incident_data  # noqa: E402


def dated_copies(folder: Path, copies: int) -> int:
    import datetime as dt

    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for path in sorted((ROOT / "data" / "articles").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        day0 = dt.date.fromisoformat(lines[0][5:])
        for k in range(copies):
            day = day0 + dt.timedelta(days=20 * k)
            body = "\n".join([f"date {day}", *lines[1:], "", f"(Archive copy {k}.)"])
            (folder / f"{path.stem}-{k}.txt").write_text(body + "\n", encoding="utf-8")
            n += 1
    return n


class CpuMeter:
    """CPU seconds (user + system, from /proc via psutil) of each process taking part in a Dask ingestion,
    in groups: the Dask workers, this process's main thread (the driver: submits tasks, reads results, is
    the SQLite single writer), this process's other threads (the event loops of the LocalCluster's
    scheduler, client and nannies, which run in this process), other children of this process, and the
    PostgreSQL server (postmaster and all its backends). Processes that start during the run count from 0."""

    def __init__(self, worker_pids: list[int], postmaster: int | None) -> None:
        import psutil

        self.psutil = psutil
        self.me = psutil.Process()
        self.worker_pids = set(worker_pids)
        self.postmaster = postmaster
        self.start = self._sample()

    def _procs(self) -> dict[str, list]:
        ps = self.psutil
        groups: dict[str, list] = {"workers": [], "other children": [], "postgres": []}
        for child in self.me.children(recursive=True):
            groups["workers" if child.pid in self.worker_pids else "other children"].append(child)
        if self.postmaster is not None:
            try:
                pm = ps.Process(self.postmaster)
                groups["postgres"] = [pm, *pm.children(recursive=True)]
            except ps.Error:
                pass
        return groups

    def _sample(self) -> dict[tuple[str, int], float]:
        out: dict[tuple[str, int], float] = {}
        for t in self.me.threads():
            group = "driver (main thread)" if t.id == self.me.pid else "scheduler+client+nannies (loop threads)"
            out[(group, t.id)] = t.user_time + t.system_time
        for group, procs in self._procs().items():
            for proc in procs:
                try:
                    c = proc.cpu_times()
                    out[(group, proc.pid)] = c.user + c.system
                except self.psutil.Error:
                    pass
        return out

    def per_article_ms(self, n: int) -> dict[str, float]:
        end = self._sample()
        groups: dict[str, float] = {}
        for key, cpu in end.items():
            groups[key[0]] = groups.get(key[0], 0.0) + cpu - self.start.get(key, 0.0)
        return {g: max(v, 0.0) * 1000 / n for g, v in groups.items()}


def _postmaster_pid(cluster) -> int | None:
    try:
        return int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def cpu_line(ms: dict[str, float], task_ms: float, kind: str) -> str:
    """One line of CPU ms per article by process group, and the 2-worker speed-up on 2 cores that these
    costs allow. With one worker, an article takes the worker's task CPU plus, for PostGIS, the server's
    CPU for its statements (the worker waits for them); everything else runs beside it on the other core.
    With two workers on two cores, all of it shares the two cores. So the bound is 2 x (task [+ postgres])
    / (all CPU per article): the speed-up needs the CPU outside that path to be small."""
    workers = ms.get("workers", 0.0)
    total = sum(ms.values())
    path = task_ms + (ms.get("postgres", 0.0) if kind == "postgis" else 0.0)
    parts = [f"workers {workers:.2f} (in tasks {task_ms:.2f}, worker loop {workers - task_ms:.2f})"]
    parts += [f"{g} {v:.2f}" for g, v in ms.items() if g != "workers"]
    off = total - path
    return (f"    CPU ms/article: {'; '.join(parts)} | off the worker's path {off:.2f} = {off / path:.2f} of it "
            f"(2-worker bound on 2 cores: {min(2.0, 2 * path / total):.2f}x)")


def bench_ingest(copies: int, cluster, claims: bool = False) -> None:
    import os

    from geoinc.ingest import ingest_paths
    from geoinc.ingest_dask import _GazetteerPlugin, ingest_paths_dask, local_cluster
    from geoinc.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp) / "articles"
        n = dated_copies(folder, copies)
        from geoinc.gazetteer.index import default_gazetteer

        default_gazetteer()                                    # serial: warm like the workers
        s = open_store(Path(tmp) / "serial.sqlite")
        sink = (lambda article_id, found: None) if claims else None      # --claims: each article's claims checked
        what = " with claims checked" if claims else ""
        t, c = time.perf_counter(), time.process_time()
        ingest_paths([folder], s, claims=sink)
        serial, serial_cpu = time.perf_counter() - t, time.process_time() - c
        s.close()
        print(f"ingest {n} articles{what} serial (no Dask), SQLite: {n / serial:.1f} articles/s ({serial:.1f} s; "
              f"CPU {serial_cpu * 1000 / n:.2f} ms/article)")
        postmaster = _postmaster_pid(cluster) if cluster is not None else None
        for workers in (1, 2):
            lc, client = local_cluster(workers)                     # as geoinc ingest --workers N starts it
            with lc, client:
                client.register_plugin(_GazetteerPlugin())          # opens the gazetteer on each worker now
                worker_pids = list(client.run(os.getpid).values())
                for kind in ("sqlite", "postgis"):
                    if kind == "postgis" and cluster is None:
                        continue
                    target = cluster.database() if kind == "postgis" else str(Path(tmp) / f"w{workers}.sqlite")
                    store = open_store(target)
                    meter = CpuMeter(worker_pids, postmaster)
                    t = time.perf_counter()
                    summary = ingest_paths_dask([folder], store, store_url=target if kind == "postgis" else None,
                                                client=client, claims=sink)
                    took = time.perf_counter() - t
                    ms = meter.per_article_ms(n)
                    store.close()
                    print(f"ingest {n} articles{what}, {workers} Dask worker(s), {kind}: {n / took:.1f} articles/s "
                          f"({took:.1f} s; {summary.incidents_new} incidents, {summary.incidents_merged} merges)")
                    print(cpu_line(ms, summary.task_cpu_s * 1000 / n, kind))


def bench_writes(copies: int, cluster) -> None:
    """CPU per stored article of ``store.add_article`` (the writer's part of ingestion: merges, inserts),
    SQLite vs PostGIS (this process plus the PostgreSQL backend), on articles parsed beforehand."""
    from geoinc.articles import read_article_file
    from geoinc.geoparser.resolve import geoparse
    from geoinc.incidents.extract import extract_incidents
    from geoinc.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-writes-") as tmp:
        folder = Path(tmp) / "articles"
        dated_copies(folder, copies)
        ready = []
        for path in sorted(folder.iterdir()):
            for article in read_article_file(path):
                mentions = list(geoparse(article.text))
                ready.append((article, extract_incidents(article, article.published, mentions=mentions), mentions))
        for kind in ("sqlite", "postgis"):
            if kind == "postgis" and cluster is None:
                continue
            store = open_store(cluster.database() if kind == "postgis" else Path(tmp) / "w.sqlite")
            pid = int(store.conn.execute("SELECT pg_backend_pid()").fetchone()[0]) if kind == "postgis" else None
            c0, s0, t0 = time.process_time(), _server_cpu_s(pid), time.perf_counter()
            for article, incidents, mentions in ready:
                store.add_article(article, incidents, mentions)
            client, server = time.process_time() - c0, _server_cpu_s(pid) - s0
            n = len(ready)
            print(f"add_article, {kind}: {n} articles, CPU per article {(client + server) * 1000 / n:.2f} ms "
                  f"(client {client * 1000 / n:.2f} + server {server * 1000 / n:.2f}); wall "
                  f"{(time.perf_counter() - t0) * 1000 / n:.2f} ms")
            store.close()


def bench_writer(copies: int, reps: int = 3) -> None:
    """CPU per article of the SQLite single writer alone (what ``--workers N`` costs the ``geoinc ingest``
    process besides Dask): the articles are parsed once into the tasks the workers would send back
    (ingest_dask.prepare_files on the same guided task sizes for 2 workers), pickled as Dask ships them; then
    each task is unpickled and the tasks are stored (ingest_dask.write_prepared) in the transactions the
    driver makes of them (ingest_dask.flush_due) into a fresh store, ``reps`` times (best run printed)."""
    import pickle

    from geoinc.articles import iter_article_files
    from geoinc.articles import resolved_paths as _resolved
    from geoinc.ingest_dask import flush_due, prepare_files, task_sizes, write_prepared
    from geoinc.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-writer-") as tmp:
        folder = Path(tmp) / "articles"
        dated_copies(folder, copies)
        files = _resolved(iter_article_files([folder]))
        blobs, start = [], 0
        sizes = task_sizes(len(files), 2)
        for size in sizes:
            blobs.append(pickle.dumps(prepare_files(files[start:start + size], None, frozenset(), None), protocol=5))
            start += size
        best = None
        for rep in range(reps):
            store = open_store(Path(tmp) / f"writer{rep}.sqlite")
            n, unpickle, write, writes = 0, 0.0, 0.0, 0
            held: list = []
            held_files, files_left = 0, len(files)
            for size, blob in zip(sizes, blobs):
                t0 = time.thread_time()
                prepared = pickle.loads(blob)
                t1 = time.thread_time()
                held.extend(prepared.ready)
                held_files, files_left = held_files + size, files_left - size
                if held and flush_due(len(held), held_files, files_left):
                    write_prepared(store, held)
                    n, writes, held, held_files = n + len(held), writes + 1, [], 0
                unpickle, write = unpickle + t1 - t0, write + time.thread_time() - t1
            store.close()
            if best is None or unpickle + write < best[0] + best[1]:
                best = (unpickle, write)
        print(f"single writer alone, SQLite: {n} articles in {len(blobs)} tasks ({sum(map(len, blobs)) / n / 1024:.1f} "
              f"KiB pickled per article), {writes} transactions, CPU per article {(best[0] + best[1]) * 1000 / n:.3f} "
              f"ms (unpickle {best[0] * 1000 / n:.3f}, store {best[1] * 1000 / n:.3f}; best of {reps})")


def _server_cpu_s(pid: int | None) -> float:
    """CPU seconds a local process has run (/proc/PID/schedstat, in ns); 0 when unknown (no server pid)."""
    if pid is None:
        return 0.0
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def timed(store, specs, server_pid: int | None = None) -> tuple[list[float], list[float], list[int], list[float]]:
    """(wall seconds, CPU seconds, matched, server CPU seconds) per query; CPU is this process's plus the
    PostgreSQL backend's serving it (the same machine), so the two backends are compared per CPU-second, not
    under others' load."""
    times, cpus, rows, servers = [], [], [], []
    for spec in specs[:2]:
        store.select(spec)                                     # warm: caches, prepared polygons
    for spec in specs:
        c0, s0 = time.process_time(), _server_cpu_s(server_pid)
        t = time.perf_counter()
        res = store.select(spec)
        times.append(time.perf_counter() - t)
        servers.append(_server_cpu_s(server_pid) - s0)
        cpus.append(time.process_time() - c0 + servers[-1])
        rows.append(res.matched)
    return times, cpus, rows, servers


def _sqlite_store(n: int, keep: Path | None, tmp: Path) -> Path:
    """The SQLite store of n generated incidents: built once per n under ``keep`` (reused), else in tmp."""
    (keep or tmp).mkdir(parents=True, exist_ok=True)
    db = (keep or tmp) / f"queries-{n}.sqlite"
    if db.exists():
        print(f"SQLite: reusing {db}")
        return db
    part = db.with_suffix(".building")
    part.unlink(missing_ok=True)
    build_s = incident_data.build_store(part, n, quiet=True)
    part.rename(db)
    print(f"SQLite: {n:,} incidents bulk-inserted and indexed in {build_s:.0f} s")
    return db


def _postgis_store(n: int, cluster, keep: Path | None):
    """The PostGIS store of the same n incidents: a database per n in the (kept) cluster, loaded once."""
    from geoinc.store import open_store

    url = cluster.database(name=f"bench_{n}") if keep else cluster.database()
    t = time.perf_counter()
    pg = open_store(url)                     # a kept store of an older schema is migrated here (schema 6: ~70 s per 1M)
    have = pg.count()
    if have == n:
        opened = time.perf_counter() - t
        pg.conn.execute("VACUUM ANALYZE incident_countries")        # fresh statistics after a migration's reload
        print(f"PostGIS: reusing database bench_{n} (opened in {opened:.1f} s)")
        return pg
    if have:
        raise SystemExit(f"{url} holds {have} incidents, not {n}: drop it (or remove {keep}) and run again")
    t = time.perf_counter()
    pg.add_incidents(incident_data.incidents(n), batch=50_000)
    pg.conn.execute("VACUUM ANALYZE incidents")
    pg.conn.execute("VACUUM ANALYZE incident_countries")
    print(f"PostGIS: {n:,} incidents COPY-inserted and indexed in {time.perf_counter() - t:.0f} s")
    return pg


def bench_queries(n: int, n_queries: int, cluster, keep: Path | None = None) -> None:
    import numpy as np

    from geoinc.regions import build_spec
    from geoinc.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp:
        db = _sqlite_store(n, keep, Path(tmp))
        pg = _postgis_store(n, cluster, keep)
        pg_pid = int(pg.conn.execute("SELECT pg_backend_pid()").fetchone()[0])
        sq = open_store(db, readonly=True)
        rng = np.random.default_rng(42)
        clat, clon, w = incident_data.hotspots()
        centres = rng.choice(len(w), size=n_queries, p=w)
        jit = rng.normal(0, 0.2, (n_queries, 2))
        kinds = {
            "bbox 1x1 deg": [build_spec(bbox=(float(clon[c] + j[1] - 0.5), float(clat[c] + j[0] - 0.5),
                                              float(clon[c] + j[1] + 0.5), float(clat[c] + j[0] + 0.5)))
                             for c, j in zip(centres, jit) if -179 < clon[c] < 179],
            "radius 50 km": [build_spec(lat=float(clat[c] + j[0]), lon=float(clon[c] + j[1]), radius_km=50)
                             for c, j in zip(centres, jit)],
            # each country thrice: ten answers of very different sizes, so one slow run moves the median less
            "country": [build_spec(country=c) for _ in range(3)
                        for c in ("SY", "IQ", "YE", "UA", "SD", "NG", "MX", "BR", "FR", "IN")],
        }
        med = statistics.median
        for kind, specs in kinds.items():
            t_sq, c_sq, rows_sq, _ = timed(sq, specs)
            t_pg, c_pg, rows_pg, s_pg = timed(pg, specs, pg_pid)
            assert rows_sq == rows_pg, (kind, rows_sq, rows_pg)
            print(f"{kind:13s} ({len(specs)} queries, median {med(rows_sq):,.0f} rows): SQLite median "
                  f"{med(t_sq) * 1000:.1f} ms (CPU {med(c_sq) * 1000:.1f}) p90 {np.percentile(t_sq, 90) * 1000:.1f} | "
                  f"PostGIS median {med(t_pg) * 1000:.1f} ms (CPU client+server {med(c_pg) * 1000:.1f}, server "
                  f"{med(s_pg) * 1000:.1f}) "
                  f"p90 {np.percentile(t_pg, 90) * 1000:.1f} | ratio wall {med(t_pg) / med(t_sq):.2f}x, "
                  f"CPU {med(c_pg) / med(c_sq):.2f}x (same answers)")
        sq.close()
        pg.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40, help="dated copies of each sample article (default 40)")
    ap.add_argument("--n", type=int, default=200_000, help="incidents for the query benchmark (default 200,000)")
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--skip-queries", action="store_true")
    ap.add_argument("--sqlite-only", action="store_true",
                    help="no PostgreSQL server: the SQLite store only (ingestion with its single writer, writes)")
    ap.add_argument("--writer-only", action="store_true",
                    help="only the SQLite single writer's CPU per article, on tasks parsed beforehand (no Dask)")
    ap.add_argument("--shared-buffers", default="1GB", metavar="SIZE",
                    help="PostgreSQL shared_buffers of the benchmark server (default 1GB: the 1M-incident table, "
                         "~600 MB, stays in PostgreSQL's cache as on a tuned server; the stock 128MB does not hold it)")
    ap.add_argument("--claims", action="store_true",
                    help="ingest with each article's claims checked (geoinc ingest --claims)")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="build the query stores (SQLite file, PostgreSQL cluster) once in DIR and reuse them")
    args = ap.parse_args()
    print(f"machine: {incident_data.machine()}")
    if args.writer_only:
        bench_writer(args.copies)
        return 0
    from pg_cluster import Cluster, Unavailable

    cluster = None
    if not args.sqlite_only:
        try:
            cluster = Cluster.start(args.keep / "pg" if args.keep else None,
                                    settings={"shared_buffers": args.shared_buffers})
        except Unavailable as why:
            print(f"no PostGIS here ({why}): SQLite only")
    if cluster is not None:
        print(f"PostgreSQL server: {cluster.bindir.parts[-2]}, shared_buffers={args.shared_buffers}"
              f"{', kept in ' + str(args.keep) if args.keep else ''}")
    try:
        if not args.skip_ingest:
            bench_writes(min(args.copies, 20), cluster)
            bench_ingest(args.copies, cluster, claims=args.claims)
        if not args.skip_queries and cluster is not None:
            bench_queries(args.n, args.queries, cluster, args.keep)
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
