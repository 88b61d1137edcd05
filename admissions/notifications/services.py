"""Queue and deliver the platform's emails through the outbox (R8.2).

How an email is sent exactly once, although the mail server is outside the database:

1. ``queue_email`` creates the row in the caller's transaction (the unique key makes a second
   request for the same email a no-op) and queues ``deliver_email`` after commit.
2. ``deliver`` composes the message (templates, the receipt's PDF: the slow part) while the row
   is still QUEUED, then claims it with a conditional UPDATE (QUEUED -> SENDING, committed at
   once). Only one worker wins the claim; a second task for the same row stops there.
3. The message is handed to the mail server, then the row is marked SENT.

What remains: a worker that dies between the mail server accepting the message and the SENT
update (the length of one SMTP exchange) leaves the row SENDING. Whether the email left is then
unknown, and a second copy would be worse than a missing one that the page shows as failed: the
sweep turns such rows into FAILED after the lease, and nothing ever resends a SENDING or a SENT
row. A worker that dies while composing leaves the row QUEUED: the sweep sends it again.

A failed attempt (server refused, timeout) puts the row back in QUEUED with the next attempt
time from ``rules.delivery``, and queues the task again for that time. A message that cannot
be sent at all (a header the server or Django refuses, an address refused for good) is FAILED
at once. Timings here use the real clock (``timezone.now()``): they are compared with the
worker's, not with the campaign's clock.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from admissions.notifications.models import OutboundEmail
from admissions.rules.delivery import retry_delay

if TYPE_CHECKING:
    from admissions.accounts.models import User
    from admissions.dossiers.models import Dossier

logger = logging.getLogger(__name__)

Kind = OutboundEmail.Kind
State = OutboundEmail.State

# Who turns a row into a message, by kind. A composer returns None when the email is no longer
# needed (the referee answered meanwhile, the dossier was submitted before its reminder left).
COMPOSERS: dict[str, str] = {
    Kind.RECEIPT: "admissions.dossiers.emails.compose_receipt",
    Kind.DOSSIER_REMINDER: "admissions.dossiers.emails.compose_reminder",
    Kind.REFEREE_REQUEST: "admissions.referees.emails.compose_request",
    Kind.REFEREE_REMINDER: "admissions.referees.emails.compose_request",
    Kind.SUPPORT_NOTICE: "admissions.support.emails.compose_new_message",
    Kind.ACCOUNT_CONFIRMATION: "admissions.accounts.emails.compose_account_email",
    Kind.ACCOUNT: "admissions.accounts.emails.compose_account_email",
    Kind.PAYMENT_DECISION: "admissions.payments.emails.compose_decision",
    Kind.FIX_LIST: "admissions.verification.emails.compose_fix_list",
    Kind.CHECK_VERDICT: "admissions.verification.emails.compose_verdict",
    Kind.ADMISSIBILITY_RESULT: "admissions.committee.emails.compose_result",
    Kind.ACADEMIC_RESULT: "admissions.exams.academic_emails.compose_academic_result",
    Kind.ACCOMMODATION_DECISION: "admissions.exams.emails.booking.compose_accommodation_decision",
    Kind.CONVOCATION: "admissions.exams.emails_timetable.compose_convocation",
    Kind.COMPANY_REQUEST: "admissions.companies.emails.compose_company_request",
    Kind.COMPANY_DECLINED: "admissions.companies.emails.compose_declined",
    Kind.FINAL_LIST_PLACE: "admissions.companies.emails.compose_list_place",
    Kind.FRAUD_EXCLUSION: "admissions.companies.emails.compose_fraud",
    Kind.FINAL_LIST_FROZEN: "admissions.companies.emails.compose_frozen",
    Kind.TRAINING_INVITATION: "admissions.company_search.emails.compose_invitation",
    Kind.TRAINING_CANCELLED: "admissions.company_search.emails.compose_cancelled",
    Kind.TRAINING_CHANGED: "admissions.company_search.emails.compose_changed",
    Kind.CALENDAR_LINK: "admissions.alternation.emails.compose_calendar_link",
    Kind.PREENTRY_REMINDER: "admissions.preentry.emails.compose_reminder",
    Kind.PREENTRY_REFUSED: "admissions.preentry.emails.compose_refusal",
}
# How staff preview each kind (R8.2): a function (campaign, language) -> [(variant, message)]
# built from made-up data (notifications/previews.py). A kind without one fails
# tests/notifications/test_previews.py.
PREVIEWS: dict[str, str] = {
    Kind.RECEIPT: "admissions.dossiers.emails.preview_receipt",
    Kind.DOSSIER_REMINDER: "admissions.dossiers.emails.preview_reminder",
    Kind.REFEREE_REQUEST: "admissions.referees.emails.preview_request",
    Kind.REFEREE_REMINDER: "admissions.referees.emails.preview_reminder",
    Kind.SUPPORT_NOTICE: "admissions.support.emails.preview_new_message",
    Kind.ACCOUNT_CONFIRMATION: "admissions.accounts.emails.preview_confirmation",
    Kind.ACCOUNT: "admissions.accounts.emails.preview_account_emails",
    Kind.PAYMENT_DECISION: "admissions.payments.emails.preview_decision",
    Kind.FIX_LIST: "admissions.verification.emails.preview_fix_list",
    Kind.CHECK_VERDICT: "admissions.verification.emails.preview_verdict",
    Kind.ADMISSIBILITY_RESULT: "admissions.committee.emails.preview_result",
    Kind.ACADEMIC_RESULT: "admissions.exams.academic_emails.preview_academic_result",
    Kind.ACCOMMODATION_DECISION: "admissions.exams.emails.booking.preview_accommodation_decision",
    Kind.CONVOCATION: "admissions.exams.emails_timetable.preview_convocation",
    Kind.COMPANY_REQUEST: "admissions.companies.emails.preview_company_request",
    Kind.COMPANY_DECLINED: "admissions.companies.emails.preview_declined",
    Kind.FINAL_LIST_PLACE: "admissions.companies.emails.preview_list_place",
    Kind.FRAUD_EXCLUSION: "admissions.companies.emails.preview_fraud",
    Kind.FINAL_LIST_FROZEN: "admissions.companies.emails.preview_frozen",
    Kind.TRAINING_INVITATION: "admissions.company_search.emails.preview_invitation",
    Kind.TRAINING_CANCELLED: "admissions.company_search.emails.preview_cancelled",
    Kind.TRAINING_CHANGED: "admissions.company_search.emails.preview_changed",
    Kind.CALENDAR_LINK: "admissions.alternation.emails.preview_calendar_link",
    Kind.PREENTRY_REMINDER: "admissions.preentry.emails.preview_reminder",
    Kind.PREENTRY_REFUSED: "admissions.preentry.emails.preview_refusal",
}
# Kinds whose payload holds a secret (a confirmation or reset link): cleared once sent.
SECRET_KINDS = frozenset({Kind.ACCOUNT_CONFIRMATION, Kind.ACCOUNT})
# Kinds whose body carries a personal link that acts for its recipient (confirm an address,
# reset a password, write a recommendation): the body kept for staff masks every link.
PERSONAL_LINK_KINDS = frozenset(
    {
        Kind.ACCOUNT_CONFIRMATION,
        Kind.ACCOUNT,
        Kind.REFEREE_REQUEST,
        Kind.REFEREE_REMINDER,
        Kind.COMPANY_REQUEST,
        Kind.CALENDAR_LINK,
    }
)
MASKED_LINK = "[lien personnel masqué / personal link hidden]"
LINK = re.compile(r"(?:https?|webcal)://\S+")

# A task or a claim older than this is taken to belong to a dead worker. Sending one email,
# PDF included, takes seconds; a worker that is merely slow loses nothing (the claim decides).
LEASE = timedelta(minutes=10)

# Tasks that may safely run twice, so the sweep may reclaim them when left RUNNING.
RECLAIMABLE_TASKS = (
    "admissions.notifications.tasks.deliver_email",
    "admissions.dossiers.tasks.send_submission_receipt",
    "admissions.dossiers.tasks.send_dossier_reminder",
    "admissions.referees.tasks.send_referee_request",
    "admissions.referees.tasks.remind_silent_referees",
    "admissions.support.tasks.notify_new_message",
    "admissions.accounts.tasks.send_account_email",
)


# --- Queueing -------------------------------------------------------------------------------


def queue_email(
    *,
    kind: str,
    key: str,
    recipient: str = "",
    language: str = "fr",
    payload: dict[str, Any] | None = None,
    dossier: Dossier | None = None,
) -> OutboundEmail:
    """Record the email ``key`` as owed, once, and deliver it after the caller's commit.

    Call it inside the transaction that makes the email due: if that transaction rolls back,
    no email is owed. A key already queued returns the existing row and queues nothing.
    ``dossier`` is the dossier the email is about, if any: it decides which school's staff
    read the email in the outbox (R9.2). ``language``: see accounts.languages.recipient_language.
    """
    now = timezone.now()
    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "recipient": recipient,
                "language": language,
                "payload": payload or {},
                "dossier": dossier,
                "queued_at": now,
                "next_attempt_at": now,
            },
        )
    if created:
        email_id = email.pk
        transaction.on_commit(lambda: enqueue_delivery(email_id))
    return email


def enqueue_delivery(email_id: int, *, run_after: datetime | None = None) -> None:
    """Queue ``deliver_email``; a deferred one only where the backend can defer (else the sweep)."""
    from admissions.notifications.tasks import deliver_email  # tasks import services

    task = deliver_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # e.g. the immediate backend of the tests: the sweep queues it when due
        task = task.using(run_after=run_after)
    task.enqueue(email_id)


# --- Delivery -------------------------------------------------------------------------------


def compose(email: OutboundEmail) -> EmailMessage | None:
    composer: Callable[[OutboundEmail], EmailMessage | None] = import_string(COMPOSERS[email.kind])
    return composer(email)


def is_permanent(error: BaseException) -> bool:
    """True when trying again cannot help: a refused header or address, a 5xx answer."""
    if isinstance(error, ValueError):  # BadHeaderError, an address Django cannot encode
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False  # connection refused, timeout, server gone: the server may come back


def shown_body(kind: str, message: EmailMessage) -> str:
    """The text part kept for staff to read (R8.2), personal links masked for their kinds."""
    body = str(message.body or "")
    if kind in PERSONAL_LINK_KINDS:
        body = LINK.sub(MASKED_LINK, body)
    return body


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def deliver(*, email_id: int) -> str:
    """Try to send the email once; return the row's state afterwards (for the task's result).

    Must run outside a transaction: the claim and the outcome are committed as they happen.
    """
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if email is None:
        logger.warning("outbound email %s vanished before it was sent", email_id)
        return "missing"
    now = timezone.now()
    if email.state != State.QUEUED or email.next_attempt_at > now:
        return email.state  # sent, failed, taken by another worker, or a retry not yet due
    try:
        message = compose(email)
        if message is not None:
            message.message()  # builds the MIME now: a bad header fails before the claim
    except ObjectDoesNotExist:
        message = None  # what the email was about is gone
    except Exception as error:  # noqa: BLE001 - recorded on the row, retried or failed
        return _record_failure(email, error, claimed=False)
    if message is None:
        OutboundEmail.objects.filter(pk=email.pk, state=State.QUEUED).update(state=State.SKIPPED)
        return State.SKIPPED
    recipient = ", ".join(message.to)[:254]
    subject = str(message.subject)[:255]
    claimed = OutboundEmail.objects.filter(
        pk=email.pk, state=State.QUEUED, attempts=email.attempts
    ).update(
        state=State.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        recipient=recipient,
        subject=subject,
        body=shown_body(email.kind, message),
    )
    if claimed != 1:
        return "taken"  # another worker claimed it first; it sends, this one does not
    email.attempts += 1
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - recorded on the row, retried or failed
        return _record_failure(email, error, claimed=True)
    # The window of doubt closes here (see the module docstring).
    done: dict[str, Any] = {"state": State.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.kind in SECRET_KINDS:
        done["payload"] = {}
    OutboundEmail.objects.filter(pk=email.pk, state=State.SENDING).update(**done)
    return State.SENT


def _record_failure(email: OutboundEmail, error: BaseException, *, claimed: bool) -> str:
    """Schedule the next attempt, or fail the row when the error is permanent or attempts ran out."""
    now = timezone.now()
    attempts = email.attempts if claimed else email.attempts + 1
    delay = None if is_permanent(error) else retry_delay(attempts)
    logger.warning("email %s attempt %s failed: %s", email.key, attempts, describe(error))
    rows = OutboundEmail.objects.filter(
        pk=email.pk, state=State.SENDING if claimed else State.QUEUED
    )
    if not claimed:
        rows = rows.filter(attempts=email.attempts)
    changes: dict[str, Any] = {"last_error": describe(error), "attempts": attempts}
    if delay is None:
        changes["state"] = State.FAILED
    else:
        changes.update(state=State.QUEUED, next_attempt_at=now + delay)
    if rows.update(**changes) != 1:
        return "taken"
    if delay is None:
        return State.FAILED
    enqueue_delivery(email.pk, run_after=now + delay)
    return State.QUEUED


def send_again(*, email_ids: list[int]) -> int:
    """Queue again failed emails (staff's decision, e.g. after an interrupted hand-over or a
    fixed address); return how many. Sent and pending emails are left alone."""
    now = timezone.now()
    again = 0
    for email_id in email_ids:
        if OutboundEmail.objects.filter(pk=email_id, state=State.FAILED).update(
            state=State.QUEUED, next_attempt_at=now, attempts=0
        ):
            transaction.on_commit(partial(enqueue_delivery, email_id))
            again += 1
    return again


class OutboxError(Exception):
    """A staff action on the outbox that cannot be done; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def send_email_again(*, email: OutboundEmail, by: User) -> OutboundEmail:
    """Staff's "send again" on a failed email (R8.2): queued once more, from its first attempt.

    Raises OutboxError when the email is no longer failed (sent again meanwhile by someone
    else, a double click). Side effects: audit entry; delivery queued after commit."""
    from admissions.audit.services import record  # audit imports the clock: kept out of import

    with transaction.atomic():
        locked = OutboundEmail.objects.select_for_update().get(pk=email.pk)
        if locked.state != State.FAILED:
            raise OutboxError(
                _("Ce courriel n'est pas en échec (il a déjà été remis en file) : rien n'est fait.")
            )
        send_again(email_ids=[locked.pk])
        record(by, "notifications.email.sent_again", locked, data={"error": locked.last_error})
    locked.refresh_from_db()
    return locked


# --- Sweep ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepReport:
    reclaimed_tasks: int  # tasks left RUNNING by a dead worker, set back to READY
    requeued: int  # queued emails whose task was lost, queued again
    interrupted: int  # emails whose worker died while handing them over: failed, not resent


def reclaim_stale_tasks(*, now: datetime, lease: timedelta = LEASE) -> int:
    """Set tasks that a dead worker left RUNNING back to READY, so that a live worker runs them."""
    from django_tasks_db.compat import TaskResultStatus  # the database backend's own model
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - lease,
        task_path__in=RECLAIMABLE_TASKS,
    ).update(status=TaskResultStatus.READY, run_after=now)


def requeue_lost(*, now: datetime, grace: timedelta = LEASE) -> int:
    """Queue again each QUEUED email whose attempt was due ``grace`` ago and never happened
    (its task lost with a killed process, or never queued). A duplicate task is harmless."""
    requeued = 0
    for email in OutboundEmail.objects.filter(state=State.QUEUED, next_attempt_at__lte=now - grace):
        # Move the due time so that the next sweep waits another grace before queueing again.
        if OutboundEmail.objects.filter(
            pk=email.pk, state=State.QUEUED, next_attempt_at=email.next_attempt_at
        ).update(next_attempt_at=now):
            enqueue_delivery(email.pk)
            requeued += 1
    return requeued


def fail_interrupted(*, now: datetime, lease: timedelta = LEASE) -> int:
    """Fail the emails left SENDING by a worker that died during the SMTP exchange: they may
    have left, so they are never resent automatically; the page shows them as failed."""
    return OutboundEmail.objects.filter(state=State.SENDING, claimed_at__lt=now - lease).update(
        state=State.FAILED,
        last_error="Interrupted while being handed to the mail server: delivery unknown, not resent.",
    )


def sweep(*, now: datetime) -> SweepReport:
    """The outbox's periodic repair (``manage.py sweep_emails``). Safe to run concurrently."""
    return SweepReport(
        reclaimed_tasks=reclaim_stale_tasks(now=now),
        interrupted=fail_interrupted(now=now),
        requeued=requeue_lost(now=now),
    )


# --- Selectors ------------------------------------------------------------------------------


def latest_email(key_prefix: str) -> OutboundEmail | None:
    """The most recent email whose key starts with ``key_prefix`` (e.g. "referee:12:")."""
    return (
        OutboundEmail.objects.filter(key__startswith=key_prefix)
        .order_by("-queued_at", "-pk")
        .first()
    )
