"""ACLED's event taxonomy (6 event types, 25 sub-event types) and the coded columns that follow from it.

Names are exactly ACLED's (ACLED Codebook, 2023/2024). Pure data and lookups, no I/O.
"""
from __future__ import annotations

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory",
        "Other",
    ),
}

SUB_EVENT_TYPES: dict[str, str] = {sub: ev for ev, subs in EVENT_TYPES.items() for sub in subs}

# ACLED actor categories (inter1/inter2), as text (ACLED's exports since 2024) and their former numeric codes.
INTER_CODES: dict[str, int] = {
    "State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4, "Rioters": 5,
    "Protesters": 6, "Civilians": 7, "External/Other forces": 8,
}
INTER_NAMES: dict[int, str] = {v: k for k, v in INTER_CODES.items()}

# ISO 3166-1 alpha-2 -> (numeric, alpha-3, ACLED region) for the countries geoinc's samples and data touch;
# others fall back to the Natural Earth table in geoinc.boundaries.
ACLED_REGIONS: dict[str, str] = {
    "JO": "Middle East", "SY": "Middle East", "IQ": "Middle East", "IR": "Middle East", "LB": "Middle East",
    "IL": "Middle East", "PS": "Middle East", "YE": "Middle East", "SA": "Middle East", "TR": "Middle East",
    "BH": "Middle East", "KW": "Middle East", "QA": "Middle East", "AE": "Middle East", "OM": "Middle East",
    "EG": "Northern Africa", "LY": "Northern Africa", "TN": "Northern Africa", "DZ": "Northern Africa",
    "MA": "Northern Africa", "SD": "Northern Africa", "UA": "Europe", "RU": "Europe", "GB": "Europe",
    "US": "North America", "AF": "Caucasus and Central Asia", "PK": "South Asia",
}


def check_types(event_type: str, sub_event_type: str) -> str | None:
    """None when the pair is a valid ACLED type/sub-type, else the reason it is not."""
    if event_type not in EVENT_TYPES:
        return f"unknown event_type {event_type!r} (expected one of: {', '.join(EVENT_TYPES)})"
    if sub_event_type and SUB_EVENT_TYPES.get(sub_event_type) != event_type:
        return f"sub_event_type {sub_event_type!r} is not a sub-type of {event_type!r}"
    return None


def disorder_type(event_type: str, sub_event_type: str = "") -> str:
    """ACLED's disorder_type for a (sub-)event type."""
    if event_type == "Strategic developments":
        return "Strategic developments"
    if event_type == "Protests":
        return "Political violence; Demonstrations" if sub_event_type == "Excessive force against protesters" \
            else "Demonstrations"
    if event_type == "Riots":
        return "Demonstrations" if sub_event_type == "Violent demonstration" else "Political violence"
    return "Political violence"


def interaction(inter1: str, inter2: str) -> str:
    """ACLED's interaction text: the two actor categories joined ("State forces-Political militia")."""
    if inter1 and inter2:
        return f"{inter1}-{inter2}"
    return f"{inter1 or inter2} only" if (inter1 or inter2) else ""


__all__ = ["EVENT_TYPES", "SUB_EVENT_TYPES", "INTER_CODES", "INTER_NAMES", "ACLED_REGIONS", "check_types",
           "disorder_type", "interaction"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.taxonomy":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
