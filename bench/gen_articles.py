"""Generate synthetic news articles from templates (our own words) for ingestion tests and benchmarks.

Each article has a ``date YYYY-MM-DD`` first line, a title line, a blank line and 2-4 short paragraphs
reporting one to three incidents at real places of the region, with relative dates ("on Sunday"),
casualty counts in words or digits, actors and some background sentences that are not incidents.
Deterministic for a given seed. Usage: python bench/gen_articles.py OUT_DIR N [--seed S] [--jsonl]
"""
from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

PLACES = [
    ("Tower 22", "Jordan"), ("Al-Tanf", "Syria"), ("Abu Kamal", "Syria"), ("Al Mayadin", "Syria"),
    ("Deir ez-Zor", "Syria"), ("Palmyra", "Syria"), ("Raqqa", "Syria"), ("Aleppo", "Syria"), ("Idlib", "Syria"),
    ("Homs", "Syria"), ("Daraa", "Syria"), ("Qamishli", "Syria"), ("Kirkuk", "Iraq"), ("Mosul", "Iraq"),
    ("Erbil", "Iraq"), ("Baghdad", "Iraq"), ("Fallujah", "Iraq"), ("Tikrit", "Iraq"), ("Basra", "Iraq"),
    ("Amman", "Jordan"), ("Irbid", "Jordan"), ("Sanaa", "Yemen"), ("Hodeidah", "Yemen"), ("Marib", "Yemen"),
    ("Taiz", "Yemen"), ("Tyre", "Lebanon"), ("Nabatieh", "Lebanon"), ("Baalbek", "Lebanon"),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15", "21"]

EVENTS = [
    "A drone strike hit a vehicle in {place} on {day}, killing {n} fighters, a local monitor said.",
    "Artillery shelling struck the outskirts of {place} on {day}, wounding {m} civilians.",
    "Clashes erupted between government forces and Islamic State fighters near {place} on {day}. {N} soldiers were killed.",
    "Protesters rallied in {place} on {day} to demand jobs and electricity.",
    "Security forces arrested {n} suspects in {place} on {day}, officials said.",
    "Pro-Iran fighters evacuated positions in {place} on {day}, according to the observatory.",
    "A roadside bomb exploded near a patrol in {place} on {day}, killing {n} soldiers and injuring {m}.",
    "An air strike targeted a warehouse in {place} on {day}; at least {n} people were killed.",
]
BACKGROUND = [
    "Officials fear possible attacks on the capital in the coming weeks.",
    "Since mid-October, more than 150 attacks have targeted foreign troops in the region.",
    "Analysts said the government would respond to any strike on its territory.",
    "The ministry condemned the violence and called for calm.",
]


def make_article(i: int, rng: random.Random) -> str:
    published = date(2023, 1, 2) + timedelta(days=rng.randrange(700))
    paragraphs = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        place, country = rng.choice(PLACES)
        back = rng.randrange(1, 6)
        day = WEEKDAYS[(published - timedelta(days=back)).weekday()]
        n = rng.choice(NUMBERS)
        text = rng.choice(EVENTS).format(place=place, day=day, n=n, N=n.capitalize(), m=rng.choice(NUMBERS))
        paragraphs.append(text)
    paragraphs.insert(rng.randrange(len(paragraphs) + 1), rng.choice(BACKGROUND))
    paragraphs.append(f"This is report number {i} of the regional desk.")
    return f"date {published.isoformat()}\ntitle Regional roundup {i}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_articles(out: Path, n: int, *, seed: int = 7, jsonl: bool = False) -> list[Path]:
    """Write n articles under out (one .txt each, or one articles.jsonl); returns the files written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    if jsonl:
        path = out / "articles.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i in range(n):
                text = make_article(i, rng)
                head, _, body = text.partition("\n\n")
                fh.write(json.dumps({"text": body, "published": head.split()[1], "title": f"Regional roundup {i}"})
                         + "\n")
        return [path]
    paths = []
    for i in range(n):
        p = out / f"article-{i:05d}.txt"
        p.write_text(make_article(i, rng), encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jsonl", action="store_true")
    a = ap.parse_args()
    print(len(write_articles(a.out, a.n, seed=a.seed, jsonl=a.jsonl)), "files written to", a.out)
