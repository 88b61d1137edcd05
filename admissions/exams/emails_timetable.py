"""The convocation to the oral exams (R6.2): one email per candidate, through the outbox, in the
candidate's language, with both times, the videoconference and an ICS file attached.

The key carries a digest of the candidate's slots (``selectors.timetable.slot_signature``): the
same convocation is owed once, and sending the convocations again after a hand adjustment owes
a new one to the candidates whose times changed. The message, ICS included, is composed at send
time from the dossier's slots as they are then: nothing is stored but the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier
from admissions.exams.calendar_timetable import CONTENT_TYPE, convocation_ics, exam_name
from admissions.exams.models import Booking, ExamDay, ExamPanel, ExamSlot
from admissions.exams.selectors.timetable import (
    candidate_slots,
    convocation_key,
    slot_signature,
)
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email
from admissions.rules import clock as rules_clock

ICS_NAME = "convocation.ics"


def queue_convocation(dossier: Dossier, slots: Sequence[ExamSlot]) -> OutboundEmail:
    """Owe the candidate the convocation with these slots' times; once per set of times."""
    return queue_email(
        kind=OutboundEmail.Kind.CONVOCATION,
        key=convocation_key(dossier.pk, slot_signature(list(slots))),
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk},
        dossier=dossier,
    )


def compose_convocation(email: OutboundEmail) -> EmailMessage | None:
    """The convocation with the slots as they are at send time; None (nothing sent) when the
    candidate has no slot any more (moved to another day before it left)."""
    dossier = Dossier.objects.select_related("candidate", "campaign__school").get(
        pk=email.payload["dossier"]
    )
    slots = candidate_slots(dossier)
    if not slots:
        return None
    return convocation_message(dossier, slots[0].booking.day, slots, email.language)


def slot_lines(day: ExamDay, slots: Sequence[ExamSlot], language: str) -> list[dict[str, str]]:
    zone = day.campaign.zone()
    return [
        {
            "exam": exam_name(day, slot.exam_code, language),
            "starts": rules_clock.format_time(slot.starts_at.astimezone(zone).time(), language),
            "ends": rules_clock.format_time(slot.ends_at.astimezone(zone).time(), language),
            "panel": slot.panel.name,
        }
        for slot in slots
    ]


def convocation_message(
    dossier: Dossier, day: ExamDay, slots: Sequence[ExamSlot], language: str
) -> EmailMessage:
    context = {
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "day": rules_clock.format_date(day.date, language),
        "slots": slot_lines(day, slots, language),
        "videoconference": day.videoconference,
        "page_url": settings.SITE_URL.rstrip("/") + reverse("exams_timetable:convocation"),
    }
    with translation.override(language):
        subject = render_to_string("exams/timetable/email/convocation_subject.txt", context)
        body = render_to_string("exams/timetable/email/convocation_body.txt", context)
        ics = convocation_ics(day, slots, language=language)
    message = EmailMessage(subject.strip(), body, to=[dossier.candidate.email])
    message.attach(ICS_NAME, ics, CONTENT_TYPE)
    return message


def preview_convocation(*, campaign: Campaign, language: str) -> Variants:
    """A convocation on a made-up dossier and day (nothing saved)."""
    dossier = sample_dossier(campaign, language=language)
    first = rules_clock.local_date(campaign.params().calendar.exams.opens_at, campaign.time_zone)
    day = ExamDay(
        campaign=campaign,
        date=first,
        starts_at=time(9),
        ends_at=time(17),
        capacity=30,
        videoconference="https://visio.example.org/epreuves",
    )
    booking = Booking(dossier=dossier, day=day)
    start = rules_clock.at(first, campaign.time_zone, time(9, 30))
    slots = []
    for code, offset, length, panel in (
        ("interview", 0, 30, "Jury 1"),
        ("english", 45, 15, "Examinateur A"),
    ):
        slots.append(
            ExamSlot(
                booking=booking,
                exam_code=code,
                panel=ExamPanel(day=day, exam_code=code, name=panel),
                starts_at=start + timedelta(minutes=offset),
                ends_at=start + timedelta(minutes=offset + length),
            )
        )
    return [
        (gettext_lazy("Convocation"), convocation_message(dossier, day, slots, language)),
    ]
