"""The demo's exam day with its timetable built and its convocations sent (``seed_demo``).

The admissible demo candidates of ``DEMO_DAY_ACCOUNTS`` are booked on the campaign's last exam
day (directly: the demo shows the timetable, the booking pages have their own demo), one with an
approved accommodation. ``admissible@`` is not: from the publication it chooses its day itself
(README), and so does a dossier staff declare admissible while playing the demo (``make demo``
again with a later clock never books it). Two juries (the demo jury member sits on the first)
and an English examiner examine; the school's officer builds the timetable and sends the convocations through the
services. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import F

from admissions.accounts.models import User
from admissions.campaigns.models import Campaign
from admissions.committee.models import AdmissibilityDecision
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel
from admissions.exams.services.timetable import build_day_timetable, send_convocations
from admissions.rules import clock as rules_clock

VIDEOCONFERENCE = "https://visio.demo.example/epreuves-orales"
ACCOMMODATED = "convoque-amenagement@demo.example"
# The admissible demo candidates without a day of the booking demo (core/demo.py), except
# admissible@, left to choose its day at /dossier/epreuves/.
DEMO_DAY_ACCOUNTS = (
    "convoque@demo.example",
    ACCOMMODATED,
    "accommodation@demo.example",
    "accommodation-refused@demo.example",
)


def demo_exam_day(
    campaign: Campaign,
    *,
    officer: User,
    juries: tuple[User, ...],
    examiner: User,
    now: datetime,
) -> ExamDay:
    """The demo day (the last day of the exams window), built and convoked."""
    calendar = campaign.params().calendar
    last = rules_clock.local_date(calendar.exams.closes_at - timedelta(days=1), campaign.time_zone)
    day, _created = ExamDay.objects.get_or_create(
        campaign=campaign,
        date=last,
        defaults={
            "starts_at": time(9),
            "ends_at": time(12, 30),
            "capacity": 10,
            "videoconference": VIDEOCONFERENCE,
            "breaks": [["10:30", "10:45"]],
        },
    )
    panels = [
        ("interview", "Jury démo 1", juries[:1]),
        ("interview", "Jury démo 2", juries[1:]),
        ("english", "Examinateur démo", (examiner,)),
    ]
    for code, name, members in panels:
        panel, _created = ExamPanel.objects.get_or_create(
            day=day, name=name, defaults={"exam_code": code}
        )
        panel.members.add(*members)
    admissible = AdmissibilityDecision.objects.filter(
        dossier__campaign=campaign,
        dossier__candidate__email__in=DEMO_DAY_ACCOUNTS,
        admissible=True,
        dossier__exam_booking__isnull=True,
    ).select_related("dossier__candidate")
    for decision in admissible:
        dossier = decision.dossier
        if day.booked >= day.capacity:
            break
        Booking.objects.create(dossier=dossier, day=day, booked_at=now, booked_by=dossier.candidate)
        ExamDay.objects.filter(pk=day.pk).update(booked=F("booked") + 1)
        day.refresh_from_db()
        if dossier.candidate.email == ACCOMMODATED:
            Accommodation.objects.get_or_create(
                dossier=dossier,
                defaults={
                    "needs": "Tiers temps (trouble de la lecture)",
                    "requested_at": now,
                    "state": Accommodation.State.APPROVED,
                    "extra_minutes": {"interview": 10, "english": 5},
                    "granted": "Tiers temps : +10 min à l'entretien, +5 min en anglais",
                    "decided_by": officer,
                    "decided_at": now,
                },
            )
    if day.booked and day.timetable_built_at is None:
        build_day_timetable(day=day, by=officer, now=now)
        day.refresh_from_db()
    if day.timetable_built_at is not None:
        send_convocations(day=day, by=officer, now=now)
    return day
