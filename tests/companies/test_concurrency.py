"""R7.1/R7.2 under concurrency: companies confirming at once are ranked one after the other (the
campaign row lock), so the seats are never over-filled and each candidate is emailed once; the
same link posted twice at once records one answer."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from admissions.audit.models import AuditEntry
from admissions.companies.models import HostCompany, ListPlace
from admissions.notifications.models import OutboundEmail

from .conftest import JUNE, SEATS, confirm, declare, make_dossier

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writers")


def run_at_once(calls) -> list[Exception]:
    start = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_racing_confirmations_never_overfill_the_seats(campaign):
    companies = [declare(make_dossier(campaign, f"c{i}@example.org")) for i in range(SEATS + 2)]

    errors = run_at_once(
        [
            lambda c=c, i=i: confirm(HostCompany.objects.get(pk=c.pk), JUNE + timedelta(seconds=i))
            for i, c in enumerate(companies)
        ]
    )

    assert errors == []
    standings = list(ListPlace.objects.values_list("standing", flat=True))
    assert sorted(standings) == ["admitted"] * SEATS + ["waiting"] * 2
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.FINAL_LIST_PLACE).count() == len(
        companies
    )


def test_one_link_posted_twice_at_once_records_one_answer(campaign):
    company = declare(make_dossier(campaign, "twice@example.org"))

    errors = run_at_once(
        [lambda: confirm(HostCompany.objects.get(pk=company.pk), JUNE) for _ in range(3)]
    )

    assert errors == []
    assert AuditEntry.objects.filter(action="companies.company.confirmed").count() == 1
    assert ListPlace.objects.get().standing == "admitted"
