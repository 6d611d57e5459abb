"""A throwaway PostgreSQL + PostGIS cluster for the tests: Debian's server binaries, initdb in a temporary
folder, listening on a Unix socket only, stopped and removed at the end of the session.

``Cluster.start()`` returns the running cluster or raises ``Unavailable`` with the reason the PostGIS tests
skip (no server binaries, no PostGIS extension, no psycopg, or the server would not start). As root the
server runs as the ``postgres`` user (initdb refuses root). ``make postgis`` installs the Debian packages.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = "make postgis (apt-get install postgresql postgresql-15-postgis-3)"


class Unavailable(Exception):
    """Why no PostGIS cluster can run here (the tests that need one skip with this reason)."""


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


class Cluster:
    """One running PostgreSQL server in a temporary folder; :meth:`database` makes a fresh empty database."""

    def __init__(self, bindir: Path, root: Path, run_as: list[str]) -> None:
        self.bindir, self.root, self.run_as = bindir, root, run_as
        self.data, self.socket = root / "data", root
        self._names = itertools.count(1)
        self.keep = False
        self.settings: dict[str, str] = {}

    @classmethod
    def start(cls, root: Path | None = None, settings: dict[str, str] | None = None) -> "Cluster":
        """Start a server in a new temporary folder, or in ``root`` (kept: a cluster made there before is
        started again as it is, so a benchmark reuses the databases it built); ``settings`` are extra server
        settings (e.g. ``{"shared_buffers": "1GB"}``)."""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise Unavailable("psycopg is not installed (pip install 'geoinc[postgis]')") from None
        bindir = _bindir()
        if bindir is None:
            raise Unavailable(f"no PostgreSQL server binaries in /usr/lib/postgresql; {INSTALL_HINT}")
        version = bindir.parts[-2]
        if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            raise Unavailable(f"PostGIS is not installed for PostgreSQL {version}; {INSTALL_HINT}")
        run_as: list[str] = []
        keep = root is not None
        root = Path(root) if keep else Path(tempfile.mkdtemp(prefix="geoinc-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            if shutil.which("runuser") is None or subprocess.run(["id", "postgres"], capture_output=True).returncode:
                raise Unavailable("running as root without a 'postgres' user to run the server as")
            run_as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(root, "postgres")
        cluster = cls(bindir, root, run_as)
        cluster.keep = keep
        cluster.settings = dict(settings or {})
        cluster._init_and_start()
        return cluster

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.run_as, *args], capture_output=True, text=True, timeout=120)

    def _init_and_start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            done = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                             "-E", "UTF8", "--locale=C", "--no-sync")
            if done.returncode:
                raise Unavailable(f"initdb failed: {done.stderr.strip()[-300:]}")
        options = (f"-k {self.socket} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=60"
                   + "".join(f" -c {k}={v}" for k, v in self.settings.items()))
        done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                         "-l", str(self.root / "server.log"), "start")
        if done.returncode:
            log = (self.root / "server.log").read_text(errors="replace")[-300:] if (self.root / "server.log").exists() else ""
            raise Unavailable(f"the PostgreSQL server did not start: {done.stderr.strip()[-200:]} {log}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket}"

    def database(self, prefix: str = "geoinc", *, name: str | None = None) -> str:
        """A new empty database (or the one called ``name``, created when missing); its URL."""
        import psycopg

        name = name or f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server; its folder is removed unless it was started in a kept ``root``."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast" if self.keep else "immediate",
                  "-w", "stop")
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)
