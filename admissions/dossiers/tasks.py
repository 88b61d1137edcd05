"""Background work of the dossier (R8.2): thin tasks that take ids and call a service."""

from __future__ import annotations

from django_tasks import task


@task()
def send_submission_receipt(dossier_id: int, language: str = "fr") -> None:
    from admissions.dossiers.receipts import send_receipt  # slow import: WeasyPrint

    send_receipt(dossier_id, language)


@task()
def send_dossier_reminder(reminder_id: int) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from admissions.dossiers.models import DossierReminder
    from admissions.rules import clock as rules_clock

    reminder = DossierReminder.objects.select_related("dossier__candidate", "dossier__campaign").get(pk=reminder_id)
    dossier = reminder.dossier
    if dossier.is_submitted:
        return  # submitted since the reminder was queued
    params = dossier.campaign.params()
    context = {
        "dossier": dossier,
        "closes": rules_clock.format_deadline(params.calendar.applications.closes_at, params.calendar.time_zone, "fr"),
        "site_url": settings.SITE_URL,
    }
    send_mail(
        render_to_string("dossiers/email/reminder_subject.txt", context).strip(),
        render_to_string("dossiers/email/reminder_body.txt", context),
        None,
        [dossier.candidate.email],
    )
