"""The candidate's side of admissibility: the exam-day choice, at the address the admissibility
email gives (R5.2, R6.1). The page itself is the exams app's (exams_booking:choose), which says
what a candidate who is not admissible, or whose result is not out, may know."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect

from admissions.core.access import CANDIDATE, require_access
from admissions.core.requests import SignedInRequest


@require_access(CANDIDATE)
def exam_days(request: SignedInRequest) -> HttpResponse:
    return redirect("exams_booking:choose")
