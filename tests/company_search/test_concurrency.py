"""R7.3 under concurrency: candidates racing for a session's last seats never overfill it (the
conditional UPDATE), and one candidate's double click registers once (the dossier row lock)."""

from __future__ import annotations

import pytest
from django.db import connection

from admissions.company_search import services
from admissions.company_search.models import SessionRegistration, TrainingSession
from admissions.company_search.services import SearchHelpError
from tests.companies.conftest import JUNE, make_dossier
from tests.companies.test_concurrency import run_at_once

from .conftest import new_session

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writers")


def test_racing_candidates_never_overfill_a_session(campaign, officer):
    session = new_session(campaign, officer, capacity=2)
    dossiers = [make_dossier(campaign, f"c{i}@example.org") for i in range(5)]

    errors = run_at_once(
        [
            lambda d=d: services.register(dossier=d, session_id=session.pk, by=None, now=JUNE)
            for d in dossiers
        ]
    )

    session.refresh_from_db()
    assert (session.registered, SessionRegistration.objects.count()) == (2, 2)
    assert len(errors) == 3 and all(isinstance(e, SearchHelpError) for e in errors)
    assert all("complète" in e.message for e in errors if isinstance(e, SearchHelpError))


def test_a_double_click_at_once_registers_once(campaign, officer):
    session = new_session(campaign, officer, capacity=5)
    dossier = make_dossier(campaign, "twice@example.org")

    errors = run_at_once(
        [
            lambda: services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)
            for _ in range(3)
        ]
    )

    assert len(errors) == 2 and TrainingSession.objects.get().registered == 1
