"""The staff dossier page (R4.1, R9.1): answers beside each document shown inline, the
recommendations' status, payments, messages and the audit trail; the central check's
verdicts for who may give them.

Every staff role that may read the dossier (``dossiers_visible_to``) opens the page; only
the central service (``dossiers_checkable_by``) sees and posts the verdict panels. Any other
dossier answers 404 (R9.2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from admissions.accounts.models import Role
from admissions.committee.views.staff import panel_context as committee_panel_context
from admissions.core import clock
from admissions.core.access import CENTRAL_OFFICER, STAFF, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.documents import rendering
from admissions.documents.inspection import CONTENT_TYPES, download_name
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import can_check_dossier, dossiers_visible_to
from admissions.dossiers.selectors import fee_status
from admissions.dossiers.summary import dossier_summary
from admissions.verification import selectors
from admissions.verification.models import DossierCheck
from admissions.verification.services import (
    CheckError,
    decide_dossier,
    notify_fixes,
    review_document,
)

# The audit trail in the page's language; an action missing here is shown by its code.
ACTION_LABELS: dict[str, Promise] = {
    "dossiers.dossier.opened": gettext_lazy("Dossier ouvert"),
    "dossiers.dossier.submitted": gettext_lazy("Dossier déposé"),
    "dossiers.identity.saved": gettext_lazy("Identité enregistrée"),
    "dossiers.status.saved": gettext_lazy("Statut enregistré"),
    "dossiers.formations.saved": gettext_lazy("Formations enregistrées"),
    "dossiers.education.saved": gettext_lazy("Parcours enregistré"),
    "dossiers.experience.saved": gettext_lazy("Expérience enregistrée"),
    "dossiers.fees.tariff_saved": gettext_lazy("Tarif choisi"),
    "documents.document.uploaded": gettext_lazy("Pièce déposée"),
    "documents.document.declared_pending": gettext_lazy("Pièce déclarée « pas encore disponible »"),
    "documents.document.reviewed": gettext_lazy("Pièce vérifiée"),
    "documents.document.replacement_requested": gettext_lazy("Remplacement demandé"),
    "referees.referee.named": gettext_lazy("Référent désigné"),
    "referees.referee.reminded": gettext_lazy("Référent relancé"),
    "referees.referee.reminded_automatically": gettext_lazy("Référent relancé automatiquement"),
    "referees.referee.replaced": gettext_lazy("Référent remplacé"),
    "referees.recommendation.received": gettext_lazy("Recommandation reçue"),
    "payments.payment.declared": gettext_lazy("Paiement déclaré"),
    "payments.payment.confirmed": gettext_lazy("Paiement confirmé"),
    "payments.payment.rejected": gettext_lazy("Paiement marqué non reçu"),
    "support.message.posted": gettext_lazy("Message envoyé"),
    "verification.document.reviewed": gettext_lazy("Verdict sur une pièce"),
    "verification.fixes.notified": gettext_lazy("Pièces à remplacer signalées au candidat"),
    "verification.dossier.decided": gettext_lazy("Décision de la vérification administrative"),
    "committee.score.recorded": gettext_lazy("Avis d'un membre de la commission"),
    "committee.score.updated": gettext_lazy("Avis d'un membre de la commission modifié"),
    "committee.decision.recorded": gettext_lazy("Décision de la commission"),
    "committee.decision.published": gettext_lazy("Résultat publié au candidat"),
}
REVIEW_LABELS: dict[str, Promise] = {
    "valid": gettext_lazy("valide"),
    "refused": gettext_lazy("refusée"),
    "recevable": gettext_lazy("recevable"),
}
T = TypeVar("T")

# A refused document's default replacement window when the campaign file sets no date.
DEFAULT_REPLACEMENT_DAYS = 7


def visible_dossier(request: SignedInRequest, reference: str) -> Dossier:
    dossier = (
        dossiers_visible_to(request.user)
        .filter(reference=reference)
        .select_related("campaign__school", "candidate")
        .defer("campaign__document", "campaign__source_text")
        .prefetch_related(*selectors.DOSSIER_PAGE_RELATIONS)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def checkable_dossier(request: SignedInRequest, reference: str) -> Dossier:
    dossier = selectors.dossier_for_staff(request.user, reference)
    if dossier is None:
        raise Http404
    return dossier


def audit_rows(dossier: Dossier, labels: dict[str, str]) -> list[dict]:
    """The dossier's audit trail as the staff page shows it, in the page's language: a reason
    picked from the campaign's list in that language, a reason written freely as written."""
    language = page_language()
    rows = []
    for entry in selectors.audit_trail(dossier):
        details = []
        code = entry.data.get("code")
        if code:
            details.append(labels.get(code, code))
        for key in ("review", "verdict"):
            if entry.data.get(key):
                details.append(str(REVIEW_LABELS.get(entry.data[key], entry.data[key])))
        listed = selectors.refusal_reason_text(
            dossier.campaign, entry.data.get("reason_code") or "", language
        )
        rows.append(
            {
                "at": entry.at,
                "who": entry.author,
                "what": str(ACTION_LABELS.get(entry.action, entry.action)),
                "details": " — ".join(details),
                "why": listed or entry.reason,
            }
        )
    return rows


def default_replace_until(dossier: Dossier, now: datetime) -> str:
    """The date the refusal form proposes, as a local ``datetime-local`` value."""
    deadline = dossier.campaign.params().calendar.replacement_deadline
    if deadline is None or deadline <= now:
        deadline = now + timedelta(days=DEFAULT_REPLACEMENT_DAYS)
    return deadline.astimezone(ZoneInfo(dossier.campaign.time_zone)).strftime("%Y-%m-%dT%H:%M")


def document_rows(dossier: Dossier, labels: dict[str, str], language: str) -> list[dict]:
    """Each document with what its panel shows, in the checklist's order (the candidate's)."""
    order = list(labels)

    def position(document: Document) -> tuple[int, datetime]:
        rank = order.index(document.code) if document.code in order else len(order)
        return rank, document.uploaded_at

    return [
        {
            "document": document,
            "label": labels.get(document.code, document.code),
            "pages": range(1, document.pages + 1),
            "failed": rendering.known_failure(document),
            "reason": selectors.document_refusal_reason(document, dossier.campaign, language),
        }
        for document in sorted(dossier.documents.all(), key=position)
    ]


COMMITTEE_PANEL_KEYS = (
    "scores",
    "score_max",
    "decision",
    "published",
    "score_form",
    "decision_form",
)


@require_access(STAFF)
def dossier_page(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = visible_dossier(request, reference)
    now = clock.now()
    language = page_language()
    labels = selectors.document_labels(dossier, language)
    may_check = can_check_dossier(request.user, dossier)
    check = DossierCheck.objects.filter(dossier=dossier).select_related("decided_by").first()
    params = dossier.campaign.params()
    waiting = selectors.open_replacements(dossier, now)
    context = {
        "page_title": _("Dossier %(reference)s") % {"reference": dossier.reference},
        "dossier": dossier,
        "summary": dossier_summary(dossier),
        "documents": document_rows(dossier, labels, language),
        "pending_codes": [
            labels.get(pending.code, pending.code) for pending in dossier.pending_documents.all()
        ],
        "fee": fee_status(dossier, params),
        "payments": list(dossier.payments.all()),
        "message_count": len(dossier.messages.all()),
        "unread_count": sum(
            1
            for message in dossier.messages.all()
            if not message.from_staff and not message.read_at
        ),
        "audit": audit_rows(dossier, labels),
        "check": check,
        "may_check": may_check,
        "check_open": may_check
        and check is None
        and dossier.is_submitted
        and now < params.calendar.admissibility_results_at,
        "waiting": [labels.get(document.code, document.code) for document in waiting],
        "reasons": selectors.refusal_reasons(dossier.campaign, language),
        "replace_until": default_replace_until(dossier, now),
        "verdicts": DossierCheck.Verdict.choices,
        "next_dossier": selectors.next_dossier_to_check(request.user, after=dossier, now=now)
        if may_check
        else None,
        # Panels other areas add beside these (the committee's), each an {% include %}.
        "panels": [],
    }
    if (
        check is not None
        and check.verdict == DossierCheck.Verdict.RECEVABLE
        and request.user.has_role(Role.COMMITTEE_MEMBER, Role.SCHOOL_OFFICER)
    ):
        # The committee reads the forwarded dossier here too, documents inline (R5.1).
        committee = committee_panel_context(request, dossier)
        context.update({key: committee[key] for key in COMMITTEE_PANEL_KEYS})
        context["panels"] = ["committee/_panel.html"]
    return render(request, "verification/dossier.html", context)


def _document(dossier: Dossier, pk: int) -> Document:
    for document in dossier.documents.all():
        if document.pk == pk:
            return document
    raise Http404


def visible_document(request: SignedInRequest, reference: str, pk: int) -> Document:
    """Document ``pk`` of dossier ``reference`` if the dossier is visible to the user, in one
    query: a document's page or file needs none of the relations the dossier page prefetches."""
    document = (
        Document.objects.filter(
            pk=pk, dossier__in=dossiers_visible_to(request.user), dossier__reference=reference
        )
        .select_related("dossier")
        .first()
    )
    if document is None:
        raise Http404
    return document


@require_access(STAFF)
def document_page(request: SignedInRequest, reference: str, pk: int, page: int) -> HttpResponse:
    """One page of a document as a PNG the platform rendered (never the candidate's bytes)."""
    document = visible_document(request, reference, pk)
    if not 1 <= page <= document.pages:
        raise Http404
    try:
        width = int(request.GET.get("w", rendering.DEFAULT_WIDTH))
    except ValueError:
        width = rendering.DEFAULT_WIDTH
    try:
        png = rendering.page_png(document, page, width)
    except rendering.RenderError:
        png = rendering.failure_png(
            _("Cette page ne peut pas être affichée : téléchargez l'original.")
        )
        response = HttpResponse(png, content_type="image/png")
        response["X-Render-Failed"] = "1"
    else:
        response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_access(STAFF)
def document_original(request: SignedInRequest, reference: str, pk: int) -> HttpResponse:
    """The candidate's file as stored, downloaded: never opened in the staff browser."""
    document = visible_document(request, reference, pk)
    with document.file.open("rb") as stored:
        data = stored.read()
    response = HttpResponse(
        data, content_type=CONTENT_TYPES.get(document.format, "application/octet-stream")
    )
    name = download_name(document.original_name, document.format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _local_instant(value: str, time_zone: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(time_zone))
    return moment


def _replace_until(value: str, time_zone: str) -> datetime | None:
    """The refusal form's date (local, ``datetime-local``); none when left empty."""
    if not value:
        return None
    moment = _local_instant(value, time_zone)
    if moment is None:
        raise CheckError(_("La date limite de remplacement n'est pas une date valide."))
    return moment


def _act(
    request: SignedInRequest,
    dossier: Dossier,
    anchor: str,
    act: Callable[[], T],
    success: Callable[[T], str],
) -> HttpResponse:
    """Run one service; its refusal (or ``success`` of its result) becomes the page's message,
    shown back on the dossier page inside the section ``anchor`` the redirect scrolls to (the
    message is tagged with it: the top of a long page is out of sight there)."""
    try:
        result = act()
    except CheckError as error:
        messages.error(request, str(error.message), extra_tags=anchor)
    else:
        messages.success(request, success(result), extra_tags=anchor)
    response = redirect("verification:dossier", reference=dossier.reference)
    response["Location"] += f"#{anchor}"
    return response


@require_access(CENTRAL_OFFICER)
@require_POST
def review(request: SignedInRequest, reference: str, pk: int) -> HttpResponse:
    if not Document.objects.filter(pk=pk, dossier__reference=reference).exists():
        raise Http404  # before loading the dossier's page relations for nothing
    dossier = checkable_dossier(request, reference)
    document = _document(dossier, pk)
    time_zone = dossier.campaign.time_zone
    return _act(
        request,
        dossier,
        f"doc-{document.pk}",
        lambda: review_document(
            document=document,
            by=request.user,
            now=clock.now(),
            verdict=request.POST.get("verdict", ""),
            reason_code=request.POST.get("reason_code", "")[:64],
            reason_text=request.POST.get("reason_text", "")[:1000],
            replace_until=_replace_until(request.POST.get("replace_until", ""), time_zone),
            seen_uploaded_at=_local_instant(request.POST.get("seen", ""), time_zone),
        ),
        lambda _document: _("Verdict enregistré."),
    )


@require_access(CENTRAL_OFFICER)
@require_POST
def notify(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = checkable_dossier(request, reference)
    return _act(
        request,
        dossier,
        "verdict",
        lambda: notify_fixes(dossier=dossier, by=request.user, now=clock.now()),
        lambda notice: (
            _("Courriel envoyé au candidat : %(count)s pièce(s) à remplacer.")
            % {"count": len(notice.items)}
        ),
    )


@require_access(CENTRAL_OFFICER)
@require_POST
def decide(request: SignedInRequest, reference: str) -> HttpResponse:
    dossier = checkable_dossier(request, reference)
    return _act(
        request,
        dossier,
        "verdict",
        lambda: decide_dossier(
            dossier=dossier,
            by=request.user,
            now=clock.now(),
            verdict=request.POST.get("verdict", ""),
            reason=request.POST.get("reason", "")[:2000],
        ),
        lambda _check: _("Décision enregistrée ; le candidat en est informé par courriel."),
    )


@require_access(CENTRAL_OFFICER)
def next_dossier(request: SignedInRequest) -> HttpResponse:
    """The oldest submitted dossier still waiting for its verdict (R4.1)."""
    dossier = selectors.next_dossier_to_check(request.user, now=clock.now())
    if dossier is not None:
        return redirect("verification:dossier", reference=dossier.reference)
    return render(
        request,
        "verification/nothing_to_check.html",
        {"page_title": _("Dossier suivant à vérifier")},
    )
