"""Aware instants in the campaign's zone, correct across daylight-saving changes (R1.2, R1.5).

Every instant goes through ``zoneinfo``: a fixed offset such as ``+01:00`` is wrong for half of
the campaign (Paris moves to ``+02:00`` on 2021-03-28, in the middle of the exam booking).

Python compares two datetimes that share one ``tzinfo`` object by their wall time, ignoring
``fold`` and the offset; ``utc()`` turns instants into UTC before any comparison that matters.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .explain import Reason, RulesError
from .language import in_language, is_english

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@cache
def zone(tz_name: str) -> ZoneInfo:
    """The IANA zone ``tz_name``; an unknown name is a data error, not a crash."""
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise RulesError(
            Reason(
                "clock.unknown_time_zone",
                f"Fuseau horaire inconnu : « {tz_name} ».",
                f"Unknown time zone: '{tz_name}'.",
                {"time_zone": tz_name},
            )
        ) from error


def require_aware(dt: datetime, what: str = "instant") -> datetime:
    """Refuse naive datetimes: a naive instant means nothing in a multi-zone platform (R1.5)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise RulesError(
            Reason(
                "clock.naive_datetime",
                f"L'instant « {what} » n'a pas de fuseau horaire.",
                f"The instant '{what}' has no time zone.",
                {"what": what, "value": dt.isoformat()},
            )
        )
    return dt


def utc(dt: datetime) -> datetime:
    """The same instant in UTC, safe to compare and subtract."""
    return require_aware(dt).astimezone(UTC)


def local(dt: datetime, tz_name: str) -> datetime:
    """The same instant, expressed as wall time in ``tz_name`` (e.g. ``Europe/Paris``)."""
    return require_aware(dt).astimezone(zone(tz_name))


def at(day: date, tz_name: str, time_of_day: time = time(0)) -> datetime:
    """The instant of wall time ``time_of_day`` on ``day`` in ``tz_name``.

    A wall time skipped by a spring-forward (02:30 on 2021-03-28 in Paris) is moved forward by
    the gap (03:30 CEST); an ambiguous one (02:30 on 2021-10-31) is the first occurrence (CEST).
    The result is normalised, so its wall time is one the zone really shows.
    """
    if time_of_day.tzinfo is not None:
        raise RulesError(
            Reason(
                "clock.aware_time_of_day",
                "L'heure locale ne doit pas porter de fuseau.",
                "The wall time must not carry a time zone.",
            )
        )
    tz = zone(tz_name)
    naive = datetime.combine(day, time_of_day.replace(fold=0))
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def start_of_day(day: date, tz_name: str) -> datetime:
    """Local midnight at the start of ``day``."""
    return at(day, tz_name)


def end_of_day(day: date, tz_name: str) -> datetime:
    """The exclusive end of ``day``: "until 9 March (midnight)" is 10 March 00:00 local (R1.2).

    Computed from the next calendar day, not by adding 24 hours (a DST day lasts 23 or 25)."""
    return start_of_day(day + timedelta(days=1), tz_name)


def local_date(dt: datetime, tz_name: str) -> date:
    """The calendar day the campaign's zone shows at instant ``dt``."""
    return local(dt, tz_name).date()


def parse_instant(text: str, tz_name: str) -> datetime:
    """An ISO 8601 instant; without an offset it is read as wall time in ``tz_name``.

    Used by ``manage.py campaign_status --at``; a date alone means its local midnight.
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise RulesError(
            Reason(
                "clock.unreadable_instant",
                f"Instant illisible : « {text} » (attendu : 2021-03-09T23:59:59+01:00).",
                f"Unreadable instant: '{text}' (expected e.g. 2021-03-09T23:59:59+01:00).",
                {"value": text},
            )
        ) from error
    if parsed.tzinfo is None:
        return at(parsed.date(), tz_name, parsed.time())
    return parsed


def format_instant(dt: datetime, tz_name: str, language: str = "fr") -> str:
    """``1er mars 2021 à 10 h 14`` / ``1 March 2021 at 10:14``, in the campaign's zone.

    The one format of instants in pages, emails and PDFs, in both languages (issue 8): French
    writes the hour with "h" between spaces ("10 h", "10 h 05"), English a 24-hour clock; no
    seconds (an instant shown to people is read to the minute)."""
    wall = local(dt, tz_name)
    return (
        f"{format_date(wall.date(), language)} {_at(language)} {format_time(wall.time(), language)}"
    )


def format_time(wall_time: time, language: str = "fr") -> str:
    """``10 h 14``, ``10 h`` / ``10:14``, ``10:00``: a wall time, to the minute."""
    if is_english(language):
        return f"{wall_time.hour:02d}:{wall_time.minute:02d}"
    if wall_time.minute == 0:
        return f"{wall_time.hour} h"
    return f"{wall_time.hour} h {wall_time.minute:02d}"


def format_date(day: date, language: str = "fr") -> str:
    """``1er février 2021`` / ``1 February 2021``."""
    if is_english(language):
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{_day_fr(day.day)} {MONTHS_FR[day.month - 1]} {day.year}"


def format_deadline(closes_at: datetime, tz_name: str, language: str = "fr") -> str:
    """How people say an exclusive close: 10 March 00:00 is "9 mars 2021 à minuit" (R1.2).

    The notice's own words; other closes are the plain instant."""
    wall = local(closes_at, tz_name)
    if wall.time() == time(0):
        last_day = wall.date() - timedelta(days=1)
        if is_english(language):
            return f"midnight at the end of {format_date(last_day, 'en')}"
        return f"{format_date(last_day, 'fr')} à minuit"
    return format_instant(closes_at, tz_name, language)


def _at(language: str) -> str:
    return in_language(language, "à", "at")


def _day_fr(day: int) -> str:
    return "1er" if day == 1 else str(day)
