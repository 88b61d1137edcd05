"""The email telling the other side of a thread that a message is waiting (R3.9, R8.2).

It carries the dossier's reference and a link, never the message itself nor other personal
data: the text is read on the platform, after signing in.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email
from admissions.support.models import Message

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notice_language(message: Message) -> str:
    """The candidate reads in their account's language (R8.2); the central service in French."""
    return recipient_language(message.dossier.candidate) if message.from_staff else "fr"


def queue_new_message(message: Message) -> OutboundEmail:
    """Owe the other side of the thread the notice of ``message``; sent after commit."""
    return queue_email(
        kind=OutboundEmail.Kind.SUPPORT_NOTICE,
        key=f"support-message:{message.pk}",
        recipient=message.dossier.candidate.email if message.from_staff else "",
        language=notice_language(message),
        payload={"message": message.pk},
        dossier=message.dossier,
    )


def compose_new_message(email: OutboundEmail) -> EmailMessage | None:
    message = Message.objects.select_related("dossier__campaign", "dossier__candidate").get(
        pk=email.payload["message"]
    )
    return new_message_notice(message, language=email.language)


def new_message_notice(message: Message, language: str = "fr") -> EmailMessage | None:
    """The notice; None when the campaign file gives the central service no address."""
    dossier = message.dossier
    if message.from_staff:
        recipient = dossier.candidate.email
        url = absolute(reverse("support:candidate"))
    else:
        recipient = (dossier.campaign.contacts()["central_service"] or {}).get("email", "")
        url = absolute(reverse("support:staff_thread", args=[dossier.reference]))
    if not recipient:
        logger.warning("no address for the support notice of dossier %s", dossier.reference)
        return None
    context = {
        "to_candidate": message.from_staff,
        "reference": dossier.reference,
        "campaign": dossier.campaign,
        "url": url,
    }
    with translation.override(language):
        subject = render_to_string("support/email/new_message_subject.txt", context).strip()
        body = render_to_string("support/email/new_message_body.txt", context)
    return EmailMessage(subject, body, to=[recipient])


def preview_new_message(*, campaign: Campaign, language: str) -> Variants:
    """The notice to the candidate (the one to the central service is always in French)."""
    message = Message(
        dossier=sample_dossier(campaign, language=language), from_staff=True, sent_at=clock.now()
    )
    notice = new_message_notice(message, language=language)
    return [("", notice)] if notice is not None else []
