"""Small typed records shared by every module: places, mentions, distance claims, incidents and their sources.

Coordinates are always named: ``lat``/``lon`` in degrees WGS84 (EPSG:4326). Conversion to shapely's
``x=lon, y=lat`` happens only in :func:`geoinc.models.point_xy`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Literal

# Place kinds used across the gazetteer; curated rows may use any of these.
PLACE_KINDS = (
    "country", "admin1", "admin2", "city", "town", "village", "district", "camp", "base",
    "border_crossing", "airport", "port", "dam", "region", "water", "landmark", "checkpoint",
    "facility", "continent", "other",
)

PlaceSource = Literal["curated", "geonames", "country", "admin1", "geocoder", "learned"]


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a named point with its kind, country and where the coordinates come from."""

    id: str                       # "curated:tower-22", "geonames:174448", "country:SY", "admin1:SY.07", "geocoder:nominatim:123"
    name: str
    lat: float
    lon: float
    kind: str = "other"
    country_code: str | None = None   # ISO 3166-1 alpha-2
    admin1: str | None = None         # first-level region name, when known
    population: int = 0
    source: str = "geonames"          # one of PlaceSource
    aliases: tuple[str, ...] = ()
    provenance: str = ""              # where the coordinates come from (URL, dataset, service+query+time)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a text, with the place it was resolved to (lat/lon None when unresolved)."""

    start: int
    end: int
    text: str
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    kind: str | None = None
    source: str | None = None         # "curated:tower-22", "geonames:174448", "country:SY", "geocoder:nominatim:..."
    confidence: float = 0.0           # 0..1
    precision: int = 3                # ACLED geo-precision: 1 exact town/site, 2 near/part of region, 3 region/country
    metonym: bool = False             # "Washington said", "Tehran denied"
    place_id: str | None = None
    reason: str | None = None         # why unresolved / how resolved (e.g. "geocoder unreachable")

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Verdict = Literal["consistent", "inconsistent", "unverifiable"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A distance or direction statement in a text and what real geometry says about it."""

    start: int
    end: int
    text: str
    anchor: str | None                # the place measured from (name)
    target: str | None                # the place or border measured to ("Iraq border", "Al-Tanf")
    stated_km: float | None
    measured_km: float | None
    bearing_deg: float | None
    verdict: Verdict
    reason: str
    stated_direction: str | None = None   # "N", "SE", ... when the text gives one
    qualifier: str | None = None          # "only", "about", "at least", ...
    tolerance_km: float | None = None
    anchor_lat: float | None = None
    anchor_lon: float | None = None
    target_lat: float | None = None       # the target place, or the nearest point on the border
    target_lon: float | None = None
    implicit_anchor: bool = False         # the anchor was taken from the passage, not named in the claim
    target_kind: Literal["place", "border"] | None = None
    # issue 4 extras: what the check used and found
    stated_high_km: float | None = None   # "10 to 15 km": the high end (stated_km is the low end)
    conversion_km: float | None = None    # "20 kilometers (12 miles)": the parenthetical value, in km
    conversions_agree: bool | None = None # None when the text gives no conversion
    direction_ok: bool | None = None      # None when no direction is stated or it could not be checked
    geometry: str | None = None           # how it was measured ("geodesic point to point", "nearest point of the Iraq–Jordan border, local AEQD")
    # issue 13: what the claim locates and what kind of claim it is
    subject: str | None = None            # the place the claim locates ("Tower 22" in "the Iraqi border is 10 km away")
    kind: str | None = None               # "distance" | "direction" (no number) | "border" | "border-near" (no number)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ACLED's 31 columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)

STATUSES = ("reported", "claimed", "confirmed", "denied")


@dataclass(frozen=True, slots=True)
class Source:
    """One article's report of an incident: which article, when published, and the sentence quoted."""

    article: str                      # article id (stable hash or file name)
    published: str | None = None      # YYYY-MM-DD
    quote: str = ""
    start: int | None = None          # character offsets of the quote in the article text
    end: int | None = None
    title: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Incident:
    """An event record: ACLED's 31 columns plus injuries, a fatality range, status, date interval and sources."""

    event_id_cnty: str = ""
    event_date: str = ""              # YYYY-MM-DD (best date)
    year: int | None = None
    time_precision: int = 1           # ACLED: 1 day, 2 week, 3 month
    disorder_type: str = ""
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    assoc_actor_1: str = ""
    inter1: str = ""
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: str = ""
    interaction: str = ""
    civilian_targeting: str = ""
    iso: str = ""                     # ISO 3166-1 numeric, as ACLED
    region: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3
    source: str = ""
    source_scale: str = ""
    notes: str = ""
    fatalities: int = 0
    tags: str = ""
    timestamp: int = 0
    # beyond ACLED
    injuries: int | None = None
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    status: str = "reported"          # one of STATUSES
    date_start: str | None = None     # interval, YYYY-MM-DD
    date_end: str | None = None
    date_precision: str = "day"       # day | week | month | year
    place_id: str | None = None
    country_code: str | None = None   # ISO 3166-1 alpha-2
    sources: list[Source] = field(default_factory=list)
    # issue 7 extras: who claimed it, how sure the location is, and import flags ("unresolved-location")
    claimant: str = ""
    location_confidence: float | None = None
    flags: str = ""

    def acled_row(self) -> dict[str, Any]:
        """The 31 ACLED columns of this incident, in ACLED's order."""
        return {name: getattr(self, name) for name in ACLED_COLUMNS}

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["sources"] = [s.to_dict() for s in self.sources]
        return data

    @property
    def day(self) -> date | None:
        return date.fromisoformat(self.event_date) if self.event_date else None


def slotted_draft(record: type) -> Any:
    """A plain class with exactly ``record``'s slots (same memory layout), or None if Python refuses to turn one of
    its instances into a ``record``. Why: a frozen dataclass's ``__init__`` stores each field through
    ``object.__setattr__`` (interpreted even when called from a compiled twin); the hot builders
    (geoparser.resolve.new_mention, claims.measure._new_claim) fill a draft by plain slot stores, a fraction of that
    cost, then give it the record's class."""
    try:
        draft = type(f"_{record.__name__}Draft", (), {"__slots__": getattr(record, "__slots__")})   # AttributeError: no slots
        probe = draft()
        probe.__class__ = record        # TypeError when the layouts differ
    except (AttributeError, TypeError):
        return None
    return draft


def point_xy(lat: float, lon: float) -> tuple[float, float]:
    """The one place where (lat, lon) becomes shapely's (x, y) = (lon, lat)."""
    return (lon, lat)


__all__ = [
    "Place", "Mention", "Claim", "Source", "Incident", "ACLED_COLUMNS", "STATUSES",
    "PLACE_KINDS", "point_xy",
]
