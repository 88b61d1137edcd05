"""Demo accounts: one per staff role of R2.2 and candidates in every state known so far."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from admissions.accounts.models import Role, RoleGrant, User
from admissions.campaigns.selectors import current_campaign

DEMO_PASSWORD = "demo-admissions-2021"  # noqa: S105 - demo accounts only, printed on purpose

# (email, role, whole network?) — the central service and the administrator see every school.
STAFF_ACCOUNTS = [
    ("admin@demo.example", Role.PLATFORM_ADMIN, True),
    ("central@demo.example", Role.CENTRAL_OFFICER, True),
    ("admissions@demo.example", Role.SCHOOL_OFFICER, False),
    ("committee@demo.example", Role.COMMITTEE_MEMBER, False),
    ("jury@demo.example", Role.JURY_MEMBER, False),
]
# (email, confirmed email?, what the account shows)
CANDIDATE_ACCOUNTS = [
    ("candidate@demo.example", True, "compte confirmé, dossier à remplir"),
    ("unconfirmed@demo.example", False, "adresse pas encore confirmée"),
]


class Command(BaseCommand):
    help = "Create the demo accounts (idempotent) and print how to log in as each role."

    def handle(self, *args, **options):
        campaign = current_campaign()
        if campaign is None:
            raise CommandError("No campaign loaded: run `manage.py load_campaign FILE` first.")
        with transaction.atomic():
            rows = [self._staff(email, role, campaign, whole) for email, role, whole in STAFF_ACCOUNTS]
            rows += [self._candidate(email, confirmed, state) for email, confirmed, state in CANDIDATE_ACCOUNTS]
        self.stdout.write("")
        self.stdout.write(f"Demo accounts for {campaign.name} (password for all: {DEMO_PASSWORD})")
        width = max(len(email) for email, _ in rows)
        for email, label in rows:
            self.stdout.write(f"  {email.ljust(width)}  {label}")
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ ; admin pages at /admin/")

    def _account(self, email: str, confirmed: bool) -> User:
        user, created = User.objects.get_or_create(email=email)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": confirmed, "primary": True}
        )
        return user

    def _staff(self, email: str, role: Role, campaign, whole_network: bool) -> tuple[str, str]:
        user = self._account(email, confirmed=True)
        if role == Role.PLATFORM_ADMIN and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        RoleGrant.objects.get_or_create(
            user=user, role=role, school=None if whole_network else campaign.school
        )
        return email, str(role.label)

    def _candidate(self, email: str, confirmed: bool, state: str) -> tuple[str, str]:
        self._account(email, confirmed)
        return email, f"{Role.CANDIDATE.label} ({state})"
