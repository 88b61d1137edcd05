"""Reminders to candidates whose dossier is not submitted (R10.2), run by `manage.py send_reminders`."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from admissions.dossiers.emails import queue_reminder
from admissions.dossiers.models import Dossier, DossierReminder
from admissions.rules import deadlines
from admissions.rules.reminders import due_stage


def send_due_reminders(*, campaign, now: datetime) -> int:
    """Queue the reminder due for each draft dossier; returns how many were queued.

    Safe to run from several machines at once: the unique (dossier, stage) row is the claim.
    """
    params = campaign.params()
    queued = 0
    drafts = (
        Dossier.objects.filter(campaign=campaign, state=Dossier.State.DRAFT)
        .select_related("candidate")  # the reminder's address and language
        .prefetch_related("reminders")
    )
    for dossier in drafts:
        window = deadlines.effective_window(params, "applications", candidate=dossier.reference)
        sent = frozenset(reminder.stage for reminder in dossier.reminders.all())
        stage = due_stage(window, now, sent)
        if stage is None:
            continue
        try:
            with transaction.atomic():
                reminder = DossierReminder.objects.create(
                    dossier=dossier, stage=stage.code, sent_at=now
                )
                queue_reminder(reminder=reminder)
        except IntegrityError:  # another process claimed it first
            continue
        queued += 1
    return queued
