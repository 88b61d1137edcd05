"""The candidate's dossier pages (R3.1): thin views over the dossier services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.audit.services import record
from admissions.campaigns.selectors import current_campaign
from admissions.core import clock
from admissions.core.access import CANDIDATE, PUBLIC, require_access, restore_posted_form
from admissions.documents.inspection import sanitize_filename
from admissions.documents.models import Document
from admissions.documents.services import (
    DocumentError,
    combine_uploads,
    declare_pending,
    stage_scaled_photo,
    store_document,
    upload_slots,
)
from admissions.dossiers import services
from admissions.dossiers.forms import (
    DiplomaFormSet,
    ExperienceFormSet,
    FormationsForm,
    IdentityForm,
    PaymentForm,
    ScholarshipForm,
    StatusForm,
    UploadForm,
)
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.payments.services import declare_payment
from admissions.rules import documents as document_rules


@dataclass
class Desk:
    """What every dossier page needs: the campaign, its rules, the dossier, the instant."""

    campaign: object
    params: object
    dossier: Dossier
    now: datetime
    language: str
    editable: bool


def desk_for(request: HttpRequest) -> Desk:
    if not hasattr(request, "_campaign"):  # shared with the page frame's context processor
        request._campaign = current_campaign()
    campaign = request._campaign
    if campaign is None:
        raise Http404
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
        language=(get_language() or "fr")[:2],
        editable=services.is_editable(dossier, params, now),
    )


def explanations(desk: Desk) -> dict:
    """The live explanations shown beside every page: fee, eligibility, checklist (R3.2, R3.3, R3.6)."""
    language = desk.language
    breakdown = services.fee_breakdown(desk.dossier, desk.params)
    report = services.eligibility_report(desk.dossier, desk.params, desk.now)
    checklist = services.document_checklist(desk.dossier, desk.params)
    # A slot a referee was asked for and has not answered yet is "requested", not "missing".
    requested = {
        code for code, state in services.provided_documents(desk.dossier).items()
        if state == document_rules.ProvidedState.REQUESTED
    }
    return {
        "_checklist": checklist,
        "fee_lines": [
            {"label": line.label(language), "amount": line.amount} for line in breakdown.lines
        ] if breakdown else [],
        "fee_total": breakdown.total if breakdown else None,
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
                "state": (
                    "requested"
                    if item.state.value == "missing" and requested & set(item.document.accepted_codes)
                    else item.state.value
                ),
                "alternatives": [
                    alt.label_en if language == "en" else alt.label_fr
                    for alt in item.document.alternatives
                ],
            }
            for item in checklist.items
        ],
    }


def render_page(request, desk: Desk, template: str, page: str, **context) -> HttpResponse:
    live = explanations(desk)
    pages = services.page_states(desk.dossier, desk.params, desk.language, live.pop("_checklist"))
    return render(
        request,
        template,
        {
            "desk": desk,
            "dossier": desk.dossier,
            "pages": pages,
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


def touch(desk: Desk, action: str) -> None:
    desk.dossier.updated_at = desk.now
    desk.dossier.save(update_fields=["updated_at"])
    record(desk.dossier.candidate, action, desk.dossier, at=desk.now)


@require_access(CANDIDATE)
def overview(request: HttpRequest) -> HttpResponse:
    """The dossier's home: the timeline, each page's completeness, what is missing (R10.1)."""
    desk = desk_for(request)
    from admissions.rules import deadlines

    report = deadlines.campaign_phase(desk.params, desk.now)
    blockers = services.submission_blockers(desk.dossier, desk.params, desk.now, desk.language)
    return render_page(
        request,
        desk,
        "dossiers/overview.html",
        "overview",
        milestones=[
            {"state": entry.state.value, "text": entry.text(desk.language)} for entry in report.entries
        ],
        blockers=blockers,
    )


def posted_data(request):
    """The request's POST, or what was typed before the session expired and the login."""
    if request.method == "POST":
        return request.POST
    restored = restore_posted_form(request)
    if restored is not None:
        messages.warning(
            request,
            _("Votre session avait expiré : vos saisies ont été conservées. Vérifiez-les puis enregistrez."),
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


def save_or_preview(request, desk: Desk, save, slug: str) -> HttpResponse:
    """Save the page; or, for the live panel, save inside a transaction that is rolled back,
    so the explanations are recomputed from what is typed without keeping anything."""
    if not is_live_preview(request):
        with transaction.atomic():
            save()
        messages.success(request, _("Page enregistrée."))
        return redirect("dossiers:page", slug=slug)
    try:
        with transaction.atomic():
            save()
            desk.dossier = Dossier.objects.prefetch_related(*services.DOSSIER_RELATIONS).get(pk=desk.dossier.pk)
            response = render_live(request, desk)
            raise _PreviewOnly
    except _PreviewOnly:
        pass
    return response


def model_page(request, form_class, slug: str, title: str, action: str) -> HttpResponse:
    desk = desk_for(request)
    refused = refuse_if_read_only(request, desk)
    if refused:
        return refused
    form = form_class(posted_data(request), instance=desk.dossier)
    if not desk.editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():

        def save():
            form.save()
            touch(desk, action)

        return save_or_preview(request, desk, save, slug)
    if is_live_preview(request):
        return render_live(request, desk)
    return render_page(request, desk, "dossiers/form_page.html", slug, form=form, title=title)


@require_access(CANDIDATE)
def identity(request: HttpRequest) -> HttpResponse:
    return model_page(request, IdentityForm, "identite", _("Identité et coordonnées"), "dossiers.identity.saved")


@require_access(CANDIDATE)
def status(request: HttpRequest) -> HttpResponse:
    return model_page(request, StatusForm, "statut", _("Statut visé"), "dossiers.status.saved")


@require_access(CANDIDATE)
def formations(request: HttpRequest) -> HttpResponse:
    desk = desk_for(request)
    refused = refuse_if_read_only(request, desk)
    if refused:
        return refused
    options = list(desk.campaign.options_on_offer())
    chosen = [choice.option.code for choice in desk.dossier.choices.select_related("option")]
    form = FormationsForm(
        posted_data(request),
        options_on_offer=options,
        initial={"options": chosen, "notice_acknowledged": desk.dossier.notice_acknowledged_at is not None},
    )
    if not desk.editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        by_code = {option.code: option for option in options}

        def save():
            desk.dossier.choices.all().delete()
            FormationChoice.objects.bulk_create(
                FormationChoice(dossier=desk.dossier, option=by_code[code], rank=rank)
                for rank, code in enumerate(form.cleaned_data["options"], start=1)
            )
            acknowledged = form.cleaned_data["notice_acknowledged"]
            if acknowledged and desk.dossier.notice_acknowledged_at is None:
                desk.dossier.notice_acknowledged_at = desk.now
            elif not acknowledged:
                desk.dossier.notice_acknowledged_at = None
            desk.dossier.save(update_fields=["notice_acknowledged_at"])
            touch(desk, "dossiers.formations.saved")

        return save_or_preview(request, desk, save, "formations")
    if is_live_preview(request):
        return render_live(request, desk)
    return render_page(request, desk, "dossiers/formations.html", "formations", form=form)


def formset_page(request, formset_class, slug: str, title: str, action: str) -> HttpResponse:
    desk = desk_for(request)
    refused = refuse_if_read_only(request, desk)
    if refused:
        return refused
    formset = formset_class(posted_data(request), instance=desk.dossier)
    if request.method == "POST" and formset.is_valid():

        def save():
            formset.save()
            touch(desk, action)

        return save_or_preview(request, desk, save, slug)
    if is_live_preview(request):
        return render_live(request, desk)
    return render_page(request, desk, "dossiers/formset_page.html", slug, formset=formset, title=title)


@require_access(CANDIDATE)
def education(request: HttpRequest) -> HttpResponse:
    return formset_page(request, DiplomaFormSet, "parcours", _("Parcours de formation"), "dossiers.education.saved")


@require_access(CANDIDATE)
def experience(request: HttpRequest) -> HttpResponse:
    return formset_page(request, ExperienceFormSet, "experience", _("Expérience professionnelle"), "dossiers.experience.saved")


def upload_page(request, slug: str, title: str, only_motivation: bool) -> HttpResponse:
    desk = desk_for(request)
    slots = upload_slots(desk.dossier, desk.params)
    stored = {document.code: document for document in desk.dossier.documents.all()}
    pending = set(desk.dossier.pending_documents.values_list("code", flat=True))
    rows = []
    for code, slot in slots.items():
        if code.startswith("motivation") != only_motivation:
            continue
        label = slot.label(desk.language)
        for alternative in slot.alternatives:
            if alternative.code == code:
                choice = alternative.label_en if desk.language == "en" else alternative.label_fr
                label = f"{label} — {choice}"
        rows.append(
            {
                "code": code,
                "label": label,
                "why": slot.why(desk.language),
                "document": stored.get(code),
                "pending": code in pending,
                "may_be_pending": slot.may_be_pending and code not in stored,
                "changeable": desk.editable or code in pending
                or (code in stored and stored[code].replacement_requested),
                "max_pages": slot.max_pages,
            }
        )
    return render_page(
        request, desk, "dossiers/uploads.html", slug, rows=rows, title=title, form=UploadForm(),
        max_bytes=desk.params.uploads.max_bytes,
        photo_max=(desk.params.uploads.photo_max_width, desk.params.uploads.photo_max_height),
    )


@require_access(CANDIDATE)
def uploads(request: HttpRequest) -> HttpResponse:
    return upload_page(request, "pieces", _("Pièces justificatives"), only_motivation=False)


@require_access(CANDIDATE)
def motivation(request: HttpRequest) -> HttpResponse:
    return upload_page(request, "motivation", _("Lettres de motivation"), only_motivation=True)


@require_access(CANDIDATE)
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """One file, or several pages for a slot that takes them (R10.3); refusals keep the old file."""
    desk = desk_for(request)
    back = "motivation" if code.startswith("motivation") else "pieces"
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, _("Choisissez un fichier à envoyer."))
        return redirect("dossiers:page", slug=back)
    try:
        if len(files) > 1:
            slot = upload_slots(desk.dossier, desk.params).get(code)
            if slot is None or len(files) > slot.max_pages:
                raise DocumentError(_("Cette pièce ne prend qu'un seul fichier."))
            candidate_file = combine_uploads(files, desk.params)
            candidate_file.name = sanitize_filename(files[0].name)
        else:
            candidate_file = files[0]
        store_document(
            dossier=desk.dossier, code=code, upload=candidate_file,
            by=request.user, now=desk.now, params=desk.params,
        )
    except DocumentError as error:
        if code == "photo" and error.can_scale_down and desk.editable:
            request.session["photo_preview"] = stage_scaled_photo(files[0], desk.params)
            return redirect("dossiers:photo_preview")
        details = " ".join(reason.text(desk.language) for reason in error.reasons)
        messages.error(request, f"{error.message} {details}".strip())
    else:
        messages.success(request, _("Fichier enregistré."))
    return redirect("dossiers:page", slug=back)


@require_access(CANDIDATE)
def photo_preview(request: HttpRequest) -> HttpResponse:
    """A too-large photo, scaled down by the platform: used only if the candidate approves it."""
    desk = desk_for(request)
    staged = request.session.get("photo_preview")
    if not staged or not default_storage.exists(staged):
        messages.info(request, _("Aucune photo en attente de validation."))
        return redirect("dossiers:page", slug="pieces")
    if request.method == "POST":
        del request.session["photo_preview"]
        if request.POST.get("decision") == "use":
            with default_storage.open(staged, "rb") as scaled:
                photo = ContentFile(scaled.read(), name="photo-reduite" + staged[-4:])
            try:
                store_document(dossier=desk.dossier, code="photo", upload=photo,
                               by=request.user, now=desk.now, params=desk.params)
            except DocumentError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("Photo réduite enregistrée."))
        default_storage.delete(staged)
        return redirect("dossiers:page", slug="pieces")
    return render_page(request, desk, "dossiers/photo_preview.html", "pieces")


@require_access(CANDIDATE)
def photo_preview_file(request: HttpRequest) -> HttpResponse:
    staged = request.session.get("photo_preview")
    if not staged or not default_storage.exists(staged):
        raise Http404
    response = FileResponse(default_storage.open(staged, "rb"),
                            content_type="image/png" if staged.endswith(".png") else "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_access(CANDIDATE)
@require_POST
def mark_pending(request: HttpRequest, code: str) -> HttpResponse:
    desk = desk_for(request)
    try:
        declare_pending(dossier=desk.dossier, code=code, by=request.user, now=desk.now, params=desk.params)
    except DocumentError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Noté : vous enverrez cette pièce dès qu'elle sera disponible."))
    return redirect("dossiers:page", slug="pieces")


@require_access(CANDIDATE)
def document_file(request: HttpRequest, code: str) -> FileResponse:
    """The candidate's own file, never anyone else's (R9.2): looked up through their dossier."""
    desk = desk_for(request)
    document = Document.objects.filter(dossier=desk.dossier, code=code).first()
    if document is None:
        raise Http404
    return serve_document(document)


def serve_document(document: Document) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=False,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf"
    return response


@require_access(CANDIDATE)
def fees(request: HttpRequest) -> HttpResponse:
    desk = desk_for(request)
    scholarship_form = ScholarshipForm(
        request.POST if "scholarship" in request.POST else None, instance=desk.dossier
    )
    payment_form = PaymentForm(request.POST if "payment" in request.POST else None)
    if request.method == "POST":
        refused = refuse_if_read_only(request, desk)
        if refused:
            return refused
        if "scholarship" in request.POST and scholarship_form.is_valid():
            if desk.dossier.payments.exists():
                messages.error(request, _("Un paiement est déjà enregistré : le tarif ne peut plus changer."))
            else:
                with transaction.atomic():
                    scholarship_form.save()
                    touch(desk, "dossiers.fees.tariff_saved")
                messages.success(request, _("Page enregistrée."))
            return redirect("dossiers:page", slug="frais")
        if "payment" in request.POST and payment_form.is_valid():
            breakdown = services.fee_breakdown(desk.dossier, desk.params)
            if breakdown is None:
                messages.error(request, _("Choisissez d'abord au moins une formation."))
            else:
                declare_payment(
                    dossier=desk.dossier, amount=breakdown.total, currency=breakdown.currency,
                    reference=payment_form.cleaned_data["reference"], by=request.user, now=desk.now,
                )
                messages.success(request, _("Paiement enregistré : le service le confirmera à réception."))
            return redirect("dossiers:page", slug="frais")
    return render_page(
        request, desk, "dossiers/fees.html", "frais",
        scholarship_form=scholarship_form, payment_form=payment_form,
        payments=list(desk.dossier.payments.all()),
        can_declare=desk.editable and not services.live_payments(desk.dossier).exists(),
    )


@require_access(CANDIDATE)
def review(request: HttpRequest) -> HttpResponse:
    """Review and submit (R3.7): every blocker with a link to its page; submitted once."""
    desk = desk_for(request)
    if request.method == "POST":
        try:
            services.submit_dossier(dossier=desk.dossier, by=request.user, now=desk.now, language=desk.language)
        except services.DossierError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Votre dossier est déposé. Un accusé de réception vous est envoyé par courriel."))
        return redirect("dossiers:page", slug="depot")
    blockers = services.submission_blockers(desk.dossier, desk.params, desk.now, desk.language)
    return render_page(request, desk, "dossiers/review.html", "depot", blockers=blockers)


@require_access(CANDIDATE)
def receipt(request: HttpRequest) -> HttpResponse:
    desk = desk_for(request)
    if not desk.dossier.is_submitted:
        raise Http404
    from admissions.dossiers.receipts import receipt_pdf  # slow import: WeasyPrint

    response = HttpResponse(receipt_pdf(desk.dossier, desk.language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="accuse-reception-{desk.dossier.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


PAGES = {
    "identite": identity,
    "statut": status,
    "formations": formations,
    "parcours": education,
    "experience": experience,
    "pieces": uploads,
    "motivation": motivation,
    "frais": fees,
    "depot": review,
}


@require_access(CANDIDATE)
def page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug == "recommandations":
        return redirect("referees:candidate")
    view = PAGES.get(slug)
    if view is None:
        raise Http404
    return view(request)


@require_access(PUBLIC)
def notice(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    return render(request, "dossiers/notice.html", {"notice": campaign.notice_text()})

