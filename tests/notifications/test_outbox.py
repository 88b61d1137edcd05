"""The outbox (admissions/notifications, issue 10): each email once, retried, failures kept."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from admissions.accounts.models import User
from admissions.notifications import services
from admissions.notifications.models import OutboundEmail
from admissions.rules.delivery import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db

State = OutboundEmail.State


def account_email(
    key: str = "account:test", *, subject: str = "Votre compte", to: str = "ana@example.org"
):
    return services.queue_email(
        kind=OutboundEmail.Kind.ACCOUNT,
        key=key,
        recipient=to,
        payload={
            "subject": subject,
            "body": "Bonjour",
            "from_email": "admissions@example.org",
            "to": [to],
            "html": "",
        },
    )


def make_due(email: OutboundEmail) -> None:
    """As if the back-off delay had passed."""
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_queue_email_twice_with_one_key_sends_once(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = account_email()
        second = account_email()

    assert first.pk == second.pk
    assert smtp.recipients() == ["ana@example.org"]
    assert OutboundEmail.objects.get().state == State.SENT


def test_deliver_retries_after_a_refused_connection_then_sends_once_restored(
    smtp, django_capture_on_commit_callbacks
):
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        email = account_email()
    email.refresh_from_db()
    early = services.deliver(email_id=email.pk)  # the back-off delay has not passed

    assert (email.state, email.attempts, early) == (State.QUEUED, 1, State.QUEUED)
    assert email.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert timedelta(seconds=50) < email.next_attempt_at - timezone.now() <= timedelta(minutes=1)

    smtp.down = False
    make_due(email)
    outcome = services.deliver(email_id=email.pk)
    again = services.deliver(email_id=email.pk)

    email.refresh_from_db()
    assert (outcome, again) == (State.SENT, State.SENT)
    assert (email.state, email.attempts, email.last_error) == (State.SENT, 2, "")
    assert smtp.recipients() == ["ana@example.org"]


def test_deliver_fails_after_the_last_attempt(smtp, django_capture_on_commit_callbacks):
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        email = account_email()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS - 1)
    make_due(email)

    outcome = services.deliver(email_id=email.pk)

    email.refresh_from_db()
    assert (outcome, email.state, email.attempts) == (State.FAILED, State.FAILED, MAX_ATTEMPTS)


def test_deliver_fails_at_once_on_a_header_error(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = account_email(subject="Bonjour\nBcc: victim@example.org")

    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.FAILED, 1)
    assert email.last_error.startswith("BadHeaderError: Header values can't contain newlines")
    assert smtp.delivered == []


def test_deliver_fails_at_once_when_the_server_refuses_the_address(
    smtp, django_capture_on_commit_callbacks
):
    smtp.refused = {"nobody@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        email = account_email(to="nobody@example.org")

    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.FAILED, 1)
    assert email.last_error.startswith("SMTPRecipientsRefused")


def test_deliver_clears_the_secret_link_of_an_account_email_once_sent(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = account_email()

    email.refresh_from_db()
    assert (email.state, email.payload, email.subject) == (State.SENT, {}, "Votre compte")


def test_sweep_queues_again_an_email_whose_task_was_lost(smtp):
    email = account_email()  # no commit callback runs: as if the process died before queueing
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=11)
    )

    report = services.sweep(now=timezone.now())
    second = services.sweep(now=timezone.now())

    email.refresh_from_db()
    assert (report.requeued, second.requeued) == (1, 0)
    assert email.state == State.SENT
    assert smtp.recipients() == ["ana@example.org"]


def test_sweep_never_resends_an_email_interrupted_during_the_smtp_exchange(smtp):
    email = account_email()
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=State.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=11)
    )

    report = services.sweep(now=timezone.now())
    outcome = services.deliver(email_id=email.pk)

    email.refresh_from_db()
    assert (report.interrupted, outcome, email.state) == (1, State.FAILED, State.FAILED)
    assert (
        email.last_error
        == "Interrupted while being handed to the mail server: delivery unknown, not resent."
    )
    assert smtp.delivered == []


def test_sweep_emails_sends_the_confirmation_an_unconfirmed_account_never_got(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://admissions.example.org"
    user = User.objects.create_user(
        "lea@example.org", "pw", date_joined=timezone.now() - timedelta(hours=1)
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    confirmed = User.objects.create_user(
        "max@example.org", "pw", date_joined=timezone.now() - timedelta(hours=1)
    )
    EmailAddress.objects.create(user=confirmed, email=confirmed.email, primary=True, verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_emails", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_emails", stdout=StringIO())

    assert smtp.recipients() == ["lea@example.org"]
    assert "https://admissions.example.org/accounts/confirm-email/" in smtp.delivered[0].body
    assert OutboundEmail.objects.get().kind == OutboundEmail.Kind.ACCOUNT_CONFIRMATION


def test_sweep_emails_leaves_an_account_still_signing_up(smtp, django_capture_on_commit_callbacks):
    user = User.objects.create_user(
        "lea@example.org", "pw", date_joined=timezone.now() - timedelta(minutes=2)
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_emails", stdout=StringIO())

    assert smtp.delivered == []


def test_send_again_queues_a_failed_email_once_and_leaves_sent_ones(
    smtp, django_capture_on_commit_callbacks
):
    smtp.refused = {"nobody@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        failed = account_email("account:failed", to="nobody@example.org")
        sent = account_email("account:sent")
    smtp.refused = set()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_again(email_ids=[failed.pk, sent.pk])

    failed.refresh_from_db()
    assert again == 1
    assert (failed.state, failed.attempts) == (State.SENT, 1)
    assert smtp.recipients() == ["ana@example.org", "nobody@example.org"]


def test_sweep_emails_does_not_retry_a_confirmation_the_server_refused(
    smtp, django_capture_on_commit_callbacks
):
    smtp.refused = {"lea@example.org"}
    user = User.objects.create_user(
        "lea@example.org", "pw", date_joined=timezone.now() - timedelta(hours=1)
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    for _round in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("sweep_emails", stdout=StringIO())

    assert list(OutboundEmail.objects.values_list("state", flat=True)) == [State.FAILED]


def test_a_permanent_failure_is_never_tried_again_by_the_worker_or_the_sweep(
    smtp, django_capture_on_commit_callbacks
):
    smtp.refused = {"nobody@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        email = account_email(to="nobody@example.org")
    smtp.refused = set()  # the address would now be accepted: still nothing is sent
    make_due(email)

    outcome = services.deliver(email_id=email.pk)
    report = services.sweep(now=timezone.now() + timedelta(days=1))

    email.refresh_from_db()
    assert (outcome, report.requeued) == (State.FAILED, 0)
    assert (email.state, email.attempts) == (State.FAILED, 1)
    assert smtp.delivered == []


def test_each_failed_attempt_schedules_the_next_by_the_back_off(
    smtp, django_capture_on_commit_callbacks
):
    """The delays of rules/delivery.py, attempt after attempt, until the email is failed."""
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        email = account_email()
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        email.refresh_from_db()
        if email.state != State.QUEUED:
            break
        if email.attempts:
            waits.append(round((email.next_attempt_at - timezone.now()).total_seconds() / 60))
            make_due(email)
            services.deliver(email_id=email.pk)

    email.refresh_from_db()
    assert waits == [1, 5, 15, 60, 60, 60, 60, 60]
    assert (email.state, email.attempts) == (State.FAILED, MAX_ATTEMPTS)
