"""Shared fixtures: paths to the team's samples, an isolated GEOINC_HOME, and the offline switch.

Tests that read ``../shared`` (the team's samples and dev sets, beside the clone in CI) carry the ``shared``
marker and skip with the reason below where it is absent, so the suite passes on a plain clone.
``GEOINC_SHARED_DIR`` points elsewhere (``GEOINC_SHARED_DIR=/nonexistent`` shows what a plain clone runs)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GEOINC_SHARED_DIR") or ROOT.parent / "shared")
SAMPLES = SHARED / "samples" / "articles"
DATA = ROOT / "data"


SHARED_MISSING = f"needs {SHARED} (the team's shared/ folder beside the clone; CI has it)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: reads ../shared (samples, dev sets); skipped where it is absent")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked ``shared`` when ../shared is not beside the clone."""
    if SAMPLES.is_dir():
        return
    skip = pytest.mark.skip(reason=SHARED_MISSING)
    for item in items:
        if item.get_closest_marker("shared"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _offline_and_isolated(tmp_path_factory: pytest.TempPathFactory):
    """Every test runs offline with its own GEOINC_HOME, so no user data is read or written."""
    home = tmp_path_factory.mktemp("geoinc-home")
    old = {k: os.environ.get(k) for k in ("GEOINC_HOME", "GEOINC_OFFLINE", "GEOINC_DB")}
    os.environ["GEOINC_HOME"] = str(home)
    os.environ["GEOINC_OFFLINE"] = "1"
    os.environ.pop("GEOINC_DB", None)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    """The two shared sample articles, by file stem (skips the test where ../shared is absent)."""
    if not SAMPLES.is_dir():
        pytest.skip(SHARED_MISSING)
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}


@pytest.fixture
def store(tmp_path):
    """An empty incident store in this test's temporary folder, closed afterwards."""
    from geoinc.store.sqlite import open_store

    s = open_store(tmp_path / "incidents.sqlite")
    yield s
    s.close()


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL + PostGIS server for this session (tests/pg_cluster.py); skips with the reason
    when one cannot run here (no Debian packages, no psycopg)."""
    from pg_cluster import Cluster, Unavailable

    try:
        cluster = Cluster.start()
    except Unavailable as why:
        pytest.skip(f"PostGIS tests need a local PostgreSQL + PostGIS: {why}")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def open_backend(request, tmp_path_factory):
    """``open_backend(kind)`` -> a new empty store of that kind ("sqlite" or "postgis"), closed at the end."""
    from geoinc.store import open_store

    opened = []

    def make(kind: str):
        if kind == "postgis":
            target = request.getfixturevalue("pg_cluster").database()
        else:
            target = tmp_path_factory.mktemp("backend") / "incidents.sqlite"
        s = open_store(target)
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()
