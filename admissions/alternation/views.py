"""The alternation calendar's public page and PDF, and the private ICS feeds (R8.1).

The table holds no personal data (R9.2): it is public, for the campaign the platform shows.
A feed is opened by its token alone (``TOKEN_LINK``); an unknown token answers 404 and a
revoked one 410 Gone (calendar applications stop asking), each with a page that says so.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from admissions.alternation import selectors
from admissions.alternation.calendar import academic_calendar, academic_years
from admissions.alternation.feeds import subscription_ics
from admissions.alternation.pdf import calendar_pdf
from admissions.campaigns.selectors import campaign_or_404
from admissions.core import clock
from admissions.core.access import PUBLIC, TOKEN_LINK, require_access
from admissions.core.language import page_language


@require_access(PUBLIC)
def index(request: HttpRequest) -> HttpResponse:
    """The calendar of the campaign's (first) academic year, or a page saying there is none."""
    campaign = campaign_or_404(request)
    years = academic_years(campaign)
    if years:
        return redirect("alternation:table", academic_year=years[0])
    return render(request, "alternation/none.html", {"campaign": campaign})


@require_access(PUBLIC)
def table(request: HttpRequest, academic_year: str) -> HttpResponse:
    campaign = campaign_or_404(request)
    calendar = academic_calendar(campaign, academic_year, page_language())
    if calendar is None:
        raise Http404
    return render(
        request,
        "alternation/table.html",
        {
            "campaign": campaign,
            "calendar": calendar,
            "other_years": [y for y in academic_years(campaign) if y != academic_year],
        },
    )


@require_access(PUBLIC)
def table_pdf(request: HttpRequest, academic_year: str) -> HttpResponse:
    campaign = campaign_or_404(request)
    pdf = calendar_pdf(campaign, academic_year, page_language())
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="calendrier-alternance-{campaign.code}-{academic_year}.pdf"'
    )
    return response


@never_cache
@require_access(TOKEN_LINK)
def feed(request: HttpRequest, token: str) -> HttpResponse:
    subscription = selectors.subscription_of_token(token)
    if subscription is None:
        return render(request, "alternation/feed_unknown.html", status=404)
    if not subscription.is_active:
        return render(request, "alternation/feed_revoked.html", status=410)
    body = subscription_ics(subscription, subscription.campaign, now=clock.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="alternance.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
