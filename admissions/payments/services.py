"""Recording and confirming fee payments (R3.6, R8.4): one transaction and an audit entry each."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.payments.methods import available_methods
from admissions.payments.models import Payment


class PaymentError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def declare_payment(*, dossier, amount, currency: str, reference: str, method: str = "transfer", by, now: datetime) -> Payment:
    """The candidate says they paid; a second declaration while one is live changes nothing."""
    if method not in available_methods():
        raise PaymentError(_("Ce moyen de paiement n'est pas proposé."))
    with transaction.atomic():
        live = Payment.objects.select_for_update().filter(dossier=dossier).exclude(state=Payment.State.REJECTED)
        existing = live.first()
        if existing is not None:
            return existing
        payment = Payment.objects.create(
            dossier=dossier, amount=amount, currency=currency, reference=reference.strip(),
            method=method, declared_at=now,
        )
        record(by, "payments.payment.declared", dossier, data={"amount": str(amount), "reference": payment.reference}, at=now)
    return payment


def decide_payment(*, payment: Payment, received: bool, by, now: datetime, reason: str = "") -> Payment:
    """Staff confirm a payment they received, or mark it not received (the candidate may declare again)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != Payment.State.DECLARED:
            raise PaymentError(_("Ce paiement a déjà été traité."))
        payment.state = Payment.State.CONFIRMED if received else Payment.State.REJECTED
        payment.confirmed_at = now
        payment.confirmed_by = by
        payment.save(update_fields=["state", "confirmed_at", "confirmed_by"])
        action = "payments.payment.confirmed" if received else "payments.payment.rejected"
        record(by, action, payment.dossier, reason=reason, data={"payment": payment.pk}, at=now)
    return payment
