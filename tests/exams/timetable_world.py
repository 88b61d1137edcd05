"""A day of exams to build timetables on: the reference school's officer, two juries and an
English examiner (each with a member), booked candidates, one with approved extra time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from admissions.accounts.models import Role, User
from admissions.campaigns.models import Campaign, School
from admissions.dossiers.models import Dossier
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel
from tests.committee.conftest import staff, submitted_dossier

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2021, 3, 30)
# During the exams, after the timetable is built.
NOW = datetime(2021, 3, 26, 10, 0, tzinfo=PARIS)


@dataclass
class World:
    campaign: Campaign
    day: ExamDay
    officer: User
    other_officer: User
    jury1: User
    jury2: User
    examiner: User
    panels: dict[str, ExamPanel]
    dossiers: list[Dossier]


def book(day: ExamDay, dossier: Dossier) -> Booking:
    booking = Booking.objects.create(
        dossier=dossier, day=day, booked_at=NOW, booked_by=dossier.candidate
    )
    ExamDay.objects.filter(pk=day.pk).update(booked=day.bookings.count())
    return booking


def make_world(
    campaign: Campaign,
    *,
    candidates: int = 6,
    starts: time = time(9),
    ends: time = time(17),
    prefix: str = "",
) -> World:
    school = campaign.school
    other = School.objects.get_or_create(code="autre-ecole", defaults={"name": "Autre école"})[0]
    day = ExamDay.objects.create(
        campaign=campaign,
        date=DAY,
        starts_at=starts,
        ends_at=ends,
        capacity=candidates + 2,
        videoconference="https://visio.example.org/salle-1",
        breaks=[["12:00", "13:00"]],
    )
    people = {
        "officer": staff(f"{prefix}officer@school.example", Role.SCHOOL_OFFICER, school),
        "other_officer": staff(f"{prefix}officer@other.example", Role.SCHOOL_OFFICER, other),
        "jury1": staff(f"{prefix}jury1@school.example", Role.JURY_MEMBER, school),
        "jury2": staff(f"{prefix}jury2@school.example", Role.JURY_MEMBER, school),
        "examiner": staff(f"{prefix}examiner@school.example", Role.JURY_MEMBER, school),
    }
    panels = {
        "Jury 1": ExamPanel.objects.create(day=day, exam_code="interview", name="Jury 1"),
        # Jury 2 comes in the afternoon only (a partial availability).
        "Jury 2": ExamPanel.objects.create(
            day=day, exam_code="interview", name="Jury 2", available_from=time(13)
        ),
        "Examinateur A": ExamPanel.objects.create(
            day=day, exam_code="english", name="Examinateur A", breaks=[["10:30", "10:45"]]
        ),
    }
    panels["Jury 1"].members.add(people["jury1"])
    panels["Jury 2"].members.add(people["jury2"])
    panels["Examinateur A"].members.add(people["examiner"])
    dossiers = []
    for number in range(candidates):
        dossier = submitted_dossier(
            campaign, f"{prefix}candidate{number}@example.org", last_name=f"Nom{number}"
        )
        book(day, dossier)
        dossiers.append(dossier)
    if dossiers:
        Accommodation.objects.create(
            dossier=dossiers[0],
            needs="Tiers temps",
            requested_at=NOW,
            state=Accommodation.State.APPROVED,
            extra_minutes={"interview": 10, "english": 5},
            granted="Tiers temps (+10 min entretien, +5 min anglais)",
        )
    day.refresh_from_db()
    return World(campaign, day, panels=panels, dossiers=dossiers, **people)
