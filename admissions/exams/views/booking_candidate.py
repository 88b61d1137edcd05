"""The candidate's exam-day choice (R6.1) and accommodation request (R10.4).

The choice is two steps: pick a day, then confirm on a page that says the choice is final. A
double click or a stale form meets the service's answer (already booked, day full), said
plainly. A candidate only ever acts on their own dossier, from the desk.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from admissions.core.access import CANDIDATE, require_access
from admissions.core.requests import SignedInRequest
from admissions.documents.inspection import CONTENT_TYPES, sniff_format
from admissions.dossiers.views import desk_for, render_page
from admissions.exams.forms.booking import AccommodationRequestForm
from admissions.exams.selectors import booking as selectors
from admissions.exams.services import booking as services

PAGE = "exam_days"


def _render_choice(request: SignedInRequest, desk, **context) -> HttpResponse:
    state = selectors.booking_desk(desk.dossier, desk.params, desk.now, desk.language)
    return render_page(
        request,
        desk,
        "exams/booking/choose.html",
        PAGE,
        page_title=_("Choix du jour d'épreuves"),
        state=state,
        stage=selectors.Stage,
        accommodation=selectors.accommodation_of(desk.dossier),
        **context,
    )


@require_access(CANDIDATE)
def choose(request: SignedInRequest) -> HttpResponse:
    """GET: the candidate's stage and the days with seats left. POST ``day``: the confirmation
    step; POST ``day`` and ``confirm``: the booking."""
    desk = desk_for(request)
    if request.method != "POST":
        return _render_choice(request, desk)
    try:
        day_id = int(request.POST.get("day", ""))
    except ValueError:
        messages.error(request, _("Choisissez un jour."))
        return redirect("exams_booking:choose")
    if "confirm" not in request.POST:
        state = selectors.booking_desk(desk.dossier, desk.params, desk.now, desk.language)
        if state.stage != selectors.Stage.OPEN:
            return redirect("exams_booking:choose")  # the page says why (booked, closed...)
        day = selectors.days_with_seats(desk.campaign).filter(pk=day_id).first()
        if day is None:
            return _render_choice(
                request,
                desk,
                refusal=_("Ce jour est complet : toutes ses places viennent d'être prises."),
            )
        return render_page(
            request,
            desk,
            "exams/booking/confirm.html",
            PAGE,
            page_title=_("Confirmer votre jour d'épreuves"),
            day=day,
        )
    try:
        services.book_day(
            dossier=desk.dossier, day_id=day_id, by=request.user, now=desk.now, params=desk.params
        )
    except services.ExamError as error:
        if error.outcome in (services.FULL, services.UNKNOWN_DAY):
            # The remaining choices, on the same page, with what happened.
            return _render_choice(request, desk, refusal=error.message)
        messages.error(request, error.message)
        return redirect("exams_booking:choose")
    messages.success(request, _("Votre jour d'épreuves est enregistré."))
    return redirect("exams_booking:choose")


@require_access(CANDIDATE)
def accommodation(request: SignedInRequest) -> HttpResponse:
    """Declare needs with a proof, until the staff's date; then the decision (R10.4)."""
    desk = desk_for(request)
    row = selectors.accommodation_of(desk.dossier)
    is_open = selectors.accommodations_open(desk.campaign, desk.now)
    may_ask = is_open and (row is None or row.state == row.State.PENDING)
    form = AccommodationRequestForm(
        request.POST or None,
        request.FILES or None,
        initial={"needs": row.needs} if row else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_accommodation(
                    dossier=desk.dossier,
                    needs=form.cleaned_data["needs"],
                    upload=form.cleaned_data["proof"],
                    by=request.user,
                    now=desk.now,
                    params=desk.params,
                )
            except services.ExamError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Votre demande d'aménagement est enregistrée."))
                return redirect("exams_booking:accommodation")
        status = 400
    names = {exam.code: exam for exam in desk.params.exams}
    extra = [
        (names[code].name_en if desk.language == "en" else names[code].name_fr, minutes)
        for code, minutes in (row.extra_minutes if row else {}).items()
        if code in names
    ]
    response = render_page(
        request,
        desk,
        "exams/booking/accommodation_candidate.html",
        PAGE,
        page_title=_("Aménagement des épreuves"),
        accommodation=row,
        form=form if may_ask else None,
        is_open=is_open,
        close_at=selectors.settings_of(desk.campaign).accommodations_close_at
        or desk.campaign.exams_opens_at,
        extra=extra,
    )
    response.status_code = status
    return response


@require_access(CANDIDATE)
def accommodation_proof(request: SignedInRequest) -> FileResponse:
    """The candidate's own proof, downloaded."""
    desk = desk_for(request)
    row = selectors.accommodation_of(desk.dossier)
    if row is None or not row.proof:
        raise Http404
    return proof_response(row)


def proof_response(row) -> FileResponse:
    """A proof as a download, never opened in the browser (its content judged, not its name)."""
    with row.proof.open("rb") as stored:
        head = stored.read(1024)
    found = sniff_format(head) or ""
    response = FileResponse(
        row.proof.open("rb"),
        content_type=CONTENT_TYPES.get(found, "application/octet-stream"),
        as_attachment=True,
        filename=row.proof_name or "justificatif",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
