"""The ICS feed of a calendar subscription (R8.1): one all-day event per period.

Built at each request from the campaign's current parameters: a period moved in the campaign
file moves in every subscriber's calendar at its next refresh. Each event's UID names the
campaign, the year of study, the kind and the first week, so a client updates an event it
already has rather than duplicating it, and drops the ones no longer served.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from admissions.alternation.calendar import Period, kind_names, periods, year_of_study_label
from admissions.alternation.models import CalendarSubscription
from admissions.campaigns.models import Campaign
from admissions.core.language import localized
from admissions.rules.params import PeriodKind

PRODID = "-//admissions//calendrier d'alternance//FR"
REFRESH = timedelta(hours=6)  # how often clients that honour it fetch the feed again


def _week(week: tuple[int, int]) -> str:
    return f"{week[0]}-W{week[1]:02d}"


def _summary(period: Period) -> str:
    name = kind_names()[period.kind]
    if period.kind is PeriodKind.DEFENCE:
        return name
    if period.first_number == period.last_number:
        return _("%(kind)s (semaine %(first)s)") % {"kind": name, "first": period.first_number}
    return _("%(kind)s (semaines %(first)s à %(last)s)") % {
        "kind": name,
        "first": period.first_number,
        "last": period.last_number,
    }


def feed_title(subscription: CalendarSubscription, campaign: Campaign) -> str:
    return _("Alternance %(year)s — %(campaign)s — %(label)s") % {
        "year": year_of_study_label(subscription.year_of_study),
        "campaign": localized(campaign, "name"),
        "label": subscription.label,
    }


def subscription_ics(
    subscription: CalendarSubscription, campaign: Campaign, *, now: datetime
) -> bytes:
    """The subscription's calendar in its language, from the campaign's periods of now."""
    with translation.override(subscription.language):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", feed_title(subscription, campaign))
        # All-day events are dates, valid in any zone; clients that show a zone show this one.
        calendar.add("x-wr-timezone", campaign.time_zone)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH)
        stamp = now.astimezone(UTC)
        years = [
            y
            for y in campaign.params().alternation_years
            if y.year_of_study == subscription.year_of_study
        ]
        for year in sorted(years, key=lambda y: y.academic_year):
            for period in periods(year):
                event = Event()
                event.add(
                    "uid",
                    f"{campaign.code}-{year.academic_year}-{year.year_of_study}-"
                    f"{period.kind.value}-{_week(period.first_week)}@alternance.admissions",
                )
                event.add("dtstamp", stamp)
                event.add("summary", _summary(period))
                event.add("dtstart", period.starts_on)
                event.add("dtend", period.ends_on + timedelta(days=1))  # exclusive end
                event.add(
                    "description",
                    _("%(year)s, année scolaire %(academic)s : semaines ISO %(first)s à %(last)s.")
                    % {
                        "year": year_of_study_label(year.year_of_study),
                        "academic": year.academic_year,
                        "first": _week(period.first_week),
                        "last": _week(period.last_week),
                    },
                )
                event.add("categories", [kind_names()[period.kind]])
                event.add("transp", "TRANSPARENT")  # a school week does not make one busy
                calendar.add_component(event)
        return calendar.to_ical()
