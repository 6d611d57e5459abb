"""The API's heavy-answer gate: large pages, CSV pages, maps and reports wait for one of a few slots per worker,
so memory stays bounded under any request mix, while small answers never wait."""
from __future__ import annotations

import threading
import time

import pytest

from geoinc.api.routes import HeavyGate
from geoinc.models import Incident


def test_the_gate_lets_at_most_n_through_and_gives_every_slot_back():
    gate = HeavyGate(2)
    inside, most, lock = [0], [0], threading.Lock()

    def work():
        with gate.held():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert most[0] == 2 and gate.busy == 0
    assert gate._slots.acquire(blocking=False) and gate._slots.acquire(blocking=False)     # every slot given back
    assert not gate._slots.acquire(blocking=False)


def test_the_gate_refuses_zero_slots():
    with pytest.raises(ValueError, match=">= 1"):
        HeavyGate(0)


@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient

    from geoinc.api.app import create_app
    from geoinc.store.sqlite import open_store

    db = tmp_path / "api.sqlite"
    s = open_store(db)
    s.add_incidents([Incident(event_id_cnty=f"GATE-{i}", event_date="2024-01-28", event_type="Battles",
                              country="Jordan", location="Rukban", latitude=33.3 + i * 1e-5, longitude=38.7)
                     for i in range(1_200)])          # over SMALL_PAGE: large pages are streamed
    s.close()
    app = create_app(db, heavy=1, threads=2, warm=False)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c, app.state.heavy


def _in_thread(fn):
    out: dict = {}
    t = threading.Thread(target=lambda: out.setdefault("r", fn()), daemon=True)
    t.start()
    return t, out


@pytest.mark.parametrize("path", ["/incidents?country=JO&limit=2000", "/incidents?country=JO&format=csv",
                                  "/map?country=JO"])
def test_a_heavy_answer_waits_for_a_slot_and_a_small_page_does_not(client, path):
    c, gate = client
    with gate.held():                           # another heavy answer is being built
        t, out = _in_thread(lambda: c.get(path))
        t.join(1.0)
        assert t.is_alive(), "a heavy answer went ahead while the only slot was taken"
        small = c.get("/incidents?country=JO&limit=100")
        assert small.status_code == 200 and small.json()["numberReturned"] == 100
    t.join(20)
    assert not t.is_alive() and out["r"].status_code == 200
    deadline = time.monotonic() + 5
    while gate.busy and time.monotonic() < deadline:      # a streamed page frees its slot once sent
        time.sleep(0.01)
    assert gate.busy == 0


def test_many_large_pages_at_once_all_finish_with_fewer_threads_than_requests(client):
    """Large pages wait for the one slot in the endpoint threads (2 here); an answer holding the slot must
    never need one of those threads to finish, or six requests at once would wait forever."""
    c, gate = client
    runs = [_in_thread(lambda: c.get("/incidents?country=JO&limit=3000")) for _ in range(6)]
    deadline = time.monotonic() + 60
    for t, _ in runs:
        t.join(max(0.0, deadline - time.monotonic()))
    assert all(not t.is_alive() for t, _ in runs), "large pages deadlocked on the heavy-answer slots"
    assert all(out["r"].status_code == 200 and out["r"].json()["numberReturned"] == 1_200 for _, out in runs)
    assert gate.busy == 0


def test_the_server_caps_malloc_arenas_for_itself_and_its_workers_unless_told(monkeypatch):
    from geoinc.api.app import MALLOC_ARENAS, limit_malloc_arenas

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    limit_malloc_arenas()
    import os

    assert os.environ["MALLOC_ARENA_MAX"] == str(MALLOC_ARENAS)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")            # the operator's choice stays
    limit_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "4"
