"""manage.py campaign_status [--campaign CODE] [--at INSTANT] [--language fr|en] (R1.5).

The phase of the campaign at an instant and what is open or published then. INSTANT is ISO 8601;
without an offset it is read in the campaign's zone. Without --at, the platform's clock.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from admissions.campaigns.models import Campaign
from admissions.campaigns.selectors import current_campaign
from admissions.core import clock
from admissions.core.language import localized
from admissions.rules import clock as rules_clock
from admissions.rules import deadlines
from admissions.rules.explain import RulesError


class Command(BaseCommand):
    help = "Show the campaign's phase at an instant and what is open or published."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", help="campaign code (default: the current campaign)")
        parser.add_argument(
            "--at", help="ISO 8601 instant, e.g. 2021-03-09T23:59:59+01:00 (default: now)"
        )
        parser.add_argument("--language", choices=["fr", "en"], default="fr")

    def handle(self, *args, campaign: str | None, at: str | None, language: str, **options):
        found = (
            Campaign.objects.select_related("school").filter(code=campaign).first()
            if campaign
            else current_campaign()
        )
        if found is None:
            raise CommandError(
                f"no campaign {campaign!r}" if campaign else "no campaign loaded", returncode=1
            )
        try:
            instant = rules_clock.parse_instant(at, found.time_zone) if at else clock.now()
        except RulesError as error:
            raise CommandError(error.reason.text(language), returncode=1) from None
        report = deadlines.campaign_phase(found.params(), instant)
        name = localized(found, "name", language)
        self.stdout.write(f"{found.code} — {name}")
        self.stdout.write(report.text(language))
