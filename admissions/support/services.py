"""What happens in a dossier's support thread (R3.9).

Services change state in one transaction, write the audit trail, take the clock as ``now`` and
never read the request. Refusals raise ``SupportError`` with a message in the page's language.
The other side's email leaves after commit, through a task.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from admissions.audit.services import record
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import can_check_dossier
from admissions.support import emails
from admissions.support.models import BODY_MAX_LENGTH, Message

# A second identical message from the same author this soon is a double click or a resent form.
DOUBLE_POST_WINDOW = timedelta(seconds=10)


class SupportError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def post_message(
    *, dossier: Dossier, author, body: str, from_staff: bool, now: datetime, language: str = "fr"
) -> Message:
    """Add a message to the dossier's thread and return it (R3.9).

    The author writes on their own dossier, or (``from_staff``) on a dossier they check
    (``can_check_dossier``: the central service of its school), asked under the dossier's lock.
    The same body from the same author within ``DOUBLE_POST_WINDOW`` returns the message already
    recorded instead of a second one. Side effects: audit entry on the dossier (without the text);
    the other side's email queued after commit.
    """
    body = (body or "").strip()
    if not body:
        raise SupportError(_("Écrivez votre message avant de l'envoyer."))
    if len(body) > BODY_MAX_LENGTH:
        raise SupportError(_("Votre message est trop long : 5 000 caractères au plus."))
    with transaction.atomic():
        # Lock the dossier so that two identical posts cannot both pass the duplicate check.
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        allowed = (
            can_check_dossier(author, locked) if from_staff else locked.candidate_id == author.pk
        )
        if not allowed:
            raise SupportError(_("Ce dossier ne relève pas de vos écoles."))
        duplicate = (
            Message.objects.filter(
                dossier=locked, author=author, body=body, sent_at__gte=now - DOUBLE_POST_WINDOW
            )
            .order_by("-sent_at", "-pk")
            .first()
        )
        if duplicate is not None:
            return duplicate
        message = Message.objects.create(
            dossier=locked,
            author=author,
            from_staff=from_staff,
            body=body,
            sent_at=now,
            language=language,
        )
        record(
            author,
            "support.message.posted",
            locked,
            data={"message": message.pk, "from_staff": from_staff},
            at=now,
        )
        emails.queue_new_message(message)  # sent after commit, through the outbox
    return message


def mark_read(*, dossier: Dossier, by_staff: bool, now: datetime) -> int:
    """Mark the other side's unread messages as read; return how many were."""
    return Message.objects.filter(
        dossier=dossier, from_staff=not by_staff, read_at__isnull=True
    ).update(read_at=now)
