"""Recording and confirming fee payments (R3.6, R8.4): one transaction and an audit entry each."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import fee_status
from admissions.payments.emails import queue_decision
from admissions.payments.methods import available_methods
from admissions.payments.models import Payment
from admissions.payments.permissions import can_decide_payment


class PaymentError(Exception):
    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def declare_payment(
    *,
    dossier: Dossier,
    reference: str,
    by: Any,
    now: datetime,
    method: str = "transfer",
    amount: Decimal | None = None,
    currency: str | None = None,
    language: str = "fr",
) -> Payment:
    """The candidate says they paid what remains due (R3.6, R8.4): a new payment of that amount.

    The amount is computed here, under the dossier's lock, from the fee as the dossier stands
    (an option added after a first payment leaves the difference due); ``amount`` overrides it
    for the demo data. When nothing remains due (a double click, a replayed request), the
    latest live payment is returned and nothing is recorded. A dossier has at most one payment
    waiting for staff (a database constraint, issue 9): what remains due while one waits is
    added to it. Raises PaymentError when the method is not offered or no formation is chosen
    yet. Side effect: audit entry.
    """
    if method not in available_methods():
        raise PaymentError(_("Ce moyen de paiement n'est pas proposé."))
    try:
        with transaction.atomic():
            return _declare_under_lock(
                dossier=dossier,
                reference=reference.strip(),
                by=by,
                now=now,
                method=method,
                amount=amount,
                currency=currency,
                language=language,
            )
    except IntegrityError:
        # Only reachable if a declaration was inserted without the dossier's lock (the lock
        # makes the second request see the first): the constraint kept one, as if already done.
        waiting = Payment.objects.filter(dossier=dossier, state=Payment.State.DECLARED).first()
        if waiting is None:
            raise
        return waiting


def _declare_under_lock(
    *,
    dossier: Dossier,
    reference: str,
    by: Any,
    now: datetime,
    method: str,
    amount: Decimal | None,
    currency: str | None,
    language: str,
) -> Payment:
    # Lock the dossier row: two declarations at once compute the rest one after the other.
    locked = (
        Dossier.objects.select_for_update()
        .select_related("campaign")
        .prefetch_related("choices", "documents", "payments")
        .get(pk=dossier.pk)
    )
    status = fee_status(locked, locked.campaign.params())
    if status is None:
        raise PaymentError(_("Choisissez d'abord au moins une formation."))
    live = [payment for payment in locked.payments.all() if payment.state != Payment.State.REJECTED]
    if status.outstanding == 0:
        if live:
            return live[-1]
        raise PaymentError(_("Aucun montant n'est dû."))
    due = amount if amount is not None else status.outstanding
    waiting = next((p for p in live if p.state == Payment.State.DECLARED), None)
    if waiting is not None:
        # An option added while the first payment waits for staff: the rest joins it, so that
        # staff confirm one declaration for everything transferred (one waiting per dossier).
        waiting.amount += due
        if reference and reference not in waiting.reference.split(" + "):
            waiting.reference = f"{waiting.reference} + {reference}"[:100]
        waiting.save(update_fields=["amount", "reference"])
        record(
            by,
            "payments.payment.declared",
            locked,
            data={"amount": str(due), "reference": reference, "added_to": waiting.pk},
            at=now,
        )
        return waiting
    payment = Payment.objects.create(
        dossier=locked,
        amount=due,
        currency=currency or status.currency,
        reference=reference,
        method=method,
        declared_at=now,
        language=language[:8],
    )
    record(
        by,
        "payments.payment.declared",
        locked,
        data={"amount": str(payment.amount), "reference": payment.reference},
        at=now,
    )
    return payment


def decide_payment(
    *, payment: Payment, received: bool, by: Any, now: datetime, reason: str = ""
) -> Payment:
    """Staff confirm a payment they received, or mark it not received (the candidate may declare again).

    ``by`` must check the payment's dossier (``can_decide_payment``: the central service of its
    school), asked again under the lock whatever the view looked up. Side effects: audit entry; an email to the candidate, in the language of the page they
    declared from, queued after commit (R8.2)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not can_decide_payment(by, payment):
            raise PaymentError(_("Ce paiement ne relève pas de vos écoles."))
        if payment.state != Payment.State.DECLARED:
            raise PaymentError(_("Ce paiement a déjà été traité."))
        payment.state = Payment.State.CONFIRMED if received else Payment.State.REJECTED
        payment.confirmed_at = now
        payment.confirmed_by = by
        payment.save(update_fields=["state", "confirmed_at", "confirmed_by"])
        action = "payments.payment.confirmed" if received else "payments.payment.rejected"
        record(by, action, payment.dossier, reason=reason, data={"payment": payment.pk}, at=now)
        queue_decision(payment)
    return payment
