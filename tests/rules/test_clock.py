"""Instants in the campaign's zone across DST (R1.2, R1.5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules import clock
from admissions.rules.explain import RulesError
from tests.rules.reference import PARIS

TZ = "Europe/Paris"


def test_local_of_utc_instant_is_paris_wall_time_in_winter():
    assert clock.local(datetime(2021, 3, 9, 22, 59, 59, tzinfo=UTC), TZ).replace(
        tzinfo=None
    ) == datetime(2021, 3, 9, 23, 59, 59)


def test_local_of_utc_instant_is_paris_wall_time_in_summer():
    assert clock.local(datetime(2021, 4, 18, 22, 0, tzinfo=UTC), TZ).replace(
        tzinfo=None
    ) == datetime(2021, 4, 19, 0, 0)


def test_local_keeps_the_instant():
    instant = datetime(2021, 3, 28, 1, 30, tzinfo=UTC)
    assert clock.local(instant, TZ) == instant


def test_local_refuses_naive_datetime():
    with pytest.raises(RulesError) as error:
        clock.local(datetime(2021, 3, 9, 23, 59), TZ)
    assert error.value.reason.code == "clock.naive_datetime"


def test_unknown_zone_is_a_rules_error():
    with pytest.raises(RulesError) as error:
        clock.zone("Europe/Atlantis")
    assert error.value.reason.code == "clock.unknown_time_zone"


def test_start_of_day_uses_winter_offset_before_spring_forward():
    assert clock.start_of_day(date(2021, 3, 28), TZ).utcoffset() == timedelta(hours=1)


def test_start_of_day_uses_summer_offset_after_spring_forward():
    assert clock.start_of_day(date(2021, 3, 29), TZ).utcoffset() == timedelta(hours=2)


def test_end_of_day_on_spring_forward_day_is_23_hours_later():
    day = date(2021, 3, 28)
    length = clock.utc(clock.end_of_day(day, TZ)) - clock.utc(clock.start_of_day(day, TZ))
    assert length == timedelta(hours=23)


def test_end_of_day_on_fall_back_day_is_25_hours_later():
    day = date(2021, 10, 31)
    length = clock.utc(clock.end_of_day(day, TZ)) - clock.utc(clock.start_of_day(day, TZ))
    assert length == timedelta(hours=25)


def test_end_of_9_march_is_10_march_midnight_paris():
    assert clock.end_of_day(date(2021, 3, 9), TZ) == datetime(2021, 3, 9, 23, tzinfo=UTC)


def test_at_moves_a_skipped_wall_time_forward_by_the_gap():
    result = clock.at(date(2021, 3, 28), TZ, time(2, 30))
    assert (result.hour, result.minute, result.utcoffset()) == (3, 30, timedelta(hours=2))


def test_at_takes_first_occurrence_of_an_ambiguous_wall_time():
    result = clock.at(date(2021, 10, 31), TZ, time(2, 30))
    assert clock.utc(result) == datetime(2021, 10, 31, 0, 30, tzinfo=UTC)


def test_parse_instant_reads_naive_text_as_paris_wall_time():
    assert clock.parse_instant("2021-03-10T00:00:00", TZ) == datetime(2021, 3, 9, 23, tzinfo=UTC)


def test_parse_instant_keeps_an_explicit_offset():
    assert clock.parse_instant("2021-03-09T23:59:59+01:00", TZ) == datetime(
        2021, 3, 9, 22, 59, 59, tzinfo=UTC
    )


def test_parse_instant_refuses_garbage():
    with pytest.raises(RulesError) as error:
        clock.parse_instant("le 9 mars", TZ)
    assert error.value.reason.code == "clock.unreadable_instant"


def test_format_deadline_says_midnight_of_the_last_day():
    closes_at = datetime(2021, 3, 10, tzinfo=PARIS)
    assert clock.format_deadline(closes_at, TZ, "fr") == "9 mars 2021 à minuit"
    assert clock.format_deadline(closes_at, TZ, "en") == "midnight at the end of 9 March 2021"


def test_format_instant_is_one_format_per_language_to_the_minute():
    """Issue 8: "1er mars 2021 à 10 h 14" / "1 March 2021 at 10:14", no seconds, no a.m./p.m."""
    morning = datetime(2021, 3, 1, 10, 14, 37, tzinfo=PARIS)

    assert clock.format_instant(morning, TZ, "fr") == "1er mars 2021 à 10 h 14"
    assert clock.format_instant(morning, TZ, "en") == "1 March 2021 at 10:14"
    assert (
        clock.format_instant(datetime(2021, 3, 9, 23, 59, 59, tzinfo=PARIS), TZ)
        == "9 mars 2021 à 23 h 59"
    )
    assert (
        clock.format_instant(datetime(2021, 2, 1, 9, 5, tzinfo=PARIS), TZ, "fr")
        == "1er février 2021 à 9 h 05"
    )
    assert (
        clock.format_instant(datetime(2021, 2, 1, 9, 5, tzinfo=PARIS), TZ, "en")
        == "1 February 2021 at 09:05"
    )
    assert clock.format_instant(datetime(2021, 2, 1, tzinfo=PARIS), TZ) == "1er février 2021 à 0 h"
    assert (
        clock.format_instant(datetime(2021, 2, 1, 15, tzinfo=PARIS), TZ, "en")
        == "1 February 2021 at 15:00"
    )


def test_format_instant_shows_the_campaign_zone_across_daylight_saving():
    assert (
        clock.format_instant(datetime(2021, 3, 28, 9, 30, tzinfo=UTC), TZ, "fr")
        == "28 mars 2021 à 11 h 30"
    )
    assert (
        clock.format_instant(datetime(2021, 3, 27, 9, 30, tzinfo=UTC), TZ, "en")
        == "27 March 2021 at 10:30"
    )


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)))
def test_local_never_changes_the_instant(naive_utc):
    instant = naive_utc.replace(tzinfo=UTC)
    assert clock.utc(clock.local(instant, TZ)) == instant


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)))
def test_start_of_day_is_local_midnight_of_that_day(day):
    start = clock.local(clock.start_of_day(day, TZ), TZ)
    assert (start.date(), start.time()) == (day, time(0))
