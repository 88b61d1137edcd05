"""The campaign's funnel (R8.3): a table, the same numbers as bar charts, and its export."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.campaigns.models import Campaign
from admissions.campaigns.selectors import campaign_or_404
from admissions.core import exports
from admissions.core.access import OFFICERS, require_access
from admissions.core.requests import SignedInRequest
from admissions.verification.charts import bar_chart
from admissions.verification.funnel import STAGES, Funnel, FunnelRow, funnel_from
from admissions.verification.models import CampaignCounts
from admissions.verification.services import counts_for_page


def chart_of(rows: list[FunnelRow]):
    return bar_chart(
        [(row.label, list(zip(stage_labels(), row.values(), strict=True))) for row in rows]
    )


def funnel_of(request: SignedInRequest, campaign: Campaign) -> tuple[Funnel, CampaignCounts | None]:
    """The funnel as last counted in the background (never counted in the request)."""
    counted = counts_for_page(campaign, timezone.now())
    numbers = counted.counts.get("funnel", {}) if counted else {}
    return funnel_from(request.user, campaign, numbers), counted


def stage_labels() -> list[str]:
    return [str(label) for _code, label in STAGES]


@require_access(OFFICERS)
def funnel(request: SignedInRequest) -> HttpResponse:
    campaign = campaign_or_404(request)
    figures, counted = funnel_of(request, campaign)
    total = figures.total
    overall = bar_chart(
        [
            (
                total.label,
                [(str(_("Comptes candidats")), total.accounts or 0)]
                + list(zip(stage_labels(), total.values(), strict=True)),
            )
        ]
    )
    return render(
        request,
        "verification/funnel.html",
        {
            "page_title": _("Statistiques de la campagne"),
            "campaign": campaign,
            "funnel": figures,
            "counted_at": counted.computed_at if counted else None,
            "stages": stage_labels(),
            "overall_chart": overall,
            "option_chart": chart_of(figures.by_option),
            "status_chart": chart_of(figures.by_status),
        },
    )


def export_rows(figures: Funnel):
    yield (_("Campagne"), figures.total.label, figures.total.accounts, *figures.total.values())
    for row in figures.by_option:
        yield (_("Option"), row.label, None, *row.values())
    for row in figures.by_status:
        yield (_("Statut visé"), row.label, None, *row.values())


@require_access(OFFICERS)
def funnel_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    if fmt not in exports.FORMATS:
        raise Http404
    figures, _counted = funnel_of(request, campaign_or_404(request))
    headers = [_("Regroupement"), _("Ligne"), _("Comptes candidats"), *stage_labels()]
    return exports.export_response(fmt, "statistiques", headers, export_rows(figures))
