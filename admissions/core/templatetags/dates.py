"""Dates and instants in templates, pages, emails and PDFs alike (issue 8).

``{% load dates %}{{ dossier.submitted_at|instant }}`` gives "1er mars 2021 à 10 h 14" in French
and "1 March 2021 at 10:14" in English; ``{{ birth_date|day }}`` gives "1er mars 2021" /
"1 March 2021"; ``{{ closes_at|deadline }}`` says "9 mars 2021 à minuit" for an exclusive close.
The words come from admissions.rules.clock, the one place where dates are formatted; the
language is the active one and the zone the active time zone, which CampaignTimeZoneMiddleware
sets to the campaign's (settings.TIME_ZONE, Europe/Paris, otherwise).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from admissions.core.language import page_language
from admissions.rules import clock as rules_clock

register = template.Library()

Moment = datetime | date | str | None


def _read(value: Moment) -> datetime | date | str | None:
    """A datetime or date; ISO strings (as dossier snapshots keep them) are read too. Other
    text is given back as it is (a date a view has already put in words stays readable)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return (
                datetime.fromisoformat(value)
                if "T" in value or " " in value
                else date.fromisoformat(value)
            )
        except ValueError:
            return value
    return value


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@register.filter(name="instant")
def instant(value: Moment) -> str:
    """An instant in the active language and zone; a date alone is shown as a day."""
    moment = _read(value)
    if moment is None or isinstance(moment, str):
        return moment or ""
    if not isinstance(moment, datetime):
        return rules_clock.format_date(moment, page_language())
    return rules_clock.format_instant(
        _aware(moment), timezone.get_current_timezone_name(), page_language()
    )


@register.filter(name="day")
def day(value: Moment) -> str:
    """A calendar day in the active language; an instant gives the day the active zone shows."""
    moment = _read(value)
    if moment is None or isinstance(moment, str):
        return moment or ""
    if isinstance(moment, datetime):
        moment = rules_clock.local_date(_aware(moment), timezone.get_current_timezone_name())
    return rules_clock.format_date(moment, page_language())


@register.filter(name="deadline")
def deadline(value: Moment) -> str:
    """An exclusive close as people say it: 10 March 00:00 is "9 mars 2021 à minuit" (R1.2)."""
    moment = _read(value)
    if not isinstance(moment, datetime):
        return day(moment)
    return rules_clock.format_deadline(
        _aware(moment), timezone.get_current_timezone_name(), page_language()
    )


@register.filter(name="clock_time")
def clock_time(value: Moment) -> str:
    """An instant's wall time alone in the active language and zone: "17 h" / "17:00"."""
    moment = _read(value)
    if not isinstance(moment, datetime):
        return ""
    wall = rules_clock.local(_aware(moment), timezone.get_current_timezone_name())
    return rules_clock.format_time(wall.time(), page_language())
