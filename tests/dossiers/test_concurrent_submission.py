"""R3.7: a double click or a replayed request submits once, even when the requests race."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from admissions.audit.models import AuditEntry
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import submit_dossier
from tests.dossiers.helpers import IN_WINDOW, complete_dossier

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks (select_for_update) need PostgreSQL; SQLite serialises writers itself"
        )


def test_racing_submissions_record_one_submission(reference_campaign, accounts_by_role, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    from tests.dossiers.helpers import received_recommendations

    received_recommendations(dossier)
    start = threading.Barrier(6)
    errors = []

    def click():
        try:
            start.wait()
            submit_dossier(
                dossier=Dossier.objects.get(pk=dossier.pk), by=dossier.candidate, now=IN_WINDOW
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Dossier.objects.get(pk=dossier.pk).state == Dossier.State.SUBMITTED
    assert AuditEntry.objects.filter(action="dossiers.dossier.submitted").count() == 1
