"""The company phase's fixtures: academically admitted candidates, officers, instants."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from admissions.accounts.models import Role, RoleGrant, User
from admissions.campaigns.models import School
from admissions.companies import links
from admissions.companies.models import HostCompany
from admissions.companies.services import Declaration, answer_link, declare_company
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import open_dossier
from admissions.exams.models import AcademicDecision

PARIS = ZoneInfo("Europe/Paris")
SUBMITTED_AT = datetime(2021, 3, 5, 10, 0, tzinfo=PARIS)
RESULTS_AT = datetime(2021, 4, 19, 0, 0, tzinfo=PARIS)  # the reference academic_results_at
BEFORE_RESULTS = datetime(2021, 4, 18, 10, 0, tzinfo=PARIS)
JUNE = datetime(2021, 6, 1, 9, 0, tzinfo=PARIS)
FROZEN_AT = datetime(2021, 9, 21, 0, 0, tzinfo=PARIS)  # the reference final_list_frozen_at
VALID_SIRET = "732 829 320 00074"
SEATS = 2  # the apprenticeship group, shrunk so that a waiting list appears


def staff(email: str, role: str, school: School | None) -> User:
    user = User.objects.create_user(email, "a-long-password-1")
    RoleGrant.objects.create(user=user, role=role, school=school)
    return user


@pytest.fixture
def campaign(reference_campaign):
    group = reference_campaign.seat_groups.get(code="apprentissage")
    group.seats = SEATS
    group.save()  # a new revision: params() sees the seats
    reference_campaign.refresh_from_db()
    return reference_campaign


@pytest.fixture
def officer(campaign):
    return staff("officer@school.example", Role.SCHOOL_OFFICER, campaign.school)


@pytest.fixture
def other_officer(campaign):
    other = School.objects.create(code="autre-ecole", name="Autre école")
    return staff("officer@other.example", Role.SCHOOL_OFFICER, other)


def make_dossier(
    campaign,
    email: str,
    *,
    admitted: bool = True,
    status: str = Dossier.StatusSought.APPRENTICESHIP,
    birth_date: date = date(2000, 5, 1),
    submitted_at: datetime = SUBMITTED_AT,
    decided_by: User | None = None,
) -> Dossier:
    candidate = User.objects.create_user(email, "a-long-password-1")
    dossier = open_dossier(candidate=candidate, campaign=campaign, now=submitted_at)
    dossier.last_name, dossier.first_name = email.split("@")[0].title(), "Camille"
    dossier.state, dossier.submitted_at = Dossier.State.SUBMITTED, submitted_at
    dossier.status_sought, dossier.birth_date = status, birth_date
    dossier.save()
    decider = decided_by or User.objects.filter(email="decider@school.example").first()
    if decider is None:
        decider = staff("decider@school.example", Role.SCHOOL_OFFICER, campaign.school)
    AcademicDecision.objects.create(
        dossier=dossier,
        outcome=AcademicDecision.Outcome.ADMITTED
        if admitted
        else AcademicDecision.Outcome.BELOW_LIST,
        rank=1,
        decided_by=decider,
        decided_at=RESULTS_AT,
        published_at=RESULTS_AT,
    )
    return dossier


def declaration(**changes) -> Declaration:
    values = {
        "name": "Exemple Industrie",
        "siret": VALID_SIRET,
        "sector": "industrie-mecanique",
        "address": "1 rue de l'Usine, 81000 Albi",
        "contract_start": date(2021, 9, 1),
        "tutor_name": "Dominique Tuteur",
        "tutor_role": "Responsable de production",
        "tutor_email": "tuteur@company.example",
        "tutor_phone": "05 00 00 00 00",
    }
    values.update(changes)
    return Declaration(**values)


def declare(dossier: Dossier, now: datetime = JUNE, **changes) -> HostCompany:
    return declare_company(
        dossier=dossier, declaration=declaration(**changes), by=dossier.candidate, now=now
    )


def confirm(company: HostCompany, now: datetime, **kwargs):
    return answer_link(
        company=company,
        nonce=company.token_nonce,
        confirm=True,
        contract_start=kwargs.pop("contract_start", None),
        now=now,
        **kwargs,
    )


def token(company: HostCompany, now: datetime = JUNE) -> str:
    return links.make_token(company, now=now)


@pytest.fixture
def clock_at(settings):
    def set_clock(instant: datetime) -> datetime:
        settings.CLOCK_AT = instant.isoformat()
        return instant

    return set_clock
