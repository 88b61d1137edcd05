"""The email telling the candidate what staff decided about a payment (R8.2, R8.4).

Written in the candidate's language (accounts/languages.py)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import fee_status
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email
from admissions.payments.models import Payment


def queue_decision(payment: Payment) -> OutboundEmail:
    """Owe the candidate the email of staff's decision on ``payment``; sent after commit."""
    return queue_email(
        kind=OutboundEmail.Kind.PAYMENT_DECISION,
        key=f"payment-decision:{payment.pk}",
        recipient=payment.dossier.candidate.email,
        language=recipient_language(payment.dossier.candidate),
        payload={"payment": payment.pk},
        dossier=payment.dossier,
    )


def compose_decision(email: OutboundEmail) -> EmailMessage:
    """Confirmed: the amount received and what, if anything, remains due. Not received: how
    to check the transfer and declare it again on the fees page."""
    payment = Payment.objects.get(pk=email.payload["payment"])
    dossier = (
        Dossier.objects.select_related("campaign__school", "candidate")
        .prefetch_related("choices", "documents", "payments")
        .get(pk=payment.dossier_id)
    )
    status = fee_status(dossier, dossier.campaign.params())
    return decision_message(
        payment,
        dossier,
        outstanding=status.outstanding if status is not None else None,
        language=email.language,
    )


def decision_message(
    payment: Payment, dossier: Dossier, *, outstanding: Decimal | None, language: str
) -> EmailMessage:
    """The decision's message, from what the dossier still owes (``outstanding``)."""
    context = {
        "payment": payment,
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "currency": payment.currency,
        "outstanding": outstanding,
        "bank": dossier.campaign.params().fees.bank,
        "url": settings.SITE_URL.rstrip("/") + reverse("dossiers:page", args=["frais"]),
    }
    name = "confirmed" if payment.state == Payment.State.CONFIRMED else "not_received"
    with translation.override(language):
        subject = render_to_string(f"payments/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"payments/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[dossier.candidate.email])


def preview_decision(*, campaign: Campaign, language: str) -> Variants:
    """Both decisions on a made-up payment of the first formation's fee."""
    dossier = sample_dossier(campaign, language=language)
    amount = campaign.params().fees.standard.first
    variants: list[tuple[str | Promise, EmailMessage]] = []
    for state, label, outstanding in (
        (Payment.State.CONFIRMED, gettext_lazy("Paiement reçu"), Decimal("0")),
        (Payment.State.REJECTED, gettext_lazy("Paiement non reçu"), amount),
    ):
        payment = Payment(
            dossier=dossier, amount=amount, currency="EUR", reference="VIR-EXEMPLE", state=state
        )
        message = decision_message(payment, dossier, outstanding=outstanding, language=language)
        variants.append((label, message))
    return variants
