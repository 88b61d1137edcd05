"""manage.py purge_campaign CODE --by EMAIL [--dry-run]: remove a campaign's personal data once
its retention period is over (R9.3). See admissions/campaigns/purge.py for what goes and stays."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from admissions.accounts.models import User
from admissions.campaigns.models import Campaign
from admissions.campaigns.purge import PurgeError, purge_campaign
from admissions.core import clock


class Command(BaseCommand):
    help = (
        "Remove a campaign's personal data (dossiers, documents and their files, payments, "
        "recommendations, messages, candidate accounts with no other campaign) once the "
        "retention date of its file has passed. --dry-run lists what would go and removes "
        "nothing. The audit trail records who purged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the campaign code, e.g. imt-mines-albi-2021")
        parser.add_argument(
            "--by", required=True, help="email of the platform administrator who purges"
        )
        parser.add_argument("--dry-run", action="store_true", help="list, remove nothing")

    def handle(self, *args, code: str, by: str, dry_run: bool, **options) -> None:
        translation.activate("fr")
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            known = ", ".join(Campaign.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no campaign {code!r} (campaigns: {known})", returncode=1)
        user = User.objects.filter(email__iexact=by.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"no active account {by!r}", returncode=1)
        try:
            report = purge_campaign(campaign=campaign, by=user, now=clock.now(), dry_run=dry_run)
        except PurgeError as error:
            raise CommandError(error.message, returncode=1) from error
        counts = report.counts()
        heading = "would remove (dry run, nothing removed)" if dry_run else "removed"
        self.stdout.write(f"{campaign.code}: {heading}")
        for label, count in counts["rows"].items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"  candidate accounts deleted: {report.accounts_deleted}")
        self.stdout.write(
            f"  candidate accounts kept (a dossier in another campaign): {report.accounts_kept}"
        )
        self.stdout.write(f"  outbox emails: {report.outbound_emails}")
        self.stdout.write(
            f"  audit entries erased (reason, details, author): {report.audit_entries_erased}"
        )
        self.stdout.write(f"  files: {len(report.files)}")
        for name in report.files:
            self.stdout.write(f"    {name}")
        if not dry_run:
            self.stdout.write(f"purge recorded in the audit trail, by {user.email}")
