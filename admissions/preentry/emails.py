"""The emails of the pre-entry checklist (R7.4, R8.2), in the candidate's account language:

- ``preentry_reminder``: one per candidate and reminder run, listing what they still miss;
- ``preentry_refused``: a file staff refused, with the reason, and where to send another.

Both are composed at send time from the checklist as it then stands: an item accepted
between the click and the sending is no longer listed, and nothing is sent when nothing is
missing any more.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from admissions.accounts.languages import recipient_language
from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants, sample_dossier
from admissions.notifications.services import queue_email
from admissions.preentry import selectors
from admissions.preentry.models import PreEntryDocument, PreEntryReminder

Kind = OutboundEmail.Kind


def _render(name: str, context: dict, language: str, to: str) -> EmailMessage:
    with translation.override(language):
        subject = render_to_string(f"preentry/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"preentry/email/{name}_body.txt", context)
    return EmailMessage(subject, body, to=[to])


def _context(dossier: Dossier) -> dict:
    return {
        "dossier": dossier,
        "school": dossier.campaign.school.name,
        "page_url": settings.SITE_URL.rstrip("/") + reverse("preentry:candidate"),
    }


def _lines(checklist: selectors.Checklist) -> list[dict]:
    """What the email lists: each missing item, with its refusal reason or "awaiting staff"."""
    lines = []
    for item in checklist.missing:
        document = checklist.documents.get(item) if item != selectors.MIDISUP else None
        lines.append(
            {
                "item": item,
                "refused": document is not None and document.refused,
                "reason": document.refusal_reason if document is not None else "",
                "awaiting": document is not None
                and document.review == PreEntryDocument.Review.UNCHECKED,
            }
        )
    return lines


# --- Reminder -------------------------------------------------------------------------------


def queue_reminder(reminder: PreEntryReminder, checklist: selectors.Checklist) -> OutboundEmail:
    dossier = checklist.dossier
    return queue_email(
        kind=Kind.PREENTRY_REMINDER,
        key=f"preentry-reminder:{reminder.pk}:{dossier.pk}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"dossier": dossier.pk, "reminder": reminder.pk},
        dossier=dossier,
    )


def compose_reminder(email: OutboundEmail) -> EmailMessage | None:
    dossier = Dossier.objects.select_related("campaign__school", "candidate").get(
        pk=email.payload["dossier"]
    )
    if not selectors.is_admitted_for_good(dossier):
        return None  # left the list since: nothing is asked of them any more
    checklist = selectors.checklist_of(dossier, dossier.campaign.params())
    if not checklist.missing:
        return None
    return reminder_message(checklist, email.language)


def reminder_message(checklist: selectors.Checklist, language: str) -> EmailMessage:
    context = {
        **_context(checklist.dossier),
        "lines": _lines(checklist),
        "conditional": checklist.conditional,
    }
    return _render("reminder", context, language, checklist.dossier.candidate.email)


# --- Refusal --------------------------------------------------------------------------------


def queue_refusal(document: PreEntryDocument) -> OutboundEmail:
    dossier = document.dossier
    return queue_email(
        kind=Kind.PREENTRY_REFUSED,
        key=f"preentry-refused:{document.pk}:{document.version}",
        recipient=dossier.candidate.email,
        language=recipient_language(dossier.candidate),
        payload={"document": document.pk, "version": document.version},
        dossier=dossier,
    )


def compose_refusal(email: OutboundEmail) -> EmailMessage | None:
    document = (
        PreEntryDocument.objects.select_related("dossier__campaign__school", "dossier__candidate")
        .filter(pk=email.payload["document"])
        .first()
    )
    if document is None or document.version != email.payload["version"] or not document.refused:
        return None  # replaced or judged again since
    return refusal_message(document, email.language)


def refusal_message(document: PreEntryDocument, language: str) -> EmailMessage:
    context = {**_context(document.dossier), "document": document}
    return _render("refused", context, language, document.dossier.candidate.email)


# --- Previews for staff (notifications/previews.py) -----------------------------------------


def _sample(campaign: Campaign, language: str) -> tuple[Dossier, PreEntryDocument]:
    dossier = sample_dossier(campaign, language=language)
    document = PreEntryDocument(
        pk=0,
        dossier=dossier,
        kind=PreEntryDocument.Kind.DIPLOMA,
        review=PreEntryDocument.Review.REFUSED,
        refusal_reason="Le document est illisible.",
        uploaded_at=clock.now(),
    )
    return dossier, document


def preview_reminder(*, campaign: Campaign, language: str) -> Variants:
    dossier, refused = _sample(campaign, language)
    checklist = selectors.Checklist(
        dossier,
        {PreEntryDocument.Kind.DIPLOMA: refused},
        None,
        None,
        (selectors.DIPLOMA, selectors.JDC, selectors.MIDISUP),
    )
    return [(gettext_lazy("Pièces manquantes"), reminder_message(checklist, language))]


def preview_refusal(*, campaign: Campaign, language: str) -> Variants:
    _dossier, document = _sample(campaign, language)
    return [("", refusal_message(document, language))]
