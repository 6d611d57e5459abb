"""A real HTTP server on 127.0.0.1 that answers like Nominatim (/search), Photon (/api) and ArcGIS.

Tests point geopy's real geocoder classes at it, script its behaviour per query (normal answer, no
result, slow answer, 429 with Retry-After, 5xx, malformed JSON, 4xx) and count the requests it received.
The place records follow each service's documented answer format; coordinates are the reference points
of the shared samples (and Al-Qa'im, Iraq, for the wrong-country case).
"""
from __future__ import annotations

import functools
import json
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ARCGIS_PATH = "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates"


@dataclass(frozen=True)
class Record:
    name: str
    lat: float
    lon: float
    osm_key: str
    osm_value: str
    addresstype: str
    country_code: str
    country: str
    state: str
    osm_type: str
    osm_id: int
    arcgis_type: str = "City"
    arcgis_addr_type: str = "Locality"


# normalised query -> records, best first
PLACES: dict[str, list[Record]] = {
    "boukamal": [Record("Abu Kamal", 34.45226, 40.91854, "place", "town", "town", "sy", "Syria",
                        "Deir ez-Zor Governorate", "node", 1001, "Town")],
    "al-mayadine": [Record("Al Mayadin", 35.01982, 40.45154, "place", "city", "city", "sy", "Syria",
                           "Deir ez-Zor Governorate", "node", 1002, "City")],
    "al-tanf": [Record("Al-Tanf Garrison", 33.50583, 38.61778, "landuse", "military", "military", "sy", "Syria",
                       "Homs Governorate", "way", 2001, "Military Base", "POI")],
    "rukban camp": [Record("Rukban Camp", 33.31405, 38.70342, "amenity", "refugee_site", "amenity", "jo",
                           "Jordan", "Mafraq Governorate", "node", 1003, "Refugee Camp", "POI")],
    "al qaim": [Record("Al-Qa'im", 34.36861, 41.09444, "place", "town", "town", "iq", "Iraq", "Al Anbar Governorate",
                       "node", 1004, "Town")],
    "mansoura": [Record("Al-Mansurah", 35.82917, 39.28889, "place", "town", "town", "sy", "Syria",
                        "Raqqa Governorate", "node", 1005, "Town"),
                 Record("Mansoura", 31.04092, 31.37847, "place", "city", "city", "eg", "Egypt",
                        "Dakahlia Governorate", "node", 1006, "City")],
    "rukban street": [Record("Rukban Street", 31.95, 35.91, "highway", "residential", "road", "jo", "Jordan",
                             "Amman Governorate", "way", 3001, "Street", "StreetName")],
    # names no place has: a terminal escape, markup, a page of text, digits only
    "hostile escape": [Record("Abu Kamal\x1b]0;pwned\x07\x1b[31m", 34.45226, 40.91854, "place", "town", "town", "sy",
                              "Syria", "Deir ez-Zor Governorate", "node", 4001, "Town")],
    "hostile markup": [Record("<img src=x onerror=alert(1)>", 34.45226, 40.91854, "place", "town", "town", "sy",
                              "Syria", "Deir ez-Zor Governorate", "node", 4002, "Town")],
    "hostile long": [Record("Kamal " * 80, 34.45226, 40.91854, "place", "town", "town", "sy", "Syria",
                            "Deir ez-Zor Governorate", "node", 4003, "Town")],
    "hostile digits": [Record("1234567", 34.45226, 40.91854, "place", "town", "town", "sy", "Syria",
                              "Deir ez-Zor Governorate", "node", 4004, "Town")],
}


@functools.lru_cache(maxsize=4)
def gzip_bomb(decompressed_bytes: int) -> bytes:
    """A gzip body that inflates to ``decompressed_bytes`` of valid JSON (``[`` spaces ``]``): built once."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [comp.compress(b"[")]
    block = b" " * (1 << 20)
    left = decompressed_bytes - 2
    while left > 0:
        parts.append(comp.compress(block[:min(left, len(block))]))
        left -= len(block)
    parts.append(comp.compress(b"]"))
    parts.append(comp.flush())
    return b"".join(parts)


def nominatim_json(rec: Record, rank: int) -> dict:
    """One record in Nominatim's /search format=json with addressdetails=1."""
    return {
        "place_id": 100000 + rec.osm_id,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": rec.osm_type,
        "osm_id": rec.osm_id,
        "lat": f"{rec.lat:.7f}",
        "lon": f"{rec.lon:.7f}",
        "class": rec.osm_key,
        "type": rec.osm_value,
        "place_rank": 16 + rank,
        "importance": round(0.5 - rank * 0.1, 3),
        "addresstype": rec.addresstype,
        "name": rec.name,
        "display_name": f"{rec.name}, {rec.state}, {rec.country}",
        "address": {rec.addresstype: rec.name, "state": rec.state, "country": rec.country,
                    "country_code": rec.country_code},
        "boundingbox": [f"{rec.lat - 0.02:.7f}", f"{rec.lat + 0.02:.7f}", f"{rec.lon - 0.02:.7f}",
                        f"{rec.lon + 0.02:.7f}"],
    }


def photon_feature(rec: Record) -> dict:
    """One record as a Photon /api GeoJSON feature."""
    ptype = "street" if rec.osm_key == "highway" else ("city" if rec.osm_key == "place" else "other")
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [rec.lon, rec.lat]},
        "properties": {
            "osm_type": rec.osm_type[0].upper(), "osm_id": rec.osm_id, "osm_key": rec.osm_key,
            "osm_value": rec.osm_value, "type": ptype, "name": rec.name, "countrycode": rec.country_code.upper(),
            "country": rec.country, "state": rec.state,
        },
    }


ISO3 = {"sy": "SYR", "jo": "JOR", "iq": "IRQ"}


def arcgis_candidate(rec: Record) -> dict:
    return {
        "address": f"{rec.name}, {rec.state}, {rec.country}",
        "location": {"x": rec.lon, "y": rec.lat},
        "score": 100,
        "attributes": {"Type": rec.arcgis_type, "Addr_type": rec.arcgis_addr_type,
                       "Country": ISO3[rec.country_code], "Region": rec.state, "PlaceName": rec.name,
                       "LongLabel": f"{rec.name}, {rec.state}, {ISO3[rec.country_code]}"},
        "extent": {"xmin": rec.lon - 0.02, "ymin": rec.lat - 0.02, "xmax": rec.lon + 0.02, "ymax": rec.lat + 0.02},
    }


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    at: float                      # time.monotonic() on arrival

    @property
    def query(self) -> str:
        for key in ("q", "singleLine"):
            if key in self.params:
                return self.params[key][0]
        return ""


@dataclass
class LocalGeocoder:
    """The server's state: behaviour scripts per query and every request received."""

    honour_countrycodes: bool = True
    default: str = "normal"
    scripts: dict[str, list[str]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    def script(self, query: str, *behaviours: str) -> None:
        """Behaviours for successive requests for ``query``: "normal", "empty", "slow:SECONDS",
        "429:RETRY_AFTER" ("429" without header), "500", "503", "403", "400", "malformed",
        "trickle:SECONDS" (the normal answer, one byte every SECONDS), "huge:BYTES" (a valid ``[ ]`` padded
        to BYTES, with its Content-Length), "huge-unsized:BYTES" (the same without a length, until close),
        "gzipbomb:BYTES" (gzip inflating to BYTES of ``[ ]``), "error200:MESSAGE" (HTTP 200 with
        {"error": MESSAGE}), "error200-object:MESSAGE" (ArcGIS' {"error": {"code": 498, "message": ...}})."""
        self.scripts[query.lower()] = list(behaviours)

    def next_behaviour(self, query: str) -> str:
        with self.lock:
            queue = self.scripts.get(query.lower().strip())
            if queue:
                return queue.pop(0) if len(queue) > 1 else queue[0]
            return self.default

    def requests_for(self, query: str) -> list[Seen]:
        return [s for s in self.seen if s.query.lower() == query.lower()]


def _make_handler(state: LocalGeocoder):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - quiet test output
            pass

        def _send(self, status: int, body: str, content_type: str = "application/json",
                  headers: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass        # the client gave up (timeout): nothing to answer

        def _send_raw(self, head: dict[str, str], chunks, pause: float = 0.0) -> None:
            """Status 200, the headers given, then the body chunk by chunk (a pause before each)."""
            try:
                self.send_response(200)
                for k, v in head.items():
                    self.send_header(k, v)
                self.end_headers()
                for chunk in chunks:
                    if pause:
                        time.sleep(pause)
                    self.wfile.write(chunk)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass        # the client stopped reading: what the limits are for
            self.close_connection = True

        def _special(self, behaviour: str, normal_body: str) -> bool:
            """The hostile behaviours; True when one answered."""
            kind, _, arg = behaviour.partition(":")
            json_type = {"Content-Type": "application/json; charset=utf-8"}
            if kind == "trickle":
                data = normal_body.encode("utf-8")
                self._send_raw({**json_type, "Content-Length": str(len(data))},
                               (data[i:i + 1] for i in range(len(data))), pause=float(arg))
            elif kind in ("huge", "huge-unsized"):
                size = int(arg)
                head = dict(json_type, **({"Content-Length": str(size)} if kind == "huge" else {"Connection": "close"}))
                block = b" " * 65536
                def body():
                    yield b"["
                    left = size - 2
                    while left > 0:
                        yield block[:min(left, len(block))]
                        left -= len(block)
                    yield b"]"
                self._send_raw(head, body())
            elif kind == "gzipbomb":
                data = gzip_bomb(int(arg))
                self._send_raw({**json_type, "Content-Encoding": "gzip", "Content-Length": str(len(data))},
                               (data[i:i + 65536] for i in range(0, len(data), 65536)))
            elif kind in ("error200", "error200-object"):
                error = arg if kind == "error200" else {"code": 498, "message": arg, "details": []}
                self._send(200, json.dumps({"error": error}))
            else:
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            url = urlsplit(self.path)
            params = parse_qs(url.query)
            seen = Seen(url.path, params, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            with state.lock:
                state.seen.append(seen)
            if url.path not in ("/search", "/api", ARCGIS_PATH):
                self._send(404, json.dumps({"error": "not found"}))
                return
            query = seen.query
            behaviour = state.next_behaviour(query)
            if behaviour.startswith("slow:"):
                time.sleep(float(behaviour.split(":", 1)[1]))
                behaviour = "normal"
            if behaviour.startswith("429"):
                headers = {"Retry-After": behaviour.split(":", 1)[1]} if ":" in behaviour else {}
                self._send(429, json.dumps({"error": "Too Many Requests"}), headers=headers)
                return
            if behaviour in ("500", "503", "403", "400"):
                self._send(int(behaviour), "<html><body>error</body></html>", "text/html")
                return
            if behaviour == "malformed":
                self._send(200, '[{"place_id": 1, "lat": "34.4", "lon": ')
                return
            records = [] if behaviour == "empty" else list(PLACES.get(query.lower().strip(), []))
            if behaviour not in ("normal", "empty"):
                self._special(behaviour, self._body(url.path, params, records))
                return
            self._send(200, self._body(url.path, params, records))

        def _body(self, path: str, params: dict[str, list[str]], records: list[Record]) -> str:
            """The service's JSON answer for these records (as it would send them)."""
            if path == "/search":
                codes = params.get("countrycodes", [""])[0]
                if state.honour_countrycodes and codes:
                    allowed = set(codes.lower().split(","))
                    records = [r for r in records if r.country_code in allowed]
                limit = int(params.get("limit", ["10"])[0])
                return json.dumps([nominatim_json(r, i) for i, r in enumerate(records[:limit])], ensure_ascii=False)
            if path == "/api":
                limit = int(params.get("limit", ["10"])[0])
                body = {"type": "FeatureCollection", "features": [photon_feature(r) for r in records[:limit]]}
                return json.dumps(body, ensure_ascii=False)
            body = {"spatialReference": {"wkid": 4326, "latestWkid": 4326},
                    "candidates": [arcgis_candidate(r) for r in records]}
            return json.dumps(body, ensure_ascii=False)

    return Handler


class RunningServer:
    """Start/stop the server in a thread on a random free port of 127.0.0.1."""

    def __init__(self, **kwargs) -> None:
        self.state = LocalGeocoder(**kwargs)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self.state))
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.state.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self) -> LocalGeocoder:
        self.thread.start()
        return self.state

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
