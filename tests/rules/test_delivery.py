"""When a failed email is tried again (rules/delivery.py, issue 10)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admissions.rules.delivery import MAX_ATTEMPTS, retry_delay


def test_retry_delay_backs_off_then_stays_at_an_hour():
    delays = [retry_delay(attempts) for attempts in range(1, MAX_ATTEMPTS)]

    assert delays[:4] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
    ]
    assert delays[4:] == [timedelta(hours=1)] * (MAX_ATTEMPTS - 5)


def test_retry_delay_gives_up_after_the_last_attempt():
    assert retry_delay(MAX_ATTEMPTS) is None
    assert sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta()) > timedelta(hours=5)


def test_retry_delay_refuses_a_count_without_failure():
    with pytest.raises(ValueError):
        retry_delay(0)
