"""`geoinc geocode`, the learned-places commands, and the fallback inside geoparse, against a local server."""
from __future__ import annotations

import argparse
import json

import pytest
from conftest import SAMPLES
from local_geocoder import RunningServer, closed_port

from geoinc.cli import main
from geoinc.cli.gazetteer_learned import register_learned
from geoinc.cli.geocode import add_geocoder_options, fallback_from_args
from geoinc.geocoders import Fallback, GeocoderCache, GeocoderSettings, Throttle
from geoinc.geocoders.config import ENV_CONFIG, ENV_VARS
from geoinc.gazetteer.learned import LearnedPlaces

UA = "geoinc-tests/1.0 (tests@example.org)"

# written for these tests: "Mansoura" is ambiguous (Egypt, Syria) and "Springfield" is nowhere near Syria,
# so the offline resolver is not confident about either and asks the fallback
ARTICLE = "Shelling hit Mansoura in Syria on Tuesday, and families fled toward Springfield, monitors said."


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """Online mode, a fresh GEOINC_HOME (cache and learned places) and no geocoder settings from the shell."""
    monkeypatch.delenv("GEOINC_OFFLINE", raising=False)
    for var in (*ENV_VARS, ENV_CONFIG):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GEOINC_HOME", str(tmp_path / "home"))


@pytest.fixture
def server():
    with RunningServer() as state:
        yield state


def geocode(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["geocode", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_geocode_json_uses_and_fills_the_cache(capsys, server, tmp_path):
    flags = ["--country", "SY", "--domain", server.domain, "--scheme", "http", "--user-agent", UA, "--format", "json"]
    code, out, err = geocode(capsys, "Boukamal", *flags)
    assert code == 0, err
    data = json.loads(out)
    assert data["found"] and not data["cached"] and data["requests"] == 1
    assert data["place"]["name"] == "Abu Kamal" and data["place"]["country_code"] == "SY"
    assert data["learned_id"] == "learned:1"
    assert (tmp_path / "home" / "geocoder-cache.sqlite").exists()
    code, out, _ = geocode(capsys, "boukamal", *flags)
    assert code == 0 and json.loads(out)["cached"] is True
    assert len(server.seen) == 1


def test_geocode_table_and_not_found_exit_1(capsys, server):
    flags = ["--domain", server.domain, "--scheme", "http", "--user-agent", UA]
    code, out, _ = geocode(capsys, "Rukban", "camp", "--country", "JO", *flags)
    assert code == 0
    assert "Rukban Camp (camp, JO)" in out and "33.31405, 38.70342" in out and "geocoded by nominatim" in out
    code, out, err = geocode(capsys, "Zzyzx Outpost 7", *flags)
    assert code == 1 and err == ""
    assert out.rstrip().endswith("reason   no result")


def test_geocode_settings_from_environment(capsys, server, monkeypatch):
    monkeypatch.setenv("GEOINC_GEOCODER", "photon")
    monkeypatch.setenv("GEOINC_GEOCODER_DOMAIN", server.domain)
    monkeypatch.setenv("GEOINC_GEOCODER_SCHEME", "http")
    monkeypatch.setenv("GEOINC_GEOCODER_TIMEOUT", "3")
    code, out, _ = geocode(capsys, "Al Qaim", "--country", "SY")
    assert code == 1 and "rejected: answer in IQ, expected SY" in out
    assert [s.path for s in server.seen] == ["/api"]


def test_geocode_unreachable_exits_1_without_traceback(capsys):
    code, out, err = geocode(capsys, "Boukamal", "--domain", f"127.0.0.1:{closed_port()}", "--scheme", "http",
                             "--user-agent", UA)
    assert code == 1 and "Traceback" not in err
    assert "geocoder unreachable: connection refused" in out


def test_geocode_nominatim_without_user_agent_explains_the_policy(capsys, server):
    code, out, err = geocode(capsys, "Boukamal", "--domain", server.domain, "--scheme", "http")
    assert code == 2 and out == ""
    assert "usage policy" in err and "--user-agent" in err
    assert server.seen == []


@pytest.mark.parametrize("args,words", [(["--timeout", "soon"], "timeout must be a number"),
                                        (["--viewbox", "1,2,3"], "--viewbox wants SOUTH,WEST,NORTH,EAST"),
                                        (["--country", "Atlantis"], "unknown country 'Atlantis'")])
def test_geocode_bad_flags_exit_2(capsys, server, args, words):
    code, _, err = geocode(capsys, "Boukamal", "--domain", server.domain, "--scheme", "http", "--user-agent", UA,
                           *args)
    assert code == 2 and words in err
    assert server.seen == []


def test_geocode_offline_reads_only_the_cache(capsys, server, monkeypatch):
    flags = ["--domain", server.domain, "--scheme", "http", "--user-agent", UA]
    assert geocode(capsys, "Boukamal", *flags)[0] == 0
    monkeypatch.setenv("GEOINC_OFFLINE", "1")
    assert geocode(capsys, "Boukamal", *flags)[0] == 0
    code, out, _ = geocode(capsys, "Al-Tanf", *flags)
    assert code == 1 and "offline: GEOINC_OFFLINE is set" in out
    assert len(server.seen) == 1


def _learned_cli(argv: list[str]) -> int:
    """Run the learned-places commands through `geoinc gazetteer` when that group exists, else on their own."""
    try:
        return main(["gazetteer", *argv])
    except SystemExit:
        parser = argparse.ArgumentParser(prog="geoinc gazetteer")
        register_learned(parser.add_subparsers(dest="command"))
        args = parser.parse_args(argv)
        return args.handler(args)


def test_learned_list_and_forget_drop_cached_answers(capsys, server):
    flags = ["--domain", server.domain, "--scheme", "http", "--user-agent", UA]
    geocode(capsys, "Boukamal", "--country", "SY", *flags)
    assert _learned_cli(["learned"]) == 0
    out = capsys.readouterr().out
    assert "learned:1" in out and "Abu Kamal" in out and f"nominatim:{server.domain}" in out and "Boukamal" in out
    assert _learned_cli(["learned", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["id"] == "learned:1" and row["query"] == "Boukamal" and row["service"].startswith("nominatim:")
    assert _learned_cli(["forget", "learned:1"]) == 0
    assert "dropped 1 cached answer" in capsys.readouterr().out
    assert LearnedPlaces().all() == []
    geocode(capsys, "Boukamal", "--country", "SY", *flags)          # asked again, not served from the cache
    assert len(server.seen) == 2


def test_forget_unknown_id_is_a_clear_error(capsys):
    with pytest.raises(Exception) as info:
        LearnedPlaces().forget("learned:99")
    assert "geoinc gazetteer learned" in str(info.value)


def test_fallback_from_args_is_off_unless_asked(server, monkeypatch, capsys):
    parser = argparse.ArgumentParser()
    add_geocoder_options(parser)
    assert fallback_from_args(parser.parse_args([])) is None          # no --online, no config: offline
    args = parser.parse_args(["--online", "--geocoder", "photon", "--domain", server.domain, "--scheme", "http"])
    fb = fallback_from_args(args)
    assert isinstance(fb, Fallback) and fb.label == f"photon:{server.domain}"
    monkeypatch.setenv("GEOINC_OFFLINE", "1")
    assert fallback_from_args(args) is None
    assert "GEOINC_OFFLINE" in capsys.readouterr().err


# --- the fallback inside geoparse ------------------------------------------------------------------------

def _fallback(tmp_path, domain: str) -> Fallback:
    settings = GeocoderSettings(domain=domain, scheme="http", user_agent=UA, timeout=2.0, min_delay=0.0,
                                backoff=0.01)
    return Fallback(settings, cache=GeocoderCache(tmp_path / "cache.sqlite"),
                    learned=LearnedPlaces(path=tmp_path / "learned.sqlite"), throttle=Throttle(0.0))


def test_second_run_of_the_same_article_makes_zero_requests(tmp_path, server):
    from geoinc import geoparse

    first = geoparse(ARTICLE, offline=False, fallback=_fallback(tmp_path, server.domain))
    asked = sorted(s.query for s in server.seen)
    assert asked == ["Mansoura", "Springfield"]
    assert all(s.params["countrycodes"] == ["sy"] for s in server.seen)     # the article's country context
    mansoura = next(m for m in first if m.text == "Mansoura")
    assert mansoura.country_code == "SY" and (mansoura.lat, mansoura.lon) == pytest.approx((35.82917, 39.28889))
    assert mansoura.reason == "geocoded by nominatim"
    springfield = next(m for m in first if m.text == "Springfield")
    assert springfield.reason.endswith("no result")

    second = geoparse(ARTICLE, offline=False, fallback=_fallback(tmp_path, server.domain))
    assert len(server.seen) == 2                                             # zero new requests
    assert [(m.text, m.lat, m.lon) for m in second] == [(m.text, m.lat, m.lon) for m in first]
    assert next(m for m in second if m.text == "Mansoura").reason == "geocoded by nominatim (cached)"


def test_offline_geoparse_never_asks(tmp_path, server):
    from geoinc import geoparse

    geoparse(ARTICLE, fallback=_fallback(tmp_path, server.domain))          # offline is the default
    assert server.seen == []


@pytest.mark.shared
def test_unreachable_network_leaves_mentions_flagged_and_samples_complete(tmp_path, sample_texts):
    from geoinc import geoparse

    fb = _fallback(tmp_path, f"127.0.0.1:{closed_port()}")
    texts = dict(sample_texts)
    assert len(texts) == 2 and all(p.exists() for p in SAMPLES.glob("*.txt"))
    texts["team-article"] = ARTICLE
    flagged = []
    for text in texts.values():
        mentions = geoparse(text, offline=False, fallback=fb)
        assert mentions
        flagged += [m for m in mentions if m.reason and "geocoder unreachable" in m.reason]
    assert {m.text for m in flagged} >= {"Mansoura", "Springfield"}
    assert all("connection refused" in m.reason for m in flagged)
    assert fb.requests == 1                                                  # then the service is skipped
    assert fb.cache.entries() == []


def test_learned_place_makes_the_next_lookup_local(tmp_path, server):
    from geoinc import geoparse
    from geoinc.gazetteer.index import Gazetteer

    before = {m.text: m for m in geoparse(ARTICLE, gazetteer=Gazetteer())}
    assert before["Mansoura"].country_code != "SY"                   # offline, the Egyptian city wins
    settings = GeocoderSettings(domain=server.domain, scheme="http", user_agent=UA, min_delay=0.0)
    fb = Fallback(settings, throttle=Throttle(0.0))                   # cache and learned places in GEOINC_HOME
    geoparse(ARTICLE, offline=False, fallback=fb)
    (learned,) = LearnedPlaces().all()
    assert learned.id == "learned:1" and learned.name == "Al-Mansurah" and "Mansoura" in learned.aliases
    after = {m.text: m for m in geoparse(ARTICLE, gazetteer=Gazetteer())}   # offline, a fresh gazetteer
    assert after["Mansoura"].source == "learned:1" and after["Mansoura"].country_code == "SY"
    assert len(server.seen) == 2


# --- geoinc places / geoinc ingest with --online ---------------------------------------------------------

def test_places_online_unreachable_completes_flags_and_exits_0(capsys, tmp_path):
    article = tmp_path / "team.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    flags = ["--online", "--domain", f"127.0.0.1:{closed_port()}", "--scheme", "http", "--user-agent", UA,
             "--format", "json"]
    for path in [*sorted(SAMPLES.glob("*.txt")), article]:
        code = main(["places", str(path), *flags])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "Traceback" not in err
        rows = json.loads(out)
        assert rows
    flagged = {r["text"]: r["reason"] for r in rows if r["reason"] and "geocoder unreachable" in r["reason"]}
    assert set(flagged) == {"Mansoura", "Springfield"}
    assert all("connection refused" in reason for reason in flagged.values())


def test_places_online_uses_the_server_then_the_cache(capsys, tmp_path, server):
    article = tmp_path / "team.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    flags = ["--online", "--domain", server.domain, "--scheme", "http", "--user-agent", UA, "--format", "json"]
    assert main(["places", str(article), *flags]) == 0
    first = {r["text"]: r for r in json.loads(capsys.readouterr().out)}
    assert first["Mansoura"]["country_code"] == "SY" and first["Mansoura"]["reason"] == "geocoded by nominatim"
    n = len(server.seen)
    assert n == 2
    assert main(["places", str(article), *flags]) == 0
    capsys.readouterr()
    assert len(server.seen) == n                                            # second run: zero requests
    assert main(["places", str(article), "--format", "json"]) == 0          # offline by default
    capsys.readouterr()
    assert len(server.seen) == n


def test_places_online_nominatim_without_user_agent_is_exit_2(capsys, tmp_path, server):
    article = tmp_path / "team.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["places", str(article), "--online", "--domain", server.domain, "--scheme", "http"]) == 2
    assert "usage policy" in capsys.readouterr().err
    assert server.seen == []


@pytest.mark.shared
def test_ingest_online_unreachable_completes_flags_and_exits_0(capsys, tmp_path):
    from geoinc.store.sqlite import open_store

    article = tmp_path / "team.txt"
    article.write_text("date 2024-02-06\n" + ARTICLE + "\n", encoding="utf-8")
    db = tmp_path / "incidents.sqlite"
    flags = ["--online", "--domain", f"127.0.0.1:{closed_port()}", "--scheme", "http", "--user-agent", UA,
             "--db", str(db), "--quiet"]
    dated = SAMPLES / "tower22-iran-avoids-war.txt"
    undated = SAMPLES / "tower22-us-vows-response.txt"
    assert main(["ingest", str(dated), str(article), *flags]) == 0, capsys.readouterr().err
    assert main(["ingest", str(undated), "--published", "2024-01-29", *flags]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "1 article (1 new" in out
    store = open_store(db)
    try:
        ids = store.article_ids()
        assert len(ids) == 3
        mentions = [m for a in ids for m in store.mentions(a)]
    finally:
        store.close()
    flagged = {m.text for m in mentions if m.reason and "geocoder unreachable: connection refused" in m.reason}
    assert flagged == {"Mansoura", "Springfield"}
