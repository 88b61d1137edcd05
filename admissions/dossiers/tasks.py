"""Background work of the dossier (R8.2): thin tasks that take ids and call a service.

The emails now leave through the outbox (admissions/notifications). These two tasks remain so
that tasks queued before that change still run: each queues its email there, once.
"""

from __future__ import annotations

from django_tasks import task

from admissions.dossiers import emails
from admissions.dossiers.models import Dossier, DossierReminder


@task()
def send_submission_receipt(dossier_id: int, language: str = "fr") -> None:
    emails.queue_receipt(
        dossier=Dossier.objects.select_related("candidate").get(pk=dossier_id), language=language
    )


@task()
def send_dossier_reminder(reminder_id: int) -> None:
    emails.queue_reminder(
        reminder=DossierReminder.objects.select_related("dossier__candidate").get(pk=reminder_id)
    )
