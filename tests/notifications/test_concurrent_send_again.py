"""R8.2: two staff clicking "send again" on one failed email at once queue it once, audited once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from admissions.audit.models import AuditEntry
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import OutboxError, send_email_again
from tests.notifications.test_outbox_pages import email_row

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks (select_for_update) need PostgreSQL; SQLite serialises writers itself"
        )


def test_racing_send_again_queues_once_and_records_once(accounts_by_role, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    email = email_row("k:failed", state=OutboundEmail.State.FAILED, attempts=9)
    officer = accounts_by_role["central_officer"]
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def click():
        try:
            start.wait()
            send_email_again(email=OutboundEmail.objects.get(pk=email.pk), by=officer)
            outcomes.append("queued")
        except OutboxError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    email.refresh_from_db()
    assert sorted(outcomes) == ["queued"] + ["refused"] * 5
    assert (email.state, email.attempts) == (OutboundEmail.State.QUEUED, 0)
    assert AuditEntry.objects.filter(action="notifications.email.sent_again").count() == 1
