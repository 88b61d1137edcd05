"""Payments: staff confirm what they received (R8.4); candidates download their receipts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.core import clock, exports
from admissions.core.access import CANDIDATE, CENTRAL_OFFICER, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers.selectors import fee_status
from admissions.payments.models import Payment
from admissions.payments.permissions import payments_decidable_by, payments_visible_to
from admissions.payments.selectors import payments_awaiting_confirmation
from admissions.payments.services import PaymentError, decide_payment


@require_access(CENTRAL_OFFICER)
def pending_payments(request: SignedInRequest) -> HttpResponse:
    """The declared payments of the schools this account checks (R8.4, R9.2)."""
    rows = payments_awaiting_confirmation(request.user)
    return render(request, "payments/pending.html", {"rows": rows})


@require_access(CENTRAL_OFFICER)
def pending_payments_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    """The same list as a spreadsheet (R8.3): one row per declared payment, oldest first."""
    if fmt not in exports.FORMATS:
        raise Http404
    rows = payments_awaiting_confirmation(request.user)
    headers = [
        _("Dossier"),
        _("Candidat"),
        _("Adresse électronique"),
        _("Montant déclaré"),
        _("Total dû"),
        _("Reste dû"),
        _("Devise"),
        _("Référence"),
        _("Déclaré le"),
    ]
    return exports.export_response(
        fmt,
        "paiements-a-confirmer",
        headers,
        (
            (
                row.payment.dossier.reference,
                row.payment.dossier.full_name,
                row.payment.dossier.candidate.email,
                row.payment.amount,
                row.fee.breakdown.total if row.fee else None,
                row.fee.outstanding if row.fee else None,
                row.payment.currency,
                row.payment.reference,
                row.payment.declared_at,
            )
            for row in rows
        ),
    )


@require_access(CENTRAL_OFFICER)
@require_POST
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """Confirm or deny one payment; one of another school's dossiers answers 404 (R9.2)."""
    payment = payments_decidable_by(request.user).filter(pk=pk).first()
    if payment is None:
        raise Http404
    received = request.POST.get("decision") == "confirm"
    try:
        decide_payment(
            payment=payment,
            received=received,
            by=request.user,
            now=clock.now(),
            reason=request.POST.get("reason", "")[:500],
        )
    except PaymentError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Paiement confirmé.") if received else _("Paiement marqué non reçu.")
        )
    return redirect("payments:pending")


@require_access(CANDIDATE)
def payment_receipt(request: SignedInRequest, pk: int) -> HttpResponse:
    """The candidate's own confirmed payment only (R9.2), of any of their dossiers."""
    from weasyprint import HTML  # slow import: only where a PDF is made

    payment = (
        payments_visible_to(request.user)
        .filter(pk=pk, state=Payment.State.CONFIRMED)
        .select_related("dossier", "dossier__campaign__school")
        .first()
    )
    if payment is None:
        raise Http404
    dossier = payment.dossier
    html = render_to_string(
        "payments/receipt.html",
        {
            "payment": payment,
            "fee": fee_status(dossier, dossier.campaign.params()),  # what remains after it
            "LANGUAGE_CODE": page_language(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="recu-paiement-{payment.dossier.reference}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
