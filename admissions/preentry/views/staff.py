"""The school officers' pages of the pre-entry checklist (R7.4, R8.3): who misses what, one
candidate's checklist with the verdicts and MidiSup's validation, the reminder, the exports.

Thin views: parse, look the dossier up through the school's scope (404 otherwise, R9.2), call
one service, redirect; the services ask the predicate again under their lock."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.campaigns.selectors import campaign_or_404
from admissions.companies.views.staff import placed_dossier_or_404
from admissions.core import clock, exports
from admissions.core.access import SCHOOL_OFFICER, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers.models import Dossier
from admissions.dossiers.views.documents import serve_stored_file
from admissions.preentry import selectors, services
from admissions.preentry.forms import ChecklistFilterForm, ContractValidationForm, ReviewForm
from admissions.preentry.models import PreEntryDocument
from admissions.preentry.permissions import can_remind, dossiers_managed_by
from admissions.preentry.services import PreEntryError


def campaign_checklists(request: SignedInRequest):
    """The campaign shown and the checklists of its candidates admitted for good, within the
    account's schools (nothing for an officer of another school)."""
    campaign = campaign_or_404(request)
    dossiers = selectors.admitted_dossiers(dossiers_managed_by(request.user), campaign)
    return campaign, selectors.checklists(dossiers, campaign.params())


@require_access(SCHOOL_OFFICER)
def checklist_list(request: SignedInRequest) -> HttpResponse:
    """Who misses what, with a filter; the reminder button; the exports."""
    campaign, rows = campaign_checklists(request)
    form = ChecklistFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        rows, status = [], 400  # a malformed filter says so and lists nothing
    elif form.is_bound and form.cleaned_data["missing"]:
        wanted = form.cleaned_data["missing"]
        rows = [row for row in rows if selectors.matches(row, wanted)]
    return render(
        request,
        "preentry/staff_list.html",
        {
            "page_title": _("Pièces avant l'entrée en formation"),
            "campaign": campaign,
            "rows": rows,
            "form": form,
            "last_reminder": selectors.last_reminder(campaign),
            "may_remind": can_remind(request.user, campaign),
        },
        status=status,
    )


@require_access(SCHOOL_OFFICER)
@require_POST
def remind(request: SignedInRequest) -> HttpResponse:
    campaign = campaign_or_404(request)
    try:
        reminder = services.remind_missing(
            campaign=campaign, by=request.user, now=clock.now(), language=page_language()
        )
    except PreEntryError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Relance envoyée à %(count)s candidat(s) : un courriel chacun, listant ce qui manque."
            )
            % {"count": reminder.recipients},
        )
    return redirect("preentry:staff_list")


EXPORT_HEADERS = (
    "groupe",
    "rang",
    "reference",
    "nom",
    "prenom",
    "courriel",
    "diplome",
    "jdc_demande",
    "jdc",
    "midisup_valide_le",
    "admission_conditionnelle",
    "manque",
)


def _state(document: PreEntryDocument | None) -> str:
    return document.review if document is not None else "missing"


@require_access(SCHOOL_OFFICER)
def export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    """The checklist of every candidate admitted for good as CSV or XLSX (R8.3)."""
    if fmt not in exports.FORMATS:
        raise Http404
    campaign, rows = campaign_checklists(request)
    lines = (
        (
            row.dossier.list_place.seat_group,
            row.dossier.list_place.rank,
            row.dossier.reference,
            row.dossier.last_name,
            row.dossier.first_name,
            row.dossier.candidate.email,
            _state(row.diploma),
            "oui" if row.jdc_asked else "non",
            _state(row.jdc_document) if row.jdc_asked else "",
            row.validation.validated_on if row.validation else None,
            "oui" if row.conditional else "non",
            " ".join(row.missing),
        )
        for row in rows
    )
    return exports.export_response(
        fmt, f"entree-en-formation-{campaign.code}", EXPORT_HEADERS, lines
    )


# --- One candidate --------------------------------------------------------------------------


def render_dossier(request: SignedInRequest, dossier: Dossier, status: int = 200, **forms):
    params = dossier.campaign.params()
    admitted = selectors.is_admitted_for_good(dossier)
    checklist = selectors.checklist_of(dossier, params)
    review_forms = {}
    for kind, document in checklist.documents.items():
        posted = forms.get(f"review_{kind}")
        review_forms[kind] = posted or ReviewForm(
            initial={"version": document.version, "seen": document.review},
            prefix=kind,
        )
    validation = checklist.validation
    context = {
        "page_title": _("Avant l'entrée en formation — dossier %(reference)s")
        % {"reference": dossier.reference},
        "dossier": dossier,
        "admitted": admitted,
        "checklist": checklist,
        "documents": [
            (kind, label, checklist.documents.get(kind), review_forms.get(kind))
            for kind, label in PreEntryDocument.Kind.choices
            if kind != PreEntryDocument.Kind.JDC
            or checklist.jdc_asked
            or kind in checklist.documents
        ],
        "jdc_reason": checklist.jdc.reason.text(page_language()) if checklist.jdc else "",
        "validation_form": forms.get("validation_form")
        or (
            ContractValidationForm(
                initial={"validated_on": validation.validated_on, "note": validation.note}
                if validation
                else None
            )
            if admitted
            else None
        ),
    }
    return render(request, "preentry/staff_dossier.html", context, status=status)


@require_access(SCHOOL_OFFICER)
def dossier_page(request: SignedInRequest, reference: str) -> HttpResponse:
    return render_dossier(request, placed_dossier_or_404(request, reference))


def _back(dossier: Dossier) -> HttpResponse:
    return redirect("preentry:staff_dossier", reference=dossier.reference)


@require_access(SCHOOL_OFFICER)
@require_POST
def review(request: SignedInRequest, reference: str, kind: str) -> HttpResponse:
    dossier = placed_dossier_or_404(request, reference)
    if kind not in PreEntryDocument.Kind.values:
        raise Http404
    form = ReviewForm(request.POST, prefix=kind)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, **{f"review_{kind}": form})
    try:
        result = services.review_document(
            dossier=dossier,
            kind=kind,
            accept=form.cleaned_data["verdict"] == "valid",
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
            seen=form.cleaned_data["seen"],
            by=request.user,
            now=clock.now(),
        )
    except PreEntryError as error:
        if error.field:
            form.add_error(error.field, error.message)
            return render_dossier(request, dossier, status=400, **{f"review_{kind}": form})
        messages.error(request, error.message)
        return _back(dossier)
    if not result.changed:
        messages.info(
            request, _("Cette décision était déjà enregistrée : rien de plus n'a été fait.")
        )
    elif result.document.accepted:
        messages.success(request, _("Pièce acceptée."))
    else:
        messages.success(
            request, _("Pièce refusée : le candidat est prévenu et peut en envoyer une autre.")
        )
    return _back(dossier)


@require_access(SCHOOL_OFFICER)
@require_POST
def midisup(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = placed_dossier_or_404(request, reference)
    form = ContractValidationForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_dossier(request, dossier, status=400, validation_form=form)
    try:
        services.record_contract_validation(
            dossier=dossier,
            validated_on=form.cleaned_data["validated_on"],
            note=form.cleaned_data["note"],
            evidence=form.cleaned_data.get("evidence"),
            by=request.user,
            now=clock.now(),
            params=dossier.campaign.params(),
            language=page_language(),
        )
    except PreEntryError as error:
        if error.field:
            form.add_error(error.field, error.message)
            return render_dossier(request, dossier, status=400, validation_form=form)
        messages.error(request, error.message)
        return _back(dossier)
    messages.success(request, _("Validation du contrat par MidiSup enregistrée."))
    return _back(dossier)


@require_access(SCHOOL_OFFICER)
def document_file(request: SignedInRequest, reference: str, kind: str) -> FileResponse:
    dossier = placed_dossier_or_404(request, reference)
    document = PreEntryDocument.objects.filter(dossier=dossier, kind=kind).first()
    if document is None:
        raise Http404
    return serve_stored_file(document.file, document.format, document.original_name)


@require_access(SCHOOL_OFFICER)
def midisup_evidence(request: SignedInRequest, reference: str) -> FileResponse:
    dossier = placed_dossier_or_404(request, reference)
    validation = selectors.checklist_of(dossier, dossier.campaign.params()).validation
    if validation is None or not validation.evidence:
        raise Http404
    return serve_stored_file(
        validation.evidence, validation.evidence_format, "justificatif-midisup"
    )
