"""Fixtures of the booking tests: the reference campaign's officer, admissible candidates whose
result is published, exam days within the exams window."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from admissions.accounts.models import Role, User
from admissions.campaigns.models import School
from admissions.committee.models import AdmissibilityDecision
from admissions.dossiers.models import Dossier
from admissions.exams.models import ExamDay
from tests.committee.conftest import forward, staff, submitted_dossier

PARIS = ZoneInfo("Europe/Paris")
# The reference campaign: results out 24 March 2021 00:00; booking 24-29 March; exams 29 March
# to 9 April included.
BEFORE_RESULTS = datetime(2021, 3, 20, 10, 0, tzinfo=PARIS)
BOOKING_OPEN = datetime(2021, 3, 25, 10, 0, tzinfo=PARIS)
BOOKING_CLOSED = datetime(2021, 3, 29, 10, 0, tzinfo=PARIS)
FIRST_DAY = date(2021, 3, 30)
# A one-page PDF that the documents' inspection accepts (a proof of accommodation).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def admissible(campaign, email: str, officer: User, *, admissible: bool = True) -> Dossier:
    dossier = forward(submitted_dossier(campaign, email), officer)
    AdmissibilityDecision.objects.create(
        dossier=dossier,
        admissible=admissible,
        comment="" if admissible else "Non.",
        decided_by=officer,
        decided_at=BEFORE_RESULTS,
    )
    return dossier


def exam_day(campaign, day: date = FIRST_DAY, capacity: int = 2) -> ExamDay:
    return ExamDay.objects.create(
        campaign=campaign, date=day, starts_at=time(8), ends_at=time(18), capacity=capacity
    )


def people(accounts_by_role, reference_campaign) -> dict[str, User]:
    """The school's officer and jury, another school's, the central officer, the admin."""
    school = reference_campaign.school
    other = School.objects.create(code="autre-ecole", name="Autre école")
    return {
        "officer": staff("officer@school.example", Role.SCHOOL_OFFICER, school),
        "other_officer": staff("officer@other.example", Role.SCHOOL_OFFICER, other),
        "jury": staff("jury@school.example", Role.JURY_MEMBER, school),
        "other_jury": staff("jury@other.example", Role.JURY_MEMBER, other),
        "central": accounts_by_role["central_officer"],
        "admin": accounts_by_role["platform_admin"],
    }
