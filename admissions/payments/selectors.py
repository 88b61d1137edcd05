"""What the payments desk reads (R8.4): noun-phrase queries, no writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from admissions.accounts.models import User
from admissions.dossiers.selectors import FeeStatus, fee_status
from admissions.payments.models import Payment
from admissions.payments.permissions import payments_decidable_by


@dataclass(frozen=True)
class PendingPayment:
    """A declared payment beside its dossier's fee as it stands now (issue 8): the total due
    and what remains once every declared or confirmed payment counts."""

    payment: Payment
    fee: FeeStatus | None


def payments_awaiting_confirmation(user: User) -> list[PendingPayment]:
    """Declared payments ``user`` may decide (the schools of their grants, every campaign),
    oldest first, each with its dossier's fee status under its own campaign's parameters.

    One query per relation however many rows: the dossiers' choices, documents (the
    scholarship proof's review) and payments are prefetched; the campaign row is read without
    its file (its parameters are cached per revision)."""
    payments = (
        payments_decidable_by(user)
        .filter(state=Payment.State.DECLARED)
        .select_related("dossier", "dossier__candidate", "dossier__campaign")
        .defer("dossier__campaign__document", "dossier__campaign__source_text")
        .prefetch_related(
            "dossier__choices",
            Prefetch("dossier__documents"),
            "dossier__payments",
        )
        .order_by("declared_at", "pk")
    )
    return [
        PendingPayment(payment, fee_status(payment.dossier, payment.dossier.campaign.params()))
        for payment in payments
    ]
