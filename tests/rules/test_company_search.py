"""The company-search help's rules (R7.3): what a training session must be, who may register
or ask for phone advice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from admissions.rules.company_search import (
    CAPACITY_MAX,
    can_ask_phone_advice,
    can_register,
    session_problems,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2021, 5, 3, 10, 0, tzinfo=PARIS)
FROZEN = datetime(2021, 9, 21, 0, 0, tzinfo=PARIS)
START = datetime(2021, 5, 10, 14, 0, tzinfo=PARIS)


def problems(**changes) -> tuple[str, ...]:
    values = {
        "starts_at": START,
        "ends_at": START + timedelta(hours=3),
        "now": NOW,
        "frozen_at": FROZEN,
        "capacity": 20,
        "registered": 0,
        "remote": False,
        "place": "Amphi 1",
        "link": "",
    }
    values.update(changes)
    return tuple(reason.code for reason in session_problems(**values))


def test_a_well_formed_session_has_no_problem():
    assert problems() == ()


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"starts_at": NOW - timedelta(days=1), "ends_at": NOW}, "training.in_the_past"),
        ({"starts_at": NOW, "ends_at": NOW + timedelta(hours=1)}, "training.in_the_past"),
        (
            {"starts_at": FROZEN, "ends_at": FROZEN + timedelta(hours=1)},
            "training.after_freeze",
        ),
        ({"ends_at": START}, "training.ends_before_start"),
        ({"capacity": 0}, "training.no_seat"),
        ({"capacity": -3}, "training.no_seat"),
        ({"capacity": CAPACITY_MAX + 1}, "training.too_many_seats"),
        ({"capacity": 4, "registered": 5}, "training.below_registered"),
        ({"remote": True, "link": " "}, "training.remote_without_link"),
        ({"place": "  "}, "training.no_place"),
    ],
)
def test_a_bad_session_says_why(changes, code):
    assert problems(**changes) == (code,)


def test_the_reasons_read_in_both_languages():
    (reason,) = session_problems(
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        now=NOW,
        frozen_at=FROZEN,
        capacity=0,
        remote=False,
        place="Amphi",
        link="",
    )

    assert reason.text("fr") == "Une session a au moins une place."
    assert reason.text("en") == "A session has at least one seat."


def decision(**changes):
    values = {
        "now": NOW,
        "frozen_at": FROZEN,
        "company_confirmed": False,
        "session_starts_at": START,
        "session_cancelled": False,
        "registered": 3,
        "capacity": 20,
    }
    values.update(changes)
    return can_register(**values)


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"now": FROZEN}, "training.frozen"),
        ({"company_confirmed": True}, "training.company_confirmed"),
        ({"session_cancelled": True}, "training.cancelled"),
        ({"session_starts_at": NOW}, "training.started"),
        ({"registered": 20}, "training.full"),
    ],
)
def test_registration_is_refused_with_its_reason(changes, code):
    refused = decision(**changes)

    assert (bool(refused), [r.code for r in refused.reasons]) == (False, [code])


def test_registration_is_allowed_with_a_seat_left():
    assert bool(decision(registered=19)) is True


def test_phone_advice_closes_at_the_freeze_and_with_a_confirmed_company():
    assert bool(can_ask_phone_advice(now=NOW, frozen_at=FROZEN, company_confirmed=False)) is True
    assert (
        bool(can_ask_phone_advice(now=FROZEN, frozen_at=FROZEN, company_confirmed=False)) is False
    )
    assert bool(can_ask_phone_advice(now=NOW, frozen_at=FROZEN, company_confirmed=True)) is False
