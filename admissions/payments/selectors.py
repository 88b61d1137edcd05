"""What the payments desk reads (R8.4): noun-phrase queries, no writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from admissions.campaigns.models import Campaign
from admissions.dossiers.selectors import FeeStatus, fee_status
from admissions.payments.models import Payment
from admissions.rules.params import Campaign as CampaignParams


@dataclass(frozen=True)
class PendingPayment:
    """A declared payment beside its dossier's fee as it stands now (issue 8): the total due
    and what remains once every declared or confirmed payment counts."""

    payment: Payment
    fee: FeeStatus | None


def payments_awaiting_confirmation(
    campaign: Campaign, params: CampaignParams
) -> list[PendingPayment]:
    """Declared payments of the campaign, oldest first, each with its dossier's fee status.

    One query per relation however many rows: the dossiers' choices, documents (the
    scholarship proof's review) and payments are prefetched."""
    payments = (
        Payment.objects.filter(dossier__campaign=campaign, state=Payment.State.DECLARED)
        .select_related("dossier", "dossier__candidate")
        .prefetch_related(
            "dossier__choices",
            Prefetch("dossier__documents"),
            "dossier__payments",
        )
        .order_by("declared_at", "pk")
    )
    return [PendingPayment(payment, fee_status(payment.dossier, params)) for payment in payments]
