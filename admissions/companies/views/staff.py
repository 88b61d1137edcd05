"""The school officers' pages of the company phase (R7, R8.3): the declared companies, one
candidate's company phase with the actions staff record (confirmation, contract date, age
exemption, fraud, withdrawal), the final and waiting lists per seat group, their exports.

Thin views: parse, look the dossier up through the school's scope (404 otherwise, R9.2), call
one service, redirect; the services ask the predicate again under their lock."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.campaigns.selectors import campaign_or_404
from admissions.companies import selectors, services
from admissions.companies.forms import (
    ConfirmationForm,
    ContractDateForm,
    ExemptionForm,
    FraudForm,
    StaffWithdrawalForm,
)
from admissions.companies.models import HostCompany
from admissions.companies.permissions import can_read_final_list, dossiers_placed_by
from admissions.companies.services import CompanyError
from admissions.core import clock, exports
from admissions.core.access import SCHOOL_OFFICER, require_access
from admissions.core.language import localized, page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers.models import Dossier
from admissions.preentry.selectors import conditional_references


def placed_dossier_or_404(request: SignedInRequest, reference: str) -> Dossier:
    dossier = (
        dossiers_placed_by(request.user)
        .filter(reference=reference)
        .select_related("campaign__school", "candidate")
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@require_access(SCHOOL_OFFICER)
def companies(request: SignedInRequest) -> HttpResponse:
    """The host companies declared in the campaign shown, newest first, with their state."""
    campaign = campaign_or_404(request)
    language = page_language()
    sectors = {s.code: s.label(language) for s in selectors.campaign_sectors(campaign)}
    rows = selectors.company_rows(dossiers_placed_by(request.user), campaign)
    # A rank counts within one seat group: the list cell names the group it is in (R7.2).
    seat_groups = {g.code: localized(g, "name") for g in campaign.seat_groups.all()}
    return render(
        request,
        "companies/staff_list.html",
        {
            "page_title": _("Entreprises d'accueil"),
            "campaign": campaign,
            "rows": rows,
            "sectors": sectors,
            "seat_groups": seat_groups,
        },
    )


def render_dossier(request: SignedInRequest, dossier: Dossier, status: int = 200, **forms):
    campaign = dossier.campaign
    now = clock.now()
    language = page_language()
    company = selectors.active_company(dossier)
    exclusion = selectors.exclusion_of(dossier)
    place = selectors.place_of(dossier)
    found = selectors.final_list(campaign, now).reason_for(dossier.reference)
    sectors = {s.code: s.label(language) for s in selectors.campaign_sectors(campaign)}
    open_phase = exclusion is None
    awaiting = company is not None and company.state == HostCompany.State.AWAITING
    confirmed = company is not None and company.state == HostCompany.State.CONFIRMED
    context = {
        "page_title": _("Phase entreprise — dossier %(reference)s")
        % {"reference": dossier.reference},
        "dossier": dossier,
        "admitted": selectors.academically_admitted(dossier, now),
        "company": company,
        "sectors": sectors,
        "past": selectors.past_companies(dossier),
        "exclusion": exclusion,
        "place": place,
        "place_reason": found.text(language) if found else None,
        "confirmation_form": forms.get("confirmation_form")
        or (ConfirmationForm() if awaiting and open_phase else None),
        "contract_form": forms.get("contract_form")
        or (
            ContractDateForm(initial={"signed_on": company.contract_signed_on})
            if confirmed and company is not None
            else None
        ),
        "exemption_form": forms.get("exemption_form")
        or ExemptionForm(initial={"exempt": "yes" if dossier.legal_age_exemption else "no"}),
        "fraud_form": forms.get("fraud_form")
        or (FraudForm() if exclusion is None or not exclusion.is_fraud else None),
        "withdrawal_form": forms.get("withdrawal_form")
        or (StaffWithdrawalForm() if open_phase else None),
    }
    return render(request, "companies/staff_dossier.html", context, status=status)


@require_access(SCHOOL_OFFICER)
def dossier_page(request: SignedInRequest, reference: str) -> HttpResponse:
    return render_dossier(request, placed_dossier_or_404(request, reference))


def _done(request, dossier: Dossier, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("companies:staff_dossier", reference=dossier.reference)


def _refused(request, dossier: Dossier, error: CompanyError) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("companies:staff_dossier", reference=dossier.reference)


@require_access(SCHOOL_OFFICER)
@require_POST
def confirm(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = placed_dossier_or_404(request, reference)
    form = ConfirmationForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, confirmation_form=form)
    company = selectors.active_company(dossier)
    if company is None:
        return _refused(
            request, dossier, CompanyError(_("Aucune déclaration en attente de confirmation."))
        )
    try:
        services.record_confirmation(
            company=company,
            evidence=form.cleaned_data["evidence"],
            evidence_file=form.cleaned_data.get("evidence_file"),
            by=request.user,
            now=clock.now(),
            language=page_language(),
        )
    except CompanyError as error:
        if error.field:
            form.add_error(
                error.field if error.field != "evidence" else "evidence_file", error.message
            )
            return render_dossier(request, dossier, status=400, confirmation_form=form)
        return _refused(request, dossier, error)
    return _done(request, dossier, _("Confirmation de l'entreprise enregistrée."))


@require_access(SCHOOL_OFFICER)
@require_POST
def contract_date(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = placed_dossier_or_404(request, reference)
    form = ContractDateForm(request.POST)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, contract_form=form)
    try:
        services.record_contract_date(
            dossier=dossier,
            signed_on=form.cleaned_data.get("signed_on"),
            by=request.user,
            now=clock.now(),
        )
    except CompanyError as error:
        return _refused(request, dossier, error)
    return _done(
        request, dossier, _("Date du contrat enregistrée : la liste définitive est recalculée.")
    )


@require_access(SCHOOL_OFFICER)
@require_POST
def exemption(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = placed_dossier_or_404(request, reference)
    form = ExemptionForm(request.POST)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, exemption_form=form)
    try:
        services.set_age_exemption(
            dossier=dossier,
            exempt=form.cleaned_data["exempt"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            now=clock.now(),
        )
    except CompanyError as error:
        return _refused(request, dossier, error)
    return _done(
        request, dossier, _("Dérogation enregistrée : la liste définitive est recalculée.")
    )


@require_access(SCHOOL_OFFICER)
@require_POST
def fraud(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = placed_dossier_or_404(request, reference)
    form = FraudForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, fraud_form=form)
    try:
        services.record_fraud(
            dossier=dossier,
            attempted=form.cleaned_data["kind"] == "attempted_fraud",
            reason=form.cleaned_data["reason"],
            evidence=form.cleaned_data.get("evidence"),
            by=request.user,
            now=clock.now(),
            language=page_language(),
        )
    except CompanyError as error:
        if error.field:
            form.add_error(error.field, error.message)
            return render_dossier(request, dossier, status=400, fraud_form=form)
        return _refused(request, dossier, error)
    return _done(request, dossier, _("Fraude enregistrée : le candidat est exclu et prévenu."))


@require_access(SCHOOL_OFFICER)
@require_POST
def withdraw(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = placed_dossier_or_404(request, reference)
    form = StaffWithdrawalForm(request.POST)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, withdrawal_form=form)
    try:
        services.withdraw(
            dossier=dossier,
            by=request.user,
            now=clock.now(),
            reason=form.cleaned_data["reason"],
            staff=True,
        )
    except CompanyError as error:
        return _refused(request, dossier, error)
    return _done(request, dossier, _("Retrait enregistré."))


# --- The final list and the waiting list (R7.2, R8.3) ---------------------------------------


def list_rows(request: SignedInRequest, which: str):
    """(group, rank, dossier, company) of the list ``which`` ("admitted" or "waiting") of the
    campaign shown, for an officer of its school; nothing for anyone else."""
    campaign = campaign_or_404(request)
    if not can_read_final_list(request.user, campaign):
        return campaign, []
    result = selectors.final_list(campaign, clock.now())
    refs = result.admitted_refs | result.waiting_refs
    dossiers = selectors.dossiers_by_reference(campaign, refs)
    companies = {
        c.dossier_id: c
        for c in HostCompany.objects.filter(
            dossier__in=list(dossiers.values()), state=HostCompany.State.CONFIRMED
        )
    }
    rows = []
    for group in result.groups:
        line = group.admitted if which == "admitted" else group.waiting
        for rank, entry in enumerate(line, 1):
            dossier = dossiers[entry.candidate]
            rows.append((group.group.code, rank, dossier, companies.get(dossier.pk), entry))
    return campaign, rows


@require_access(SCHOOL_OFFICER)
def final_list(request: SignedInRequest) -> HttpResponse:
    campaign, admitted = list_rows(request, "admitted")
    _campaign, waiting = list_rows(request, "waiting")
    waiting_codes = {row[0] for row in waiting}
    groups = [
        {
            "code": g.code,
            "name": localized(g, "name"),
            "seats": g.seats,
            "anyone_waiting": g.code in waiting_codes,
        }
        for g in campaign.seat_groups.all()
    ]
    return render(
        request,
        "companies/final_list.html",
        {
            "page_title": _("Liste définitive et liste d'attente"),
            "campaign": campaign,
            "seat_groups": groups,
            "admitted": admitted,
            "waiting": waiting,
            # R7.2: admission stays conditional until staff accept the diploma (R7.4).
            "conditional": conditional_references(
                campaign, [dossier.reference for _g, _r, dossier, _c, _e in admitted]
            ),
            "frozen": clock.now() >= campaign.final_list_frozen_at,
        },
    )


EXPORT_HEADERS = (
    "groupe",
    "rang",
    "reference",
    "nom",
    "prenom",
    "statut",
    "entreprise",
    "siret",
    "confirmee_le",
    "debut_contrat",
)


@require_access(SCHOOL_OFFICER)
def export(request: SignedInRequest, fmt: str, which: str) -> HttpResponseBase:
    """The final list or the waiting list as CSV or XLSX (R8.3)."""
    if fmt not in exports.FORMATS:
        raise Http404
    campaign, rows = list_rows(request, which)
    lines = (
        (
            group,
            rank,
            dossier.reference,
            dossier.last_name,
            dossier.first_name,
            dossier.status_sought,
            company.name if company else "",
            company.siret if company else "",
            entry.confirmed_at,
            entry.contract_start,
        )
        for group, rank, dossier, company, entry in rows
    )
    name = "liste-definitive" if which == "admitted" else "liste-attente"
    return exports.export_response(fmt, f"{name}-{campaign.code}", EXPORT_HEADERS, lines)
