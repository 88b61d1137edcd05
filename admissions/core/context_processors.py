from __future__ import annotations

from django.http import HttpRequest

from admissions.campaigns.selectors import request_campaign
from admissions.core.language import in_page_language, page_language
from admissions.rules import clock as rules_clock
from admissions.rules import deadlines


def platform(request: HttpRequest) -> dict:
    """The campaign shown in the page frame, looked up once per request."""
    campaign = request_campaign(request)

    def signup_window(edge: str):
        # Callables are evaluated by templates only where used (the sign-up closed page).
        def formatted() -> str:
            if campaign is None:  # only called when a campaign is loaded (see below)
                return ""
            params = campaign.params()
            window = deadlines.sign_up_window(params)
            language = page_language()
            if edge == "opens":
                return rules_clock.format_instant(
                    window.opens_at, params.calendar.time_zone, language
                )
            return rules_clock.format_deadline(
                window.closes_at, params.calendar.time_zone, language
            )

        return formatted

    return {
        # French puts a (non-breaking) space before a colon, English does not.
        "colon": in_page_language("\u00a0:", ":"),
        "campaign": campaign,
        "platform_name": campaign.school.name if campaign else "Admissions",
        "signup_opens": signup_window("opens") if campaign else "",
        "signup_closes": signup_window("closes") if campaign else "",
    }
