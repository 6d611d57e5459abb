"""The records of extraction: a draft incident being assembled, its ACLED-coded Incident, notes, frame.

``describe`` (ACLED-style notes) lives here so that both extraction and merging can use it without an import
circle; :func:`incidents_frame` is the GeoDataFrame view (EPSG:4326; lon/lat order fixed in one place).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ..models import Incident, Mention, Place, Source, point_xy
from .actors import acled_roles
from .dates import ACLED_TIME_PRECISION, DateRef
from .lexicons import BAT, ER, VAC
from .places import other_names, region_names, region_point
from .taxonomy import ACLED_REGIONS, disorder_type, interaction

if TYPE_CHECKING:
    import geopandas as gpd

    from ..articles import Article


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Draft:
    """An incident being assembled from the sentences of one article."""

    event_type: str | None
    sub_event_type: str | None
    hint: str = ""                              # generic trigger word ("attack", "strike")
    mention: Mention | None = None              # the chosen place
    precision: int = 3
    also_named: list[str] = field(default_factory=list)
    date: DateRef | None = None
    date_inferred: bool = False
    killed: tuple[int | None, int | None, int | None] = (None, None, None)    # low, best, high
    injured: int | None = None
    actor1: tuple[str, str] | None = None
    actor2: tuple[str, str] | None = None
    assoc1: list[str] = field(default_factory=list)
    claimant: str = ""
    status: str = "reported"
    sentences: list[tuple[float, Sentence]] = field(default_factory=list)
    hits: list[tuple[str, str]] = field(default_factory=list)     # (sub-event type or "", phrase) of its triggers
    label: str | None = None                                      # sub-event type named by an ACLED note label
    first: int = 0                              # offset of the first sentence (stable id)
    sentence_no: int = 0                        # index of the sentence that created it

    @property
    def violent(self) -> bool:
        return self.event_type in (None, ER, BAT, VAC)



def _incident_id(article_id: str, d: Draft, iso3: str) -> str:
    h = hashlib.sha1(f"{article_id}|{d.first}|{d.sub_event_type}".encode()).hexdigest()[:10].upper()
    return f"{iso3 or 'XXX'}-{h}"


# the modules the records read places, region names and countries from, imported on first use (not at import time:
# the gazetteer and boundaries load their data lazily) and then kept (an import statement per incident cost ~2 us)
_MODULES: dict[str, Any] = {}


def _module(name: str) -> Any:
    """``geoinc.<name>``, imported once (``"gazetteer.admin_names"``, ``"gazetteer.index"``, ``"boundaries"``)."""
    module = _MODULES.get(name)
    if module is None:
        import importlib

        module = _MODULES[name] = importlib.import_module(f"geoinc.{name}")
    return module


def _country_info(cc: str | None, lat: float | None, lon: float | None) -> tuple[str, str, str, str, str | None]:
    """(country name, ISO numeric, ISO alpha-3, ACLED region, alpha-2) from a country code or a point."""
    boundaries = _module("boundaries")
    country = None
    try:
        if cc:
            country = boundaries.find_country(cc)
        if country is None and lat is not None and lon is not None:
            country = boundaries.country_at(lat, lon)
    except Exception:  # noqa: BLE001 - boundaries missing: leave the columns empty rather than fail extraction
        country = None
    if country is None:
        return "", "", "", "", cc
    region = ACLED_REGIONS.get(country.iso2, country.subregion)
    iso_n = str(int(country.iso_n3)) if str(country.iso_n3).lstrip("-").isdigit() and int(country.iso_n3) > 0 else ""
    return country.name, iso_n, country.iso3, region, country.iso2


# a curated row's provenance naming the GeoNames place it stands for
_GEONAMES_ROW = re.compile(r"GeoNames (\d+)")


def has_admin_units(m: Mention | None) -> bool:
    """Whether :func:`admin_units` can name units for the place: a resolved place from the gazetteer smaller than
    a region (a country, region, continent or sea has none)."""
    return not (m is None or not m.resolved or not m.place_id
                or (m.kind or "") in ("country", "region", "continent", "water"))


def admin_units(m: Mention | None, named: Sequence[str] = (), qualifying: Sequence[str] = (),
                more: Callable[[], Sequence[str]] | None = None) -> tuple[str, str]:
    """(admin1, admin2) names of a resolved place, admin1 written as the text writes it when one of the region
    names it gives (``named``, best first) stands for the place's first-level unit ("(Afgooye, Lower Shabelle)"),
    else as ACLED writes it (:func:`geoinc.gazetteer.admin_names.acled_admin1`; a curated row's own admin1);
    admin2 the place itself when it is a second-level unit, else its GeoNames district
    (:func:`~geoinc.gazetteer.admin_names.admin2_of`); empty when unknown or when the place is a country or
    larger. Where GeoNames has no current unit for the place (its region joins no ISO subdivision: "Eastern
    Province" of DR Congo), a region the text's qualifiers name (``qualifying``) that is a current ISO unit of
    the country is the admin1 ("Kalo (Djugu, Ituri)"). ``more``: further names to try after ``named``, read
    only when those name no region of the place."""
    if m is None or not m.resolved or not m.place_id or (m.kind or "") in ("country", "region", "continent", "water"):
        return "", ""               # (as has_admin_units says)
    try:
        gaz = _module("gazetteer.index").default_gazetteer()
        place = gaz.get(m.place_id)
    except Exception:  # noqa: BLE001 - no gazetteer (or a geocoder place it does not hold): leave the units empty
        return "", ""
    names = _module("gazetteer.admin_names")

    if place is None and m.place_id.startswith("admin1:") and m.country_code:
        # a region point made for an unknown place (places.region_point): the region by its code
        place = Place(id=m.place_id, name=m.place_id, lat=m.lat or 0.0, lon=m.lon or 0.0, kind="admin1",
                      country_code=m.country_code, admin1=m.place_id, source="admin1")
    if place is None:
        return "", ""

    admin2 = place.name if place.kind == "admin2" else names.admin2_of(place.id)
    own = names.find_region(place.admin1 or "", place.country_code, place_id=place.id)
    region = own
    source = _GEONAMES_ROW.fullmatch(place.provenance or "")
    if region is None and source:   # a curated row's own name of its region ("Saladin"): its GeoNames place's
        origin = gaz.get(f"geonames:{source.group(1)}")
        if origin is not None:
            region = names.find_region(origin.admin1 or "", origin.country_code, place_id=origin.id)
    if region is not None:
        spelled = names.text_admin1(list(named), region) if named else ""
        if not spelled and more is not None:
            spelled = names.text_admin1(list(more()), region)
        if spelled:
            return spelled, admin2
    if (region is None or not region.iso_code) and qualifying:
        spelled = names.text_new_admin1(list(qualifying), place.country_code)
        if spelled:
            return spelled, admin2
    if place.source == "curated" and place.admin1:      # a reviewed row names its region as the team chose
        return names.ascii_name(place.admin1), admin2
    # acled_admin1 of the place's own region name: the region found for it above, named as ACLED names it
    return (names.preferred_name(own) if own is not None else names.ascii_name(place.admin1 or "")), admin2


def region_seat(m: Mention | None) -> Place | None:
    """Where an event the text places only in a first-level region stands: the region's most populous place
    (ACLED codes such an event, geo-precision 3, at the provincial capital; the gazetteer's
    :meth:`~geoinc.gazetteer.index.Gazetteer.seat` stands in for it). None for any other place."""
    if m is None or not m.resolved or m.kind != "admin1" or not (m.place_id or "").startswith("admin1:"):
        return None
    try:
        gaz = _module("gazetteer.index").default_gazetteer()
        seat: Place | None = gaz.seat(m.place_id)
    except Exception:  # noqa: BLE001 - no gazetteer here: the region's own point stays
        return None
    return seat


def finish(d: Draft, art: "Article", pub: date, article_id: str, title: str | None, url: str | None) -> Incident:
    m = d.mention
    spans = [(s.start, s.end) for _, s in d.sentences]
    geo_prec = d.precision
    if m is not None and not m.resolved and m.text:
        placed = region_point(art.text, m, spans)
        if placed is not None:
            m, geo_prec = placed, placed.precision
    lat, lon = (m.lat, m.lon) if m is not None and m.resolved else (None, None)
    tags = []
    seat = region_seat(m) if geo_prec == 3 else None
    if seat is not None:                # "in Anbar province": at Ramadi, as ACLED puts it
        lat, lon = seat.lat, seat.lon
        tags.append(f"placed at {seat.name}, the largest town of the region named")
    cname, iso_n, iso3, region, cc = _country_info(m.country_code if m else None, lat, lon)
    admin1, admin2 = "", ""
    if has_admin_units(m):          # (the names the text gives the regions around it are read only then)
        regional = region_names(art.text, m, spans)
        admin1, admin2 = admin_units(m, regional, regional, lambda: other_names(art.text, spans, regional))
    if d.date is not None:
        start, end, precision = d.date.date_start, d.date.date_end, d.date.precision
        best = d.date.best
    else:  # no date in the text: reported at publication, within the week before it
        start, end, precision, best = pub - timedelta(days=6), pub, "week", pub
    score, quote = max(d.sentences, key=lambda t: t[0])
    for sc, sent in d.sentences:   # the first sentence among the best ones
        if sc == score:
            quote = sent
            break
    lo, kbest, hi = d.killed
    a1, a2, assoc = acled_roles(d, cc or (m.country_code if m else None))
    actor1, inter1 = a1 if a1 else ("", "")
    actor2, inter2 = a2 if a2 else ("", "")
    location = (m.name or m.text) if m is not None else ""
    if d.date_inferred:
        tags.append("date inferred from a related report in the same article")
    if d.date is None:
        tags.append("date not stated: reported at publication")
    source_name = title or url or f"article {article_id}"
    inc = Incident(
        event_date=best.isoformat(), year=best.year, time_precision=ACLED_TIME_PRECISION.get(precision, 3),
        disorder_type=disorder_type(d.event_type or "", d.sub_event_type or ""),
        event_type=d.event_type or "", sub_event_type=d.sub_event_type or "",
        actor1=actor1, assoc_actor_1="; ".join(a for a in dict.fromkeys(assoc) if a and a != actor1), inter1=inter1,
        actor2=actor2, inter2=inter2, interaction=interaction(inter1, inter2) if (inter1 or inter2) else "",
        civilian_targeting="Civilian targeting" if inter2 == "Civilians" else "",
        iso=iso_n, region=region, country=cname, location=location, latitude=lat, longitude=lon,
        geo_precision=geo_prec, source=source_name, source_scale="", fatalities=kbest or 0, tags="; ".join(tags),
        timestamp=int(datetime(pub.year, pub.month, pub.day, tzinfo=timezone.utc).timestamp()),
        injuries=d.injured, fatalities_low=lo, fatalities_best=kbest, fatalities_high=hi, status=d.status,
        date_start=start.isoformat(), date_end=end.isoformat(), date_precision=precision,
        place_id=m.place_id if m is not None else None, country_code=cc or (m.country_code if m else None),
        sources=[Source(article=article_id, published=pub.isoformat(), quote=quote.text, start=quote.start,
                        end=quote.end, title=title, url=url)],
        admin1=admin1, admin2=admin2,
        claimant=d.claimant, location_confidence=round(m.confidence, 3) if m is not None and m.resolved else None,
    )
    inc.notes = describe(inc, also_named=d.also_named)
    inc.event_id_cnty = _incident_id(article_id, d, iso3)
    return inc


def describe(inc: Incident, *, also_named: Iterable[str] = ()) -> str:
    """An ACLED-style one-paragraph note: when, what, where, who, toll, status."""
    when = inc.event_date if inc.date_precision == "day" else f"{inc.date_start}..{inc.date_end} ({inc.date_precision})"
    who = inc.actor1 or "unidentified actors"
    what = inc.sub_event_type.lower() if inc.sub_event_type else inc.event_type.lower()
    where = inc.location or "an unknown location"
    if inc.country and inc.country != inc.location:
        where += f" ({inc.country})"
    parts = [f"On {when}, {what} by {who} at {where}"]
    if inc.actor2:
        parts[0] += f" against {inc.actor2}"
    extra = list(also_named)
    if extra:
        parts.append("also named: " + ", ".join(extra))
    toll = []
    if inc.fatalities_best is not None:
        toll.append(f"{inc.fatalities_best} killed")
    if inc.injuries is not None:
        toll.append(f"{inc.injuries} injured")
    if toll:
        parts.append(", ".join(toll))
    if inc.claimant:
        parts.append(f"claimed by {inc.claimant}")
    parts.append(f"status: {inc.status}")
    return ". ".join(parts) + "."


# --- GeoDataFrame -----------------------------------------------------------------------------------

FRAME_COLUMNS = (*[c for c in Incident.__dataclass_fields__ if c != "sources"], "sources")


def incidents_frame(incidents: Iterable[Incident]) -> "gpd.GeoDataFrame":
    """A GeoDataFrame (EPSG:4326) with one row per incident: every field, sources as a list, Point geometry.

    Unlocated incidents get an empty geometry. Latitude/longitude become shapely x=lon, y=lat here only.
    """
    import geopandas as gpd
    from shapely.geometry import Point

    rows: list[dict[str, Any]] = []
    geoms = []
    for inc in incidents:
        row = inc.to_dict()
        rows.append(row)
        if inc.latitude is not None and inc.longitude is not None:
            geoms.append(Point(*point_xy(inc.latitude, inc.longitude)))
        else:
            geoms.append(None)
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


__all__ = ["Sentence", "Draft", "finish", "describe", "incidents_frame", "FRAME_COLUMNS", "admin_units",
           "has_admin_units"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.record":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
