"""Scheduled reminders (R10.2): run every few minutes from cron or a systemd timer."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.dossiers.reminders import send_due_reminders
from admissions.referees.services import remind_silent_referees


class Command(BaseCommand):
    help = "Queue the reminders due now: candidates with a dossier not submitted, silent referees."

    def handle(self, *args, **options):
        now = clock.now()
        for campaign in Campaign.objects.all():
            candidates = send_due_reminders(campaign=campaign, now=now)
            referees = remind_silent_referees(campaign=campaign, now=now)
            self.stdout.write(f"{campaign.code}: {candidates} candidate reminder(s), {referees} referee reminder(s)")
