"""Exam days (R6.1): which dates an exam day may take, and how many seats it may have.

Pure: takes the campaign's parameters and plain values; says why not, in both languages.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from admissions.rules import clock
from admissions.rules.explain import Reason
from admissions.rules.params import Campaign


def exam_dates(campaign: Campaign) -> tuple[date, date]:
    """The first and last local dates of the exams window (its close excluded: a close at
    midnight ends the day before)."""
    tz = campaign.calendar.time_zone
    window = campaign.calendar.exams
    first = clock.local_date(window.opens_at, tz)
    last = clock.local_date(window.closes_at - timedelta(microseconds=1), tz)
    return first, last


def day_problems(
    campaign: Campaign,
    *,
    day: date,
    starts_at: time,
    ends_at: time,
    capacity: int,
    booked: int = 0,
) -> tuple[Reason, ...]:
    """Why an exam day cannot be recorded as given; empty when it can."""
    problems: list[Reason] = []
    first, last = exam_dates(campaign)
    tz = campaign.calendar.time_zone
    if not first <= day <= last:
        problems.append(
            Reason(
                "exam_day.outside_window",
                f"La date doit être dans la période des épreuves, du "
                f"{clock.format_date(first, 'fr')} au {clock.format_date(last, 'fr')} ({tz}).",
                f"The date must fall within the exam period, from "
                f"{clock.format_date(first, 'en')} to {clock.format_date(last, 'en')} ({tz}).",
                {"first": first, "last": last},
            )
        )
    if ends_at <= starts_at:
        problems.append(
            Reason(
                "exam_day.ends_before_start",
                "La fin de la journée doit suivre son début.",
                "The day must end after it starts.",
            )
        )
    if capacity < 1:
        problems.append(
            Reason(
                "exam_day.no_seat",
                "Une journée d'épreuves a au moins une place.",
                "An exam day has at least one seat.",
            )
        )
    elif capacity < booked:
        problems.append(
            Reason(
                "exam_day.below_booked",
                f"{booked} places sont déjà prises ce jour-là : la capacité ne peut pas "
                f"descendre en dessous.",
                f"{booked} seats are already taken on that day: the capacity cannot go below.",
                {"booked": booked},
            )
        )
    return tuple(problems)


def breaks_problems(
    breaks: list[tuple[time, time]], starts_at: time, ends_at: time
) -> tuple[Reason, ...]:
    """Breaks lie within the day, each ends after it starts, none overlaps another."""
    problems: list[Reason] = []
    ordered = sorted(breaks)
    for start, end in ordered:
        if end <= start or start < starts_at or end > ends_at:
            problems.append(
                Reason(
                    "exam_day.break_outside",
                    f"La pause {start:%H:%M}–{end:%H:%M} doit tenir dans la journée "
                    f"({starts_at:%H:%M}–{ends_at:%H:%M}) et finir après son début.",
                    f"The break {start:%H:%M}–{end:%H:%M} must fit in the day "
                    f"({starts_at:%H:%M}–{ends_at:%H:%M}) and end after it starts.",
                )
            )
    for (_s1, e1), (s2, _e2) in zip(ordered, ordered[1:], strict=False):
        if s2 < e1:
            problems.append(
                Reason(
                    "exam_day.breaks_overlap",
                    "Deux pauses se chevauchent.",
                    "Two breaks overlap.",
                )
            )
    return tuple(problems)


def is_before(deadline: datetime | None, now: datetime) -> bool:
    """A request taken until ``deadline`` (excluded); no deadline set: taken until the exams."""
    return deadline is None or clock.utc(now) < clock.utc(deadline)
