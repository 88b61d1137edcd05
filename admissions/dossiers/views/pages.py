"""The dossier's pages (R3.1), the overview (R10.1), fees (R3.6), review and submission (R3.7)."""

from __future__ import annotations

import re
from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from admissions.campaigns.selectors import campaign_or_404
from admissions.committee.selectors import published_admissibility
from admissions.core.access import CANDIDATE, PUBLIC, require_access
from admissions.documents.inspection import upload_help
from admissions.documents.selectors import may_change_document
from admissions.dossiers import pages, selectors, services
from admissions.dossiers.export import personal_data_zip
from admissions.dossiers.forms import (
    DiplomaFormSet,
    ExperienceFormSet,
    FormationsForm,
    IdentityForm,
    PaymentForm,
    ScholarshipForm,
    StatusForm,
)
from admissions.dossiers.receipts import receipt_pdf
from admissions.dossiers.summary import dossier_summary
from admissions.dossiers.views.desk import (
    desk_for,
    edit_page,
    is_live_preview,
    model_page,
    posted_data,
    refuse_if_read_only,
    render_live,
    render_page,
    save_or_preview,
)
from admissions.exams.selectors.booking import accommodation_of, booking_of
from admissions.exams.selectors.grading import (
    decision_reasons,
    help_for_admitted,
    published_academic_decision,
)
from admissions.payments.services import PaymentError, declare_payment
from admissions.rules import deadlines
from admissions.verification.models import DossierCheck
from admissions.verification.selectors import document_labels, document_refusal_reason


@require_access(CANDIDATE)
def overview(request: HttpRequest) -> HttpResponse:
    """The dossier's home: the timeline, each page's completeness, what is missing (R10.1)."""
    desk = desk_for(request)
    report = deadlines.campaign_phase(desk.params, desk.now)
    blockers = selectors.submission_blockers(desk.dossier, desk.params, desk.now, desk.language)
    labels = document_labels(desk.dossier, desk.language)
    to_replace = [
        {
            "label": labels.get(document.code, document.code),
            "reason": document_refusal_reason(document, desk.campaign, desk.language),
            "until": document.replace_until,
        }
        for document in desk.dossier.documents.all()
        if document.replacement_open(desk.now)
    ]
    # The committee's decision, only from the publication instant on (R5.2).
    admissibility = published_admissibility(desk.dossier, desk.now, desk.params)
    # The academic list, only from its publication instant on (R6.4).
    academic = published_academic_decision(desk.dossier, desk.now, desk.params)
    booking = booking_of(desk.dossier)
    accommodation = accommodation_of(desk.dossier)
    return render_page(
        request,
        desk,
        "dossiers/overview.html",
        pages.OVERVIEW.slug,
        milestones=[
            {
                "state": entry.state.value,
                "text": entry.text(desk.language),
                "result": admissibility if entry.name == "admissibility_results" else None,
                "academic": academic if entry.name == "academic_results" else None,
                "booking": booking if entry.name == "exam_booking" else None,
                "accommodation": accommodation if entry.name == "exams" else None,
            }
            for entry in report.entries
        ],
        blockers=blockers,
        check=DossierCheck.objects.filter(dossier=desk.dossier).first(),
        to_replace=to_replace,
        admissibility=admissibility,
        academic=academic,
        academic_reasons=decision_reasons(academic, desk.language) if academic else [],
        academic_help=help_for_admitted(desk.campaign) if academic else None,
    )


@require_access(CANDIDATE)
def identity(request: HttpRequest) -> HttpResponse:
    return model_page(request, IdentityForm, pages.IDENTITY, "dossiers.identity.saved")


@require_access(CANDIDATE)
def status(request: HttpRequest) -> HttpResponse:
    return model_page(request, StatusForm, pages.STATUS, "dossiers.status.saved")


@require_access(CANDIDATE)
def formations(request: HttpRequest) -> HttpResponse:
    desk = desk_for(request)
    refused = refuse_if_read_only(request, desk)
    if refused:
        return refused
    options = list(desk.campaign.options_on_offer())
    chosen = list(selectors.formation_codes(desk.dossier))
    form = FormationsForm(
        posted_data(request),
        options_on_offer=options,
        initial={
            "options": chosen,
            "notice_acknowledged": desk.dossier.notice_acknowledged_at is not None,
        },
    )
    if not desk.editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        by_code = {option.code: option for option in options}
        save = partial(
            services.choose_formations,
            dossier=desk.dossier,
            params=desk.params,
            options=[by_code[code] for code in form.cleaned_data["options"]],
            notice_acknowledged=form.cleaned_data["notice_acknowledged"],
            by=request.user,
            now=desk.now,
        )
        return save_or_preview(request, desk, save, pages.FORMATIONS.slug)
    if is_live_preview(request):
        return render_live(request, desk)
    return render_page(request, desk, "dossiers/formations.html", pages.FORMATIONS.slug, form=form)


def formset_page(request, formset_class, page: pages.Page, action: str) -> HttpResponse:
    return edit_page(
        request,
        formset_class,
        template="dossiers/formset_page.html",
        page=page,
        action=action,
        name="formset",
    )


@require_access(CANDIDATE)
def education(request: HttpRequest) -> HttpResponse:
    return formset_page(request, DiplomaFormSet, pages.EDUCATION, "dossiers.education.saved")


@require_access(CANDIDATE)
def experience(request: HttpRequest) -> HttpResponse:
    return formset_page(request, ExperienceFormSet, pages.EXPERIENCE, "dossiers.experience.saved")


@require_access(CANDIDATE)
def fees(request: HttpRequest) -> HttpResponse:
    """The fee, what remains due, how to pay it and the scholarship proof (R3.6, R8.4)."""
    desk = desk_for(request)
    status = selectors.fee_status(desk.dossier, desk.params)
    scholarship_form = ScholarshipForm(
        request.POST if "scholarship" in request.POST else None, instance=desk.dossier
    )
    payment_form = PaymentForm(
        request.POST if "payment" in request.POST else None,
        initial={"reference": desk.dossier.reference},  # the reference to quote (R3.6)
    )
    tariff_fixed = selectors.tariff_fixed(desk.dossier, desk.params, desk.now)
    if tariff_fixed is not None:
        scholarship_form.fields["scholarship_claimed"].disabled = True
    # What remains due can be declared while the dossier is open, and after submission too:
    # a proof staff reject makes the difference due then (R3.6).
    can_declare = (
        status is not None
        and status.outstanding > 0
        and (desk.editable or desk.dossier.is_submitted)
    )
    if request.method == "POST" and "payment" in request.POST:
        if not can_declare:
            messages.error(request, _("Aucun paiement n'est à déclarer : rien n'a été enregistré."))
            return redirect(pages.FEES.url)
        elif payment_form.is_valid():
            try:
                declare_payment(
                    dossier=desk.dossier,
                    reference=payment_form.cleaned_data["reference"],
                    by=request.user,
                    now=desk.now,
                    language=desk.language,
                )
            except PaymentError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request, _("Paiement enregistré : le service le confirmera à réception.")
                )
            return redirect(pages.FEES.url)
    elif request.method == "POST":
        refused = refuse_if_read_only(request, desk)
        if refused:
            return refused
        if "scholarship" in request.POST and scholarship_form.is_valid():
            try:
                services.save_tariff(
                    dossier=desk.dossier,
                    scholarship_claimed=scholarship_form.cleaned_data["scholarship_claimed"],
                    by=request.user,
                    now=desk.now,
                )
            except services.DossierError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("Page enregistrée."))
            return redirect(pages.FEES.url)
    proof = next(
        (d for d in desk.dossier.documents.all() if d.code == selectors.SCHOLARSHIP_PROOF), None
    )
    return render_page(
        request,
        desk,
        "dossiers/fees.html",
        pages.FEES.slug,
        scholarship_form=scholarship_form,
        payment_form=payment_form,
        payments=list(desk.dossier.payments.all()),
        fee=status,
        can_declare=can_declare,
        tariff_fixed=tariff_fixed,
        bank=desk.params.fees.bank,
        proof=proof,
        proof_refusal=document_refusal_reason(proof, desk.campaign, desk.language) if proof else "",
        proof_status=selectors.scholarship_proof_status(desk.dossier).value,
        proof_changeable=may_change_document(
            desk.dossier, selectors.SCHOLARSHIP_PROOF, editable=desk.editable, now=desk.now
        ),
        max_bytes=desk.params.uploads.max_bytes,
        upload_help=upload_help(desk.params.uploads, desk.language),
    )


@require_access(CANDIDATE)
def review(request: HttpRequest) -> HttpResponse:
    """Review and submit (R3.7): every blocker with a link to its page; submitted once."""
    desk = desk_for(request)
    if request.method == "POST":
        try:
            services.submit_dossier(
                dossier=desk.dossier, by=request.user, now=desk.now, language=desk.language
            )
        except services.DossierError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Votre dossier est déposé. Un accusé de réception vous est envoyé par courriel."),
            )
        return redirect(pages.REVIEW.url)
    blockers = selectors.submission_blockers(desk.dossier, desk.params, desk.now, desk.language)
    return render_page(
        request,
        desk,
        "dossiers/review.html",
        pages.REVIEW.slug,
        blockers=blockers,
        summary=dossier_summary(desk.dossier),
        payments=list(desk.dossier.payments.all()),
    )


@require_access(CANDIDATE)
def receipt(request: HttpRequest) -> HttpResponse:
    desk = desk_for(request)
    if not desk.dossier.is_submitted:
        raise Http404
    response = HttpResponse(
        receipt_pdf(desk.dossier, desk.language), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="accuse-reception-{desk.dossier.reference}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_access(CANDIDATE)
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """``/dossier/<slug>/``: the page of that slug in ``pages.PAGES``, by its view or redirect."""
    entry = pages.served_at_slug(slug)
    if entry is None:
        raise Http404
    view = import_string(f"admissions.dossiers.views.{entry.view}")
    return view(request)


@require_access(PUBLIC)
def notice(request: HttpRequest) -> HttpResponse:
    """The campaign's notice (R3.1), from the Markdown of its file, with a table of contents."""
    campaign = campaign_or_404(request)
    rendered = campaign.notice_html()
    toc: list[dict] = []
    for heading in rendered.headings:
        # The DSFR summary numbers its entries itself: "1. Conditions" would read "1. 1. Conditions".
        title = re.sub(r"^\d+\.?\s+", "", heading.title)
        entry = {"anchor": heading.anchor, "title": title, "children": []}
        if heading.level > 2 and toc:
            toc[-1]["children"].append(entry)
        else:
            toc.append(entry)
    # The HTML was sanitised by nh3 when rendered (campaigns/texts.py).
    return render(request, "dossiers/notice.html", {"notice_html": rendered.html, "toc": toc})


@require_access(CANDIDATE)
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the platform holds about the candidate, as a ZIP (R9.3)."""
    desk = desk_for(request)
    response = HttpResponse(
        personal_data_zip(desk.dossier, now=desk.now), content_type="application/zip"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mes-donnees-{desk.dossier.reference}.zip"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
