"""Payments: staff confirm what they received (R8.4); candidates download their receipts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.campaigns.selectors import request_campaign
from admissions.core import clock, exports
from admissions.core.access import CANDIDATE, CENTRAL_OFFICER, require_access
from admissions.core.requests import SignedInRequest
from admissions.dossiers.services import fee_status
from admissions.payments.models import Payment
from admissions.payments.selectors import payments_awaiting_confirmation
from admissions.payments.services import PaymentError, decide_payment


@require_access(CENTRAL_OFFICER)
def pending_payments(request: HttpRequest) -> HttpResponse:
    campaign = request_campaign(request)
    rows = payments_awaiting_confirmation(campaign, campaign.params()) if campaign else []
    return render(request, "payments/pending.html", {"rows": rows})


@require_access(CENTRAL_OFFICER)
def pending_payments_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The same list as a spreadsheet (R8.3): one row per declared payment, oldest first."""
    if fmt not in exports.FORMATS:
        raise Http404
    campaign = request_campaign(request)
    rows = payments_awaiting_confirmation(campaign, campaign.params()) if campaign else []
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
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    payment = Payment.objects.filter(pk=pk, dossier__campaign=request_campaign(request)).first()
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
    """The candidate's own confirmed payment only (R9.2): looked up through their dossier."""
    from weasyprint import HTML  # slow import: only where a PDF is made

    campaign = request_campaign(request)
    payment = (
        Payment.objects.filter(
            pk=pk,
            dossier__candidate=request.user,
            dossier__campaign=campaign,
            state=Payment.State.CONFIRMED,
        )
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
            "LANGUAGE_CODE": get_language(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="recu-paiement-{payment.dossier.reference}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
