"""Articles prepared as rows (records.prepare_article, made by the Dask workers) store exactly what the
articles themselves store: the single SQLite writer then only runs the statements."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from geoinc.articles import parse_article, read_article_file
from geoinc.store import open_store
from geoinc.store.records import (STORAGE_COLUMNS, incident_from_values, prepare_article, prepared_items,
                                  storage_row, storage_values)
from geoinc.store.sqlite_schema import SCHEMA, STANDARD_LAYOUT, country_rows_sql, packed_row

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "data" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def parsed():
    """The sample articles through the real pipeline, each also published a day later (a second report of
    the same incidents, so the store merges them): [(article, incidents, mentions)]."""
    from geoinc.geoparser.resolve import geoparse
    from geoinc.incidents.extract import extract_incidents

    out = []
    for path in SAMPLES:
        [first] = read_article_file(path)
        day = first.published
        later = f"{day[:8]}{int(day[8:]) + 1:02d}" if int(day[8:]) < 28 else day
        second = parse_article(path.read_text(encoding="utf-8") + "\n(Updated.)\n", path=str(path), published=later)
        assert second.id != first.id
        for art in (first, second):
            mentions = list(geoparse(art.text))
            out.append((art, extract_incidents(art, art.published, mentions=mentions), mentions))
    assert sum(len(incs) for _, incs, _ in out) >= 10
    return out


def test_prepared_rows_are_the_rows_of_the_records(parsed):
    for art, incidents, mentions in parsed:
        row, mention_rows, prepared = prepare_article(art, incidents, mentions)
        assert row == (art.id, art.path, art.title, art.url, art.published, art.body_offset, len(mentions),
                       len(incidents))
        assert [r[0] for r in mention_rows] == [art.id] * len(mentions)
        for inc, (values, report_json, packed) in zip(incidents, prepared, strict=True):
            assert packed is not None and packed == packed_row(values) and packed[0] == inc.event_date
            assert values == storage_values(inc) == tuple(storage_row(inc).values())
            assert tuple(storage_row(inc)) == STORAGE_COLUMNS
            assert incident_from_values(values) == inc
            assert report_json.startswith('{"event_id_cnty": ') and inc.event_id_cnty in report_json
        back = prepared_items(prepare_article(art, incidents, mentions))
        assert back == (dataclasses.replace(art, text=""), incidents, mentions)
        assert all(type(m.metonym) is bool for m in back[2])


def _content(store) -> tuple:
    c = store.conn
    return (
        [i.to_dict() for i in store.iter_incidents()],
        c.execute("SELECT id, incident_id, article_id, data_json, reason FROM reports ORDER BY id").fetchall(),
        c.execute('SELECT * FROM mentions ORDER BY article_id, start, "end"').fetchall(),
        c.execute("SELECT id, path, title, url, published, body_offset, n_mentions, n_incidents FROM articles "
                  "ORDER BY id").fetchall(),
        c.execute("SELECT country, d, fid, f, n, t FROM incident_countries ORDER BY country, d, fid").fetchall(),
        c.execute("SELECT * FROM incidents_rtree ORDER BY fid").fetchall(),
    )


def test_add_prepared_stores_what_add_article_stores(parsed, tmp_path):
    """Batches of prepared articles (one already stored, one twice in a batch) leave the same store content and
    give the same results as add_article on each article: same ids, merges, reports, mentions, countries."""
    one = open_store(tmp_path / "one.sqlite")
    rows = open_store(tmp_path / "rows.sqlite")
    items = [parsed[3], *parsed, parsed[0]]
    one.add_article(*parsed[3])
    rows.add_article(*parsed[3])
    singles = [one.add_article(*item) for item in items]
    prepared = [prepare_article(*item) for item in items]
    batched = [res for k in range(0, len(prepared), 3) for res in rows.add_prepared(prepared[k:k + 3])]
    assert batched == singles
    assert sum(bool(r.incidents_merged) for r in batched) >= 3 and [r.skipped for r in batched].count(True) == 3
    assert _content(rows) == _content(one)
    assert rows.integrity_check() and rows.add_prepared([]) == []
    one.close()
    rows.close()


def test_rows_packed_in_python_are_those_sql_packs():
    """sqlite_schema.packed_row gives the country index's row exactly as country_rows_sql computes it from the
    stored incident, or None (then SQL packs it): reals near the exact range's ends, negative zero, tiny and
    huge values, separators in text, NULLs, values of another type than their column's."""
    import random
    import sqlite3

    from geoinc.models import Incident

    conn = sqlite3.connect(":memory:")
    for stmt in SCHEMA.split(";"):
        if stmt.strip():
            conn.execute(stmt)
    sql = country_rows_sql(STANDARD_LAYOUT).replace(
        "INSERT OR REPLACE INTO incident_countries (country, d, fid, f, n, t) SELECT ?, ", "SELECT ")
    insert = (f"INSERT INTO incidents ({', '.join(STORAGE_COLUMNS)}, created, updated) "
              f"VALUES ({', '.join('?' * (len(STORAGE_COLUMNS) + 2))})")
    rng = random.Random(7)
    reals = [0.0, -0.0, 1.5, -179.99, 36.2021, 1e-300, -1e-300, 2.0 ** -32, 2.0 ** -33, 2.0 ** 21, 2.0 ** 21 - 1e-9,
             -(2.0 ** 21), 3.0e9, 1e300, float("inf"), float("nan")]
    reals += [rng.uniform(-180, 180) for _ in range(300)] + [rng.uniform(-1, 1) * 10 ** rng.randint(-12, 8)
                                                               for _ in range(300)]
    packed = unpacked = 0
    for k, x in enumerate(reals):
        inc = Incident(event_id_cnty=f"X{k}", event_date=rng.choice(["2024-01-05", "", "a\x1fb"]), latitude=x,
                       longitude=rng.choice(reals), location=rng.choice(["Aleppo", "b\x1fc", "", "Ωmega"]),
                       fatalities=rng.choice([0, -5, 2 ** 62]), injuries=rng.choice([None, 3]),
                       location_confidence=rng.choice([None, 0.771, x]), year=rng.choice([None, 2024, "2024"]))
        values = storage_values(inc)
        fid = conn.execute(insert, (*values, 0, 0)).lastrowid
        want = conn.execute(sql, (fid,)).fetchone()
        got = packed_row(values)
        if got is None:
            unpacked += 1
            continue
        packed += 1
        assert got == (want[0], *want[2:]), x
    assert packed > 300 and unpacked > 100


@pytest.mark.parametrize("n", [0, 1, 63, 64, 65, 200])
def test_mentions_inserted_in_chunks_are_those_one_statement_per_row_inserts(tmp_path, n):
    """Chunked multi-row INSERT OR IGNORE keeps order and skips the same duplicates (within a chunk, across
    chunks, already stored) as one statement per row."""
    from geoinc.store import sqlite as sq

    def rows_for(k: int) -> tuple:
        aid = "a2" if k % 3 else "a1"
        return (aid, k % 50, k % 50 + 5, f"Place {k}", f"Place {k}", 33.5 + k / 7, 36.3 - k / 9, "SY", "city",
                "gazetteer", 0.5 + k / 1000, 1, k % 2, f"p{k}", "because")

    rows = [rows_for(k) for k in range(n)] + [rows_for(k) for k in range(0, n, 7)]     # duplicates
    out = []
    for how in ("chunks", "per row"):
        s = open_store(tmp_path / f"{how}.sqlite")
        with s.transaction() as c:
            c.execute("INSERT INTO articles (id, ingested) VALUES ('a1', 0), ('a2', 0)")
            c.execute(sq._INSERT_MENTION, rows_for(1) if n > 1 else rows_for(0))      # one stored before
            if how == "chunks":
                sq._insert_mentions(c, rows)
            else:
                c.executemany(sq._INSERT_MENTION, rows)
        out.append(s.conn.execute("SELECT rowid, * FROM mentions ORDER BY rowid").fetchall())
        s.close()
    assert [tuple(r) for r in out[0]] == [tuple(r) for r in out[1]]
    assert len(out[0]) == len({(r[0], r[1], r[2]) for r in [rows_for(1) if n > 1 else rows_for(0), *rows]})


def test_the_writer_keeps_foreign_keys_checked_and_a_refused_write_stores_nothing(parsed, tmp_path):
    """add_prepared stores mentions only with their article, with the connection's foreign-key checks on
    (switching them off per call would expire every prepared statement: each article's statements re-prepared),
    and a refused write leaves neither the article nor its rows."""
    from geoinc.errors import StoreError

    with open_store(tmp_path / "fk.sqlite") as s:
        s.add_prepared([prepare_article(*item) for item in parsed])
        c = s.conn
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        art, incs, ments = parsed[0]
        twin = dataclasses.replace(art, id="another-id")          # the same incident ids again: refused
        with pytest.raises(StoreError):
            s.add_prepared([prepare_article(twin, [dataclasses.replace(incs[0], sources=[])], ments)],
                           merge_rule=lambda a, b: None)
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert not s.has_article("another-id")


def test_writable_connections_keep_statement_journals_in_memory(parsed, tmp_path):
    """A writing connection keeps SQLite's statement journals (and other temporary data) in memory, not in
    temporary files (sqlite.STATEMENT_JOURNAL); a read-only connection keeps SQLite's default."""
    with open_store(tmp_path / "tmp.sqlite") as s:
        s.add_prepared([prepare_article(*item) for item in parsed])
        assert s.conn.execute("PRAGMA temp_store").fetchone()[0] == 2          # 2 = MEMORY
    with open_store(tmp_path / "tmp.sqlite", readonly=True) as r:
        assert r.conn.execute("PRAGMA temp_store").fetchone()[0] == 0          # 0 = the compile-time default
        assert r.count() > 0
