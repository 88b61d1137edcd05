"""The committee's fixtures: dossiers forwarded to the school, its members, two instants."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from admissions.accounts.models import Role, RoleGrant, User
from admissions.campaigns.models import School
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import open_dossier
from admissions.verification.models import DossierCheck

PARIS = ZoneInfo("Europe/Paris")
# The reference campaign publishes admissibility results on 24 March 2021 at 00:00 (Paris).
BEFORE = datetime(2021, 3, 15, 10, 0, tzinfo=PARIS)
AFTER = datetime(2021, 3, 24, 9, 0, tzinfo=PARIS)
SUBMITTED_AT = datetime(2021, 3, 5, 10, 0, tzinfo=PARIS)


def staff(email: str, role: str, school: School | None) -> User:
    user = User.objects.create_user(email, "a-long-password-1")
    RoleGrant.objects.create(user=user, role=role, school=school)
    return user


def submitted_dossier(campaign, email: str, last_name: str = "Martin") -> Dossier:
    candidate = User.objects.create_user(email, "a-long-password-1")
    dossier = open_dossier(candidate=candidate, campaign=campaign, now=SUBMITTED_AT)
    dossier.last_name, dossier.first_name = last_name, "Camille"
    dossier.state, dossier.submitted_at = Dossier.State.SUBMITTED, SUBMITTED_AT
    dossier.save()
    return dossier


def forward(dossier: Dossier, officer: User, verdict: str = "recevable") -> Dossier:
    DossierCheck.objects.create(
        dossier=dossier,
        verdict=verdict,
        reason="" if verdict == "recevable" else "Pièces manquantes.",
        decided_by=officer,
        decided_at=SUBMITTED_AT,
    )
    return dossier


@pytest.fixture
def people(accounts_by_role, reference_campaign):
    return committee_people(accounts_by_role, reference_campaign)


def committee_people(accounts_by_role, reference_campaign) -> dict[str, User]:
    """The school's committee: two members, its admissions officer; a member of another
    school; the central officer who forwards; the platform administrator."""
    school = reference_campaign.school
    other = School.objects.create(code="autre-ecole", name="Autre école")
    return {
        "member": staff("member@school.example", Role.COMMITTEE_MEMBER, school),
        "member2": staff("member2@school.example", Role.COMMITTEE_MEMBER, school),
        "officer": staff("officer@school.example", Role.SCHOOL_OFFICER, school),
        "other_member": staff("member@other.example", Role.COMMITTEE_MEMBER, other),
        "other_officer": staff("officer@other.example", Role.SCHOOL_OFFICER, other),
        "central": accounts_by_role["central_officer"],
        "admin": accounts_by_role["platform_admin"],
        "candidate": accounts_by_role["candidate"],
    }


@pytest.fixture
def forwarded(reference_campaign, people):
    return forward(
        submitted_dossier(reference_campaign, "forwarded@example.org"), people["central"]
    )


@pytest.fixture
def clock_at(settings):
    """Set the platform's clock (views, commands) to an instant."""

    def set_clock(instant: datetime) -> datetime:
        settings.CLOCK_AT = instant.isoformat()
        return instant

    return set_clock
