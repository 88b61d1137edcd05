"""The dossier's emails (R3.7, R10.2), queued in the outbox and composed when they leave."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.dossiers.models import Dossier, DossierReminder
from admissions.dossiers.receipts import receipt_pdf
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email
from admissions.rules import clock as rules_clock


def receipt_key(dossier_id: int) -> str:
    return f"receipt:{dossier_id}"


def queue_receipt(*, dossier: Dossier, language: str | None = None) -> OutboundEmail:
    """Owe the candidate the receipt of their submission, once per dossier (R3.7), in their
    language (R8.2) unless ``language`` is given."""
    return queue_email(
        kind=OutboundEmail.Kind.RECEIPT,
        key=receipt_key(dossier.pk),
        recipient=dossier.candidate.email,
        language=language or recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk},
        dossier=dossier,
    )


def queue_missing_receipts() -> int:
    """Owe a receipt to every submitted dossier that has none (its queueing was lost, or it was
    submitted before the outbox existed); return how many. Run by ``manage.py sweep_emails``."""
    owed = {
        receipt_key(pk): pk
        for pk in Dossier.objects.filter(state=Dossier.State.SUBMITTED).values_list("pk", flat=True)
    }
    known = set(OutboundEmail.objects.filter(key__in=owed).values_list("key", flat=True))
    missing = Dossier.objects.filter(pk__in=[pk for key, pk in owed.items() if key not in known])
    for dossier in missing.select_related("candidate"):
        queue_receipt(dossier=dossier)
    return len(owed) - len(known)


def compose_receipt(email: OutboundEmail) -> EmailMessage:
    dossier = Dossier.objects.select_related("candidate", "campaign__school").get(
        pk=email.payload["dossier"]
    )
    message = receipt_message(dossier, language=email.language)
    message.attach(
        receipt_file_name(dossier), receipt_pdf(dossier, email.language), "application/pdf"
    )
    return message


def receipt_file_name(dossier: Dossier) -> str:
    return f"accuse-reception-{dossier.reference}.pdf"


def receipt_message(dossier: Dossier, *, language: str) -> EmailMessage:
    """The receipt's text, without its PDF (the outbox's template preview shows this much)."""
    with translation.override(language), timezone.override(dossier.campaign.time_zone):
        subject = render_to_string(
            "dossiers/email/receipt_subject.txt", {"dossier": dossier}
        ).strip()
        body = render_to_string(
            "dossiers/email/receipt_body.txt", {"dossier": dossier, "site_url": settings.SITE_URL}
        )
    return EmailMessage(subject, body, to=[dossier.candidate.email])


def queue_reminder(*, reminder: DossierReminder) -> OutboundEmail:
    """Owe the candidate a reminder (R10.2), in the language of their account (R8.2)."""
    candidate = reminder.dossier.candidate
    return queue_email(
        kind=OutboundEmail.Kind.DOSSIER_REMINDER,
        key=f"dossier-reminder:{reminder.pk}",
        recipient=candidate.email,
        language=recipient_language(candidate),
        payload={"reminder": reminder.pk},
        dossier=reminder.dossier,
    )


def compose_reminder(email: OutboundEmail) -> EmailMessage | None:
    reminder = DossierReminder.objects.select_related(
        "dossier__candidate", "dossier__campaign"
    ).get(pk=email.payload["reminder"])
    dossier = reminder.dossier
    if dossier.is_submitted:
        return None  # submitted since the reminder was queued
    return reminder_message(dossier, language=email.language)


def reminder_message(dossier: Dossier, *, language: str) -> EmailMessage:

    params = dossier.campaign.params()
    context = {
        "dossier": dossier,
        "closes": rules_clock.format_deadline(
            params.calendar.applications.closes_at, params.calendar.time_zone, language
        ),
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = render_to_string("dossiers/email/reminder_subject.txt", context).strip()
        body = render_to_string("dossiers/email/reminder_body.txt", context)
    return EmailMessage(subject, body, to=[dossier.candidate.email])


# --- Previews for staff (notifications/previews.py) -----------------------------------------


def preview_receipt(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language)
    message = receipt_message(dossier, language=language)
    message.attach(receipt_file_name(dossier), b"", "application/pdf")  # the PDF: not built
    return [("", message)]


def preview_reminder(*, campaign: Campaign, language: str) -> Variants:
    dossier = sample_dossier(campaign, language=language, submitted=False)
    return [("", reminder_message(dossier, language=language))]
