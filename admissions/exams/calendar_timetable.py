"""ICS calendar files of the exam timetables (R6.2): the candidate's convocation (one event per
exam) and a jury member's day (one event per candidate). Times are written in the campaign's
zone (TZID with its VTIMEZONE), so a calendar shows them at the right hour whatever its own zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from admissions.exams.models import ExamDay, ExamSlot

PRODID = "-//admissions//exam timetable//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def _event(
    *, uid: str, summary: str, start: datetime, end: datetime, zone: ZoneInfo, description: str
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("dtstamp", start.astimezone(ZoneInfo("UTC")))
    if description:
        event.add("description", description)
    return event


def exam_name(day: ExamDay, exam_code: str, language: str) -> str:
    for spec in day.campaign.params().exams:
        if spec.code == exam_code:
            return spec.name_en if language == "en" else spec.name_fr
    return exam_code


def _finish(calendar: Calendar, day: ExamDay) -> bytes:
    calendar.add_missing_timezones(first_date=day.date.replace(month=1, day=1))
    return calendar.to_ical()


def convocation_ics(day: ExamDay, slots: Sequence[ExamSlot], *, language: str) -> bytes:
    """The candidate's two exams as two events, with the videoconference (translated by the
    caller's active language: the email's or the page's)."""
    zone = day.campaign.zone()
    calendar = _calendar()
    school = day.campaign.school.name
    for slot in slots:
        calendar.add_component(
            _event(
                uid=f"exam-slot-{slot.booking_id}-{slot.exam_code}@admissions",
                summary=f"{exam_name(day, slot.exam_code, language)} — {school}",
                start=slot.starts_at,
                end=slot.ends_at,
                zone=zone,
                description=_("Visioconférence : %(link)s") % {"link": day.videoconference}
                if day.videoconference
                else "",
            )
        )
    return _finish(calendar, day)


def jury_day_ics(day: ExamDay, lines: Sequence, *, language: str) -> bytes:
    """A jury member's day: one event per candidate (``selectors.timetable.JuryLine``)."""
    zone = day.campaign.zone()
    calendar = _calendar()
    for line in lines:
        slot = line.slot
        description = line.reference
        if line.accommodation:
            description += "\n" + _("Aménagement accordé : %(granted)s") % {
                "granted": line.accommodation
            }
        calendar.add_component(
            _event(
                uid=f"jury-slot-{slot.pk}@admissions",
                summary=f"{exam_name(day, slot.exam_code, language)} — {line.name}",
                start=slot.starts_at,
                end=slot.ends_at,
                zone=zone,
                description=description,
            )
        )
    return _finish(calendar, day)
