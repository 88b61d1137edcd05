"""A small phase-2 world for the grading tests: admissible candidates with a booked day, a jury
and an English examiner, slots in timetable order (made directly: the timetable is another
engineer's), committee scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from admissions.accounts.models import Role, User
from admissions.campaigns.models import Campaign
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.dossiers.models import Dossier
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel, ExamSlot
from tests.committee.conftest import forward, staff, submitted_dossier

PARIS = ZoneInfo("Europe/Paris")
EXAM_DATE = date(2021, 4, 1)
GRADING_AT = datetime(2021, 4, 1, 18, 0, tzinfo=PARIS)
# The reference campaign publishes the academic list on 19 April 2021 at 00:00 (Paris).
ACADEMIC_AT = datetime(2021, 4, 19, 0, 0, tzinfo=PARIS)
JUST_BEFORE = datetime(2021, 4, 18, 23, 59, 59, 999999, tzinfo=PARIS)


@dataclass
class PhaseTwo:
    campaign: Campaign
    day: ExamDay
    jury: ExamPanel
    examiner: ExamPanel
    other_jury: ExamPanel
    members: dict[str, User]  # "jury", "examiner", "other" (a member of another panel)
    officer: User
    dossiers: list[Dossier]
    slots: dict[tuple[str, str], ExamSlot]  # (reference, exam code) -> slot


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(EXAM_DATE, time(hour, minute), tzinfo=PARIS)


def admissible(campaign: Campaign, email: str, last_name: str, officer: User, scores=("15",)):
    dossier = forward(submitted_dossier(campaign, email, last_name), officer)
    AdmissibilityDecision.objects.create(
        dossier=dossier, admissible=True, decided_by=officer, decided_at=at(8)
    )
    for index, score in enumerate(scores):
        member = User.objects.create_user(f"c{index}-{email}", "a-long-password-1")
        CommitteeScore.objects.create(
            dossier=dossier, member=member, score=Decimal(score), recorded_at=at(8)
        )
    return dossier


def build_phase_two(campaign: Campaign, count: int = 3) -> PhaseTwo:
    school = campaign.school
    officer = staff("officer@school.example", Role.SCHOOL_OFFICER, school)
    members = {
        "jury": staff("jury@school.example", Role.JURY_MEMBER, school),
        "examiner": staff("examiner@school.example", Role.JURY_MEMBER, school),
        "other": staff("other-jury@school.example", Role.JURY_MEMBER, school),
    }
    day = ExamDay.objects.create(
        campaign=campaign, date=EXAM_DATE, starts_at=time(9), ends_at=time(17), capacity=10
    )
    jury = ExamPanel.objects.create(day=day, exam_code="interview", name="Jury 1")
    jury.members.add(members["jury"])
    examiner = ExamPanel.objects.create(day=day, exam_code="english", name="Examinateur A")
    examiner.members.add(members["examiner"])
    other_jury = ExamPanel.objects.create(day=day, exam_code="interview", name="Jury 2")
    other_jury.members.add(members["other"])
    dossiers, slots = [], {}
    for index in range(count):
        dossier = admissible(
            campaign, f"cand{index}@example.org", f"Nom{index}", officer, scores=("14", "16")
        )
        booking = Booking.objects.create(
            dossier=dossier, day=day, booked_at=at(8), booked_by=dossier.candidate
        )
        # Listed in reverse so that timetable order is not creation order.
        start = at(15 - index)
        panel = jury if index < count - 1 else other_jury
        slots[(dossier.reference, "interview")] = ExamSlot.objects.create(
            booking=booking,
            exam_code="interview",
            panel=panel,
            starts_at=start,
            ends_at=start.replace(minute=30),
        )
        english = start.replace(minute=40)
        slots[(dossier.reference, "english")] = ExamSlot.objects.create(
            booking=booking,
            exam_code="english",
            panel=examiner,
            starts_at=english,
            ends_at=english.replace(minute=55),
        )
        dossiers.append(dossier)
    ExamDay.objects.filter(pk=day.pk).update(booked=count)
    Accommodation.objects.create(
        dossier=dossiers[0],
        needs="Tiers-temps",
        requested_at=at(8),
        state=Accommodation.State.APPROVED,
        granted="Tiers-temps accordé (10 minutes de plus)",
        decided_by=officer,
        decided_at=at(8),
    )
    return PhaseTwo(campaign, day, jury, examiner, other_jury, members, officer, dossiers, slots)
