"""The PostGIS writer's incidents of one write transaction (a Dask task's articles), merged as one statement at a
time would merge them, in a few statements for the whole batch.

Under the store's write lock one statement fetches the merge candidates of every incident of the batch (a
lateral join over arrays of their places and date windows: the look-up :meth:`PostGISStore.candidates` makes;
a second one those found by location name). The merges are then decided here, article by article and incident by
incident in order, as the store decided them with a look-up per incident: the incidents this transaction
creates or merges into are held here (their values as the database would return them, their reports and the
articles of those) and answer for the database, so each look-up sees what the one-by-one writes would have
stored before it. Then one statement writes the reports, one the new incidents (so their country rows are one
trigger call, not one per incident) and one per stored incident merged into. The rows are the same, in the
same order (report ids, incident fids), as one statement per incident writes: per stored article that saves
the server ~half its CPU and the writer its round trips while it holds the lock.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..geodesy import geodesic_km
from ..models import Incident
from . import Combiner, IngestResult, MergeRule
from .postgis_schema import LOCK_WRITE, day_number
from .records import INCIDENT_FIELDS, column_kind, incident_from_mapping, incident_json, incident_row

if TYPE_CHECKING:
    from ..articles import Article
    from ..models import Mention

COLS = [*INCIDENT_FIELDS, "sources_json"]
SELECT = ", ".join(COLS)
RADIUS_MARGIN_M = 20.0          # the index's ST_DWithin is widened by this; the exact test is pyproj's
# a merge candidate must not already hold a report from the article being stored
NOT_FROM = ("NOT EXISTS (SELECT 1 FROM reports r WHERE r.incident_id = incidents.event_id_cnty "
            "AND r.article_id = %s)")
_PG_ARRAY = {"int": "int8", "real": "float8", "text": "text"}
_NEAR = ("SELECT q.k, i.* FROM unnest(%b::int4[], %b::float8[], %b::float8[], %b::float8[], %b::text[], %b::text[], "
         "%b::int4[], %b::int4[], %b::text[]) AS q(k, lon, lat, within, dfrom, dto, first, last, article) "
         f"CROSS JOIN LATERAL (SELECT fid, {SELECT} FROM incidents WHERE ST_DWithin(geog, "
         "ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)::geography, q.within) AND "
         "COALESCE(date_end, event_date) >= q.dfrom AND COALESCE(date_start, event_date) <= q.dto AND "
         "days && int4range(q.first, q.last, '[]') AND "          # unbounded (always met) when first is NULL
         + NOT_FROM.replace("%s", "q.article") + ") i ORDER BY q.k, i.fid")
_PLACE = ("SELECT q.k, i.* FROM unnest(%b::int4[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[]) "
          "AS q(k, location, event_type, dfrom, dto, article) "
          f"CROSS JOIN LATERAL (SELECT fid, {SELECT} FROM incidents WHERE location = q.location AND "
          "event_type = q.event_type AND latitude IS NULL AND COALESCE(date_end, event_date) >= q.dfrom AND "
          "COALESCE(date_start, event_date) <= q.dto AND " + NOT_FROM.replace("%s", "q.article")
          + ") i ORDER BY q.k, i.fid")
_REPORTS_OF = "SELECT article_id, data_json FROM reports WHERE incident_id = %s ORDER BY id"
_INSERT_REPORTS = ("INSERT INTO reports (incident_id, article_id, data_json, reason, added) SELECT i, a, d, r, %s "
                   "FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[]) WITH ORDINALITY AS n(i, a, d, r, o) "
                   "ORDER BY o")
_INSERT_INCIDENTS = (f"INSERT INTO incidents ({SELECT}, geom, geog, created, updated) SELECT {SELECT}, "
                     "ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), "
                     "ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography, %s, %s FROM unnest("
                     + ", ".join(f"%b::{_PG_ARRAY[column_kind(n) if n != 'sources_json' else 'text']}[]" for n in COLS)
                     + f") WITH ORDINALITY AS n({SELECT}, o) ORDER BY o "
                     "ON CONFLICT (event_id_cnty) DO NOTHING RETURNING event_id_cnty")
UPDATE_INCIDENT = (f"UPDATE incidents SET {', '.join(f'{n} = %s' for n in COLS)}, "
                   "geom = ST_SetSRID(ST_MakePoint(%s, %s), 4326), "
                   "geog = ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, updated = %s WHERE event_id_cnty = %s")


def update_params(values: list[Any], inc: Incident, now: float, incident_id: str) -> list[Any]:
    """:data:`UPDATE_INCIDENT`'s parameters: the incident's :func:`row_values`, its point twice (geom, geog), the
    time and the id of the row to update."""
    return [*values, inc.longitude, inc.latitude, inc.longitude, inc.latitude, now, incident_id]


def _value(name: str, v: Any) -> Any:
    """A column value typed as the column is (SQLite's column affinity does the same on its side)."""
    if v is None:
        return None
    kind = column_kind(name)
    if kind == "int":
        return int(v)
    if kind == "real":
        return float(v)
    return v if isinstance(v, str) else str(v)


def row_values(inc: Incident) -> list[Any]:
    """The incident's column values in :data:`COLS` order, typed as the columns are."""
    row = incident_row(inc)
    return [_value(n, row[n]) if n != "sources_json" else row[n] for n in COLS]


def as_stored(values: list[Any]) -> Incident:
    """The incident the database returns for a row of these :func:`row_values`."""
    return incident_from_mapping(dict(zip(COLS, values)))


def _days(inc: Incident) -> tuple[str, str] | None:
    """(COALESCE(date_start, event_date), COALESCE(date_end, event_date)) of an incident, None when either is
    NULL (the look-ups' date conditions are then never met)."""
    first = inc.date_start if inc.date_start is not None else inc.event_date
    last = inc.date_end if inc.date_end is not None else inc.event_date
    return None if first is None or last is None else (first, last)


@dataclass
class _Held:
    """An incident this transaction writes: one it creates or a stored one that a report merges into."""

    key: tuple[int, int]        # look-up order: (0, fid) for a stored one, (1, n) for the n-th created here
    inc: Incident               # its values now, to be written
    stored: Incident            # the same as the database would return them
    reports: list[str]          # its reports' JSON, oldest first
    articles: set[str]          # the articles of those reports
    values: list[Any] = field(default_factory=list)     # row_values(inc)
    days: tuple[str, str] | None = None                 # _days(stored), kept by _HeldIndex.put


BAND_DEG = 0.5                  # held incidents are found by latitude band of this height (see _HeldIndex)
KM_PER_DEG_LAT = 110.0          # under the shortest degree of meridian (110.574 km): bands never drop a candidate


class _HeldIndex:
    """The held incidents a look-up may find, by place: placed ones by latitude band (an incident within r km
    of a point lies within r / 110.574 degrees of its latitude), unplaced ones by location name; so a look-up
    tests the few held near it, not every incident of the batch."""

    def __init__(self) -> None:
        self.buckets: dict[tuple[str, Any], dict[str, _Held]] = {}
        self.where: dict[str, tuple[str, Any] | None] = {}

    @staticmethod
    def _bucket(inc: Incident) -> tuple[str, Any] | None:
        """Where a look-up looks for this incident: its latitude band, or its location if it has no point."""
        if inc.latitude is not None and inc.longitude is not None:
            return ("band", math.floor(inc.latitude / BAND_DEG))
        if inc.latitude is None and inc.location is not None:
            return ("location", inc.location)
        return None                 # (a latitude without a longitude: no look-up finds it)

    def put(self, held: _Held) -> None:
        """File the incident under its current values (again, after a merge changed them)."""
        incident_id = held.stored.event_id_cnty
        held.days = _days(held.stored)
        old = self.where.get(incident_id)
        if old is not None:
            del self.buckets[old][incident_id]
        new = self._bucket(held.stored)
        self.where[incident_id] = new
        if new is not None:
            self.buckets.setdefault(new, {})[incident_id] = held

    def near(self, lat: float, radius_km: float) -> list[_Held]:
        """The held placed incidents that may lie within radius_km of latitude lat."""
        reach = radius_km / KM_PER_DEG_LAT
        first, last = math.floor((lat - reach) / BAND_DEG), math.floor((lat + reach) / BAND_DEG)
        return [h for band in range(first, last + 1) for h in self.buckets.get(("band", band), {}).values()]

    def at(self, location: str) -> list[_Held]:
        """The held unplaced incidents at this location."""
        return list(self.buckets.get(("location", location), {}).values())


@dataclass
class _Lookup:
    """One incident's merge look-up: the date window, and which statement fetches its stored candidates."""

    date_from: str = ""
    date_to: str = ""
    near: bool = False          # by place (a point); else by location name, or (neither) no look-up


class BatchWriter:
    """The incidents of one write transaction: :meth:`store` decides the merges of every article's incidents
    and writes them (see the module docstring); the caller holds the transaction and has not yet taken the lock."""

    def __init__(self, rule: MergeRule, combine: Combiner, radius_km: float, days: int, now: float) -> None:
        self.rule, self.combine, self.radius_km, self.days, self.now = rule, combine, radius_km, days, now
        self.held: dict[str, _Held] = {}            # by incident id
        self.index = _HeldIndex()
        self.created: list[_Held] = []              # in creation order
        self.merged: list[_Held] = []               # stored incidents merged into, in first-merge order
        self.reports: list[tuple[str, str, str, str]] = []     # (incident, article, JSON, reason) in order

    def store(self, c: Any, todo: Sequence[tuple[IngestResult, "Article", list[Incident], list["Mention"]]]) -> None:
        """Take the write lock, look up every incident's candidates at once, decide, write."""
        lookups = [self._lookup(inc) for _, _, incidents, _ in todo for inc in incidents]
        c.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_WRITE,))
        found: dict[int, list[tuple[tuple[int, int], Incident]]] = {}
        for cur in self._send_look_ups(c, todo, lookups):            # one round trip (pipeline mode)
            for row in cur.fetchall():
                found.setdefault(row[0], []).append(((0, row[1]), as_stored(list(row[2:]))))
        k = 0
        for res, article, incidents, mentions in todo:
            res.mentions = len(mentions)
            for inc in incidents:
                target, reason = self._find_merge(c, inc, article.id, lookups[k], found.get(k, ()))
                k += 1
                if target is None:
                    self._create(inc, article.id)
                    res.incidents_new.append(inc.event_id_cnty)
                else:
                    self._merge(target, inc, article.id, reason)
                    res.incidents_merged.append(target.inc.event_id_cnty)
        self._write(c)

    def _lookup(self, inc: Incident) -> _Lookup:
        """An incident's look-up: its date window widened by the merge days, by point or location name."""
        if not inc.event_date:
            return _Lookup()
        start = (date.fromisoformat(inc.date_start or inc.event_date) - timedelta(days=self.days)).isoformat()
        end = (date.fromisoformat(inc.date_end or inc.event_date) + timedelta(days=self.days)).isoformat()
        if inc.latitude is not None and inc.longitude is not None:
            return _Lookup(start, end, near=True)
        return _Lookup(start, end) if inc.location else _Lookup()

    def _send_look_ups(self, c: Any, todo: Sequence[tuple[IngestResult, "Article", list[Incident], list["Mention"]]],
                       lookups: list[_Lookup]) -> list[Any]:
        """Send the statements fetching the stored candidates of every look-up (rows: its index, the candidate's
        fid and columns; oldest first): one by point, one by location name. Returns their cursors."""
        near: list[list[Any]] = [[] for _ in range(9)]
        place: list[list[Any]] = [[] for _ in range(6)]
        k = 0
        for _, article, incidents, _ in todo:
            for inc in incidents:
                look = lookups[k]
                if look.near:
                    first, last = day_number(look.date_from), day_number(look.date_to)
                    if first is None or last is None or first > last:
                        first = last = None
                    for col, v in zip(near, (k, float(inc.longitude), float(inc.latitude),
                                             self.radius_km * 1000.0 + RADIUS_MARGIN_M, look.date_from,
                                             look.date_to, first, last, article.id)):
                        col.append(v)
                elif look.date_from:
                    for col, v in zip(place, (k, inc.location, inc.event_type, look.date_from, look.date_to,
                                              article.id)):
                        col.append(v)
                k += 1
        return [c.execute(sql, cols) for sql, cols in ((_NEAR, near), (_PLACE, place)) if cols[0]]

    def _find_merge(self, c: Any, inc: Incident, article_id: str, look: _Lookup,
                    stored: Sequence[tuple[tuple[int, int], Incident]]) -> tuple[_Held | None, str]:
        """The incident this report merges into (held here, taken over from the store when it is a stored one)
        and why; or (None, '') for a new incident. Nearest first, ties to the oldest, as
        PostGISStore.add_article decided with one look-up per incident."""
        if not look.date_from:
            return None, ""
        cands = [(key, cand) for key, cand in stored
                 if cand.event_id_cnty not in self.held]          # a held one is tested as it is now, below
        near = self.index.near(inc.latitude, self.radius_km) if look.near else self.index.at(inc.location)
        lo, hi = look.date_from, look.date_to                      # the look-ups' date conditions
        cands += [(h.key, h.stored) for h in near if h.days is not None and h.days[1] >= lo and h.days[0] <= hi
                  and article_id not in h.articles and self._candidate(inc, look, h.stored)]
        cands.sort(key=lambda t: t[0])
        best: tuple[float, tuple[int, int], Incident, str] | None = None
        for key, cand in cands:
            dist = (geodesic_km(inc.latitude, inc.longitude, cand.latitude, cand.longitude)
                    if inc.latitude is not None and cand.latitude is not None else 0.0)
            if look.near and not ((not inc.event_type or cand.event_type == inc.event_type)
                                  and dist <= self.radius_km):
                continue
            reason = self.rule(inc, cand)
            if reason is None:
                continue
            if best is None or dist < best[0]:
                best = (dist, key, cand, reason)
        if best is None:
            return None, ""
        _, key, cand, reason = best
        return self.held.get(cand.event_id_cnty) or self._take(c, key, cand), reason

    def _candidate(self, inc: Incident, look: _Lookup, cand: Incident) -> bool:
        """Whether the look-up's statement would return this held incident whose dates meet its window (before
        the exact tests every candidate gets): placed (the distance test follows), or unplaced at the location."""
        if look.near:
            return cand.latitude is not None and cand.longitude is not None
        return (cand.location == inc.location and inc.event_type is not None and cand.event_type == inc.event_type
                and cand.latitude is None)

    def _take(self, c: Any, key: tuple[int, int], cand: Incident) -> _Held:
        """A stored incident a report merges into, held from now on with its stored reports."""
        rows = c.execute(_REPORTS_OF, (cand.event_id_cnty,)).fetchall()
        held = _Held(key, cand, cand, [r[1] for r in rows], {r[0] for r in rows})
        self.held[cand.event_id_cnty] = held
        self.merged.append(held)
        self.index.put(held)
        return held

    def _create(self, inc: Incident, article_id: str) -> None:
        """A new incident from this report."""
        values = row_values(inc)
        report = incident_json(inc)
        held = _Held((1, len(self.created)), inc, as_stored(values), [report], {article_id}, values)
        self.held[inc.event_id_cnty] = held
        self.created.append(held)
        self.index.put(held)
        self.reports.append((inc.event_id_cnty, article_id, report, "new incident"))

    def _merge(self, held: _Held, inc: Incident, article_id: str, reason: str) -> None:
        """The report joins the held incident, whose values become the combination of all its reports."""
        report = incident_json(inc)
        incident_id = held.inc.event_id_cnty
        self.reports.append((incident_id, article_id, report, reason))
        held.reports.append(report)
        held.articles.add(article_id)
        merged = self.combine([incident_from_mapping(json.loads(r)) for r in held.reports])
        merged.event_id_cnty = incident_id
        held.inc, held.values = merged, row_values(merged)
        held.stored = as_stored(held.values)
        self.index.put(held)

    def _write(self, c: Any) -> None:
        """The reports, the new incidents (in creation order: their fids follow it) and the merged stored ones;
        StoreError when a new incident's id is taken (stored, or new twice here), as the first such insert
        failed one statement per incident, and nothing is kept (the caller's transaction rolls back)."""
        if self.reports:
            c.execute(_INSERT_REPORTS, [self.now, *(list(col) for col in zip(*self.reports))])
        inserted = None
        if self.created:
            inserted = c.execute(_INSERT_INCIDENTS, [self.now, self.now, *(list(col) for col in
                                                                            zip(*(h.values for h in self.created)))])
        for h in self.merged:
            inc = h.inc
            c.execute(UPDATE_INCIDENT, update_params(h.values, inc, self.now, inc.event_id_cnty))
        if inserted is not None:
            left = Counter(r[0] for r in inserted.fetchall())
            for h in self.created:                  # the first of two with one id was inserted (rows go in order)
                incident_id = h.inc.event_id_cnty
                if not left[incident_id]:
                    raise StoreError(f"incident id {incident_id} already exists")
                left[incident_id] -= 1


__all__ = ["BatchWriter", "COLS", "SELECT", "NOT_FROM", "RADIUS_MARGIN_M", "UPDATE_INCIDENT", "update_params",
           "as_stored", "row_values"]
