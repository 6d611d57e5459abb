"""The claims' records (frozen dataclasses with a written, compiled ``__init__``: see the note above
geoinc.claims.phrases.Name) take their fields in order, with the fields' defaults, and stay frozen records."""
from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from geoinc.claims.ends import BorderChoice, EndResult, Located, as_implicit
from geoinc.claims.measure import _Measured
from geoinc.claims.parse import AnchorRef, RawClaim, _At
from geoinc.claims.phrases import BorderRef, End, Name
from geoinc.claims.quantity import Quantity
from geoinc.claims.subjects import Subject, Where

_NAME = Name(1, 4, "Irbid")
_END = End(0, 9, "the Irbid", (_NAME,), None)
_BORDER = BorderRef(5, 20, "the Iraqi border", ("IQ",))
_SUBJECT = Subject(_END, "appositive")

# a value of the right type for every field of each record, in order, no two alike (a compiled constructor checks
# the types)
VALUES: dict[type, list[Any]] = {
    Name: [3, 9, "Mosul"],
    BorderRef: [2, 18, "the Syrian border", ("SY",)],
    End: [1, 7, "Ramtha", (_NAME,), _BORDER],
    AnchorRef: ["provincial capital", "JO", "the provincial capital"],
    RawClaim: [10, 40, "Ramtha, 20 km from the border", None, _END, End(2, 3, "x"), "NE", "anchor", 7, "from",
               "the outpost", False, "border", "appositive", True, AnchorRef("capital", "IQ", "the Iraqi capital")],
    _At: ["some text", None, 11, 5, 90, 6, "before it", "SW", "of", True, 23, (4, _SUBJECT)],
    Subject: [_END, "adjacent", True, "the town"],
    Where: ["other text", 2, 8, 30, (12, _SUBJECT)],
    Located: ["Mafraq", 32.3, 36.2, "city", "JO", True, 57_000, "Mafraq", "Al Mafraq"],
    EndResult: [Located("Zarqa", 32.1, 36.1), "unresolved place 'X'"],
    BorderChoice: [None, "Iraq border", "no boundary data"],
    _Measured: [12.5, 32.0, 36.0, "Jordan–Syria border", "nearest point of …", "border", 181.5],
    Quantity: [4, 22, "about 20 km (12 miles)", 20.0, "km", 20.0, 25.0, "about", 12.0, "mi", 19.312],
}


def _required(cls: type) -> int:
    """How many fields have no default (they come first)."""
    return sum(1 for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING)


@pytest.mark.parametrize("cls", list(VALUES), ids=lambda c: c.__name__)
def test_init_takes_the_fields_in_order(cls: type) -> None:
    fields, values = dataclasses.fields(cls), VALUES[cls]
    assert len(values) == len(fields)
    made = cls(*values)
    assert [getattr(made, f.name) for f in fields] == values
    by_name = cls(**{f.name: v for f, v in zip(fields, values)})
    assert by_name == made and hash(by_name) == hash(made) and repr(by_name) == repr(made)


@pytest.mark.parametrize("cls", list(VALUES), ids=lambda c: c.__name__)
def test_init_defaults_are_the_fields_defaults(cls: type) -> None:
    made = cls(*VALUES[cls][:_required(cls)])
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            assert getattr(made, f.name) == f.default, f.name


@pytest.mark.parametrize("cls", list(VALUES), ids=lambda c: c.__name__)
def test_records_stay_frozen_and_replaceable(cls: type) -> None:
    fields, values = dataclasses.fields(cls), VALUES[cls]
    made = cls(*values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, values[0])
    k = next(i for i, v in enumerate(values) if isinstance(v, str))      # every record has a str field
    changed = dataclasses.replace(made, **{fields[k].name: values[k] + "!"})
    assert changed != made and getattr(changed, fields[k].name) == values[k] + "!"
    assert [getattr(changed, f.name) for i, f in enumerate(fields) if i != k] == values[:k] + values[k + 1:]


def test_a_name_is_the_same_record_as_before() -> None:
    assert Name(3, 9, "Mosul") == Name(start=3, end=9, text="Mosul")
    assert End(0, 5, "Mosul") == End(0, 5, "Mosul", (), None)
    assert repr(Name(3, 9, "Mosul")) == "Name(start=3, end=9, text='Mosul')"


def test_new_claim_is_the_constructor_record() -> None:
    from geoinc.claims import measure
    from geoinc.models import Claim

    assert measure._CLAIM_DRAFT is not None, "a draft with Claim's slots can no longer become a Claim"
    full = dict(start=3, end=40, text="Rukban, near the border with Jordan", anchor="Rukban", target="Jordan border",
                stated_km=None, measured_km=1.9, bearing_deg=12.5, verdict="consistent", reason="measured 1.9 km",
                stated_direction="N", qualifier="about", tolerance_km=50.0, anchor_lat=33.3, anchor_lon=38.7,
                target_lat=33.4, target_lon=38.6, implicit_anchor=True, target_kind="border", stated_high_km=3.0,
                conversion_km=2.0, conversions_agree=False, direction_ok=True, geometry="nearest point", subject="Rukban",
                kind="border-near")
    few = dict(start=0, end=5, text="x", anchor=None, target=None, stated_km=None, measured_km=None, bearing_deg=None,
               verdict="unverifiable", reason="no place")
    for values in (full, few):
        made, want = measure._new_claim(values), Claim(**values)
        assert type(made) is Claim and made == want and hash(made) == hash(want) and repr(made) == repr(want)
        assert made.to_dict() == want.to_dict()
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.start = 4      # type: ignore[misc]


def test_slotted_draft_becomes_the_record_or_is_refused():
    """models.slotted_draft: a slotted frozen record's draft, filled by plain stores, becomes an equal record; a
    class without slots (another layout) gets no draft."""
    from dataclasses import dataclass

    from geoinc.models import slotted_draft

    @dataclass(frozen=True, slots=True)
    class Pair:
        a: int
        b: str

    draft = slotted_draft(Pair)
    made = draft()
    made.a, made.b = 1, "x"
    made.__class__ = Pair
    assert made == Pair(1, "x") and hash(made) == hash(Pair(1, "x"))

    class Loose:
        pass

    assert slotted_draft(Loose) is None


def test_as_implicit_is_replace_with_implicit() -> None:
    loc = Located(*VALUES[Located][:5], False, *VALUES[Located][6:])
    assert as_implicit(loc) == dataclasses.replace(loc, implicit=True)
    assert as_implicit(as_implicit(loc)) == as_implicit(loc)
