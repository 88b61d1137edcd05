"""Emails that are never lost (issue 10), with the real ``db_worker`` and a mail server that
refuses connections, then comes back; and with a worker that died in the middle of a task.

Time passing is simulated by moving the stored times back (``time_passes``): the worker reads
the real clock.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from admissions.dossiers.models import Dossier
from admissions.dossiers.services import submit_dossier
from admissions.notifications.models import OutboundEmail
from admissions.referees import services as referee_services
from tests.dossiers.helpers import IN_WINDOW, complete_dossier

pytestmark = pytest.mark.django_db(transaction=True)

State = OutboundEmail.State


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0)


def sweep() -> str:
    out = StringIO()
    call_command("sweep_emails", stdout=out)
    return out.getvalue()


def time_passes(minutes: int) -> None:
    delta = timedelta(minutes=minutes)
    OutboundEmail.objects.update(next_attempt_at=F("next_attempt_at") - delta)
    OutboundEmail.objects.exclude(claimed_at=None).update(claimed_at=F("claimed_at") - delta)
    DBTaskResult.objects.exclude(run_after=get_date_max()).update(run_after=F("run_after") - delta)
    DBTaskResult.objects.exclude(started_at=None).update(started_at=F("started_at") - delta)


def submitted_dossier(candidate, campaign) -> Dossier:
    from tests.dossiers.helpers import received_recommendations

    dossier = complete_dossier(candidate, campaign)
    received_recommendations(dossier)
    return submit_dossier(dossier=dossier, by=candidate, now=IN_WINDOW)


def test_smtp_outage_then_restored_sends_every_email_exactly_once(
    reference_campaign, accounts_by_role, database_tasks, smtp
):
    smtp.down = True
    candidate = accounts_by_role["candidate"]
    dossier = submitted_dossier(candidate, reference_campaign)
    other = complete_dossier(accounts_by_role["school_officer"], reference_campaign)
    referee_services.name_referee(
        dossier=other,
        kind="academic",
        name="Camille Durand",
        role="Professeure",
        email="camille.durand@example.org",
        by=other.candidate,
        now=IN_WINDOW,
    )

    run_worker()  # first attempts: connection refused
    time_passes(minutes=2)
    run_worker()  # second attempts: still refused
    first_rows = list(OutboundEmail.objects.order_by("key").values_list("key", "state", "attempts"))
    smtp.down = False
    time_passes(minutes=20)  # the retries are due, and the sweep finds them late: both race
    swept = sweep()
    run_worker()
    run_worker()

    assert first_rows == [
        (f"receipt:{dossier.pk}", State.QUEUED, 2),
        (f"referee:{other.referees.get().pk}:request", State.QUEUED, 2),
    ]
    assert swept.startswith("0 task(s) reclaimed, 2 email(s) queued again")
    assert smtp.recipients() == sorted([candidate.email, "camille.durand@example.org"])
    assert list(OutboundEmail.objects.values_list("state", "attempts", "last_error")) == [
        (State.SENT, 3, ""),
        (State.SENT, 3, ""),
    ]
    assert smtp.delivered[0].attachments[0][2] == "application/pdf"


def test_receipt_task_left_running_by_a_killed_worker_is_reclaimed_and_sent_once(
    reference_campaign, accounts_by_role, database_tasks, smtp
):
    candidate = accounts_by_role["candidate"]
    dossier = submitted_dossier(candidate, reference_campaign)
    # The worker took the task and was killed while making the PDF: the task stays RUNNING.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["killed"]
    )
    run_worker()
    before_lease = sweep()
    nothing_yet = list(smtp.delivered)

    time_passes(minutes=11)
    after_lease = sweep()
    run_worker()
    time_passes(minutes=30)
    sweep()
    run_worker()

    assert before_lease.startswith("0 task(s) reclaimed, 0 email(s) queued again")
    assert nothing_yet == []
    # Both the reclaimed task and a new one run: the claim lets one of them send.
    assert after_lease.startswith("1 task(s) reclaimed, 1 email(s) queued again")
    assert smtp.recipients() == [candidate.email]
    assert OutboundEmail.objects.get().key == f"receipt:{dossier.pk}"
    assert OutboundEmail.objects.get().state == State.SENT
    assert sorted(DBTaskResult.objects.values_list("status", "return_value")) == [
        (TaskResultStatus.SUCCESSFUL, State.SENT),
        (TaskResultStatus.SUCCESSFUL, State.SENT),
    ]


def test_worker_killed_after_the_smtp_exchange_does_not_send_twice(
    reference_campaign, accounts_by_role, database_tasks, smtp
):
    submitted_dossier(accounts_by_role["candidate"], reference_campaign)
    # Killed after the mail server took the message, before the row was marked sent.
    OutboundEmail.objects.update(state=State.SENDING, attempts=1, claimed_at=timezone.now())
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["killed"]
    )

    time_passes(minutes=11)
    swept = sweep()
    run_worker()

    assert swept.startswith(
        "1 task(s) reclaimed, 0 email(s) queued again, 1 interrupted email(s) marked failed"
    )
    assert smtp.delivered == []
    assert OutboundEmail.objects.get().state == State.FAILED


def test_sweep_owes_the_receipt_of_a_submitted_dossier_that_has_none(
    reference_campaign, accounts_by_role, database_tasks, smtp
):
    candidate = accounts_by_role["candidate"]
    submitted_dossier(candidate, reference_campaign)
    OutboundEmail.objects.all().delete()  # queued before the outbox existed, or lost
    DBTaskResult.objects.all().delete()

    first = sweep()
    run_worker()
    second = sweep()
    run_worker()

    assert first.endswith("1 missing receipt(s) and 0 missing confirmation(s) queued\n")
    assert second.endswith("0 missing receipt(s) and 0 missing confirmation(s) queued\n")
    assert smtp.recipients() == [candidate.email]
