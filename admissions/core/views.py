from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from admissions.campaigns.selectors import request_campaign
from admissions.core import clock
from admissions.core.access import PUBLIC, require_access
from admissions.rules import deadlines


@require_access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """The campaign at a glance: where it stands now, and every date of the notice (R1.5, R10.1)."""
    campaign = request_campaign(request)
    context: dict = {"campaign": campaign}
    if campaign is not None:
        params = campaign.params()
        now = clock.now()
        language = get_language() or "fr"
        report = deadlines.campaign_phase(params, now)
        english = language.startswith("en")
        context.update(
            now=now,
            phase_label=report.label_en if english else report.label_fr,
            milestones=[
                {"name": entry.name, "state": entry.state, "text": entry.text(language)}
                for entry in report.entries
            ],
            options=campaign.options_on_offer(),
            staff_links=staff_links(request),
            signup_open=deadlines.is_open(
                deadlines.effective_window(params, "applications"), now
            ),
        )
    return render(request, "core/home.html", context)


def staff_links(request: HttpRequest) -> list[dict]:
    """The staff pages this account may open (the back office grows with the next issues)."""
    from admissions.core.access import CENTRAL_OFFICER, PLATFORM_ADMIN

    user = request.user
    if not (user.is_authenticated and user.is_staff_member):
        return []
    links = []
    if CENTRAL_OFFICER.allows(request):
        links += [
            {"url": reverse("payments:pending"), "label": _("Paiements à confirmer")},
            {"url": reverse("support:staff_list"), "label": _("Messages des candidats")},
        ]
    if PLATFORM_ADMIN.allows(request):
        links.append({"url": reverse("admin:index"), "label": _("Administration de la plateforme")})
    return links
