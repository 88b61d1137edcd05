"""R5.1 under concurrency: two officers deciding the same dossier at once record one decision,
and the other is told who decided (the dossier row lock), never a database error."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from admissions.audit.models import AuditEntry
from admissions.committee.models import AdmissibilityDecision
from admissions.committee.services import CommitteeError, decide_admissibility
from admissions.dossiers.models import Dossier
from tests.committee.conftest import BEFORE, staff

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks (select_for_update) need PostgreSQL; SQLite serialises writers itself"
        )


def test_racing_decisions_record_one_and_tell_the_others(forwarded, reference_campaign):
    officers = [
        staff(f"officer{index}@school.example", "school_officer", reference_campaign.school)
        for index in range(4)
    ]
    start = threading.Barrier(len(officers))
    refused: list[str] = []
    errors: list[Exception] = []

    def decide(officer, admissible):
        try:
            start.wait()
            decide_admissibility(
                dossier=Dossier.objects.get(pk=forwarded.pk),
                by=officer,
                admissible=admissible,
                comment="Motif.",
                now=BEFORE,
            )
        except CommitteeError as error:
            refused.append(error.message)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(officer, index % 2 == 0))
        for index, officer in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AdmissibilityDecision.objects.count() == 1
    assert len(refused) == len(officers) - 1
    assert AuditEntry.objects.filter(action="committee.decision.recorded").count() == 1
