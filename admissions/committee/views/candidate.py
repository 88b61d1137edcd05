"""The candidate's side of admissibility: the exam-day choice, announced (R5.2, R6.1).

The exams issue builds the booking itself; until then an admissible candidate whose result is
published reads that the choice opens soon. Nobody else learns anything here."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from admissions.committee.selectors import published_admissibility
from admissions.core.access import CANDIDATE, require_access
from admissions.core.requests import SignedInRequest
from admissions.dossiers.views import desk_for, render_page


@require_access(CANDIDATE)
def exam_days(request: SignedInRequest) -> HttpResponse:
    desk = desk_for(request)
    result = published_admissibility(desk.dossier, desk.now, desk.params)
    if result is None or not result.admissible:
        raise Http404
    return render_page(
        request,
        desk,
        "committee/exam_days_soon.html",
        "exam_days",
        page_title=_("Choix du jour d'épreuves"),
    )
