"""``geoinc serve`` as a real uvicorn process on 127.0.0.1 at a free port, for the tests of the HTTP API."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, *extra: str, env: dict[str, str] | None = None, log_path: Path | None = None):
    """``geoinc serve --port N --db FILE [extra]`` in a subprocess, waited for until /health answers;
    returns (process, base URL, log file). Fails the test with the server's log when it does not start."""
    port = free_port()
    log = open(log_path or db.with_suffix(".log"), "a+")
    proc = subprocess.Popen([sys.executable, "-m", "geoinc", "serve", "--port", str(port), "--db", str(db),
                             "--log-level", "warning", *extra], stdout=log, stderr=subprocess.STDOUT,
                            env=env if env is not None else os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return proc, base, log
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.seek(0)
            pytest.fail(f"server did not start: {log.read()[-2000:]}")
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen, log) -> None:
    """Terminate the server (kill it after 15 s) and close its log."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@contextlib.contextmanager
def served(db: Path, *extra: str, env: dict[str, str] | None = None,
           log_path: Path | None = None) -> Iterator[str]:
    """The base URL of a server running for the duration of the ``with`` block."""
    proc, base, log = start_server(db, *extra, env=env, log_path=log_path)
    try:
        yield base
    finally:
        stop_server(proc, log)
