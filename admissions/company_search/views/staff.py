"""Staff pages of the company-search help under /gestion/recherche-entreprise/ (R7.3, R8.3):
the training sessions (set, change, invite, cancel), their registrations, the phone advice
requests, the presentation file for companies, and the exports. For the school's admissions
officers and the central service of the campaign's school; 404 for anyone else.

Thin views: parse, look the object up through the school-scoped selectors (404 otherwise),
call one service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.campaigns.models import Campaign
from admissions.campaigns.selectors import campaign_or_404
from admissions.company_search import selectors, services
from admissions.company_search.forms import (
    CancelForm,
    PhoneDoneForm,
    PresentationForm,
    SessionForm,
)
from admissions.company_search.models import TrainingSession
from admissions.company_search.permissions import (
    can_manage,
    phone_requests_managed_by,
    sessions_managed_by,
)
from admissions.company_search.services import SearchHelpError, SessionDetails
from admissions.core import clock, exports
from admissions.core.access import OFFICERS, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest


def managed_campaign(request: SignedInRequest) -> Campaign:
    campaign = campaign_or_404(request)
    if not can_manage(request.user, campaign):
        raise Http404
    return campaign


def _session_or_404(request: SignedInRequest, session_id: int) -> TrainingSession:
    session = (
        sessions_managed_by(request.user)
        .filter(pk=session_id)
        .select_related("campaign__school")
        .first()
    )
    if session is None:
        raise Http404
    return session


def _details(form: SessionForm, campaign: Campaign) -> SessionDetails:
    starts_at, ends_at = form.instants(campaign.time_zone)
    data = form.cleaned_data
    return SessionDetails(
        starts_at=starts_at,
        ends_at=ends_at,
        remote=data["remote"],
        place=data["place"],
        link=data["link"],
        capacity=data["capacity"],
        notes=data["notes"],
    )


def render_index(
    request: SignedInRequest,
    campaign: Campaign,
    *,
    session_form: SessionForm | None = None,
    presentation_form: PresentationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sessions = sessions_managed_by(request.user).filter(campaign=campaign)
    counts = selectors.invitation_counts(sessions)
    rows = [(session, counts.get(session.pk, 0)) for session in sessions.order_by("starts_at")]
    return render(
        request,
        "company_search/staff.html",
        {
            "page_title": _("Aide à la recherche d'entreprise"),
            "campaign": campaign,
            "now": clock.now(),
            "sessions": rows,
            "session_form": session_form or SessionForm(),
            "presentation": selectors.presentation_file(campaign),
            "presentation_link": selectors.presentation_link(campaign),
            "presentation_form": presentation_form or PresentationForm(),
            "phone_requests": selectors.phone_requests(
                phone_requests_managed_by(request.user), campaign
            ),
            "without_company": selectors.admitted_without_company_count(campaign, clock.now()),
        },
        status=status,
    )


@require_access(OFFICERS)
def index(request: SignedInRequest) -> HttpResponse:
    return render_index(request, managed_campaign(request))


@require_access(OFFICERS)
@require_POST
def session_new(request: SignedInRequest) -> HttpResponse:
    campaign = managed_campaign(request)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = services.save_session(
                campaign=campaign,
                details=_details(form, campaign),
                by=request.user,
                now=clock.now(),
                language=page_language(),
            )
        except SearchHelpError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("Session enregistrée. Invitez maintenant les candidats admis sans entreprise."),
            )
            return redirect("company_search:session", session_id=session.pk)
    return render_index(request, campaign, session_form=form, status=400)


def render_session(
    request: SignedInRequest,
    session: TrainingSession,
    *,
    form: SessionForm | None = None,
    cancel_form: CancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    campaign = session.campaign
    local_start, local_end = campaign.local(session.starts_at), campaign.local(session.ends_at)
    open_session = not session.is_cancelled and session.starts_at > clock.now()
    initial = {
        "date": local_start.date(),
        "starts_at": local_start.time(),
        "ends_at": local_end.time(),
        "remote": session.remote,
        "place": session.place,
        "link": session.link,
        "capacity": session.capacity,
        "notes": session.notes,
    }
    return render(
        request,
        "company_search/session.html",
        {
            "page_title": _("Session de formation à la recherche d'entreprise"),
            "campaign": campaign,
            "session": session,
            "open": open_session,
            "form": (form or SessionForm(initial=initial)) if open_session else None,
            "cancel_form": (cancel_form or CancelForm()) if open_session else None,
            "registrations": selectors.registrations(
                sessions_managed_by(request.user).filter(pk=session.pk)
            ),
            "invited": session.invitations.count(),
        },
        status=status,
    )


@require_access(OFFICERS)
def session_page(request: SignedInRequest, session_id: int) -> HttpResponse:
    session = _session_or_404(request, session_id)
    if request.method != "POST":
        return render_session(request, session)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.save_session(
                campaign=session.campaign,
                details=_details(form, session.campaign),
                by=request.user,
                now=clock.now(),
                session=session,
                language=page_language(),
            )
        except SearchHelpError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Session modifiée."))
            return redirect("company_search:session", session_id=session.pk)
    return render_session(request, session, form=form, status=400)


@require_access(OFFICERS)
@require_POST
def invite(request: SignedInRequest, session_id: int) -> HttpResponse:
    session = _session_or_404(request, session_id)
    try:
        count = services.invite_without_company(session=session, by=request.user, now=clock.now())
    except SearchHelpError as error:
        messages.error(request, error.message)
    else:
        if count:
            messages.success(
                request,
                _("%(count)s candidat(s) invité(s) par courriel.") % {"count": count},
            )
        else:
            messages.info(
                request,
                _("Personne de plus à inviter : chaque candidat admis sans entreprise l'est déjà."),
            )
    return redirect("company_search:session", session_id=session.pk)


@require_access(OFFICERS)
@require_POST
def cancel(request: SignedInRequest, session_id: int) -> HttpResponse:
    session = _session_or_404(request, session_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return render_session(request, session, cancel_form=form, status=400)
    try:
        services.cancel_session(
            session=session, reason=form.cleaned_data["reason"], by=request.user, now=clock.now()
        )
    except SearchHelpError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Session annulée : les candidats invités et inscrits sont prévenus.")
        )
    return redirect("company_search:session", session_id=session.pk)


@require_access(OFFICERS)
@require_POST
def phone_done(request: SignedInRequest, request_id: int) -> HttpResponse:
    row = phone_requests_managed_by(request.user).filter(pk=request_id).first()
    if row is None:
        raise Http404
    form = PhoneDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.mark_phone_advice_done(request=row, note=note, by=request.user, now=clock.now())
    except SearchHelpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Demande marquée comme traitée."))
    return redirect("company_search:index")


@require_access(OFFICERS)
@require_POST
def presentation_upload(request: SignedInRequest) -> HttpResponse:
    campaign = managed_campaign(request)
    form = PresentationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_presentation_file(
                campaign=campaign,
                upload=form.cleaned_data["file"],
                by=request.user,
                now=clock.now(),
                language=page_language(),
            )
        except SearchHelpError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Dossier de présentation enregistré."))
            return redirect("company_search:index")
    return render_index(request, campaign, presentation_form=form, status=400)


# --- Exports (R8.3) -------------------------------------------------------------------------

REGISTRATION_HEADERS = (
    "session",
    "debut",
    "lieu",
    "etat_session",
    "reference",
    "nom",
    "prenom",
    "courriel",
    "inscrit_le",
)
PHONE_HEADERS = (
    "reference",
    "nom",
    "prenom",
    "courriel",
    "telephone",
    "moments_preferes",
    "demande_le",
    "traitee_le",
    "traitee_par",
    "note",
)


@require_access(OFFICERS)
def registrations_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    if fmt not in exports.FORMATS:
        raise Http404
    campaign = managed_campaign(request)
    rows = selectors.registrations(sessions_managed_by(request.user).filter(campaign=campaign))
    lines = (
        (
            row.session_id,
            row.session.starts_at,
            row.session.link if row.session.remote else row.session.place,
            row.session.state,
            row.dossier.reference,
            row.dossier.last_name,
            row.dossier.first_name,
            row.dossier.candidate.email,
            row.registered_at,
        )
        for row in rows.iterator()
    )
    return exports.export_response(
        fmt, f"inscriptions-recherche-entreprise-{campaign.code}", REGISTRATION_HEADERS, lines
    )


@require_access(OFFICERS)
def phone_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    if fmt not in exports.FORMATS:
        raise Http404
    campaign = managed_campaign(request)
    rows = selectors.phone_requests(phone_requests_managed_by(request.user), campaign)
    lines = (
        (
            row.dossier.reference,
            row.dossier.last_name,
            row.dossier.first_name,
            row.dossier.candidate.email,
            row.phone,
            row.preferred_times,
            row.requested_at,
            row.done_at,
            str(row.done_by) if row.done_by else "",
            row.done_note,
        )
        for row in rows.iterator()
    )
    return exports.export_response(fmt, f"conseils-telephone-{campaign.code}", PHONE_HEADERS, lines)
