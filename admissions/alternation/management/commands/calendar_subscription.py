"""manage.py calendar_subscription create|revoke|list: private alternation calendar links (R8.1).

The company phase creates one link per apprentice admitted for good and one for their tutor
(``services.sync_admission_calendars``); staff create others here, e.g.:

    manage.py calendar_subscription create imt-mines-albi-2021 --kind apprentice \\
        --label "Camille Exemple" --by officer@example.org
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import translation

from admissions.accounts.models import User
from admissions.alternation import selectors
from admissions.alternation.models import CalendarSubscription
from admissions.alternation.services import (
    SubscriptionError,
    create_subscription,
    revoke_subscription,
)
from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier


def feed_url(subscription: CalendarSubscription) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "alternation:feed", kwargs={"token": subscription.token}
    )


class Command(BaseCommand):
    help = (
        "Create, revoke or list the private ICS links of the alternation calendar. "
        "A link follows the campaign's current periods; a revoked link answers 410."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a new link; prints its address")
        create.add_argument("campaign", help="campaign code, e.g. imt-mines-albi-2021")
        create.add_argument("--kind", choices=CalendarSubscription.Kind.values, required=True)
        create.add_argument("--label", required=True, help="whose calendar, e.g. a name")
        create.add_argument("--year", type=int, default=1, help="year of study (default 1)")
        create.add_argument("--language", choices=["fr", "en"], default="fr")
        create.add_argument("--dossier", default="", help="the apprentice's dossier reference")
        create.add_argument("--by", required=True, help="email of the staff member")
        revoke = actions.add_parser("revoke", help="end a link for good")
        revoke.add_argument("token", help="the link's address, or its token")
        revoke.add_argument("--by", required=True, help="email of the staff member")
        listing = actions.add_parser("list", help="the links of a campaign")
        listing.add_argument("campaign", nargs="?", default="")

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"no active account {email!r}", returncode=1)
        return user

    def handle(self, *args, action: str, **options) -> None:
        translation.activate("fr")
        try:
            getattr(self, f"_{action}")(**options)
        except SubscriptionError as error:
            raise CommandError(error.message, returncode=1) from error

    def _create(self, *, campaign: str, kind, label, year, language, dossier, by, **_) -> None:
        found = Campaign.objects.filter(code=campaign).first()
        if found is None:
            raise CommandError(f"no campaign {campaign!r}", returncode=1)
        dossier_row = None
        if dossier:
            dossier_row = Dossier.objects.filter(reference=dossier, campaign=found).first()
            if dossier_row is None:
                raise CommandError(f"no dossier {dossier!r} in {campaign}", returncode=1)
        subscription = create_subscription(
            campaign=found,
            kind=kind,
            label=label,
            by=self._user(by),
            dossier=dossier_row,
            year_of_study=year,
            language=language,
        )
        self.stdout.write(feed_url(subscription))

    def _revoke(self, *, token: str, by: str, **_) -> None:
        token = token.strip().rsplit("/", 1)[-1].removesuffix(".ics")
        subscription = CalendarSubscription.objects.filter(token=token).first()
        if subscription is None:
            raise CommandError("no such link", returncode=1)
        revoke_subscription(subscription, by=self._user(by))
        self.stdout.write(f"revoked: {subscription.label}")

    def _list(self, *, campaign: str = "", **_) -> None:
        for row in selectors.subscriptions_of(campaign or None):
            state = "revoked" if row.revoked_at else "active"
            self.stdout.write(
                f"{row.campaign.code}\t{row.kind}\t{row.year_of_study}\t{row.label}\t{state}\t"
                f"{feed_url(row)}"
            )
