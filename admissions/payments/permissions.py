"""Who may read and decide which payment (R8.4, R9.2): the dossier's permissions, one level down.

A payment belongs to its dossier: staff decide the payments of the dossiers they check
(``dossiers_checkable_by``: the central service of the dossier's school), a candidate reads the
receipts of their own dossiers. Views look payments up through these querysets and answer 404
otherwise; ``decide_payment`` asks ``can_decide_payment`` again under the payment's lock.
"""

from __future__ import annotations

from django.db.models import QuerySet

from admissions.accounts.models import User
from admissions.dossiers.permissions import dossiers_checkable_by, dossiers_visible_to
from admissions.payments.models import Payment


def payments_decidable_by(user: User) -> QuerySet[Payment]:
    """The payments whose receipt ``user`` may confirm or deny: those of the dossiers they check."""
    return Payment.objects.filter(dossier__in=dossiers_checkable_by(user))


def payments_visible_to(user: User) -> QuerySet[Payment]:
    """The payments of the dossiers ``user`` may read: a candidate's own, their schools' for staff."""
    return Payment.objects.filter(dossier__in=dossiers_visible_to(user))


def can_decide_payment(user: User, payment: Payment) -> bool:
    return payments_decidable_by(user).filter(pk=payment.pk).exists()
