"""What staff read of the outbox (R8.2), within the schools their grants cover (R9.2)."""

from __future__ import annotations

from django.db.models import QuerySet

from admissions.accounts.models import User
from admissions.accounts.scope import school_scope
from admissions.core.access import OUTBOX
from admissions.notifications.models import OutboundEmail

SCHOOL = "dossier__campaign__school"


def emails_visible_to(user: User) -> QuerySet[OutboundEmail]:
    """Every email for the central service and administrators (account emails included); for a
    school's officers, the emails about that school's dossiers; nothing for anyone else."""
    scope = school_scope(user, OUTBOX.roles)
    return scope.narrow(OutboundEmail.objects.all(), SCHOOL).select_related("dossier")


def visible_email(user: User, pk: int) -> OutboundEmail | None:
    return emails_visible_to(user).filter(pk=pk).first()
