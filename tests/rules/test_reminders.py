"""R10.2: reminders a few days and a few hours before the close, each once."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from admissions.rules.reminders import due_stage
from tests.rules.reference import campaign_2021, paris

WINDOW = campaign_2021().calendar.applications


def test_no_reminder_long_before_the_close():
    assert due_stage(WINDOW, paris(2021, 3, 1, 12, 0), frozenset()) is None


def test_days_reminder_three_days_before_the_close():
    assert due_stage(WINDOW, paris(2021, 3, 7, 0, 0), frozenset()).code == "days"
    assert due_stage(WINDOW, paris(2021, 3, 6, 23, 59), frozenset()) is None


def test_hours_reminder_six_hours_before_the_close():
    assert due_stage(WINDOW, paris(2021, 3, 9, 18, 0), frozenset({"days"})).code == "hours"


def test_a_stage_is_sent_once():
    assert due_stage(WINDOW, paris(2021, 3, 8, 9, 0), frozenset({"days"})) is None


def test_only_the_latest_missed_stage_is_sent():
    assert due_stage(WINDOW, paris(2021, 3, 9, 20, 0), frozenset()).code == "hours"


def test_nothing_after_the_close():
    assert due_stage(WINDOW, paris(2021, 3, 10, 0, 0), frozenset()) is None


@given(st.integers(min_value=0, max_value=40 * 24 * 60))
def test_a_due_stage_is_always_inside_the_window(minutes):
    now = datetime.fromisoformat("2021-02-01T00:00:00+01:00") + timedelta(minutes=minutes)
    stage = due_stage(WINDOW, now, frozenset())
    if stage is not None:
        assert WINDOW.opens_at <= now < WINDOW.closes_at
        assert now >= WINDOW.closes_at - stage.before_close
