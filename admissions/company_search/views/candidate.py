"""The candidate's side of the company-search help (R7.3), reached from their company page
(/dossier/entreprise/): register for a session or give the seat back, ask for phone advice.
The dossier is always the signed-in candidate's own (R9.2); a session of another campaign is
not found."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.company_search import selectors, services
from admissions.company_search.forms import PhoneAdviceForm
from admissions.company_search.models import TrainingSession
from admissions.company_search.services import SearchHelpError
from admissions.core.access import CANDIDATE, require_access
from admissions.core.requests import SignedInRequest
from admissions.dossiers.views import desk_for, render_page

PAGE = "company"


def _session_or_404(campaign, session_id: int) -> TrainingSession:
    session = TrainingSession.objects.filter(pk=session_id, campaign=campaign).first()
    if session is None:
        raise Http404
    return session


@require_access(CANDIDATE)
@require_POST
def register(request: SignedInRequest, session_id: int) -> HttpResponse:
    desk = desk_for(request)
    session = _session_or_404(desk.campaign, session_id)
    try:
        services.register(
            dossier=desk.dossier,
            session_id=session.pk,
            by=request.user,
            now=desk.now,
            language=desk.language,
        )
    except SearchHelpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous êtes inscrit(e) à la session de formation."))
    return redirect("companies:candidate")


@require_access(CANDIDATE)
@require_POST
def unregister(request: SignedInRequest, session_id: int) -> HttpResponse:
    desk = desk_for(request)
    session = _session_or_404(desk.campaign, session_id)
    try:
        services.unregister(
            dossier=desk.dossier, session_id=session.pk, by=request.user, now=desk.now
        )
    except SearchHelpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous êtes désinscrit(e) : votre place est libérée."))
    return redirect("companies:candidate")


@require_access(CANDIDATE)
def phone_advice(request: SignedInRequest) -> HttpResponse:
    """The phone advice request: shown on the company page; this page shows it again with
    what is wrong when the input is refused (what was typed is kept)."""
    desk = desk_for(request)
    current = selectors.phone_request_of(desk.dossier)
    initial = (
        {"phone": current.phone, "preferred_times": current.preferred_times} if current else None
    )
    form = PhoneAdviceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_phone_advice(
                dossier=desk.dossier,
                phone=form.cleaned_data["phone"],
                preferred_times=form.cleaned_data["preferred_times"],
                by=request.user,
                now=desk.now,
                language=desk.language,
            )
        except SearchHelpError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("Demande enregistrée : le service des admissions vous appellera."),
            )
            return redirect("companies:candidate")
    response = render_page(
        request,
        desk,
        "company_search/phone.html",
        PAGE,
        page_title=_("Conseils par téléphone"),
        form=form,
        current=current,
    )
    if request.method == "POST":
        response.status_code = 400
    return response
