"""Fixtures of the company-search help: the company phase's (admitted candidates, officers,
instants), plus sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from admissions.accounts.models import Role
from admissions.company_search.models import TrainingSession
from admissions.company_search.services import SessionDetails, save_session
from tests.companies import conftest as company_phase
from tests.companies.conftest import JUNE, PARIS, staff

# The company phase's fixtures, for this package's tests too.
campaign = company_phase.campaign
officer = company_phase.officer
other_officer = company_phase.other_officer
clock_at = company_phase.clock_at

SESSION_AT = datetime(2021, 6, 15, 14, 0, tzinfo=PARIS)


def details(**changes) -> SessionDetails:
    values = {
        "starts_at": SESSION_AT,
        "ends_at": SESSION_AT + timedelta(hours=3),
        "remote": False,
        "place": "Campus de Jarlard, amphi 1",
        "link": "",
        "capacity": 2,
        "notes": "Apportez votre CV.",
    }
    values.update(changes)
    return SessionDetails(**values)


def new_session(campaign, by, now: datetime = JUNE, **changes) -> TrainingSession:
    return save_session(campaign=campaign, details=details(**changes), by=by, now=now)


@pytest.fixture
def central(campaign):
    return staff("central@network.example", Role.CENTRAL_OFFICER, None)


@pytest.fixture
def session(campaign, officer):
    return new_session(campaign, officer)
