"""The company contact's page, reached through their personal link; no account (R7.1).

It shows the candidate's name and the declared contract, nothing else of the dossier. A link
used twice shows the answer recorded; expired, cancelled, tampered or after the freeze: a clear
page, nothing recorded (410)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from admissions.companies import links, services
from admissions.companies.forms import CompanyAnswerForm
from admissions.companies.services import CompanyError
from admissions.company_search.selectors import presentation_link
from admissions.core import clock
from admissions.core.access import TOKEN_LINK, require_access
from admissions.core.language import page_language
from admissions.rules import clock as rules_clock

UNUSABLE_STATUS = 410  # Gone: the link existed, or looks like one, and cannot be used


@require_access(TOKEN_LINK)
@never_cache
def company_link(request: HttpRequest, token: str) -> HttpResponse:
    now = clock.now()
    language = page_language()
    link = links.read_link(token, now=now)
    if link.status == links.LinkStatus.ANSWERED and link.company is not None:
        return render(
            request,
            "companies/link_answered.html",
            {
                "page_title": _("Réponse enregistrée"),
                "company": link.company,
                "candidate_name": link.company.dossier.full_name or _("un candidat"),
            },
        )
    if link.status != links.LinkStatus.VALID or link.company is None or link.expires_at is None:
        return render(
            request,
            "companies/link_unusable.html",
            {"page_title": _("Lien de confirmation"), "status": link.status.value},
            status=UNUSABLE_STATUS,
        )
    company = link.company
    campaign = company.dossier.campaign
    form = CompanyAnswerForm(
        request.POST or None, initial={"contract_start": company.contract_start}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_link(
                company=company,
                nonce=company.token_nonce,
                confirm=form.cleaned_data["answer"] == "confirm",
                contract_start=form.cleaned_data.get("contract_start"),
                reason=form.cleaned_data.get("reason", ""),
                now=now,
                language=language,
            )
        except CompanyError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("companies:link", token=token)
    return render(
        request,
        "companies/link_form.html",
        {
            "page_title": _("Confirmation d'un contrat en alternance"),
            "form": form,
            "company": company,
            "candidate_name": company.dossier.full_name or _("un candidat"),
            "school": campaign.school.name,
            "expires": rules_clock.format_deadline(link.expires_at, campaign.time_zone, language),
            "presentation": presentation_link(campaign),
        },
    )
