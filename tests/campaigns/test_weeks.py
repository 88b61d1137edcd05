"""ISO weeks as written in campaign files ("2021-W40")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.campaigns.schema import format_week, parse_week


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_real_week_round_trips(day):
    iso = day.isocalendar()

    assert parse_week(format_week((iso.year, iso.week))) == (iso.year, iso.week)


def test_week_53_exists_only_in_long_years():
    assert parse_week("2020-W53") == (2020, 53)
    with pytest.raises(ValueError, match="2021 has ISO weeks W01 to W52"):
        parse_week("2021-W53")


def test_lower_case_is_accepted_and_normalised():
    assert format_week(parse_week("2022-w05")) == "2022-W05"


def test_2021_w52_is_followed_by_2022_w01():
    last = date.fromisocalendar(*parse_week("2021-W52"), 1)

    assert (last + timedelta(weeks=1)).isocalendar()[:2] == parse_week("2022-W01")
