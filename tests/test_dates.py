"""Relative and explicit dates resolved against the publication date (pure)."""
from __future__ import annotations

from datetime import date

import pytest

from geoinc.incidents.dates import find_dates, is_reporting_date, resolve_date

MONDAY = "2024-01-29"   # the US-response sample article's publication day


@pytest.mark.parametrize("text, published, start, end, precision", [
    ("on Sunday at dawn", MONDAY, "2024-01-28", "2024-01-28", "day"),
    ("on Tuesday", MONDAY, "2024-01-23", "2024-01-23", "day"),
    ("on Monday", MONDAY, "2024-01-29", "2024-01-29", "day"),          # the publication day itself
    ("last Monday", MONDAY, "2024-01-22", "2024-01-22", "day"),
    ("next Friday", MONDAY, "2024-02-02", "2024-02-02", "day"),
    ("Friday", "2024-02-03", "2024-02-02", "2024-02-02", "day"),        # Saturday article
    ("yesterday", MONDAY, "2024-01-28", "2024-01-28", "day"),
    ("the day before", MONDAY, "2024-01-28", "2024-01-28", "day"),
    ("last Sunday", "2024-02-02", "2024-01-28", "2024-01-28", "day"),
    ("Sunday's deadly strike", MONDAY, "2024-01-28", "2024-01-28", "day"),
    ("the day before yesterday", MONDAY, "2024-01-27", "2024-01-27", "day"),
    ("today", MONDAY, "2024-01-29", "2024-01-29", "day"),
    ("three days ago", MONDAY, "2024-01-26", "2024-01-26", "day"),
    ("two weeks ago", MONDAY, "2024-01-15", "2024-01-15", "week"),
    ("last week", MONDAY, "2024-01-22", "2024-01-28", "week"),
    ("this week", "2024-02-01", "2024-01-29", "2024-02-01", "week"),
    ("last weekend", MONDAY, "2024-01-27", "2024-01-28", "week"),
    ("last month", MONDAY, "2023-12-01", "2023-12-31", "month"),
    ("since mid-October", MONDAY, "2023-10-11", "2024-01-29", "month"),
    ("Since early March", "2024-05-02", "2024-03-01", "2024-05-02", "month"),
    ("since October", MONDAY, "2023-10-01", "2024-01-29", "month"),
    ("in mid-October", MONDAY, "2023-10-11", "2023-10-20", "month"),
    ("in late December", MONDAY, "2023-12-21", "2023-12-31", "month"),
    ("in October", MONDAY, "2023-10-01", "2023-10-31", "month"),
    ("28 January", MONDAY, "2024-01-28", "2024-01-28", "day"),
    ("January 28", MONDAY, "2024-01-28", "2024-01-28", "day"),
    ("Jan. 28, 2024", "2024-03-01", "2024-01-28", "2024-01-28", "day"),
    ("on the 5th of March 2023", MONDAY, "2023-03-05", "2023-03-05", "day"),
    ("December 30", MONDAY, "2023-12-30", "2023-12-30", "day"),         # no year, before a January article
    ("2024-01-28", MONDAY, "2024-01-28", "2024-01-28", "day"),
    ("Sunday, 28 January 2024", MONDAY, "2024-01-28", "2024-01-28", "day"),
])
def test_expressions(text, published, start, end, precision):
    ref = resolve_date(text, published)
    assert ref is not None, text
    assert (ref.date_start.isoformat(), ref.date_end.isoformat(), ref.precision) == (start, end, precision)


def test_since_mid_october_is_an_interval_of_month_precision():
    ref = resolve_date("Since mid-October, more than 150 drone strikes", date(2024, 1, 29))
    assert ref.is_interval and ref.precision == "month" and ref.best == date(2023, 10, 11)


def test_non_dates_are_ignored():
    assert find_dates("31 February 2024 never happened", MONDAY) == []
    assert find_dates("Tower 22 houses 350 soldiers", MONDAY) == []
    assert find_dates("The March of history", MONDAY) == []   # a month name alone is not a date


def test_offsets_point_into_the_text():
    text = "Militants struck on Sunday at dawn, officials said on Monday."
    refs = find_dates(text, MONDAY)
    assert [text[r.start:r.end] for r in refs] == ["on Sunday at dawn", "on Monday"]


def test_dates_of_statements_are_told_apart_from_dates_of_events():
    text = "Militants struck on Sunday at dawn, officials said on Monday."
    sunday, monday = find_dates(text, MONDAY)
    assert not is_reporting_date(text, sunday)
    assert is_reporting_date(text, monday)
    text2 = "Three service members were killed by drones, a US official said Friday."
    assert is_reporting_date(text2, find_dates(text2, "2024-02-03")[0])


def test_without_publication_date_only_absolute_dates_resolve():
    assert [r.text for r in find_dates("on Sunday, 28 January 2024 and yesterday", None)] == ["Sunday, 28 January 2024"]


def test_the_pre_checks_read_only_the_words_they_need():
    """find_dates' pre-checks read the sentence's letter runs that a pattern needs (dates._VOCABULARY: months,
    weekdays, "since", "ago", ...) and whether it holds a digit, a month or a weekday, each distinct word read once;
    "3rd" gives a digit, "mid-October" gives "mid" and "october"; a digit of another script counts, and a letter that
    folds specially (the Kelvin sign) sends the text the long way."""
    from geoinc.incidents.dates import _VOCABULARY, _needed_words

    assert _needed_words("Since mid-October, on the 3rd Sunday, rebels attacked") == {
        "since", "mid", "october", "sunday", "<digit>", "<month>", "<weekday>"}
    assert _needed_words("2024-01-28 weekend") == {"weekend", "<digit>"} and "rebels" not in _VOCABULARY
    assert _needed_words("\u212aIEV, last week") == {"last", "week"}
    assert _needed_words("\u0663 days ago, \u201cMay\u201d") == {"days", "ago", "may", "<digit>", "<month>"}
    assert _needed_words("days ago \u201cthen\u201d") == {"days", "ago"}
    assert [d.text for d in find_dates("On the 3rd Sunday of May, since mid-October", date(2024, 1, 29))] == [
        "Sunday", "since mid-October"]
