"""The candidate's company page (R7.1, R7.2): declare the host company, see its state and the
place in line, cancel a declaration, withdraw. The dossier is always the signed-in candidate's
own (never an identifier from the URL, R9.2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from admissions.alternation import selectors as alternation_selectors
from admissions.alternation.links import subscription_links
from admissions.companies import selectors, services
from admissions.companies.forms import CandidateActionForm, CompanyForm
from admissions.companies.models import ListPlace
from admissions.companies.services import CompanyError, Declaration
from admissions.company_search import selectors as search_help
from admissions.company_search.forms import PhoneAdviceForm
from admissions.core.access import CANDIDATE, require_access
from admissions.core.requests import SignedInRequest
from admissions.dossiers.views import desk_for, render_page
from admissions.rules.params import StatusSought

PAGE = "company"


@require_access(CANDIDATE)
def candidate(request: SignedInRequest) -> HttpResponse:
    desk = desk_for(request)
    dossier, now, language = desk.dossier, desk.now, desk.language
    campaign = desk.campaign
    admitted = selectors.academically_admitted(dossier, now)
    sectors = selectors.campaign_sectors(campaign)
    form = None
    if request.method == "POST":
        action_form = CandidateActionForm(request.POST)
        if not admitted or not action_form.is_valid():
            messages.error(request, _("Cette action n'est pas possible : rien n'a été changé."))
            return redirect("companies:candidate")
        action = action_form.cleaned_data["action"]
        if action == "declare":
            form = CompanyForm(request.POST, sectors=sectors, language=language)
            if form.is_valid():
                try:
                    company = services.declare_company(
                        dossier=dossier,
                        declaration=Declaration(**form.cleaned_data),
                        by=request.user,
                        now=now,
                        language=language,
                    )
                except CompanyError as error:
                    form.add_error(error.field, error.message)  # what was typed is kept
                else:
                    messages.success(
                        request,
                        _(
                            "Entreprise déclarée : %(name)s a reçu un lien pour confirmer votre contrat."
                        )
                        % {"name": company.tutor_email},
                    )
                    return redirect("companies:candidate")
        else:
            try:
                if action == "cancel":
                    services.cancel_company(dossier=dossier, by=request.user, now=now)
                    messages.success(
                        request,
                        _(
                            "Déclaration annulée : le lien envoyé à l'entreprise ne fonctionne plus."
                        ),
                    )
                elif request.POST.get("confirm_withdrawal") != "yes":
                    messages.error(
                        request,
                        _("Cochez la case pour confirmer le retrait : rien n'a été changé."),
                    )
                else:
                    services.withdraw(dossier=dossier, by=request.user, now=now)
                    messages.success(request, _("Votre candidature est retirée."))
            except CompanyError as error:
                messages.error(request, error.message)
            return redirect("companies:candidate")
    context: dict = {"page_title": _("Entreprise d'accueil"), "admitted": admitted}
    if admitted:
        context.update(candidate_context(dossier, campaign, now, language))
        context["form"] = form or CompanyForm(sectors=sectors, language=language)
    return render_page(request, desk, "companies/candidate.html", PAGE, **context)


def candidate_context(dossier, campaign, now, language: str) -> dict:
    """What the candidate sees of their company phase: the declaration, its state, the place
    in line (the confirmation's instant) and where they stand on the lists (R7.1, R7.2)."""
    company = selectors.active_company(dossier)
    place = selectors.place_of(dossier)
    reason = None
    if place is not None and place.standing == ListPlace.Standing.OUT:
        found = selectors.final_list(campaign, now).reason_for(dossier.reference)
        reason = found.text(language) if found else None
    status = StatusSought(dossier.status_sought) if dossier.status_sought else None
    contract = selectors.CONTRACT_FOR_STATUS[status].label if status else ""
    sectors = {s.code: s.label(language) for s in selectors.campaign_sectors(campaign)}
    help_ = search_help.candidate_help(dossier, campaign, now)
    phone = help_.phone_request
    calendar = None
    if place is not None and place.standing == ListPlace.Standing.ADMITTED:
        subscription = alternation_selectors.apprentice_subscription(dossier)
        if subscription is not None:
            calendar = subscription_links(subscription, campaign)
    return {
        "calendar": calendar,
        # The company-search help (R7.3): training sessions, phone advice, presentation file.
        "search_help": help_,
        "phone_form": PhoneAdviceForm(
            initial={"phone": phone.phone, "preferred_times": phone.preferred_times}
            if phone
            else None
        ),
        "company": company,
        "sector_label": sectors.get(company.sector, company.sector) if company else "",
        "past": selectors.past_companies(dossier),
        "exclusion": selectors.exclusion_of(dossier),
        "place": place,
        "place_reason": reason,
        "frozen": now >= campaign.final_list_frozen_at,
        "frozen_at": campaign.final_list_frozen_at,
        "earliest": campaign.earliest_contract_start,
        "contract_label": contract,
    }
