"""What every dossier page shares: the desk, the live panel, saving or previewing a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from admissions.campaigns.models import Campaign
from admissions.campaigns.selectors import campaign_or_404
from admissions.core import clock
from admissions.core.access import restore_posted_form
from admissions.core.language import localized, page_language
from admissions.dossiers import pages, selectors, services
from admissions.dossiers.models import Dossier
from admissions.dossiers.wording import checklist_state
from admissions.rules import documents as document_rules
from admissions.rules import params as rules_params


@dataclass
class Desk:
    """What every dossier page needs: the campaign, its rules, the dossier, the instant."""

    campaign: Campaign
    params: rules_params.Campaign
    dossier: Dossier
    now: datetime
    language: str
    editable: bool


def desk_for(request: HttpRequest) -> Desk:
    campaign = campaign_or_404(request)  # shared with the page frame's context processor
    now = clock.now()
    dossier = services.open_dossier(
        candidate=request.user, campaign=campaign, now=now, prefetch=request.method == "GET"
    )
    params = campaign.params()
    return Desk(
        campaign=campaign,
        params=params,
        dossier=dossier,
        now=now,
        language=page_language(),
        editable=selectors.is_editable(dossier, params, now),
    )


def explanations(desk: Desk) -> dict:
    """The live explanations shown beside every page: fee, eligibility, checklist (R3.2, R3.3, R3.6)."""
    language = desk.language
    fee = selectors.fee_status(desk.dossier, desk.params)
    breakdown = fee.breakdown if fee else None
    report = selectors.eligibility_report(desk.dossier, desk.params, desk.now)
    provided = selectors.provided_documents(desk.dossier)
    checklist = selectors.document_checklist(desk.dossier, desk.params, provided)
    # A slot a referee was asked for and has not answered yet is "requested", not "missing".
    requested = {
        code for code, state in provided.items() if state == document_rules.ProvidedState.REQUESTED
    }
    return {
        "_checklist": checklist,
        "fee_lines": [
            {"label": line.label(language), "amount": line.amount} for line in breakdown.lines
        ]
        if breakdown
        else [],
        "fee_total": breakdown.total if breakdown else None,
        "fee_currency": breakdown.currency if breakdown else "EUR",
        # What remains to pay or declare once something is paid (R3.6, issue 8).
        "fee_paid": fee.balance.paid if fee else None,
        "fee_outstanding": fee.outstanding if fee else None,
        "fee_overpaid": fee.balance.overpaid if fee else None,
        "fee_notes": [note.text(language) for note in breakdown.notes] if breakdown else [],
        "eligibility_blocking": [r.text(language) for r in report.blocking] if report else [],
        "eligibility_warnings": [r.text(language) for r in report.warnings] if report else [],
        "eligibility_notes": [r.text(language) for r in report.notes] if report else [],
        "eligibility_known": report is not None,
        "checklist": [
            {
                "code": item.document.code,
                "label": item.document.label(language),
                "why": item.document.why(language),
                "state": state,
                "state_text": checklist_state(item.document, state),
                "alternatives": [
                    localized(alt, "label", language) for alt in item.document.alternatives
                ],
            }
            for item in checklist.items
            for state in [_checklist_item_state(item, requested)]
        ],
    }


def _checklist_item_state(item: document_rules.ChecklistItem, requested: set[str]) -> str:
    """The slot's state; a slot a referee was asked for and has not answered is "requested"."""
    if item.state.value == "missing" and requested & set(item.document.accepted_codes):
        return "requested"
    return item.state.value


def render_page(request, desk: Desk, template: str, page: str, **context) -> HttpResponse:
    live = explanations(desk)
    states = selectors.page_states(
        desk.dossier, desk.params, desk.language, live.pop("_checklist"), now=desk.now
    )
    return render(
        request,
        template,
        {
            "desk": desk,
            "dossier": desk.dossier,
            "pages": states,
            "menu": pages.menu(desk.dossier, desk.params, states),
            "page": page,
            "editable": desk.editable,
            "school": desk.campaign.school,
            "contacts": desk.campaign.contacts(),
            **live,
            **context,
        },
    )


def refuse_if_read_only(request, desk: Desk) -> HttpResponse | None:
    if request.method == "POST" and not desk.editable:
        messages.error(request, _("Votre dossier n'est plus modifiable : rien n'a été changé."))
        return redirect("dossiers:overview")
    return None


def posted_data(request):
    """The request's POST, or what was typed before the session expired and the login."""
    if request.method == "POST":
        return request.POST
    restored = restore_posted_form(request)
    if restored is not None:
        messages.warning(
            request,
            _(
                "Votre session avait expiré : vos saisies ont été conservées. Vérifiez-les puis enregistrez."
            ),
        )
    return restored


LIVE_HEADER = "X-Live-Preview"


class _PreviewOnly(Exception):
    """Raised inside the preview's transaction so that nothing it saved is kept."""


def is_live_preview(request: HttpRequest) -> bool:
    return request.method == "POST" and request.headers.get(LIVE_HEADER) == "1"


def render_live(request, desk: Desk) -> HttpResponse:
    """The live panel alone: fee, eligibility and checklist as the rules compute them (R3.2-R3.6)."""
    live = explanations(desk)
    live.pop("_checklist")
    return render(request, "dossiers/_live.html", live)


def save_or_preview(request, desk: Desk, save: Callable[..., None], slug: str) -> HttpResponse:
    """Save the page (``save(preview=False)``: a service that locks, checks and writes); or,
    for the live panel, ``save(preview=True)`` inside a transaction that is rolled back, so the
    explanations are recomputed from what is typed without keeping anything."""
    if not is_live_preview(request):
        try:
            save(preview=False)
        except services.DossierError as error:
            messages.error(request, str(error.message))
            return redirect("dossiers:overview")
        messages.success(request, _("Page enregistrée."))
        return redirect(pages.page_url(slug))
    try:
        with transaction.atomic():
            save(preview=True)
            desk.dossier = Dossier.objects.prefetch_related(*selectors.DOSSIER_RELATIONS).get(
                pk=desk.dossier.pk
            )
            response = render_live(request, desk)
            raise _PreviewOnly
    except _PreviewOnly:
        pass
    return response


def edit_page(request, bind, *, template: str, page: pages.Page, action: str, name: str):
    """A page that edits the dossier through a form or a formset (``bind(data, instance=...)``):
    saved on its own, or previewed for the live panel; read-only forms are shown disabled."""
    desk = desk_for(request)
    refused = refuse_if_read_only(request, desk)
    if refused:
        return refused
    bound = bind(posted_data(request), instance=desk.dossier)
    if not desk.editable and hasattr(bound, "fields"):  # a form; a formset hides its button
        for field in bound.fields.values():
            field.disabled = True
    if request.method == "POST" and bound.is_valid():
        save = partial(
            services.save_page,
            dossier=desk.dossier,
            params=desk.params,
            write=bound.save,  # the dossier for its own form; the rows for a formset
            action=action,
            by=request.user,
            now=desk.now,
        )
        return save_or_preview(request, desk, save, page.slug)
    if is_live_preview(request):
        return render_live(request, desk)
    return render_page(request, desk, template, page.slug, title=page.title, **{name: bound})


def model_page(request, form_class, page: pages.Page, action: str) -> HttpResponse:
    return edit_page(
        request,
        form_class,
        template="dossiers/form_page.html",
        page=page,
        action=action,
        name="form",
    )
