"""Scheduled reminders (R10.2): run every few minutes from cron or a systemd timer."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.documents.services import sweep_staged_photos
from admissions.dossiers.reminders import send_due_reminders
from admissions.referees.services import remind_silent_referees


class Command(BaseCommand):
    help = (
        "Queue the reminders due now (candidates with a dossier not submitted, silent referees) "
        "and delete photo previews abandoned for a day."
    )

    def handle(self, *args, **options):
        now = clock.now()
        for campaign in Campaign.objects.all():
            candidates = send_due_reminders(campaign=campaign, now=now)
            referees = remind_silent_referees(campaign=campaign, now=now)
            self.stdout.write(
                f"{campaign.code}: {candidates} candidate reminder(s), {referees} referee reminder(s)"
            )
        # Housekeeping on the same schedule: photo previews left undecided for a day (real time).
        swept = sweep_staged_photos(older_than=timedelta(days=1), now=timezone.now())
        if swept:
            self.stdout.write(f"{swept} abandoned photo preview(s) deleted")
