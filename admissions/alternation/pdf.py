"""The printable calendar: one landscape A4 page, the weeks in two halves side by side (R8.1)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from admissions.alternation.calendar import academic_calendar, academic_years
from admissions.campaigns.models import Campaign, per_revision


def calendar_pdf(campaign: Campaign, academic_year: str, language: str) -> bytes | None:
    """The PDF of ``academic_year``'s table, or None without one. Made once per campaign
    revision, year and language in each process: a visitor cannot make the server render it
    again and again (R9.5), and a reloaded file gives a new revision, hence a new PDF."""

    if academic_year not in academic_years(campaign) or language not in ("fr", "en"):
        return None  # checked first: made-up years never reach the cache

    def build() -> bytes | None:
        from weasyprint import HTML  # slow import: only where a PDF is made

        with translation.override(language):
            calendar = academic_calendar(campaign, academic_year, language)
            if calendar is None:
                return None
            html = render_to_string(
                "alternation/calendar_pdf.html",
                {"calendar": calendar, "campaign": campaign, "language": language},
            )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

    return per_revision(
        campaign.pk, campaign.revision, f"alternation-pdf:{academic_year}:{language}", build
    )
