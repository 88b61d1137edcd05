"""Background work of payments (R8.2): thin tasks that take ids and call one function."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_payment_decision(payment_id: int) -> None:
    """Tell the candidate that staff received their payment, or did not and what to do."""
    from admissions.payments.emails import send_decision  # emails read the dossier's fee status
    from admissions.payments.models import Payment

    payment = (
        Payment.objects.select_related("dossier__candidate", "dossier__campaign__school")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        logger.warning("payment %s vanished before its email was sent", payment_id)
        return
    send_decision(payment)
