"""The email telling the candidate what staff decided about a payment (R8.2, R8.4).

Written in the language of the page the payment was declared from (French by default)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import fee_status
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import queue_email
from admissions.payments.models import Payment
from admissions.rules.language import platform_language


def queue_decision(payment: Payment) -> OutboundEmail:
    """Owe the candidate the email of staff's decision on ``payment``; sent after commit."""
    return queue_email(
        kind=OutboundEmail.Kind.PAYMENT_DECISION,
        key=f"payment-decision:{payment.pk}",
        recipient=payment.dossier.candidate.email,
        language=platform_language(payment.language),
        payload={"payment": payment.pk},
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
    params = dossier.campaign.params()
    status = fee_status(dossier, params)
    language = platform_language(payment.language)
    context = {
        "payment": payment,
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "currency": payment.currency,
        "outstanding": status.outstanding if status is not None else None,
        "bank": params.fees.bank,
        "url": settings.SITE_URL.rstrip("/") + reverse("dossiers:page", args=["frais"]),
    }
    name = "confirmed" if payment.state == Payment.State.CONFIRMED else "not_received"
    with translation.override(language):
        subject = render_to_string(f"payments/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"payments/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[dossier.candidate.email])
