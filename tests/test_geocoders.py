"""The geocoder fallback against a real local HTTP server speaking Nominatim, Photon and ArcGIS.

Every case asserts the outcome, how many requests reached the server, and exactly what the cache holds.
"""
from __future__ import annotations

import time

import pytest
from local_geocoder import RunningServer, closed_port

from geoinc.errors import ConfigError, InputError, NotFoundError
from geoinc.geocoders import Fallback, GeocoderCache, GeocoderSettings, Throttle, load_settings
from geoinc.geocoders.config import ENV_CONFIG, ENV_VARS
from geoinc.gazetteer.learned import LearnedPlaces

UA = "geoinc-tests/1.0 (tests@example.org)"


@pytest.fixture(autouse=True)
def _online(monkeypatch):
    """These tests exercise online mode against 127.0.0.1 only; no geocoder setting leaks in from the shell."""
    monkeypatch.delenv("GEOINC_OFFLINE", raising=False)
    for var in (*ENV_VARS, ENV_CONFIG):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def server():
    with RunningServer() as state:
        yield state


class Sleeps:
    """An injected sleep that records the waits instead of spending them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make(tmp_path, domain: str, service: str = "nominatim", sleep=None, **overrides) -> Fallback:
    values = dict(service=service, domain=domain, scheme="http", user_agent=UA, timeout=2.0, min_delay=0.0,
                  backoff=0.05, max_retries=2)
    values.update(overrides)
    settings = GeocoderSettings(**values)
    return Fallback(settings, cache=GeocoderCache(tmp_path / "cache.sqlite", negative_ttl=settings.negative_ttl),
                    learned=LearnedPlaces(path=tmp_path / "learned.sqlite"), throttle=Throttle(settings.min_delay),
                    sleep=sleep or Sleeps())


# --- normal answers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("service", ["nominatim", "photon", "arcgis"])
def test_normal_answer_is_resolved_cached_and_learned(tmp_path, server, service):
    fb = make(tmp_path, server.domain, service)
    place, reason = fb.lookup("Boukamal", country_codes=["SY"])
    assert reason == f"geocoded by {service}"
    assert place is not None
    assert (place.lat, place.lon) == pytest.approx((34.45226, 40.91854), abs=1e-6)
    assert place.name == "Abu Kamal" and place.country_code == "SY" and place.kind == "town"
    assert place.source == "geocoder" and place.id.startswith(f"geocoder:{service}:")
    assert f"query 'Boukamal'" in place.provenance
    assert len(server.seen) == 1
    entries = fb.cache.entries()
    assert [(e.service, e.query, e.context, e.found, e.expires) for e in entries] == [
        (f"{service}:{server.domain}", "boukamal", "cc=SY", True, None)]
    assert entries[0].place == place
    learned = fb.learned.records()
    assert len(learned) == 1
    rec = learned[0]
    assert rec.place.id == "learned:1" and rec.place.source == "learned" and rec.place.name == "Abu Kamal"
    assert "Boukamal" in rec.place.aliases
    assert rec.service == f"{service}:{server.domain}" and rec.query == "Boukamal" and rec.learned_at


def test_request_carries_country_context_viewbox_and_user_agent(tmp_path, server):
    fb = make(tmp_path, server.domain)
    fb.lookup("Al-Tanf", country_codes=["SYR"], viewbox=((33.0, 38.0), (34.0, 39.5)))
    (req,) = server.seen
    assert req.path == "/search"
    assert req.params["countrycodes"] == ["sy"]
    assert req.params["viewbox"] == ["38.0,33.0,39.5,34.0"]          # lon1,lat1,lon2,lat2 as Nominatim wants
    assert req.params["addressdetails"] == ["1"] and req.params["limit"] == ["5"]
    assert req.headers["user-agent"] == UA


def test_photon_gets_bbox_and_arcgis_gets_key_and_country(tmp_path, server):
    make(tmp_path / "p", server.domain, "photon").lookup("Al-Tanf", viewbox=((33.0, 38.0), (34.0, 39.5)))
    make(tmp_path / "a", server.domain, "arcgis", api_key="k-123").lookup("Al-Tanf", country_codes=["SY"])
    photon, arcgis = server.seen
    assert photon.path == "/api" and photon.params["bbox"] == ["38.0,33.0,39.5,34.0"]
    assert arcgis.params["token"] == ["k-123"] and arcgis.params["sourceCountry"] == ["SY"]
    assert "Country" in arcgis.params["outFields"][0]


# --- unresolved answers and what is cached --------------------------------------------------------------

def test_no_result_is_cached_negatively_with_expiry(tmp_path, server):
    fb = make(tmp_path, server.domain, negative_ttl=3600.0)
    before = time.time()
    assert fb.lookup("Zzyzx Outpost 7", country_codes=["SY"]) == (None, "no result")
    assert len(server.seen) == 1
    (entry,) = fb.cache.entries()
    assert (entry.query, entry.context, entry.found, entry.reason) == ("zzyzx outpost 7", "cc=SY", False, "no result")
    assert before + 3600 <= entry.expires <= time.time() + 3600
    assert fb.lookup("zzyzx  outpost 7", country_codes=["sy"]) == (None, "no result (cached)")
    assert len(server.seen) == 1
    assert fb.learned.all() == []


def test_expired_negative_answer_is_asked_again(tmp_path, server):
    now = [1_000_000.0]
    fb = make(tmp_path, server.domain)
    fb.cache = GeocoderCache(tmp_path / "c2.sqlite", negative_ttl=60.0, clock=lambda: now[0])
    fb.lookup("Zzyzx Outpost 7")
    now[0] += 59
    assert fb.lookup("Zzyzx Outpost 7")[1] == "no result (cached)"
    now[0] += 2
    assert fb.lookup("Zzyzx Outpost 7")[1] == "no result"
    assert len(server.seen) == 2


def test_slow_answer_past_timeout_is_retried_then_unresolved_and_not_cached(tmp_path, server):
    server.script("Boukamal", "slow:0.6")
    sleeps = Sleeps()
    fb = make(tmp_path, server.domain, timeout=0.2, sleep=sleeps)
    place, reason = fb.lookup("Boukamal")
    assert place is None
    assert reason == f"geocoder timed out: no answer from nominatim within 0.2 s (3 attempts)"
    assert len(server.requests_for("Boukamal")) == 3
    assert sleeps.waits == [0.05, 0.1]                     # backoff doubles
    assert fb.cache.entries() == [] and fb.learned.all() == []


def test_timeout_then_answer_resolves(tmp_path, server):
    server.script("Boukamal", "slow:0.6", "normal")
    fb = make(tmp_path, server.domain, timeout=0.2)
    place, reason = fb.lookup("Boukamal")
    assert place is not None and reason == "geocoded by nominatim"
    assert len(server.seen) == 2


def test_429_honours_retry_after_then_succeeds(tmp_path, server):
    server.script("Al-Tanf", "429:3", "normal")
    sleeps = Sleeps()
    fb = make(tmp_path, server.domain, "photon", sleep=sleeps)
    place, reason = fb.lookup("Al-Tanf", country_codes=["SY"])
    assert place is not None and place.kind == "base" and reason == "geocoded by photon"
    assert len(server.seen) == 2
    assert sleeps.waits == [3.0]
    assert [e.found for e in fb.cache.entries()] == [True]


def test_429_every_time_gives_up_after_bounded_retries(tmp_path, server):
    server.script("Al-Tanf", "429:1")
    sleeps = Sleeps()
    fb = make(tmp_path, server.domain, sleep=sleeps)
    place, reason = fb.lookup("Al-Tanf")
    assert place is None
    assert reason == "geocoder rate-limited: nominatim answered HTTP 429 (3 attempts, Retry-After 1 s)"
    assert len(server.seen) == 3 and sleeps.waits == [1.0, 1.0]
    assert fb.cache.entries() == []


def test_retry_after_longer_than_max_wait_is_not_waited_for(tmp_path, server):
    server.script("Al-Tanf", "429:3600")
    sleeps = Sleeps()
    fb = make(tmp_path, server.domain, sleep=sleeps, max_wait=60.0)
    assert fb.lookup("Al-Tanf")[1] == "geocoder rate-limited: nominatim answered HTTP 429 (1 attempt, Retry-After 3600 s)"
    assert len(server.seen) == 1 and sleeps.waits == []


@pytest.mark.parametrize("service", ["nominatim", "photon"])
def test_500_is_retried_then_unresolved_and_not_cached(tmp_path, server, service):
    server.script("Boukamal", "500")
    fb = make(tmp_path, server.domain, service)
    place, reason = fb.lookup("Boukamal")
    assert place is None and reason == f"geocoder failed: HTTP 500 from {service} (3 attempts)"
    assert len(server.seen) == 3
    assert fb.cache.entries() == []


def test_500_then_answer_resolves(tmp_path, server):
    server.script("Boukamal", "500", "503", "normal")
    fb = make(tmp_path, server.domain)
    assert fb.lookup("Boukamal")[0] is not None
    assert len(server.seen) == 3


@pytest.mark.parametrize("status,words", [("403", "refused the request: HTTP 403"),
                                          ("400", "rejected the query: HTTP 400")])
def test_other_4xx_is_not_retried(tmp_path, server, status, words):
    server.script("Boukamal", status)
    fb = make(tmp_path, server.domain)
    place, reason = fb.lookup("Boukamal")
    assert place is None and words in reason
    assert len(server.seen) == 1
    assert fb.cache.entries() == []


@pytest.mark.parametrize("service", ["nominatim", "photon"])
def test_malformed_json_is_unresolved_not_retried_not_cached(tmp_path, server, service):
    server.script("Boukamal", "malformed")
    fb = make(tmp_path, server.domain, service)
    place, reason = fb.lookup("Boukamal")
    assert place is None and reason == f"geocoder answer malformed: {service} did not answer in its JSON format"
    assert len(server.seen) == 1
    assert fb.cache.entries() == []


def test_unreachable_service_is_flagged_not_cached_and_not_hammered(tmp_path):
    fb = make(tmp_path, f"127.0.0.1:{closed_port()}")
    assert fb.lookup("Boukamal") == (None, "geocoder unreachable: connection refused")
    place, reason = fb.lookup("Al-Tanf")
    assert place is None and reason.startswith("geocoder unreachable: connection refused (not asked again")
    assert fb.requests == 1
    assert fb.cache.entries() == []


# --- validation -----------------------------------------------------------------------------------------

def test_wrong_country_is_rejected_and_cached_as_negative(tmp_path, server):
    fb = make(tmp_path, server.domain, "photon")         # Photon has no country filter: we must check
    assert fb.lookup("Al Qaim", country_codes=["SY"]) == (None, "rejected: answer in IQ, expected SY")
    (entry,) = fb.cache.entries()
    assert not entry.found and entry.reason == "rejected: answer in IQ, expected SY"
    assert fb.learned.all() == []
    place, reason = fb.lookup("Al Qaim", country_codes=["IQ"])      # another context: asked again, accepted
    assert place is not None and place.country_code == "IQ"
    assert len(server.seen) == 2


def test_nominatim_ignoring_countrycodes_is_still_checked(tmp_path):
    with RunningServer(honour_countrycodes=False) as state:
        fb = make(tmp_path, state.domain)
        assert fb.lookup("Al Qaim", country_codes=["SY", "JO"]) == (None, "rejected: answer in IQ, expected SY or JO")


def test_wrong_kind_is_rejected(tmp_path, server):
    fb = make(tmp_path, server.domain)
    place, reason = fb.lookup("Rukban Street")
    assert place is None and reason == "rejected: answer is a highway=residential feature, not a place"
    place, reason = fb.lookup("Rukban camp", kinds=["base", "town"])
    assert place is None and reason == "rejected: answer is a camp, expected base or town"
    place, reason = fb.lookup("Rukban camp", kinds=["camp"])
    assert place is not None and place.kind == "camp" and place.country_code == "JO"


def test_answer_outside_viewbox_is_rejected(tmp_path, server):
    fb = make(tmp_path, server.domain)
    place, reason = fb.lookup("Boukamal", viewbox=((32.0, 35.0), (33.0, 36.0)))
    assert place is None and reason.startswith("rejected: answer at lat 34.4523, lon 40.9185 is outside the viewbox")


def test_country_is_taken_from_natural_earth_when_the_service_gives_none():
    from geoinc.geocoders.base import Candidate
    from geoinc.geocoders.fallback import _natural_earth_country
    from geoinc.geocoders.validate import rejection
    from geoinc.models import Place

    cand = Candidate(Place("geocoder:x:1", "Abu Kamal", 34.45226, 40.91854, "town"), "place=town")
    assert rejection(cand, country_codes=["SY"], country_at=_natural_earth_country) is None
    assert rejection(cand, country_codes=["IQ"], country_at=_natural_earth_country) == \
        "rejected: answer in SY, expected IQ"
    at_sea = Candidate(Place("geocoder:x:2", "Somewhere", 20.0, 38.5, "water"), "natural=water")
    assert rejection(at_sea, country_codes=["SY"], country_at=_natural_earth_country) == \
        "rejected: answer's country unknown, expected SY"


def test_bad_inputs_are_input_errors_and_cost_nothing(tmp_path, server):
    fb = make(tmp_path, server.domain)
    with pytest.raises(InputError, match="unknown country"):
        fb.lookup("Boukamal", country_codes=["Atlantis"])
    with pytest.raises(InputError, match="viewbox"):
        fb.lookup("Boukamal", viewbox=(1, 2, 3))
    with pytest.raises(InputError, match="unknown place kind"):
        fb.lookup("Boukamal", kinds=["spaceport"])
    assert fb.lookup("  ‘ ") == (None, "empty query")
    assert server.seen == []


# --- cache, offline switch, rate limit ------------------------------------------------------------------

def test_cache_hit_makes_no_request_and_survives_a_new_fallback(tmp_path, server):
    fb = make(tmp_path, server.domain)
    first, _ = fb.lookup("‘Al-Tanf", country_codes=["SY"])
    fb2 = make(tmp_path, server.domain)                   # a later run: same files, new process state
    second, reason = fb2.lookup("al-tanf", country_codes=["SY"])
    assert second == first and reason == "geocoded by nominatim (cached)"
    assert len(server.seen) == 1


def test_forced_offline_never_touches_the_network_but_reads_the_cache(tmp_path, server, monkeypatch):
    fb = make(tmp_path, server.domain)
    fb.lookup("Boukamal")
    monkeypatch.setenv("GEOINC_OFFLINE", "1")
    assert fb.lookup("Boukamal")[1] == "geocoded by nominatim (cached)"
    assert fb.lookup("Al-Tanf") == (None, "offline: GEOINC_OFFLINE is set and the answer is not cached")
    assert len(server.seen) == 1


def test_throttle_with_injected_clock_spaces_requests():
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    throttle = Throttle(1.0, clock=lambda: now[0], sleep=sleep)
    stamps = []
    for _ in range(5):
        throttle.wait()
        stamps.append(now[0])
    assert stamps == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_rate_limit_measured_at_the_server(tmp_path, server):
    delay = 0.2
    fb = make(tmp_path, server.domain, min_delay=delay, sleep=time.sleep)
    queries = ["Boukamal", "Al-Tanf", "Al-Mayadine", "Zzyzx Outpost 7"]
    started = time.monotonic()
    for q in queries:
        fb.lookup(q)
    elapsed = time.monotonic() - started
    assert elapsed >= (len(queries) - 1) * delay                       # the client never goes faster
    stamps = [s.at for s in server.seen]
    assert len(stamps) == len(queries)
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    # arrival times at the server: each request may travel a few ms longer or shorter than the one before
    assert all(g >= delay - 0.05 for g in gaps), gaps
    assert stamps[-1] - stamps[0] >= (len(queries) - 1) * delay - 0.05


def test_retries_also_wait_for_the_rate_limit(tmp_path, server):
    server.script("Boukamal", "500")
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    settings = GeocoderSettings(domain=server.domain, scheme="http", user_agent=UA, min_delay=1.0, backoff=0.0)
    fb = Fallback(settings, cache=GeocoderCache(tmp_path / "c.sqlite"), learned=LearnedPlaces(path=tmp_path / "l"),
                  throttle=Throttle(1.0, clock=lambda: now[0], sleep=sleep), sleep=sleep)
    fb.lookup("Boukamal")
    assert len(server.seen) == 3 and now[0] >= 2.0


# --- configuration --------------------------------------------------------------------------------------

@pytest.mark.parametrize("ua", [None, "", "my-application", "geopy/2.4.1", "specify_your_app_name_here"])
def test_nominatim_refuses_missing_or_sample_user_agent(ua):
    with pytest.raises(ConfigError, match="usage policy") as info:
        load_settings(environ={}, path=None, service="nominatim", user_agent=ua)
    assert "operations.osmfoundation.org/policies/nominatim" in str(info.value)


def test_photon_needs_no_user_agent():
    assert load_settings(environ={}, service="photon").service == "photon"


def test_settings_file_then_environment_then_overrides(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[geocoder]\nservice = "nominatim"\nuser_agent = "file-ua/1.0"\ntimeout = 7\nonline = true\n'
        '[geocoder.photon]\ndomain = "photon.example.org:2322"\nscheme = "http"\n', encoding="utf-8")
    s = load_settings(environ={}, path=cfg)
    assert (s.service, s.user_agent, s.timeout, s.online, s.domain) == ("nominatim", "file-ua/1.0", 7.0, True, None)
    env = {"GEOINC_GEOCODER": "photon", "GEOINC_GEOCODER_TIMEOUT": "12.5", "GEOINC_USER_AGENT": "env-ua/2"}
    s = load_settings(environ=env, path=cfg)
    assert (s.service, s.domain, s.scheme, s.timeout, s.user_agent) == (
        "photon", "photon.example.org:2322", "http", 12.5, "env-ua/2")
    s = load_settings(environ=env, path=cfg, service="nominatim", domain="https://nom.example.org/",
                      timeout=None)
    assert (s.service, s.domain, s.scheme, s.timeout) == ("nominatim", "nom.example.org", "https", 12.5)


def test_settings_read_from_geoinc_home_and_env(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_CONFIG, str(tmp_path / "none.toml"))
    monkeypatch.setenv("GEOINC_GEOCODER", "arcgis")
    monkeypatch.setenv("GEOINC_GEOCODER_API_KEY", "secret")
    monkeypatch.setenv("GEOINC_GEOCODER_SCHEME", "http")
    monkeypatch.setenv("GEOINC_GEOCODER_DOMAIN", "127.0.0.1:1")
    fb = Fallback.from_config(learn=False)
    assert fb.label == "arcgis:127.0.0.1:1" and fb.settings.api_key == "secret" and fb.settings.scheme == "http"
    assert fb.client.geocoder.api_key == "secret"


@pytest.mark.parametrize("overrides,words", [
    ({"service": "google"}, "unknown geocoder 'google'"),
    ({"timeout": "soon"}, "timeout must be a number of seconds"),
    ({"timeout": 0}, "positive number"),
    ({"scheme": "ftp"}, "scheme must be http or https"),
    ({"domain": "host/with/path"}, "HOST or HOST:PORT"),
])
def test_bad_settings_are_config_errors(overrides, words):
    with pytest.raises(ConfigError, match=words):
        load_settings(environ={}, user_agent=UA, **overrides)


def test_broken_config_file_is_a_config_error(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[geocoder\nservice=", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read geocoder settings"):
        load_settings(environ={}, path=cfg)


# --- learned places -------------------------------------------------------------------------------------

def test_learned_places_merge_aliases_and_forget(tmp_path, server):
    fb = make(tmp_path, server.domain)
    fb.lookup("Boukamal")
    server.script("Abu Kamal", "normal")
    from local_geocoder import PLACES
    PLACES.setdefault("abu kamal", PLACES["boukamal"])
    try:
        fb.lookup("Abu Kamal")
    finally:
        PLACES.pop("abu kamal", None)
    places = LearnedPlaces(path=tmp_path / "learned.sqlite").all()
    assert [p.id for p in places] == ["learned:1"]
    assert "Boukamal" in places[0].aliases and places[0].name == "Abu Kamal"
    rec = LearnedPlaces(path=tmp_path / "learned.sqlite").forget("learned:1")
    assert [q for _, q, _ in rec.queries] == ["Boukamal", "Abu Kamal"]
    assert LearnedPlaces(path=tmp_path / "learned.sqlite").all() == []
    with pytest.raises(NotFoundError, match="learned:1"):
        LearnedPlaces(path=tmp_path / "learned.sqlite").forget("learned:1")
    with pytest.raises(NotFoundError, match="look like learned:3"):
        LearnedPlaces(path=tmp_path / "learned.sqlite").forget("tower-22")


def test_learned_places_default_to_geoinc_home(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINC_HOME", str(tmp_path))
    assert LearnedPlaces().all() == []
    assert not (tmp_path / "learned-places.sqlite").exists()     # reading creates nothing


# --- pure helpers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("key,value,addresstype,kind", [
    ("place", "village", None, "village"), ("place", "hamlet", None, "village"), ("place", "city", None, "city"),
    ("amenity", "refugee_site", None, "camp"), ("landuse", "military", None, "base"),
    ("military", "checkpoint", None, "checkpoint"), ("barrier", "border_control", None, "border_crossing"),
    ("aeroway", "aerodrome", None, "airport"), ("waterway", "dam", None, "dam"),
    ("boundary", "administrative", "state", "admin1"), ("boundary", "administrative", "country", "country"),
    ("highway", "residential", None, None), ("shop", "bakery", None, None), ("building", "yes", None, None),
    ("place", "house", None, None),
])
def test_osm_kinds(key, value, addresstype, kind):
    from geoinc.geocoders.kinds import osm_kind

    assert osm_kind(key, value, addresstype) == kind


def test_query_normalisation_and_context_keys():
    from geoinc.geocoders.cache import clean_query, context_key, normalise_query

    assert clean_query("  “‘Al-Tanf”  ") == "Al-Tanf"
    assert normalise_query("‘AL-TANF ") == normalise_query("al-tanf") == "al-tanf"
    assert normalise_query("Al-Qa’im") == "al-qa'im"                 # inner apostrophes are kept, unified
    assert context_key(["sy", "JO", "SY"], (33.0, 38.0, 34.0, 39.5), ["camp"]) == \
        "cc=JO,SY;vb=33.0000,38.0000,34.0000,39.5000;kinds=camp"
    assert context_key() == ""


def _geocoder_imports() -> dict[str, set[str]]:
    """Module -> the geoinc.geocoders modules it imports (at the top or inside a function)."""
    import ast
    from pathlib import Path

    import geoinc.geocoders as pkg

    graph: dict[str, set[str]] = {}
    for path in Path(pkg.__file__).parent.glob("*.py"):
        name = path.stem
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:
                    deps.update(alias.name for alias in node.names)
        graph[name] = deps - {name}
    return graph


def test_geocoder_modules_import_no_circle():
    """config -> registry -> each service -> base -> settings, and nothing leads back (issue 11)."""
    graph = _geocoder_imports()
    graph.pop("__init__", None)   # the package's lazy name table only points down

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for dep in graph.get(start, ()):
            if dep == target or (dep not in seen and reaches(dep, target, seen | {dep})):
                return True
        return False

    assert [m for m in graph if reaches(m, m, {m})] == []
    assert {"nominatim", "photon", "arcgis"} <= graph["registry"]
    assert "config" not in graph["base"] | graph["arcgis"] | graph["settings"]


# --- hostile servers (issue 16): time, size, error objects, names -----------------------------------------

def test_trickling_server_is_cut_off_by_the_answer_deadline_and_not_cached(tmp_path, server):
    """One byte every 20 ms: each read is quick, the answer is not. --timeout bounds the whole answer."""
    server.script("Boukamal", "trickle:0.02")
    fb = make(tmp_path, server.domain, timeout=1.0)           # 3 attempts of at most 1 s each
    start = time.monotonic()
    place, reason = fb.lookup("Boukamal")
    spent = time.monotonic() - start
    assert place is None and reason.startswith("geocoder timed out"), reason
    assert spent < 4.5, f"the look-up took {spent:.1f} s with --timeout 1"
    assert len(server.seen) == 3
    assert fb.cache.entries() == [] and fb.learned.all() == []


def test_look_up_deadline_bounds_retries_too(tmp_path, server):
    server.script("Boukamal", "trickle:0.02")
    fb = make(tmp_path, server.domain, timeout=1.0, deadline=1.5, max_retries=5)
    start = time.monotonic()
    place, reason = fb.lookup("Boukamal")
    assert place is None and reason.startswith("geocoder timed out"), reason
    assert time.monotonic() - start < 2.5 and len(server.seen) == 2    # the deadline stopped the retries


@pytest.mark.parametrize("behaviour", ["huge:20000000", "huge-unsized:20000000"])
def test_huge_body_is_refused_not_read_and_not_cached(tmp_path, server, behaviour):
    """A 20 MB answer (valid JSON: an empty list) is refused at the 2 MB limit, not cached as "no result"."""
    server.script("Boukamal", behaviour)
    fb = make(tmp_path, server.domain)
    place, reason = fb.lookup("Boukamal")
    assert place is None
    assert reason == "geocoder answer too large: nominatim sent more than 2,000,000 bytes; refused, not cached"
    assert len(server.seen) == 1 and fb.cache.entries() == []
    assert fb.lookup("Boukamal") == (None, reason)   # asked again next time: nothing was remembered
    assert len(server.seen) == 2


def test_gzip_bomb_is_refused_once_decompressed_past_the_limit(tmp_path, server):
    """64 KB on the wire inflating to 64 MB: decompression stops at the limit, nothing is cached."""
    import resource
    server.script("Boukamal", "gzipbomb:67108864")
    fb = make(tmp_path, server.domain)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    place, reason = fb.lookup("Boukamal")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert place is None
    assert reason == ("geocoder answer too large: nominatim sent more than 2,000,000 bytes once decompressed; "
                      "refused, not cached")
    assert fb.cache.entries() == []
    assert grown_mb < 32, f"peak memory grew by {grown_mb:.0f} MB"
    # the limit is a setting: a larger one reads the same body in full (an empty answer, cached as such)
    roomy = make(tmp_path / "roomy", server.domain, max_bytes=100_000_000)
    assert roomy.lookup("Boukamal") == (None, "no result")


@pytest.mark.parametrize("service, behaviour, said", [
    ("nominatim", "error200:Invalid request parameters", "Invalid request parameters"),
    ("arcgis", "error200-object:Invalid Token", "498 Invalid Token"),
])
def test_http_200_with_an_error_object_is_reported_as_such(tmp_path, server, service, behaviour, said):
    server.script("Boukamal", behaviour)
    fb = make(tmp_path, server.domain, service, api_key="k" if service == "arcgis" else None)
    place, reason = fb.lookup("Boukamal")
    assert place is None
    assert reason == f"geocoder answered an error: {service} said {said!r} (HTTP 200 with an error object)"
    assert "HTTP 400" not in reason and len(server.seen) == 1 and fb.cache.entries() == []


@pytest.mark.parametrize("query, why", [
    ("hostile escape", "control characters"),
    ("hostile markup", "markup"),
    ("hostile long", "characters, more than a place name has"),
    ("hostile digits", "no letter"),
])
def test_names_from_a_geocoder_are_validated_before_being_learned(tmp_path, server, query, why):
    fb = make(tmp_path, server.domain)
    place, reason = fb.lookup(query)
    assert place is None and reason.startswith("rejected: answer ") and why in reason, reason
    assert fb.learned.all() == []
    assert all(e.place is None for e in fb.cache.entries())


def test_deadline_and_size_limit_come_from_settings(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[geocoder]\ndeadline = 12\nmax_bytes = 500000\n', encoding="utf-8")
    s = load_settings(environ={"GEOINC_GEOCODER_DEADLINE": "8"}, path=cfg, user_agent=UA)
    assert (s.deadline, s.max_bytes) == (8.0, 500_000)
    for bad in ({"deadline": 0}, {"max_bytes": 10}):
        with pytest.raises(ConfigError):
            load_settings(environ={}, user_agent=UA, **bad)
