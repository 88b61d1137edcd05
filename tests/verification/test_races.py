"""Two officers decide the same dossier at the same moment (R4.1, issue 11): the dossier's row
lock makes the second wait, then tell who decided; nothing is recorded twice.

Played on PostgreSQL with one connection per thread, as tests/dossiers/test_races_under_lock.py
does: the second officer's request starts while the first holds the lock (between its checks
and its write), so the test fails every time the lock is removed."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from admissions.audit.models import AuditEntry
from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from admissions.verification import services
from admissions.verification.models import DossierCheck
from admissions.verification.services import CheckError, decide_dossier
from tests.verification.helpers import IN_WINDOW, accept_all

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks (select_for_update) need PostgreSQL; SQLite serialises writers itself"
        )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_second_officer_deciding_meanwhile_waits_then_is_told_who_decided(
    submitted: Dossier, officer: Any, accounts_by_role: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    accept_all(submitted, officer)
    second_officer = accounts_by_role["platform_admin"]
    errors: list[BaseException] = []
    checked = services.open_replacements
    started: list[threading.Thread] = []

    def second_decides() -> None:
        try:
            decide_dossier(
                dossier=Dossier.objects.get(pk=submitted.pk),
                by=second_officer,
                now=IN_WINDOW,
                verdict="refused",
                reason="Incomplet.",
            )
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    def checked_while_another_officer_decides(dossier: Dossier, now: Any) -> Any:
        if not started:  # the first officer, between its checks and its write
            thread = threading.Thread(target=second_decides)
            started.append(thread)
            thread.start()
            thread.join(timeout=1.5)  # with the lock it waits; without, it decides now
        return checked(dossier, now)

    monkeypatch.setattr(services, "open_replacements", checked_while_another_officer_decides)

    decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="recevable")
    started[0].join()

    assert [type(error) for error in errors] == [CheckError]
    assert str(errors[0]).startswith("Ce dossier a déjà été décidé (Recevable, transmis à l'école)")
    assert list(DossierCheck.objects.values_list("verdict", "decided_by")) == [
        ("recevable", officer.pk)
    ]
    assert AuditEntry.objects.filter(action="verification.dossier.decided").count() == 1
    assert OutboundEmail.objects.filter(kind="check_verdict").count() == 1
