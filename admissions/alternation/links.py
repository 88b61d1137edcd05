"""The addresses a calendar subscription is handed out with (R8.1): its feed, in https and in
webcal (the scheme that makes a calendar application offer to subscribe), and the printable PDF
of the academic year its year of study starts in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from admissions.alternation.models import CalendarSubscription
from admissions.campaigns.models import Campaign


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class SubscriptionLinks:
    feed: str  # https://.../alternance/abonnement/<token>.ics
    webcal: str  # webcal://.../alternance/abonnement/<token>.ics
    pdf: str  # https://.../alternance/<academic year>/calendrier.pdf, "" without a calendar
    academic_year: str


def academic_year_of(campaign: Campaign, year_of_study: int) -> str:
    """The (first) academic year the campaign's file gives a calendar of ``year_of_study`` for."""
    years = sorted(
        y.academic_year
        for y in campaign.params().alternation_years
        if y.year_of_study == year_of_study
    )
    return years[0] if years else ""


def subscription_links(subscription: CalendarSubscription, campaign: Campaign) -> SubscriptionLinks:
    feed = site_url(reverse("alternation:feed", args=[subscription.token]))
    webcal = "webcal://" + feed.split("://", 1)[1]
    academic_year = academic_year_of(campaign, subscription.year_of_study)
    pdf = site_url(reverse("alternation:pdf", args=[academic_year])) if academic_year else ""
    return SubscriptionLinks(feed=feed, webcal=webcal, pdf=pdf, academic_year=academic_year)
