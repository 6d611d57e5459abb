"""Hand-made records of real places for the map tests, including hostile strings (XSS payloads).

Coordinates: Tower 22 (Jordan) 33.31, 38.70; Al-Tanf garrison (Syria) 33.50583, 38.61778;
Abu Kamal (Syria) 34.45226, 40.91854; Rukban camp 33.30, 38.68 (approx., beside Tower 22).
"""
from __future__ import annotations

from geoinc.models import Claim, Incident, Mention, Source

# each payload, if it ever ran, would set window.__xss (and the alert would show as a dialog)
XSS_PAYLOADS = (
    "<script>window.__xss='script';alert(1)</script>",
    "<img src=x onerror=\"window.__xss='img';alert(2)\">",
    "\"><svg onload=\"window.__xss='svg';alert(3)\">",
    "`${window.__xss='template'}`",
    "</script><script>window.__xss='break'</script>",
)
XSS = " ".join(XSS_PAYLOADS)

TOWER22 = (33.31, 38.70)
AL_TANF = (33.50583, 38.61778)
ABU_KAMAL = (34.45226, 40.91854)


def incidents(hostile: bool = False) -> list[Incident]:
    """Three incidents at real places; with ``hostile`` every article string carries the payloads."""
    x = (" " + XSS) if hostile else ""
    return [
        Incident(
            event_id_cnty="JOR0001", event_date="2024-01-28", event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike", actor1="Islamic Resistance in Iraq" + x,
            actor2="Military Forces of the United States", location="Tower 22" + x, country="Jordan",
            latitude=TOWER22[0], longitude=TOWER22[1], geo_precision=1, fatalities=3, injuries=40,
            fatalities_low=3, fatalities_high=4, date_start="2024-01-27", date_end="2024-01-28", status="confirmed",
            sources=[Source(article="us-vows-response", published="2024-01-29",
                            quote="Three US service members were killed in a drone attack" + x,
                            title="US vows response" + x, url="https://example.org/news?id=1&lang=en"),
                     Source(article="iran-avoids-war", published="2024-01-30", quote="Tehran denied any role" + x,
                            title="Iran avoids war", url="javascript:alert('url')")],
        ),
        Incident(
            event_id_cnty="SYR0002", event_date="2024-02-02", event_type="Battles", sub_event_type="Armed clash",
            actor1="Military Forces of the United States", actor2="IRGC" + x, location="Abu Kamal",
            country="Syria", latitude=ABU_KAMAL[0], longitude=ABU_KAMAL[1], geo_precision=2, fatalities=18,
            status="claimed", sources=[Source(article="a2", published="2024-02-03", quote="strikes near Abu Kamal" + x)],
        ),
        Incident(
            event_id_cnty="SYR0003", event_date="2024-02-10", event_type="Battles", location="Al-Tanf",
            country="Syria", latitude=AL_TANF[0], longitude=AL_TANF[1], geo_precision=1, fatalities=0,
            status="reported",
        ),
    ]


def mentions(hostile: bool = False) -> list[Mention]:
    x = (" " + XSS) if hostile else ""
    return [
        Mention(0, 8, "Tower 22", name="Tower 22" + x, lat=TOWER22[0], lon=TOWER22[1],
                source="curated:tower-22", precision=1, place_id="curated:tower-22"),
        Mention(40, 48, "Tower 22", name="Tower 22" + x, lat=TOWER22[0], lon=TOWER22[1],
                source="curated:tower-22", precision=1, place_id="curated:tower-22"),
        Mention(10, 17, "Al-Tanf" + x, name="Al-Tanf", lat=AL_TANF[0], lon=AL_TANF[1], source="geonames:7910043",
                precision=1, place_id="geonames:7910043"),
        Mention(20, 29, "Abu Kamal", name="Abu Kamal", lat=ABU_KAMAL[0], lon=ABU_KAMAL[1],
                source="geocoder:nominatim:1", precision=1, place_id="geocoder:nominatim:1"),
        Mention(30, 35, "Syria", name="Syria", lat=35.0, lon=38.5, source="country:SY", precision=3,
                place_id="country:SY"),
        Mention(50, 55, "Nowhere", name=None),  # unresolved: not drawn
    ]


def claims(hostile: bool = False) -> list[Claim]:
    x = (" " + XSS) if hostile else ""
    return [
        Claim(0, 30, "Tower 22 is about 20 km from Al-Tanf" + x, "Tower 22", "Al-Tanf", 20.0, 22.9, 340.0,
              "consistent", "within tolerance" + x, anchor_lat=TOWER22[0], anchor_lon=TOWER22[1],
              target_lat=AL_TANF[0], target_lon=AL_TANF[1], target_kind="place"),
        Claim(40, 80, "Abu Kamal lies 10 km from Al-Tanf", "Abu Kamal", "Al-Tanf", 10.0, 245.0, 240.0,
              "inconsistent", "off by 235 km", anchor_lat=ABU_KAMAL[0], anchor_lon=ABU_KAMAL[1],
              target_lat=AL_TANF[0], target_lon=AL_TANF[1], target_kind="place"),
        Claim(90, 100, "near the border", None, None, None, None, None, "unverifiable", "no anchor"),
    ]


def synthetic_incidents(n: int, seed: int = 5) -> list[Incident]:
    """n plausible incidents scattered over Syria/Iraq/Jordan, with repeated actors and short quotes."""
    import random

    rng = random.Random(seed)
    types = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
             "Strategic developments"]
    actors = ["Military Forces of Syria", "IRGC", "Islamic State", "SDF", "Military Forces of the United States",
              "Kataib Hezbollah", "Civilians (Syria)", "Protesters (Iraq)"]
    places = [("Tower 22", *TOWER22), ("Al-Tanf", *AL_TANF), ("Abu Kamal", *ABU_KAMAL), ("Deir ez-Zor", 35.336, 40.14),
              ("Raqqa", 35.95, 39.01), ("Baghdad", 33.34, 44.40), ("Mosul", 36.34, 43.13), ("Homs", 34.73, 36.71)]
    out = []
    for i in range(n):
        name, lat, lon = places[i % len(places)]
        out.append(Incident(
            event_id_cnty=f"SYN{i:07d}", event_date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            event_type=types[i % len(types)], actor1=actors[i % len(actors)], actor2=actors[(i * 7 + 3) % len(actors)],
            location=name, latitude=lat + rng.uniform(-1.5, 1.5), longitude=lon + rng.uniform(-1.5, 1.5),
            geo_precision=1 + i % 3, fatalities=rng.choice([0, 0, 0, 1, 2, 5, 12]), status="reported",
            sources=[Source(article=f"art{i % 5000}", published="2024-03-01", quote=f"Clashes were reported near {name}.",
                            title="Daily report", url=f"https://example.org/r/{i % 5000}")],
        ))
    return out
